// Starting a server process and waiting for the line that says it accepts connections. Every server
// the bench drives prints Kafka's "Awaiting socket connections on HOST:PORT." when ready.

import { ChildProcess, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const READY = /Awaiting socket connections on ([^\s]+):(\d+)\./;
const KEEP_OUTPUT = 8192;

export interface ReadyChild {
  child: ChildProcess;
  host: string;
  port: number;
  /** From spawn to the ready line. */
  readyMs: number;
  exited: Promise<number | null>;
  output(): string;
}

export function startChild(command: string, args: string[], timeoutMs = 60_000): Promise<ReadyChild> {
  const started = performance.now();
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} not ready after ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    let ready = false;
    const onData = (d: Buffer) => {
      out = (out + d.toString()).slice(-KEEP_OUTPUT);
      const m = ready ? null : READY.exec(out);
      if (!m) return;
      ready = true;
      clearTimeout(timer);
      resolve({ child, host: m[1], port: Number(m[2]), readyMs: performance.now() - started, exited, output: () => out });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`${command} exited with ${code} before listening:\n${out}`));
    });
  });
}

/** Sends `signal`, and SIGKILL if the process is still there after `graceMs`. */
export async function stopChild(c: ReadyChild, signal: NodeJS.Signals = 'SIGTERM', graceMs = 30_000): Promise<number | null> {
  if (c.child.exitCode !== null || c.child.signalCode !== null) return c.exited;
  c.child.kill(signal);
  const timer = setTimeout(() => c.child.kill('SIGKILL'), graceMs);
  const code = await c.exited;
  clearTimeout(timer);
  return code;
}
