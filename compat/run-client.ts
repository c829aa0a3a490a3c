// Runs one client's run script for one phase and collects its result lines.

import { exitText, startChild } from './lib/child-io';
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

/** Where the client finds the flaky-proxy listener (lib/flaky-proxy.ts), when there is one. */
export const FLAKY_BOOTSTRAP_ENV = 'COMPAT_FLAKY_BOOTSTRAP';

export interface RunOptions {
  /** Serves the client's KILL_REQUEST lines; without it they are refused. */
  killBroker?: () => Promise<string>;
  /** Variables for the client: FLAKY_BOOTSTRAP_ENV, SECURITY_ENV (lib/security.ts). */
  env?: Record<string, string>;
}

export async function runClient(spec: ClientSpec, args: RunArgs, root: string, { killBroker, env }: RunOptions = {}): Promise<ClientRun> {
  const started = Date.now();
  const [cmd, ...rest] = spec.command;
  const child = startChild(cmd, [...rest, ...runArgv(args)], { cwd: root, env, keep: { stderr: 20_000 } });
  // The client may exit without reading its answer: the write then fails, and the run's results say why.
  const answer = (a: KillAnswer) => void child.write(JSON.stringify(a) + '\n');
  child.onLine('stdout', (line) => {
    if (line.trim() !== KILL_REQUEST) return;
    if (!killBroker) answer({ error: 'this broker cannot be killed by the suite' });
    else killBroker().then((killed) => answer({ killed }), (err: unknown) => answer({ error: String(err) }));
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), PER_SCENARIO_MS * args.scenarios.length + 30_000);
  const exit = await child.exited;
  clearTimeout(timer);
  return { results: parseResults(exit.stdout), stderrTail: exit.stderr.trim().split('\n').slice(-4).join(' | ').slice(-1500), exit: exitText(exit), ms: Date.now() - started };
}
