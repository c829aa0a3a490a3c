// The admin helpers of an embedded cluster: create a topic, produce, consume and read offsets, in
// one call each, over the project's own client (the protocol, as any client would).

import { Apis, ErrorCode } from '../../protocol';
import { ClusterClient } from '../client/cluster-client';
import { Consumer } from '../client/consumer';
import type { ConsumerRecord } from '../client/fetched-records';
import { Producer, ProducerRecord, RecordMetadata } from '../client/producer';
import { describeError } from '../../protocol/error-messages';

export interface NewTopic {
  partitions?: number;
  replicationFactor?: number;
  configs?: Record<string, string>;
}

/** A record to produce: a string or Buffer value, or the record's parts. */
export type RecordToProduce = string | Buffer | { key?: string | Buffer | null; value: string | Buffer | null; partition?: number; headers?: Record<string, string> };

export interface PartitionOffsets {
  partition: number;
  earliest: number;
  latest: number;
}

export class ClusterAdmin {
  constructor(
    private readonly bootstrapServers: () => string,
    private readonly defaultReplicationFactor: () => number,
  ) {}

  async createTopic(name: string, topic: NewTopic = {}): Promise<void> {
    await this.withClient(async (client) => {
      const res = await client.request(
        Apis.CreateTopics,
        {
          topics: [
            {
              name,
              numPartitions: topic.partitions ?? 1,
              replicationFactor: topic.replicationFactor ?? this.defaultReplicationFactor(),
              assignments: [],
              configs: Object.entries(topic.configs ?? {}).map(([key, value]) => ({ name: key, value })),
            },
          ],
          timeoutMs: 30_000,
        },
        { to: 'controller' },
      );
      const result = res.topics[0];
      if (result.errorCode !== ErrorCode.NONE) throw new Error(`Creating topic ${name} failed: ${describeError(result.errorCode, result.errorMessage)}`);
    });
  }

  /** Produces with acks=all and answers each record's partition and offset, in order. */
  async produce(topic: string, records: readonly RecordToProduce[]): Promise<RecordMetadata[]> {
    return this.withClient(async (client) => {
      const producer = new Producer(client, { acks: -1 });
      try {
        return await Promise.all(records.map((r) => producer.send(toProducerRecord(topic, r))));
      } finally {
        await producer.close();
      }
    });
  }

  /** Reads every partition from its start until `count` records came (all of them by default) or the time is up. */
  async consume(topic: string, options: { count?: number; timeoutMs?: number } = {}): Promise<ConsumerRecord[]> {
    return this.withClient(async (client) => {
      const offsets = await this.offsetsOf(client, topic);
      const count = options.count ?? offsets.reduce((n, p) => n + p.latest - p.earliest, 0);
      const consumer = new Consumer(client, { autoOffsetReset: 'earliest' });
      const tps = offsets.map((p) => ({ topic, partition: p.partition }));
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      const deadline = Date.now() + (options.timeoutMs ?? 10_000);
      const records: ConsumerRecord[] = [];
      try {
        while (records.length < count && Date.now() < deadline) records.push(...(await consumer.poll(Math.max(1, deadline - Date.now()))));
      } finally {
        await consumer.close();
      }
      return records;
    });
  }

  /** The id of a partition's leader, as Metadata answers it (-1 while there is none). */
  async leader(topic: string, partition = 0): Promise<number> {
    return this.withClient(async (client) => {
      const described = (await client.metadata([topic])).topics[0];
      return described?.partitions.find((p) => p.partitionIndex === partition)?.leaderId ?? -1;
    });
  }

  /** Each partition's log start and end offsets, as its leader answers them. */
  async offsets(topic: string): Promise<PartitionOffsets[]> {
    return this.withClient((client) => this.offsetsOf(client, topic));
  }

  private async offsetsOf(client: ClusterClient, topic: string): Promise<PartitionOffsets[]> {
    const metadata = await client.metadata([topic]);
    const described = metadata.topics[0];
    if (!described || described.errorCode !== ErrorCode.NONE) throw new Error(`Topic ${topic}: ${describeError(described?.errorCode ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)}`);
    const listed = async (leader: number, partition: number, timestamp: bigint): Promise<number> => {
      const res = await client.request(
        Apis.ListOffsets,
        { replicaId: -1, isolationLevel: 0, topics: [{ name: topic, partitions: [{ partitionIndex: partition, timestamp, currentLeaderEpoch: -1 }] }] },
        { to: leader, minVersion: 1 },
      );
      const p = res.topics[0].partitions[0];
      if (p.errorCode !== ErrorCode.NONE) throw new Error(`Offsets of ${topic}-${partition}: ${describeError(p.errorCode)}`);
      return Number(p.offset);
    };
    const partitions = [...described.partitions].sort((a, b) => a.partitionIndex - b.partitionIndex);
    return Promise.all(
      partitions.map(async (p) => ({
        partition: p.partitionIndex,
        earliest: await listed(p.leaderId, p.partitionIndex, -2n),
        latest: await listed(p.leaderId, p.partitionIndex, -1n),
      })),
    );
  }

  private async withClient<T>(use: (client: ClusterClient) => Promise<T>): Promise<T> {
    const client = await ClusterClient.connect({ bootstrapServers: this.bootstrapServers(), clientId: 'kafka-ts-admin' });
    try {
      return await use(client);
    } finally {
      client.close();
    }
  }
}

function toProducerRecord(topic: string, r: RecordToProduce): ProducerRecord {
  if (typeof r === 'string' || Buffer.isBuffer(r)) return { topic, value: Buffer.from(r) };
  const bytes = (x: string | Buffer | null | undefined) => (x === null || x === undefined ? null : Buffer.from(x));
  return {
    topic,
    partition: r.partition,
    key: bytes(r.key),
    value: bytes(r.value),
    headers: Object.entries(r.headers ?? {}).map(([key, value]) => ({ key, value: Buffer.from(value) })),
  };
}
