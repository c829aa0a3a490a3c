// Reads a whole topic with kafkajs's own Fetch implementation (request encoding, record batch
// decoding, decompression), without a consumer group: kafkajs exposes no group-less consumer, so this
// reaches its cluster object the way its consumer does internally.

import { Kafka } from 'kafkajs';

export interface FetchedMessage {
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
  timestamp: string;
}

type KafkajsCluster = {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  refreshMetadata(): Promise<void>;
  findTopicPartitionMetadata(topic: string): { partitionId: number; leader: number }[];
  findBroker(q: { nodeId: number }): Promise<{
    fetch(req: object): Promise<{
      responses: { partitions: { partition: number; errorCode: number; highWatermark: string; messages: FetchedMessage[] }[] }[];
    }>;
  }>;
};

function clusterOf(kafka: Kafka): KafkajsCluster {
  const create = Object.getOwnPropertySymbols(kafka).find((s) => String(s).includes('createCluster'));
  if (!create) throw new Error('kafkajs internals changed: no createCluster');
  return (kafka as unknown as Record<symbol, (o: object) => KafkajsCluster>)[create]({ allowAutoTopicCreation: false });
}

/** Every message of `topic`, per partition in offset order, read from offset `from` to the high watermark. */
export async function fetchAll(kafka: Kafka, topic: string, opts: { from?: number; maxBytes?: number } = {}): Promise<FetchedMessage[]> {
  const cluster = clusterOf(kafka);
  await cluster.connect();
  try {
    await cluster.addTargetTopic(topic);
    await cluster.refreshMetadata();
    const out: FetchedMessage[] = [];
    for (const { partitionId, leader } of cluster.findTopicPartitionMetadata(topic)) {
      const broker = await cluster.findBroker({ nodeId: leader });
      let offset = opts.from ?? 0;
      for (;;) {
        const res = await broker.fetch({
          maxWaitTime: 100,
          minBytes: 1,
          maxBytes: opts.maxBytes ?? 10485760,
          topics: [{ topic, partitions: [{ partition: partitionId, fetchOffset: String(offset), maxBytes: opts.maxBytes ?? 1048576 }] }],
        });
        const p = res.responses[0].partitions[0];
        if (p.errorCode !== 0) throw new Error(`fetch error ${p.errorCode}`);
        const fresh = p.messages.filter((m) => Number(m.offset) >= offset);
        for (const m of fresh) out.push({ ...m, partition: partitionId });
        if (fresh.length > 0) offset = Number(fresh[fresh.length - 1].offset) + 1;
        if (offset >= Number(p.highWatermark)) break;
      }
    }
    return out;
  } finally {
    await cluster.disconnect();
  }
}
