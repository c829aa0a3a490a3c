// Retention on a broker process, checked by the files left on disk and what a consumer reads:
// retention.bytes keeps the newest segments within the limit, retention.ms removes expired
// segments (the active one rolled first), deleted segments pass through `.deleted` until
// file.delete.delay.ms, and the log start offset is the first segment's base.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Apis, ErrorCode } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import { KafkaConnection } from '../../src/client/kafka-connection';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { connectClient } from '../helpers/test-client';
import { waitFor } from '../helpers/wait';

let broker: BrokerProcess;
let client: KafkaConnection;

beforeAll(async () => {
  broker = await startBroker({ props: { 'log.retention.check.interval.ms': 100, 'log.flush.offset.checkpoint.interval.ms': 100 } });
  client = await connectClient(broker.port);
});
afterAll(async () => {
  client.close();
  await cleanup(broker);
});

const partitionDir = (topic: string) => join(broker.logDir, 'data', `${topic}-0`);
const files = (topic: string, suffix: string) => readdirSync(partitionDir(topic)).filter((f) => f.endsWith(suffix)).sort();

async function createTopic(name: string, configs: Record<string, string>): Promise<void> {
  const res = await client.request(Apis.CreateTopics, 7, {
    topics: [{ name, numPartitions: 1, replicationFactor: 1, configs: Object.entries(configs).map(([k, value]) => ({ name: k, value })) }],
    timeoutMs: 5000,
  });
  expect(res.topics[0].errorCode).toBe(ErrorCode.NONE);
}

/** One record per batch, `size` bytes each, stamped `timestamp`. */
async function produce(topic: string, count: number, size: number, timestamp: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const records = buildBatch([{ key: null, value: Buffer.alloc(size, i), timestamp }]);
    const res = await client.request(Apis.Produce, 9, { acks: 1, timeoutMs: 5000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] });
    expect(res.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NONE);
  }
}

async function earliest(topic: string): Promise<bigint> {
  const res = await client.request(Apis.ListOffsets, 7, { replicaId: -1, isolationLevel: 0, topics: [{ name: topic, partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -2n }] }] });
  return res.topics[0].partitions[0].offset;
}

async function readOffsets(topic: string, from: bigint): Promise<bigint[]> {
  const res = await client.request(Apis.Fetch, 12, { maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, topics: [{ topic, partitions: [{ partition: 0, fetchOffset: from, partitionMaxBytes: 1 << 20 }] }] });
  const p = res.responses[0].partitions[0];
  expect(p.errorCode).toBe(ErrorCode.NONE);
  const offsets: bigint[] = [];
  for (let pos = 0; pos < p.records!.length; pos += 12 + p.records!.readInt32BE(pos + 8)) offsets.push(p.records!.readBigInt64BE(pos));
  return offsets;
}

test('retention.bytes keeps the newest segments within the limit; deleted files go through .deleted', async () => {
  await createTopic('by-size', { 'segment.bytes': '2000', 'retention.bytes': '4000', 'file.delete.delay.ms': '1500' });
  await produce('by-size', 20, 900, Date.now());
  const logBytes = () => files('by-size', '.log').reduce((sum, f) => sum + readFileSync(join(partitionDir('by-size'), f)).length, 0);
  await waitFor(() => files('by-size', '.log.deleted').length > 0, 'deleted segments renamed .deleted');
  // Within the limit plus the one segment that would take it under: what Kafka keeps.
  await waitFor(() => logBytes() <= 4000 + 2000 && files('by-size', '.deleted').length === 0, 'retention to bring the log within retention.bytes and the .deleted files to go');
  const start = await earliest('by-size');
  expect(start).toBeGreaterThan(0n);
  expect(files('by-size', '.log')[0]).toBe(`${String(start).padStart(20, '0')}.log`);
  expect((await readOffsets('by-size', start))[0]).toBe(start);
  // As Kafka's checkpointLogStartOffsets: a log start at its first segment's base is implied by the
  // segments, so only a log start inside a segment (DeleteRecords) is written.
  await waitFor(() => readFileSync(join(broker.logDir, 'data', 'recovery-point-offset-checkpoint'), 'utf8').includes('by-size 0 '), 'the checkpoints to be written');
  expect(readFileSync(join(broker.logDir, 'data', 'log-start-offset-checkpoint'), 'utf8')).not.toContain('by-size');
}, 60_000);

test('retention.ms deletes expired segments, the active one rolled first: the log is empty at its end offset', async () => {
  await createTopic('by-time', { 'retention.ms': '60000', 'file.delete.delay.ms': '0' });
  await produce('by-time', 5, 100, Date.now() - 3_600_000);
  await waitFor(async () => (await earliest('by-time')) === 5n, 'every expired record to go');
  expect(files('by-time', '.log')).toEqual(['00000000000000000005.log']);
  expect(await readOffsets('by-time', 5n)).toEqual([]);
  await produce('by-time', 2, 100, Date.now());
  expect(await readOffsets('by-time', 5n)).toEqual([5n, 6n]);
}, 60_000);
