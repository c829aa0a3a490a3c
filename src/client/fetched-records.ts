// What a consumer makes of a partition's records in a Fetch answer, as Kafka's CompletedFetch does:
// batches decoded (and decompressed) into records from the fetch offset on, control batches
// skipped, and under read_committed the batches of transactions the answer lists as aborted
// dropped until their abort marker. Legacy (v0/v1) message sets are read too.

import { ErrorCode, KafkaError } from '../../protocol';
import type { TopicPartition } from './topic-partition';
import { BatchHeader, DecodedRecord, RecordHeader, decodeBatch, decodeLegacy, isControl, isTransactional, timestampTypeOf } from '../../protocol/records';

export interface ConsumerRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  /** NoTimestampType for v0 messages, which have none. */
  timestampType: 'CreateTime' | 'LogAppendTime' | 'NoTimestampType';
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

export interface AbortedTransaction {
  producerId: bigint;
  firstOffset: number;
}

/** The records at or after fetchOffset, and the offset the next fetch starts from. */
export function decodeFetchedRecords(
  tp: TopicPartition,
  data: Buffer,
  fetchOffset: number,
  readCommitted: boolean,
  abortedTransactions: readonly AbortedTransaction[],
): { records: ConsumerRecord[]; nextFetchOffset: number } {
  const aborted = [...abortedTransactions].sort((a, b) => a.firstOffset - b.firstOffset);
  const abortedProducers = new Set<bigint>();
  const records: ConsumerRecord[] = [];
  let next = fetchOffset;
  let pos = 0;
  while (pos + 17 <= data.length) {
    const size = 12 + data.readInt32BE(pos + 8);
    if (pos + size > data.length) break; // a partial batch at the end of the answer
    const magic = data.readInt8(pos + 16);
    if (magic < 2) {
      for (const m of decodeLegacy(data.subarray(pos, pos + size))) {
        if (m.offset < next) continue;
        const timestampType = m.magic === 0 ? 'NoTimestampType' : m.timestampType === 1 ? 'LogAppendTime' : 'CreateTime';
        records.push({ ...tp, offset: m.offset, timestamp: m.timestamp, timestampType, key: m.key, value: m.value, headers: [] });
        next = m.offset + 1;
      }
      pos += size;
      continue;
    }
    if (magic !== 2) throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, `unknown magic ${magic} in a fetched batch of ${tp.topic}-${tp.partition}`);
    const { header, records: decoded } = decodeBatch(data, pos);
    pos += size;
    const lastOffset = header.baseOffset + header.lastOffsetDelta;
    if (lastOffset < next) continue;
    if (readCommitted) {
      while (aborted.length > 0 && aborted[0].firstOffset <= lastOffset) abortedProducers.add(aborted.shift()!.producerId);
    }
    if (isControl(header.attributes)) {
      if (isAbortMarker(decoded[0]?.key ?? null)) abortedProducers.delete(header.producerId);
    } else if (!(readCommitted && isTransactional(header.attributes) && abortedProducers.has(header.producerId))) {
      for (const r of decoded) if (r.offset >= next) records.push(toConsumerRecord(tp, header, r));
    }
    next = lastOffset + 1;
  }
  return { records, nextFetchOffset: next };
}

/** A control record's key: version int16, type int16 (0 ABORT, 1 COMMIT). */
function isAbortMarker(key: Buffer | null): boolean {
  return key !== null && key.length >= 4 && key.readInt16BE(2) === 0;
}

function toConsumerRecord(tp: TopicPartition, header: BatchHeader, r: DecodedRecord): ConsumerRecord {
  return {
    topic: tp.topic,
    partition: tp.partition,
    offset: r.offset,
    timestamp: r.timestamp,
    timestampType: timestampTypeOf(header.attributes) === 1 ? 'LogAppendTime' : 'CreateTime',
    key: r.key,
    value: r.value,
    headers: r.headers,
  };
}
