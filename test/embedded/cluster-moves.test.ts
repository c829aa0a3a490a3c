// The cluster controls of an embedded three-broker cluster: a leader moved (Metadata shows it at a
// higher leader epoch, kafkajs follows), an ISR shrunk with the removed follower held back (acks=all
// under min.insync.replicas=3 then fails NOT_ENOUGH_REPLICAS), a follower held 5 records behind and
// released, and a compacted topic compacted on demand (old duplicates gone from closed segments).

import { Kafka, logLevel } from 'kafkajs';
import { Apis, ErrorCode } from '../../protocol';
import { batchSizeAt, buildBatch, decodeBatch } from '../../protocol/records/batch';
import { KafkaConnection } from '../../src/client/kafka-connection';
import { KafkaCluster, startKafka } from '../../src/embedded/start-kafka';
import type { PartitionLog } from '../../src/log/partition-log';
import type { LogSegment } from '../../src/log/segment';
import { connectClient } from '../helpers/test-client';
import { waitFor } from '../helpers/wait';

let cluster: KafkaCluster;
const clients: KafkaConnection[] = [];

beforeAll(async () => {
  // A held-back follower asks its leader's log end every replica.fetch.backoff.ms.
  cluster = await startKafka({ brokers: 3, config: { 'replica.fetch.backoff.ms': 100 } });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await cluster?.stop();
});

async function client(broker: number): Promise<KafkaConnection> {
  const c = await connectClient(cluster.brokers[broker].port);
  clients.push(c);
  return c;
}

/** The partition as Metadata v12 answers it from broker 0. */
async function partitionMetadata(topic: string): Promise<{ leaderId: number; leaderEpoch: number; isrNodes: number[] }> {
  const res = await (await client(0)).request(Apis.Metadata, 12, { topics: [{ name: topic }], allowAutoTopicCreation: false });
  return res.topics[0].partitions[0];
}

/** One single-record batch to the leader, answered with its error code. */
async function produce(leader: number, topic: string, acks: number, value: string, key: string | null = null): Promise<number> {
  const res = await (await client(leader)).request(Apis.Produce, 9, {
    acks,
    timeoutMs: 5000,
    topicData: [{ name: topic, partitionData: [{ index: 0, records: buildBatch([{ key: key === null ? null : Buffer.from(key), value: Buffer.from(value) }]) }] }],
  });
  return res.responses[0].partitionResponses[0].errorCode;
}

const logOf = (broker: number, topic: string): PartitionLog => cluster.brokers[broker].broker!.logs.get(topic, 0)!;

it('moves a leader: Metadata names it at a higher leader epoch and kafkajs follows', async () => {
  await cluster.admin.createTopic('moved', { partitions: 1, replicationFactor: 3 });
  const kafka = new Kafka({ clientId: 'moves-test', brokers: cluster.bootstrapServers.split(','), logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 50 } });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'moved', acks: -1, messages: [{ value: 'before' }] });
  const before = await partitionMetadata('moved');
  const target = before.isrNodes.find((id) => id !== before.leaderId)!;

  await cluster.moveLeader('moved', 0, target);
  const after = await partitionMetadata('moved');
  expect(after.leaderId).toBe(target);
  expect(after.leaderEpoch).toBe(before.leaderEpoch + 1);

  // kafkajs still has the old leader: NOT_LEADER_OR_FOLLOWER, a metadata refresh, then the new one.
  const [sent] = await producer.send({ topic: 'moved', acks: -1, messages: [{ value: 'after' }] });
  await producer.disconnect();
  expect(sent.errorCode).toBe(0);
  expect((await cluster.admin.consume('moved')).map((r) => r.value!.toString())).toEqual(['before', 'after']);
  await expect(cluster.moveLeader('moved', 0, 7)).rejects.toThrow(/not a replica/);
});

it('shrinks an ISR: Metadata shows it, and acks=all under min.insync.replicas=3 fails', async () => {
  await cluster.admin.createTopic('shrunk', { partitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '3' } });
  const before = await partitionMetadata('shrunk');
  const leader = before.leaderId;
  expect(await produce(leader, 'shrunk', -1, 'three in sync')).toBe(ErrorCode.NONE);
  // Held back, the removed follower cannot catch up and be taken back into the ISR.
  const out = before.isrNodes.find((id) => id !== leader)!;
  await cluster.lagFollower(out, 'shrunk', 0, 1);

  await cluster.shrinkIsr('shrunk', 0, before.isrNodes.filter((id) => id !== out));
  const after = await partitionMetadata('shrunk');
  expect([...after.isrNodes].sort()).toEqual(before.isrNodes.filter((id) => id !== out).sort());
  expect(after.leaderId).toBe(leader);
  expect(after.leaderEpoch).toBe(before.leaderEpoch + 1);
  expect(await produce(leader, 'shrunk', -1, 'two in sync')).toBe(ErrorCode.NOT_ENOUGH_REPLICAS);

  await expect(cluster.moveLeader('shrunk', 0, out)).rejects.toThrow(/not in the ISR/);
  await expect(cluster.shrinkIsr('shrunk', 0, [out])).rejects.toThrow(/not in the current ISR/);
  await expect(cluster.shrinkIsr('shrunk', 0, [])).rejects.toThrow(/may not be empty/);
});

it('holds a follower 5 records behind its leader, then lets it catch up', async () => {
  await cluster.admin.createTopic('lagged', { partitions: 1, replicationFactor: 3 });
  const { leaderId: leader, isrNodes } = await partitionMetadata('lagged');
  const [slow, other] = isrNodes.filter((id) => id !== leader);
  await cluster.lagFollower(slow, 'lagged', 0, 5);
  for (let i = 0; i < 20; i++) expect(await produce(leader, 'lagged', 1, `v${i}`)).toBe(ErrorCode.NONE);

  await waitFor(() => logOf(other, 'lagged').logEndOffset === 20, 'the other follower to catch up');
  await waitFor(() => logOf(slow, 'lagged').logEndOffset === 15, 'the held-back follower to reach 15');
  expect(logOf(leader, 'lagged').logEndOffset).toBe(20);
  // Still in the ISR, the held-back follower holds the high watermark at most where it stopped fetching.
  expect(logOf(leader, 'lagged').highWatermark).toBeLessThanOrEqual(15);

  await cluster.lagFollower(slow, 'lagged', 0, 0);
  expect(logOf(slow, 'lagged').logEndOffset).toBe(20);
  await waitFor(() => logOf(leader, 'lagged').highWatermark === 20, 'the high watermark to reach the log end');
});

it('compacts a compacted topic now: old duplicates leave the closed segments', async () => {
  await cluster.admin.createTopic('compacted', { partitions: 1, replicationFactor: 3, configs: { 'cleanup.policy': 'compact', 'segment.bytes': '200' } });
  const { leaderId: leader } = await partitionMetadata('compacted');
  for (let i = 0; i < 30; i++) expect(await produce(leader, 'compacted', -1, `v${i}`, `k${i % 5}`)).toBe(ErrorCode.NONE);
  const log = logOf(leader, 'compacted');
  const keysBefore = (await segmentRecords(log.segmentsSnapshot().slice(0, -1))).map(([key]) => key);
  expect(keysBefore.length).toBeGreaterThan(new Set(keysBefore).size);

  expect(await cluster.compact()).toBeGreaterThanOrEqual(1);
  const keysAfter = (await segmentRecords(log.segmentsSnapshot().slice(0, -1))).map(([key]) => key);
  expect(keysAfter.length).toBe(new Set(keysAfter).size);
  expect(keysAfter.length).toBeLessThan(keysBefore.length);
  // The latest value of every key is still there.
  const latest = new Map(await segmentRecords(log.segmentsSnapshot()));
  expect(Object.fromEntries(latest)).toEqual({ k0: 'v25', k1: 'v26', k2: 'v27', k3: 'v28', k4: 'v29' });
});

/** Every record's key and value in `segments`, in offset order. */
async function segmentRecords(segments: readonly LogSegment[]): Promise<[string, string][]> {
  const records: [string, string][] = [];
  for (const segment of segments) {
    const buf = await segment.log.read(0, segment.size);
    for (let pos = 0; pos < buf.length; pos += batchSizeAt(buf, pos)) {
      for (const r of decodeBatch(buf, pos).records) records.push([r.key!.toString(), r.value!.toString()]);
    }
  }
  return records;
}
