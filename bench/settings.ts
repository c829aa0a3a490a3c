// What a bench run measures and for how long. BENCH_SIZE=quick (default: a few minutes on 2 cores)
// or full; single knobs can be overridden through the environment (see README.md).

export type BenchSize = 'quick' | 'full';

export interface Settings {
  size: BenchSize;
  /** Scenarios whose name matches run; all by default. */
  only: RegExp | null;
  /** Measurements per server in each comparison, servers alternated round by round. */
  rounds: number;
  produce: {
    recordBytes: number[];
    partitions: number[];
    acks: (1 | -1)[];
    batchBytes: number;
    connections: number;
    inFlight: number;
    warmupMs: number;
    durationMs: number;
  };
  consume: { totalMiB: number; recordBytes: number; batchBytes: number };
  endToEnd: { recordsPerSec: number; recordBytes: number; warmupMs: number; durationMs: number };
  kcat: { records: number; recordBytes: number; partitions: number };
  startup: { partitions: number };
  memory: { produceMiB: number };
}

const QUICK: Settings = {
  size: 'quick',
  only: null,
  rounds: 2,
  produce: {
    recordBytes: [100, 1024],
    partitions: [1, 8],
    acks: [1, -1],
    batchBytes: 16 * 1024,
    connections: 2,
    inFlight: 5,
    warmupMs: 500,
    durationMs: 2_000,
  },
  consume: { totalMiB: 128, recordBytes: 1024, batchBytes: 256 * 1024 },
  endToEnd: { recordsPerSec: 10_000, recordBytes: 100, warmupMs: 1_000, durationMs: 5_000 },
  kcat: { records: 2_000_000, recordBytes: 100, partitions: 8 },
  startup: { partitions: 1_000 },
  memory: { produceMiB: 200 },
};

/** The full run measures the same scenarios longer, with more rounds and the 1 GiB catch-up. */
const PRESETS: Record<BenchSize, Settings> = {
  quick: QUICK,
  full: {
    ...QUICK,
    size: 'full',
    rounds: 3,
    produce: { ...QUICK.produce, warmupMs: 2_000, durationMs: 10_000 },
    consume: { ...QUICK.consume, totalMiB: 1024 },
    endToEnd: { ...QUICK.endToEnd, warmupMs: 2_000, durationMs: 30_000 },
  },
};

function numbers(env: NodeJS.ProcessEnv, name: string): number[] | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const values = raw.split(',').map((s) => (s.trim() === 'all' ? -1 : Number(s.trim())));
  if (values.some((v) => !Number.isInteger(v))) throw new Error(`${name} must be a comma-separated list of integers: ${raw}`);
  return values;
}

function number(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const values = numbers(env, name);
  if (values && values.length !== 1) throw new Error(`${name} takes one integer`);
  return values?.[0];
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const size = env.BENCH_SIZE || 'quick';
  if (size !== 'quick' && size !== 'full') throw new Error(`BENCH_SIZE must be quick or full, not ${size}`);
  const s: Settings = structuredClone(PRESETS[size]);
  s.only = env.BENCH_ONLY ? new RegExp(env.BENCH_ONLY) : null;
  s.rounds = number(env, 'BENCH_ROUNDS') ?? s.rounds;
  const p = s.produce;
  p.recordBytes = numbers(env, 'BENCH_RECORD_BYTES') ?? p.recordBytes;
  p.partitions = numbers(env, 'BENCH_PARTITIONS') ?? p.partitions;
  const acks = numbers(env, 'BENCH_ACKS') ?? p.acks;
  if (acks.some((a) => a !== 1 && a !== -1)) throw new Error('BENCH_ACKS takes 1 and/or all');
  p.acks = acks as (1 | -1)[];
  p.batchBytes = number(env, 'BENCH_BATCH_BYTES') ?? p.batchBytes;
  p.connections = number(env, 'BENCH_CONNECTIONS') ?? p.connections;
  p.inFlight = number(env, 'BENCH_IN_FLIGHT') ?? p.inFlight;
  p.durationMs = number(env, 'BENCH_DURATION_MS') ?? p.durationMs;
  s.consume.totalMiB = number(env, 'BENCH_CONSUME_MB') ?? s.consume.totalMiB;
  s.kcat.records = number(env, 'BENCH_KCAT_RECORDS') ?? s.kcat.records;
  return s;
}
