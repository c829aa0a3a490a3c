// Per-partition log settings: Kafka's topic-level config names, their 3.9 defaults and validation.
import { ErrorCode, KafkaError } from '../../protocol/errors';

export type TimestampTypeName = 'CreateTime' | 'LogAppendTime';
export type CleanupPolicy = 'delete' | 'compact';

export interface LogConfig {
  segmentBytes: number;
  segmentMs: number;
  segmentIndexBytes: number;
  indexIntervalBytes: number;
  /** -1 = keep forever. */
  retentionMs: number;
  /** -1 = no size limit. */
  retentionBytes: number;
  /** Infinity = leave flushing to the OS (Kafka's Long.MAX_VALUE). */
  flushIntervalMessages: number;
  flushIntervalMs: number;
  messageTimestampType: TimestampTypeName;
  maxMessageBytes: number;
  cleanupPolicy: CleanupPolicy[];
  fileDeleteDelayMs: number;
  /** Dirty bytes over total bytes above which the cleaner compacts the log. */
  minCleanableDirtyRatio: number;
  /** Records younger than this stay uncompacted. */
  minCompactionLagMs: number;
  /** Records older than this make the log eligible regardless of its dirty ratio (Infinity = never). */
  maxCompactionLagMs: number;
  /** How long tombstones and emptied transaction markers survive once a cleaning has seen them. */
  deleteRetentionMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_LOG_CONFIG: Readonly<LogConfig> = Object.freeze<LogConfig>({
  segmentBytes: 1024 * 1024 * 1024,
  segmentMs: 7 * DAY_MS,
  segmentIndexBytes: 10 * 1024 * 1024,
  indexIntervalBytes: 4096,
  retentionMs: 7 * DAY_MS,
  retentionBytes: -1,
  flushIntervalMessages: Infinity,
  flushIntervalMs: Infinity,
  messageTimestampType: 'CreateTime',
  maxMessageBytes: 1024 * 1024 + 12,
  cleanupPolicy: ['delete'],
  fileDeleteDelayMs: 60000,
  minCleanableDirtyRatio: 0.5,
  minCompactionLagMs: 0,
  maxCompactionLagMs: Infinity,
  deleteRetentionMs: DAY_MS,
});

const INT32_MAX = 0x7fffffff;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

type Parser = (key: string, value: string) => LogConfig[keyof LogConfig];

function invalid(key: string, value: string, why: string): KafkaError {
  return new KafkaError(ErrorCode.INVALID_CONFIG, `Invalid value ${value} for configuration ${key}: ${why}`);
}

function parseInteger(key: string, value: string, min: bigint, max: bigint): bigint {
  const trimmed = value.trim();
  if (!/^[+-]?\d+$/.test(trimmed)) throw invalid(key, value, 'not a number');
  const n = BigInt(trimmed);
  if (n < min || n > max) throw invalid(key, value, `value must be between ${min} and ${max}`);
  return n;
}

function int(min: number): Parser {
  return (key, value) => Number(parseInteger(key, value, BigInt(min), BigInt(INT32_MAX)));
}

// Java longs: Long.MAX_VALUE is Kafka's "never", which we keep as Infinity.
function long(min: number): Parser {
  return (key, value) => {
    const n = parseInteger(key, value, BigInt(min), INT64_MAX);
    return n === INT64_MAX ? Infinity : Number(n);
  };
}

function anyLong(): Parser {
  return (key, value) => {
    const n = parseInteger(key, value, INT64_MIN, INT64_MAX);
    return n === INT64_MAX ? Infinity : Number(n);
  };
}

const timestampType: Parser = (key, value) => {
  const v = value.trim();
  if (v !== 'CreateTime' && v !== 'LogAppendTime') throw invalid(key, value, 'String must be one of: CreateTime, LogAppendTime');
  return v;
};

const cleanupPolicy: Parser = (key, value) => {
  const parts = value.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0) throw invalid(key, value, 'empty list');
  for (const p of parts) {
    if (p !== 'delete' && p !== 'compact') throw invalid(key, value, 'String must be one of: compact, delete');
  }
  return [...new Set(parts)] as CleanupPolicy[];
};

/** A Java double within [min, max] (ConfigDef.Range.between). */
export function parseDoubleInRange(key: string, value: string, min: number, max: number): number {
  const trimmed = value.trim();
  const n = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed) ? Number(trimmed) : NaN;
  if (Number.isNaN(n)) throw invalid(key, value, 'not a number');
  if (n < min || n > max) throw invalid(key, value, `Value must be between ${min} and ${max}`);
  return n;
}

const ratio: Parser = (key, value) => parseDoubleInRange(key, value, 0, 1);

interface KeySpec {
  field: keyof LogConfig;
  parse: Parser;
}

/** Kafka topic config key → LogConfig field. Minimums follow Kafka's LogConfig ConfigDef. */
export const TOPIC_CONFIG_KEYS: Readonly<Record<string, KeySpec>> = Object.freeze({
  'segment.bytes': { field: 'segmentBytes', parse: int(14) },
  'segment.ms': { field: 'segmentMs', parse: long(1) },
  'segment.index.bytes': { field: 'segmentIndexBytes', parse: int(4) },
  'index.interval.bytes': { field: 'indexIntervalBytes', parse: int(0) },
  'retention.ms': { field: 'retentionMs', parse: long(-1) },
  'retention.bytes': { field: 'retentionBytes', parse: anyLong() },
  'flush.messages': { field: 'flushIntervalMessages', parse: long(1) },
  'flush.ms': { field: 'flushIntervalMs', parse: long(0) },
  'message.timestamp.type': { field: 'messageTimestampType', parse: timestampType },
  'max.message.bytes': { field: 'maxMessageBytes', parse: int(0) },
  'cleanup.policy': { field: 'cleanupPolicy', parse: cleanupPolicy },
  'file.delete.delay.ms': { field: 'fileDeleteDelayMs', parse: long(0) },
  'min.cleanable.dirty.ratio': { field: 'minCleanableDirtyRatio', parse: ratio },
  'min.compaction.lag.ms': { field: 'minCompactionLagMs', parse: long(0) },
  'max.compaction.lag.ms': { field: 'maxCompactionLagMs', parse: long(1) },
  'delete.retention.ms': { field: 'deleteRetentionMs', parse: long(0) },
});

export type ConfigMap = Readonly<Record<string, string | null | undefined>>;

/**
 * Turns Kafka topic config entries into LogConfig overrides. Keys that are not log settings are ignored
 * (other layers own them); a bad value throws INVALID_CONFIG naming the key and value.
 */
export function logConfigOverrides(configs: ConfigMap): Partial<LogConfig> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(configs)) {
    const spec = TOPIC_CONFIG_KEYS[key];
    if (!spec || value === null || value === undefined) continue;
    out[spec.field] = spec.parse(key, value);
  }
  return out as Partial<LogConfig>;
}

export function resolveLogConfig(base: Readonly<LogConfig>, overrides: Partial<LogConfig> = {}): LogConfig {
  const merged: LogConfig = { ...base, cleanupPolicy: [...base.cleanupPolicy] };
  for (const [k, v] of Object.entries(overrides)) {
    if (v !== undefined) (merged as unknown as Record<string, unknown>)[k] = v;
  }
  return merged;
}
