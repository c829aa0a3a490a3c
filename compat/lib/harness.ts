// Drives one TypeScript client run: parses the runner's arguments, runs each asked scenario with a
// time limit, and prints one result line per scenario (see protocol.ts).

import { isScenarioId, ScenarioId } from '../scenarios';
import { createInterface, Interface } from 'node:readline';
import { KillAnswer, KILL_REQUEST, parseRunArgs, scenarioName, ScenarioResult } from './protocol';

/** Thrown by a scenario that finds at run time that this client cannot express it. */
export class NotApplicable extends Error {}

export interface Context {
  bootstrap: string;
  /** A name unique to this client, run and scenario: topics and groups of one run never collide. */
  name(suffix?: string): string;
  log(message: string): void;
  /** Cluster scenarios: has the runner kill -9 a broker leading partitions; says which. */
  killBroker(): Promise<string>;
  /** idempotent-retry: a bootstrap behind a proxy that loses Produce responses (the runner's COMPAT_FLAKY_BOOTSTRAP). */
  flakyBootstrap(): string;
}

function flakyBootstrap(): string {
  const b = process.env.COMPAT_FLAKY_BOOTSTRAP;
  if (!b) throw new Error('the runner gave no flaky-proxy bootstrap (COMPAT_FLAKY_BOOTSTRAP)');
  return b;
}

let stdinLines: Interface | undefined;

async function askForKill(): Promise<string> {
  stdinLines ??= createInterface({ input: process.stdin });
  const line = new Promise<string>((resolve) => stdinLines!.once('line', resolve));
  process.stdout.write(KILL_REQUEST + '\n');
  const a = JSON.parse(await line) as KillAnswer;
  if ('error' in a) throw new Error(`the runner killed no broker: ${a.error}`);
  return a.killed;
}

/** Resolves to an optional detail for a PASS; throws for a FAIL. */
export type Scenario = (ctx: Context) => Promise<string | void>;
export type ScenarioTable = Partial<Record<ScenarioId, Scenario>>;

export interface ClientImpl {
  main: ScenarioTable;
  /** Cluster scenarios; they run in phase main, against the cluster pass's brokers. */
  cluster?: ScenarioTable;
  /** Second halves of restart scenarios, run against the restarted broker. */
  afterRestart?: ScenarioTable;
  timeoutMs?: number;
}

/** The error's name, type and code with its message, then what it wraps (a cause, an aggregate's first error). */
export function errorText(err: unknown, depth = 0): string {
  if (err instanceof Error) {
    const type = (err as { type?: unknown }).type;
    const code = (err as { code?: unknown }).code;
    const tag = [err.name, type, code].filter((x) => x !== undefined && x !== 'Error').join('/');
    const inner = err.cause ?? (err as { errors?: unknown[] }).errors?.[0];
    const wrapped = inner !== undefined && depth < 3 ? ` <- ${errorText(inner, depth + 1)}` : '';
    return `${tag ? tag + ': ' : ''}${err.message}${wrapped}`.slice(0, 600);
  }
  return String(err).slice(0, 600);
}

function emit(r: ScenarioResult): void {
  process.stdout.write(JSON.stringify(r) + '\n');
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, rej) => {
    timer = setTimeout(() => rej(new Error(`timed out after ${ms / 1000}s`)), ms);
  });
  try {
    return await Promise.race([p, limit]);
  } finally {
    clearTimeout(timer);
  }
}

export async function runClient(impl: ClientImpl): Promise<never> {
  const args = parseRunArgs(process.argv.slice(2));
  const table = args.phase === 'main' ? { ...impl.main, ...impl.cluster } : impl.afterRestart ?? {};
  for (const id of args.scenarios) {
    if (!isScenarioId(id)) {
      emit({ scenario: id, status: 'FAIL', detail: 'unknown scenario' });
      continue;
    }
    const scenario = table[id];
    if (!scenario) {
      emit({ scenario: id, status: 'FAIL', detail: `no implementation for phase ${args.phase}` });
      continue;
    }
    const ctx: Context = {
      bootstrap: args.bootstrap,
      name: (suffix) => scenarioName(args.client, args.runId, id, suffix),
      log: (m) => process.stderr.write(`[${args.client} ${id}] ${m}\n`),
      killBroker: askForKill,
      flakyBootstrap,
    };
    const started = Date.now();
    try {
      const detail = await withTimeout(scenario(ctx), impl.timeoutMs ?? 60_000);
      emit({ scenario: id, status: 'PASS', detail: detail || `${Date.now() - started} ms` });
    } catch (err) {
      emit({ scenario: id, status: err instanceof NotApplicable ? 'N/A' : 'FAIL', detail: errorText(err) });
    }
  }
  // A timed-out scenario may leave sockets and timers behind; they must not keep the run alive.
  process.exit(0);
}
