// Public surface of the log layer.
export { DEFAULT_LOG_CONFIG, TOPIC_CONFIG_KEYS, logConfigOverrides, resolveLogConfig } from './log-config';
export type { CleanupPolicy, ConfigMap, LogConfig, TimestampTypeName } from './log-config';
export { PartitionLog } from './partition-log';
export type { AbortedTxn, AppendInfo, AppendOptions, EndTxnMarker, ProducerStateEntry, ReadOptions, ReadResult } from './partition-log';
export { LogManager } from './log-manager';
export type { BackgroundTaskOptions, LogManagerOptions } from './log-manager';
export type { FoundRecord } from './segment';
export { LeaderEpochCache } from './leader-epoch-cache';
export type { EpochEndOffset, EpochEntry } from './leader-epoch-cache';
export { readMetaProperties, writeMetaProperties } from './meta-properties';
export type { MetaProperties } from './meta-properties';
