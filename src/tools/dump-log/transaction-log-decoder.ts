// DumpLogSegments --transaction-log-decoder: Kafka 3.9's TransactionLog.formatRecordKeyAndValue for the
// records of __transaction_state ("transaction_metadata::transactionalId=..." and the metadata summary).
import { TransactionStatus, decodeTransactionLogKey, decodeTransactionLogValue } from '../../../protocol/internal/transaction-log';
import { DumpRecord } from './file-batches';

const STATE_NAMES = new Map<number, string>(Object.entries(TransactionStatus).map(([name, id]) => [id, name]));

export function formatTransactionLogRecord(record: DumpRecord): { key?: string; payload?: string } {
  if (record.key === null) throw new Error('Failed to decode message using transaction log decoder (message had a missing key)');
  const transactionalId = decodeTransactionLogKey(record.key);
  if (transactionalId === null) return { key: `unknown::version=${record.key.readInt16BE(0)}` };
  const key = `transaction_metadata::transactionalId=${transactionalId}`;
  if (record.value === null) return { key, payload: '<DELETE>' };
  const v = decodeTransactionLogValue(record.value);
  const partitions = (v.transactionPartitions ?? []).flatMap((t) => t.partitionIds.map((p) => `${t.topic}-${p}`));
  const payload =
    `producerId:${v.producerId},producerEpoch:${v.producerEpoch},state=${STATE_NAMES.get(v.transactionStatus) ?? v.transactionStatus},` +
    `partitions=[${partitions.join(',')}],txnLastUpdateTimestamp=${v.transactionLastUpdateTimestampMs},txnTimeoutMs=${v.transactionTimeoutMs}`;
  return { key, payload };
}
