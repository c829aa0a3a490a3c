// File and directory names of Kafka's log layout (LogFileUtils, LocalLog.logDirName).
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';

export const LOG_SUFFIX = '.log';
export const INDEX_SUFFIX = '.index';
export const TIME_INDEX_SUFFIX = '.timeindex';
export const TXN_INDEX_SUFFIX = '.txnindex';
export const SNAPSHOT_SUFFIX = '.snapshot';
export const DELETED_SUFFIX = '.deleted';
export const CLEANED_SUFFIX = '.cleaned';
export const SWAP_SUFFIX = '.swap';
export const TMP_SUFFIX = '.tmp';

export const DELETE_DIR_SUFFIX = '-delete';
export const FUTURE_DIR_SUFFIX = '-future';
export const STRAY_DIR_SUFFIX = '-stray';

export const RECOVERY_POINT_CHECKPOINT = 'recovery-point-offset-checkpoint';
export const LOG_START_OFFSET_CHECKPOINT = 'log-start-offset-checkpoint';
export const REPLICATION_OFFSET_CHECKPOINT = 'replication-offset-checkpoint';
export const CLEAN_SHUTDOWN_FILE = '.kafka_cleanshutdown';
export const LEADER_EPOCH_CHECKPOINT = 'leader-epoch-checkpoint';
export const PARTITION_METADATA = 'partition.metadata';
export const META_PROPERTIES = 'meta.properties';

/** Base offset zero-padded to 20 digits, the prefix of every segment file. */
export function offsetFileName(offset: number): string {
  return String(offset).padStart(20, '0');
}

export function segmentFile(dir: string, baseOffset: number, suffix: string): string {
  return path.join(dir, offsetFileName(baseOffset) + suffix);
}

/** Base offset from a name like `00000000000000000042.index`, or null if it is not `<digits><suffix>`. */
export function parseOffsetFileName(name: string, suffix: string): number | null {
  if (!name.endsWith(suffix)) return null;
  const prefix = name.slice(0, name.length - suffix.length);
  if (!/^\d{1,20}$/.test(prefix)) return null;
  const n = Number(prefix);
  return Number.isSafeInteger(n) ? n : null;
}

export interface TopicPartition {
  topic: string;
  partition: number;
}

export function partitionDirName(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

const LEGAL_TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;

/** Topic and partition of a live partition directory; null for deleted/future/stray dirs and anything else. */
export function parsePartitionDirName(name: string): TopicPartition | null {
  if (name.startsWith('.')) return null;
  if (name.endsWith(DELETE_DIR_SUFFIX) || name.endsWith(FUTURE_DIR_SUFFIX) || name.endsWith(STRAY_DIR_SUFFIX)) return null;
  const dash = name.lastIndexOf('-');
  if (dash <= 0) return null;
  const topic = name.slice(0, dash);
  const partStr = name.slice(dash + 1);
  if (!/^\d{1,10}$/.test(partStr) || !LEGAL_TOPIC.test(topic)) return null;
  const partition = Number(partStr);
  if (partition > 0x7fffffff) return null;
  return { topic, partition };
}

/** `<topic>-<p>.<uuid hex>-delete`, with the topic shortened so the name stays within 255 characters. */
export function deleteDirName(topic: string, partition: number): string {
  const suffix = `-${partition}.${uniqueId()}${DELETE_DIR_SUFFIX}`;
  return topic.slice(0, Math.max(0, 255 - suffix.length)) + suffix;
}

/** `<topic>-<p>.<uuid hex>-future` (UnifiedLog.logFutureDirName): where a replica being moved to another log dir grows. */
export function futureDirName(topic: string, partition: number): string {
  return `${partitionDirName(topic, partition)}.${uniqueId()}${FUTURE_DIR_SUFFIX}`;
}

/** The length a future dir name of the partition has; Kafka refuses a move whose name would exceed 255. */
export function futureDirNameLength(topic: string, partition: number): number {
  return partitionDirName(topic, partition).length + 1 + 32 + FUTURE_DIR_SUFFIX.length;
}

/** Topic and partition of a `<topic>-<p>.<id>-future` dir, or null (UnifiedLog.parseTopicPartitionName). */
export function parseFutureDirName(name: string): TopicPartition | null {
  const m = /^(.+)\.[0-9a-f]+-future$/.exec(name);
  return m ? parsePartitionDirName(m[1]) : null;
}

function uniqueId(): string {
  return randomUUID().replace(/-/g, '');
}
