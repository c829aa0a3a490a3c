// What a load needs from a server under test, whichever it is: kafka-ts, the null sink or the C mock.

export type ServerKind = 'kafka-ts' | 'null-sink' | 'mock';

export const SERVER_LABELS: Record<ServerKind, string> = {
  'kafka-ts': 'kafka-ts',
  'null-sink': 'null sink',
  mock: 'C mock',
};

export interface Server {
  readonly kind: ServerKind;
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  /** Serves Fetch (the null sink only acknowledges produce requests). */
  readonly fetches: boolean;
  /** An empty Fetch waits for new data; the C mock instead sleeps the whole max wait. */
  readonly longPoll: boolean;
  createTopic(name: string, partitions: number): Promise<void>;
  stop(): Promise<void>;
}

/** A baseline that cannot run here; the report prints "n/a" with the reason. */
export class Unavailable extends Error {}
