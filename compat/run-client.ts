// Runs one client's run script for one phase and collects its result lines.

import { spawn } from 'node:child_process';
import { KillAnswer, KILL_REQUEST, parseResults, RunArgs, runArgv, ScenarioResult } from './lib/protocol';
import { ClientSpec } from './client-spec';

export interface ClientRun {
  results: ScenarioResult[];
  /** Last lines of stderr, for scenarios the run never reported. */
  stderrTail: string;
  exit: string;
  ms: number;
}

/** Scenarios time themselves out inside the client; this only catches a client that hangs anyway. */
const PER_SCENARIO_MS = 90_000;

/** killBroker serves the client's KILL_REQUEST lines; without it they are refused. */
export function runClient(spec: ClientSpec, args: RunArgs, root: string, killBroker?: () => Promise<string>): Promise<ClientRun> {
  const started = Date.now();
  const [cmd, ...rest] = spec.command;
  const child = spawn(cmd, [...rest, ...runArgv(args)], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let scanned = 0;
  const answer = (a: KillAnswer) => child.stdin.write(JSON.stringify(a) + '\n');
  child.stdin.on('error', () => undefined); // the client may exit without reading its answer
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    const end = stdout.lastIndexOf('\n') + 1;
    for (const line of stdout.slice(scanned, end).split('\n')) {
      if (line.trim() !== KILL_REQUEST) continue;
      if (!killBroker) answer({ error: 'this broker cannot be killed by the suite' });
      else killBroker().then((killed) => answer({ killed }), (err: unknown) => answer({ error: String(err) }));
    }
    scanned = end;
  });
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
  const timer = setTimeout(() => child.kill('SIGKILL'), PER_SCENARIO_MS * args.scenarios.length + 30_000);
  return new Promise((resolve) => {
    const done = (exit: string) => {
      clearTimeout(timer);
      resolve({ results: parseResults(stdout), stderrTail: stderr.trim().split('\n').slice(-4).join(' | ').slice(-1500), exit, ms: Date.now() - started });
    };
    child.once('error', (err) => done(`could not start: ${err.message}`));
    child.once('close', (code, signal) => done(signal ? `killed by ${signal}` : `exit ${code}`));
  });
}
