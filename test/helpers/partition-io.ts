// Raw produce and fetch of partition 0 of a topic, for replication tests that watch offsets and
// high watermarks themselves: numbered records, an explicit acks and timeout, one Fetch per call.

import { Apis } from '../../protocol';
import { buildBatch, forEachBatch, readBatchHeader } from '../../protocol/records';
import { KafkaConnection } from '../../src/client/kafka-connection';

let sequence = 0;
const batchOf = (n: number) => buildBatch(Array.from({ length: n }, () => ({ key: null, value: Buffer.from(`record-${sequence++}`) })));

/** Produce v9 of `records` new records to partition 0; its partition response. */
export async function produce(via: KafkaConnection, topic: string, acks: number, records: number, timeoutMs = 20_000) {
  const res = await via.request(Apis.Produce, 9, { acks, timeoutMs, topicData: [{ name: topic, partitionData: [{ index: 0, records: batchOf(records) }] }] });
  return res.responses[0].partitionResponses[0];
}

/** Fetch v12 of partition 0 from `offset` (a client's fetch); its partition response. */
export async function consume(via: KafkaConnection, topic: string, offset: bigint, maxWaitMs = 0) {
  const res = await via.request(Apis.Fetch, 12, {
    maxWaitMs,
    minBytes: 1,
    maxBytes: 1 << 20,
    topics: [{ topic, partitions: [{ partition: 0, fetchOffset: offset, partitionMaxBytes: 1 << 20 }] }],
  });
  return res.responses[0].partitions[0];
}

/** How many records the batches hold. */
export function countRecords(records: Buffer | null): number {
  let count = 0;
  if (records) forEachBatch(records, (pos) => (count += readBatchHeader(records, pos).recordCount));
  return count;
}
