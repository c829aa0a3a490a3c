// Keys and values of the records in __transaction_state, in Kafka 3.9's TransactionLog format, so
// Kafka's tools read what we write. On disk a key is [int16 version=0][TransactionLogKey] and a value
// [int16 version][TransactionLogValue of that version]; a null value is a tombstone. Kafka 3.9 writes
// value version 0 (version 1, flexible, only once transaction.version 1 is finalized); both are read.
import { dataCodecFor } from '../codec/api-codec';
import { Reader } from '../codec/reader';
import { Writer } from '../codec/writer';
import { arr, data, f } from '../spec';

export const TransactionLogKey = data('TransactionLogKey', '0', 'none', [f('transactionalId', 'string')]);

export const TransactionLogValue = data('TransactionLogValue', '0-1', '1+', [
  f('producerId', 'int64'),
  f('producerEpoch', 'int16'),
  f('transactionTimeoutMs', 'int32'),
  f('transactionStatus', 'int8'),
  arr('transactionPartitions', [f('topic', 'string'), arr('partitionIds', 'int32')], '0+', { nullable: '0+' }),
  f('transactionLastUpdateTimestampMs', 'int64'),
  f('transactionStartTimestampMs', 'int64'),
]);

/** The key version of transaction records (CoordinatorRecordType TRANSACTION_LOG). */
export const TRANSACTION_LOG_KEY_VERSION = 0;
/** What Kafka 3.9 writes while transaction.version is 0. */
export const TRANSACTION_LOG_VALUE_VERSION = 0;

/** TransactionState ids as stored in TransactionStatus. */
export const TransactionStatus = {
  Empty: 0,
  Ongoing: 1,
  PrepareCommit: 2,
  PrepareAbort: 3,
  CompleteCommit: 4,
  CompleteAbort: 5,
  Dead: 6,
  PrepareEpochFence: 7,
} as const;

export interface TransactionLogEntry {
  producerId: bigint;
  producerEpoch: number;
  transactionTimeoutMs: number;
  transactionStatus: number;
  /** Partitions by topic; null when the state is Empty (as Kafka writes it). */
  transactionPartitions: { topic: string; partitionIds: number[] }[] | null;
  transactionLastUpdateTimestampMs: bigint;
  transactionStartTimestampMs: bigint;
}

export function encodeTransactionLogKey(transactionalId: string): Buffer {
  const w = new Writer(8 + transactionalId.length * 3);
  w.int16(TRANSACTION_LOG_KEY_VERSION);
  dataCodecFor(TransactionLogKey, TRANSACTION_LOG_KEY_VERSION).encode(w, { transactionalId });
  return w.toBuffer();
}

/** The transactional id of a key; null for keys of other record versions, which Kafka's loader skips. */
export function decodeTransactionLogKey(key: Buffer): string | null {
  const r = new Reader(key);
  if (r.int16() !== TRANSACTION_LOG_KEY_VERSION) return null;
  return dataCodecFor(TransactionLogKey, TRANSACTION_LOG_KEY_VERSION).decode(r).transactionalId;
}

export function encodeTransactionLogValue(entry: TransactionLogEntry, version: number = TRANSACTION_LOG_VALUE_VERSION): Buffer {
  const w = new Writer(64);
  w.int16(version);
  dataCodecFor(TransactionLogValue, version).encode(w, entry);
  return w.toBuffer();
}

/** Throws on a value version this broker does not know, as Kafka's readTxnRecordValue does. */
export function decodeTransactionLogValue(value: Buffer): TransactionLogEntry {
  const r = new Reader(value);
  const version = r.int16();
  if (version < TransactionLogValue.validVersions.min || version > TransactionLogValue.validVersions.max) {
    throw new Error(`Unknown version ${version} from the transaction log message value`);
  }
  const v = dataCodecFor(TransactionLogValue, version).decode(r);
  return {
    producerId: v.producerId,
    producerEpoch: v.producerEpoch,
    transactionTimeoutMs: v.transactionTimeoutMs,
    transactionStatus: v.transactionStatus,
    transactionPartitions: v.transactionPartitions && v.transactionPartitions.map((p: { topic: string; partitionIds: number[] }) => ({ topic: p.topic, partitionIds: [...p.partitionIds] })),
    transactionLastUpdateTimestampMs: v.transactionLastUpdateTimestampMs,
    transactionStartTimestampMs: v.transactionStartTimestampMs,
  };
}
