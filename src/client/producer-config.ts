// The producer's settings, with the Java producer's defaults (as far as this producer has them),
// and how Kafka's producer properties (acks, batch.size, linger.ms, compression.type, ...) set them.

import { Compression } from '../../protocol/records';

export interface ProducerConfig {
  /** 0 (no answer), 1 (the leader) or -1 (all in-sync replicas). */
  acks: number;
  /** Bytes per batch before it is closed. */
  batchSize: number;
  /** How long an open batch waits for more records. */
  lingerMs: number;
  /** A protocol/records Compression code. */
  compression: number;
  requestTimeoutMs: number;
  deliveryTimeoutMs: number;
  retryBackoffMs: number;
  /** How long send() waits for metadata or buffer space. */
  maxBlockMs: number;
  /** Bytes of records buffered before send() waits (ready() tells). */
  bufferMemory: number;
  maxInFlight: number;
  /** Makes the producer transactional (transactional.id): initTransactions, then begin/commit/abort. */
  transactionalId: string | null;
  transactionTimeoutMs: number;
}

export const DEFAULT_PRODUCER_CONFIG: ProducerConfig = {
  acks: -1,
  batchSize: 16384,
  lingerMs: 0,
  compression: Compression.NONE,
  requestTimeoutMs: 30_000,
  deliveryTimeoutMs: 120_000,
  retryBackoffMs: 100,
  maxBlockMs: 60_000,
  bufferMemory: 32 * 1024 * 1024,
  maxInFlight: 5,
  transactionalId: null,
  transactionTimeoutMs: 60_000,
};

const CODECS: Record<string, number> = {
  none: Compression.NONE,
  gzip: Compression.GZIP,
  snappy: Compression.SNAPPY,
  lz4: Compression.LZ4,
  zstd: Compression.ZSTD,
};

/** The producer settings among Kafka's producer properties (acks, batch.size, linger.ms, compression.type, ...). */
export function producerConfigFromProps(props: ReadonlyMap<string, string>): ProducerConfig {
  const config = { ...DEFAULT_PRODUCER_CONFIG };
  const int = (name: string): number | undefined => {
    const v = props.get(name);
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v.trim())) throw new Error(`Invalid value ${v} for configuration ${name}: Not a number of type INT`);
    return Number(v);
  };
  const acks = props.get('acks');
  if (acks !== undefined) {
    const a = acks.trim() === 'all' ? -1 : Number(acks);
    if (![-1, 0, 1].includes(a)) throw new Error(`Invalid value ${acks} for configuration acks: String must be one of: all, -1, 0, 1`);
    config.acks = a;
  }
  const codec = props.get('compression.type');
  if (codec !== undefined) {
    const c = CODECS[codec.trim().toLowerCase()];
    if (c === undefined) throw new Error(`Invalid value ${codec} for configuration compression.type: String must be one of: none, gzip, snappy, lz4, zstd`);
    config.compression = c;
  }
  config.batchSize = int('batch.size') ?? config.batchSize;
  config.lingerMs = int('linger.ms') ?? config.lingerMs;
  config.requestTimeoutMs = int('request.timeout.ms') ?? config.requestTimeoutMs;
  config.deliveryTimeoutMs = int('delivery.timeout.ms') ?? config.deliveryTimeoutMs;
  config.retryBackoffMs = int('retry.backoff.ms') ?? config.retryBackoffMs;
  config.maxBlockMs = int('max.block.ms') ?? config.maxBlockMs;
  config.bufferMemory = int('buffer.memory') ?? config.bufferMemory;
  config.maxInFlight = int('max.in.flight.requests.per.connection') ?? config.maxInFlight;
  config.transactionalId = props.get('transactional.id') ?? config.transactionalId;
  config.transactionTimeoutMs = int('transaction.timeout.ms') ?? config.transactionTimeoutMs;
  return config;
}
