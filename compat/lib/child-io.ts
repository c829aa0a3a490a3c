// Child processes of the compat suite (client runs, installs, kcat) with every stream guarded: a
// child that cannot start or exits before taking its input (EPIPE on its stdin) is a failed
// result of that one call, never an unhandled 'error' event that brings the whole process down.

import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** What the child printed (the tail kept, see ChildOptions.keep). */
  stdout: string;
  stderr: string;
  /** Set when the child never ran (command missing, say). */
  startError?: string;
  /** The first failure of its stdio: most often its stdin closed before all input was written. */
  ioError?: string;
}

export interface ChildOptions {
  cwd?: string;
  /** Variables added to this process's environment for the child. */
  env?: Record<string, string>;
  /** 'ignore' for a child that reads no input. */
  stdin?: 'pipe' | 'ignore';
  /** How many characters of each stream's end to keep in ChildExit; all when absent. */
  keep?: { stdout?: number; stderr?: number };
}

export interface Child {
  /** Resolves once written, or to why not (the child exited, its stdin closed): never rejects. */
  write(data: string): Promise<string | undefined>;
  /** Writes data, then closes stdin; as write. */
  end(data?: string): Promise<string | undefined>;
  /** Calls fn with every complete line the child prints on the stream. */
  onLine(stream: 'stdout' | 'stderr', fn: (line: string) => void): void;
  kill(signal: NodeJS.Signals): void;
  /** Settles once the child exited (or never started) and its output closed; never rejects. */
  readonly exited: Promise<ChildExit>;
}

export function startChild(cmd: string, args: string[], opts: ChildOptions = {}): Child {
  const proc = spawn(cmd, args, { cwd: opts.cwd, env: opts.env && { ...process.env, ...opts.env }, stdio: [opts.stdin ?? 'pipe', 'pipe', 'pipe'] });
  // Both piped, so never null.
  const streams = { stdout: proc.stdout!, stderr: proc.stderr! };
  const out = { stdout: '', stderr: '' };
  let ioError: string | undefined;
  const noteIoError = (where: string) => (err: Error) => (ioError ??= `${where}: ${err.message}`);
  proc.stdin?.on('error', noteIoError('stdin'));
  for (const stream of ['stdout', 'stderr'] as const) {
    const keep = opts.keep?.[stream] ?? Infinity;
    // Decoded as a whole, so a character split across two chunks stays whole.
    streams[stream].setEncoding('utf8');
    streams[stream].on('error', noteIoError(stream));
    streams[stream].on('data', (d: string) => {
      const all = out[stream] + d;
      out[stream] = all.length > keep ? all.slice(all.length - keep) : all;
    });
  }
  const exited = new Promise<ChildExit>((resolve) => {
    proc.on('error', (err) => {
      // After a start the error is a failed kill or the like, and 'close' still comes.
      if (proc.pid === undefined) resolve({ code: null, signal: null, ...out, startError: err.message });
      else noteIoError('process')(err);
    });
    proc.once('close', (code, signal) => resolve({ code, signal, ...out, ioError }));
  });
  const toStdin = (data: string, end: boolean) =>
    new Promise<string | undefined>((resolve) => {
      if (!proc.stdin) return resolve('stdin: not a pipe');
      if (!proc.stdin.writable) return resolve(`stdin: closed${ioError ? ` (${ioError})` : ''}`);
      const done = (err?: Error | null) => resolve(err ? `stdin: ${err.message}` : undefined);
      if (end) proc.stdin.end(data, done);
      else proc.stdin.write(data, done);
    });
  return {
    write: (data) => toStdin(data, false),
    end: (data = '') => toStdin(data, true),
    onLine: (stream, fn) => forEachLine(streams[stream], fn),
    kill: (signal) => proc.kill(signal),
    exited,
  };
}

/** Runs a child to its end with `input` on its stdin. */
export async function runChild(cmd: string, args: string[], input = '', opts: ChildOptions = {}): Promise<ChildExit> {
  const child = startChild(cmd, args, opts);
  const writeFailure = await child.end(input);
  const exit = await child.exited;
  return { ...exit, ioError: exit.ioError ?? writeFailure };
}

/** True when the child ran, exited 0 and took all its input. */
export function succeeded(exit: ChildExit): boolean {
  return exit.code === 0 && !exit.startError && !exit.ioError;
}

/** How the child ended, for a FAIL detail: "exit 1", "killed by SIGKILL", "could not start: …". */
export function exitText(exit: ChildExit): string {
  const how = exit.startError ? `could not start: ${exit.startError}` : exit.signal ? `killed by ${exit.signal}` : `exit ${exit.code}`;
  return exit.ioError ? `${how} (${exit.ioError})` : how;
}

function forEachLine(stream: Readable, fn: (line: string) => void): void {
  let rest = '';
  stream.on('data', (d: string) => {
    const parts = (rest + d).split('\n');
    rest = parts.pop()!;
    parts.forEach(fn);
  });
}
