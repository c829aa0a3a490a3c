// Running one measurement on several servers, alternated: round by round each server takes its
// turn, in an order rotated every round, so that machine drift (other load, thermal, page cache)
// falls on all of them alike instead of on whichever ran last.

import { KafkaTs } from './servers/kafka-ts';
import { MockCluster } from './servers/mock-cluster';
import { NullSink } from './servers/null-sink';
import { SERVER_LABELS, Server, ServerKind, Unavailable } from './servers/server';

export interface Outcome<T> {
  values: T[];
  /** Why the server has no (or no more) values: unavailable, or failed. */
  error?: string;
}

export interface Lineup {
  servers: Server[];
  /** Baselines that could not be started, with the reason. */
  missing: Map<ServerKind, string>;
  stop(): Promise<void>;
}

const STARTERS: Record<ServerKind, () => Promise<Server>> = {
  'kafka-ts': () => KafkaTs.start(),
  'null-sink': () => NullSink.start(),
  mock: () => MockCluster.start(),
};

/** Starts the servers; kafka-ts must start, a baseline that cannot is recorded as missing. */
export async function startLineup(kinds: ServerKind[]): Promise<Lineup> {
  const servers: Server[] = [];
  const missing = new Map<ServerKind, string>();
  const stop = async () => {
    await Promise.all(servers.map((s) => s.stop().catch(() => undefined)));
  };
  for (const kind of kinds) {
    try {
      servers.push(await STARTERS[kind]());
    } catch (err) {
      if (kind === 'kafka-ts') {
        await stop();
        throw err;
      }
      const message = (err as Error).message;
      missing.set(kind, err instanceof Unavailable ? message : `${SERVER_LABELS[kind]} did not start: ${message}`);
    }
  }
  return { servers, missing, stop };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result after ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A server that fails once is not measured again; the others go on. */
export async function alternate<T>(
  lineup: Lineup,
  rounds: number,
  timeoutMs: number,
  measure: (server: Server, round: number) => Promise<T>,
): Promise<Map<ServerKind, Outcome<T>>> {
  const outcomes = new Map<ServerKind, Outcome<T>>();
  for (const kind of lineup.missing.keys()) outcomes.set(kind, { values: [], error: lineup.missing.get(kind) });
  for (const s of lineup.servers) outcomes.set(s.kind, { values: [] });
  const n = lineup.servers.length;
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < n; i++) {
      const server = lineup.servers[(i + round) % n];
      const outcome = outcomes.get(server.kind)!;
      if (outcome.error) continue;
      try {
        outcome.values.push(await withTimeout(measure(server, round), timeoutMs));
      } catch (err) {
        outcome.error = `${SERVER_LABELS[server.kind]}: ${(err as Error).message}`;
      }
    }
  }
  return outcomes;
}

/** Like `alternate`, but each measurement gets a freshly started server: for figures counted from process start. */
export async function alternateFresh<T>(
  kinds: ServerKind[],
  rounds: number,
  timeoutMs: number,
  measure: (server: Server) => Promise<T>,
): Promise<Map<ServerKind, Outcome<T>>> {
  const outcomes = new Map<ServerKind, Outcome<T>>(kinds.map((k) => [k, { values: [] }]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < kinds.length; i++) {
      const kind = kinds[(i + round) % kinds.length];
      const outcome = outcomes.get(kind)!;
      if (outcome.error) continue;
      let server: Server | undefined;
      try {
        server = await STARTERS[kind]();
        outcome.values.push(await withTimeout(measure(server), timeoutMs));
      } catch (err) {
        outcome.error = err instanceof Unavailable ? err.message : `${SERVER_LABELS[kind]}: ${(err as Error).message}`;
      } finally {
        await server?.stop().catch(() => undefined);
      }
    }
  }
  return outcomes;
}
