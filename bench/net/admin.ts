// Setup requests around a measurement: creating topics and reading partition offsets.

import { CreateTopics, ErrorCode, ListOffsets } from '../../protocol';
import { KafkaConnection } from '../../src/client/kafka-connection';

export const EARLIEST = -2n;
export const LATEST = -1n;

export async function createTopic(conn: KafkaConnection, version: number, name: string, partitions: number): Promise<void> {
  const res = await conn.request(CreateTopics, version, {
    topics: [{ name, numPartitions: partitions, replicationFactor: 1, assignments: [], configs: [] }],
    timeoutMs: 30_000,
  });
  const err = res.topics[0]?.errorCode ?? -1;
  if (err !== ErrorCode.NONE) throw new Error(`CreateTopics ${name} failed with error ${err}`);
}

/** One offset per partition, indexed by partition. */
export async function listOffsets(
  conn: KafkaConnection,
  version: number,
  topic: string,
  partitions: number,
  timestamp: bigint,
): Promise<number[]> {
  const res = await conn.request(ListOffsets, version, {
    replicaId: -1,
    topics: [{ name: topic, partitions: Array.from({ length: partitions }, (_, p) => ({ partitionIndex: p, timestamp })) }],
  });
  const offsets = new Array<number>(partitions).fill(-1);
  for (const p of res.topics[0]?.partitions ?? []) {
    if (p.errorCode !== ErrorCode.NONE) throw new Error(`ListOffsets ${topic}-${p.partitionIndex} failed with error ${p.errorCode}`);
    offsets[p.partitionIndex] = Number(version === 0 ? p.oldStyleOffsets[0] : p.offset);
  }
  return offsets;
}
