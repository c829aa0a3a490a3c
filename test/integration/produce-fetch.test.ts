// Produce, Fetch, ListOffsets, Metadata, CreateTopics and DeleteTopics behaviour at the protocol
// level, with exact requests against a real broker process.

import { Apis, ErrorCode } from '../../protocol';
import { Compression, buildBatch, decodeBatch, readBatchHeader } from '../../protocol/records';
import { KafkaConnection } from '../../src/client/kafka-connection';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { connectClient } from '../helpers/test-client';

let broker: BrokerProcess;
let client: KafkaConnection;

beforeAll(async () => {
  broker = await startBroker({ props: { 'auto.create.topics.enable': false, 'message.max.bytes': 10000 } });
  client = await connectClient(broker.port);
});

afterAll(async () => {
  client.close();
  await cleanup(broker);
});

async function createTopic(name: string, configs: Record<string, string> = {}, numPartitions = 1) {
  const res = await client.request(Apis.CreateTopics, 7, {
    topics: [{ name, numPartitions, replicationFactor: 1, configs: Object.entries(configs).map(([k, value]) => ({ name: k, value })) }],
    timeoutMs: 1000,
  });
  expect(res.topics[0].errorCode).toBe(ErrorCode.NONE);
  return res.topics[0];
}

function produce(topic: string, records: Buffer, version = 9, acks = 1) {
  return client.request(Apis.Produce, version, { acks, timeoutMs: 1000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] });
}

function fetch(topic: string, offset: bigint, extra: { maxWaitMs?: number; minBytes?: number; maxBytes?: number; partitionMaxBytes?: number } = {}, version = 12) {
  return client.request(Apis.Fetch, version, {
    maxWaitMs: extra.maxWaitMs ?? 0,
    minBytes: extra.minBytes ?? 0,
    maxBytes: extra.maxBytes ?? 1 << 20,
    topics: [{ topic, partitions: [{ partition: 0, fetchOffset: offset, partitionMaxBytes: extra.partitionMaxBytes ?? 1 << 20 }] }],
  });
}

const batchOf = (n: number, opts: Parameters<typeof buildBatch>[1] = {}) =>
  buildBatch(Array.from({ length: n }, (_, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`), timestamp: 1_700_000_000_000 + i })), opts);

test('appended batches come back byte for byte, with only base offset and leader epoch assigned', async () => {
  await createTopic('raw-bytes');
  const batches = [batchOf(5), batchOf(3, { compression: Compression.GZIP }), batchOf(4, { compression: Compression.LZ4 })];
  for (const b of batches) expect((await produce('raw-bytes', Buffer.from(b))).responses[0].partitionResponses[0].errorCode).toBe(0);
  const res = await fetch('raw-bytes', 0n);
  const records = res.responses[0].partitions[0].records!;
  let pos = 0;
  let offset = 0;
  for (const b of batches) {
    const got = records.subarray(pos, pos + b.length);
    expect(readBatchHeader(got).baseOffset).toBe(offset);
    expect(readBatchHeader(got).partitionLeaderEpoch).toBe(0);
    expect(got.subarray(16).equals(b.subarray(16))).toBe(true); // all but baseOffset, length and leader epoch
    offset += readBatchHeader(b).recordCount;
    pos += b.length;
  }
  expect(pos).toBe(records.length);
  expect(res.responses[0].partitions[0].highWatermark).toBe(12n);
});

test('unknown topics are not created when auto-creation is off; invalid names are refused', async () => {
  const produced = await produce('no-such-topic', batchOf(1));
  expect(produced.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  const meta = await client.request(Apis.Metadata, 12, { topics: [{ name: 'no-such-topic' }, { name: 'bad/name' }], allowAutoTopicCreation: true });
  expect(meta.topics.map((t) => t.errorCode)).toEqual([ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.INVALID_TOPIC_EXCEPTION]);
});

test('a batch over message.max.bytes gets MESSAGE_TOO_LARGE', async () => {
  await createTopic('too-large');
  const big = buildBatch([{ key: null, value: Buffer.alloc(20000, 1) }]);
  const res = await produce('too-large', big);
  expect(res.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);
});

test('a corrupted batch gets CORRUPT_MESSAGE and nothing is appended', async () => {
  await createTopic('corrupt');
  const b = batchOf(2);
  b[b.length - 1] ^= 0xff;
  expect((await produce('corrupt', b)).responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
  expect((await fetch('corrupt', 0n)).responses[0].partitions[0].highWatermark).toBe(0n);
});

test('acks=0 gets no response; the next request is answered next', async () => {
  await createTopic('acks0');
  client.requestWithoutResponse(Apis.Produce, 9, { acks: 0, timeoutMs: 1000, topicData: [{ name: 'acks0', partitionData: [{ index: 0, records: batchOf(2) }] }] });
  // The client checks correlation ids: an answer to the produce, arriving first, would fail this request.
  expect((await client.request(Apis.Metadata, 12, { topics: null })).brokers).toHaveLength(1);
  expect((await fetch('acks0', 0n)).responses[0].partitions[0].highWatermark).toBe(2n);
});

test('a compacted topic refuses records without keys, naming them (v8+ record errors)', async () => {
  await createTopic('compacted', { 'cleanup.policy': 'compact' });
  const b = buildBatch([{ key: Buffer.from('a'), value: Buffer.from('1') }, { key: null, value: Buffer.from('2') }]);
  const p = (await produce('compacted', b)).responses[0].partitionResponses[0];
  expect(p.errorCode).toBe(ErrorCode.INVALID_RECORD);
  expect(p.recordErrors).toEqual([{ batchIndex: 1, batchIndexErrorMessage: expect.stringContaining('without key') }]);
  expect(p.errorMessage).toMatch(/Compacted topic cannot accept message without key/);
});

test('LogAppendTime topics stamp the broker time into the batch', async () => {
  await createTopic('append-time', { 'message.timestamp.type': 'LogAppendTime' });
  const before = Date.now();
  const p = (await produce('append-time', batchOf(3))).responses[0].partitionResponses[0];
  expect(Number(p.logAppendTimeMs)).toBeGreaterThanOrEqual(before);
  const records = (await fetch('append-time', 0n)).responses[0].partitions[0].records!;
  const { header, records: decoded } = decodeBatch(records);
  expect(header.maxTimestamp).toBe(Number(p.logAppendTimeMs));
  expect(decoded.every((r) => r.timestamp === Number(p.logAppendTimeMs))).toBe(true);
});

test('a long-polling fetch is woken by an append', async () => {
  await createTopic('long-poll');
  const waiting = fetch('long-poll', 0n, { maxWaitMs: 60_000, minBytes: 1 });
  const other = await connectClient(broker.port);
  await other.request(Apis.Produce, 9, { acks: 1, timeoutMs: 1000, topicData: [{ name: 'long-poll', partitionData: [{ index: 0, records: batchOf(1) }] }] });
  other.close();
  const res = await waiting;
  expect(decodeBatch(res.responses[0].partitions[0].records!).records).toHaveLength(1);
});

test('fetch returns at least one whole batch beyond max_bytes, and OFFSET_OUT_OF_RANGE past the end', async () => {
  await createTopic('limits');
  await produce('limits', batchOf(50));
  await produce('limits', batchOf(50));
  const res = await fetch('limits', 10n, { maxBytes: 10, partitionMaxBytes: 10 });
  const records = res.responses[0].partitions[0].records!;
  expect(readBatchHeader(records).baseOffset).toBe(0);
  expect(records.length).toBe(readBatchHeader(records).batchLength + 12);
  expect((await fetch('limits', 1000n)).responses[0].partitions[0].errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
});

test('a consumer fetch session: opened by a full fetch, then incremental answers name only what changed', async () => {
  await createTopic('sessions');
  await produce('sessions', batchOf(3));
  const part = (fetchOffset: bigint) => ({ topic: 'sessions', partitions: [{ partition: 0, fetchOffset, partitionMaxBytes: 1 << 20 }] });
  const open = await client.request(Apis.Fetch, 12, { maxWaitMs: 0, minBytes: 0, sessionId: 0, sessionEpoch: 0, topics: [part(0n)] });
  expect(open.sessionId).toBeGreaterThan(0);
  expect(open.responses[0].partitions[0].highWatermark).toBe(3n);
  const sessionId = open.sessionId;
  // Nothing new: the partition is left out of the answer.
  const idle = await client.request(Apis.Fetch, 12, { maxWaitMs: 0, minBytes: 0, sessionId, sessionEpoch: 1, topics: [part(3n)] });
  expect([idle.errorCode, idle.sessionId, idle.responses]).toEqual([ErrorCode.NONE, sessionId, []]);
  await produce('sessions', batchOf(2));
  const busy = await client.request(Apis.Fetch, 12, { maxWaitMs: 0, minBytes: 0, sessionId, sessionEpoch: 2, topics: [] });
  expect(busy.responses[0].partitions[0]).toMatchObject({ partitionIndex: 0, highWatermark: 5n });
  expect(readBatchHeader(busy.responses[0].partitions[0].records!).baseOffset).toBe(3);
  const stale = await client.request(Apis.Fetch, 12, { maxWaitMs: 0, minBytes: 0, sessionId, sessionEpoch: 2, topics: [] });
  expect(stale.errorCode).toBe(ErrorCode.INVALID_FETCH_SESSION_EPOCH);
  const unknown = await client.request(Apis.Fetch, 12, { maxWaitMs: 0, minBytes: 0, sessionId: sessionId + 1, sessionEpoch: 1, topics: [] });
  expect(unknown.errorCode).toBe(ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
});

test('fetch v13+ and DeleteTopics v6 work by topic id', async () => {
  const { topicId } = await createTopic('by-id');
  await produce('by-id', batchOf(2));
  const res = await client.request(Apis.Fetch, 13, {
    maxWaitMs: 0,
    minBytes: 0,
    topics: [{ topicId, partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] }, { topicId: 'AAAAAAAAAAAAAAAAAAAAAQ', partitions: [{ partition: 0 }] }],
  });
  expect(res.responses[0].partitions[0].highWatermark).toBe(2n);
  expect(res.responses[1].partitions[0].errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_ID);
  const del = await client.request(Apis.DeleteTopics, 6, { topics: [{ name: null, topicId }], timeoutMs: 1000 });
  expect(del.responses[0]).toMatchObject({ name: 'by-id', errorCode: ErrorCode.NONE });
  const meta = await client.request(Apis.Metadata, 12, { topics: [{ name: 'by-id' }] });
  expect(meta.topics[0].errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
});

test('ListOffsets: earliest, latest, max timestamp and by timestamp', async () => {
  await createTopic('list-offsets');
  await produce('list-offsets', batchOf(10));
  const ask = async (timestamp: bigint, version = 8) =>
    (await client.request(Apis.ListOffsets, version, { replicaId: -1, topics: [{ name: 'list-offsets', partitions: [{ partitionIndex: 0, timestamp }] }] }))
      .topics[0].partitions[0];
  expect((await ask(-2n)).offset).toBe(0n);
  expect((await ask(-1n)).offset).toBe(10n);
  expect(await ask(-3n)).toMatchObject({ offset: 9n, timestamp: 1_700_000_000_009n });
  expect(await ask(1_700_000_000_004n)).toMatchObject({ offset: 4n, timestamp: 1_700_000_000_004n });
  expect((await ask(1_800_000_000_000n)).offset).toBe(-1n);
  expect((await ask(-1n, 0)).oldStyleOffsets).toEqual([10n]);
});

test('CreateTopics validates and reports per topic', async () => {
  const res = await client.request(Apis.CreateTopics, 7, {
    topics: [
      { name: 'dup', numPartitions: 1, replicationFactor: 1 },
      { name: 'dup', numPartitions: 1, replicationFactor: 1 },
      { name: 'zero-partitions', numPartitions: 0, replicationFactor: 1 },
      { name: 'rf3', numPartitions: 1, replicationFactor: 3 },
      { name: 'bad-config', numPartitions: 1, replicationFactor: 1, configs: [{ name: 'no.such.config', value: '1' }] },
      { name: 'bad-value', numPartitions: 1, replicationFactor: 1, configs: [{ name: 'retention.ms', value: 'soon' }] },
      { name: 'defaults', numPartitions: -1, replicationFactor: -1 },
    ],
    timeoutMs: 1000,
    validateOnly: true,
  });
  expect(res.topics.map((t) => t.errorCode)).toEqual([
    ErrorCode.INVALID_REQUEST,
    ErrorCode.INVALID_REQUEST,
    ErrorCode.INVALID_PARTITIONS,
    ErrorCode.INVALID_REPLICATION_FACTOR,
    ErrorCode.INVALID_CONFIG,
    ErrorCode.INVALID_CONFIG,
    ErrorCode.NONE,
  ]);
  expect(res.topics[6]).toMatchObject({ numPartitions: 1, replicationFactor: 1 });
  const meta = await client.request(Apis.Metadata, 12, { topics: [{ name: 'defaults' }] });
  expect(meta.topics[0].errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION); // validate only
});

test('the first partition with data gets its whole first batch even when an earlier one is empty', async () => {
  await createTopic('first-with-data', {}, 2);
  await client.request(Apis.Produce, 9, { acks: 1, timeoutMs: 1000, topicData: [{ name: 'first-with-data', partitionData: [{ index: 1, records: batchOf(50) }] }] });
  const res = await client.request(Apis.Fetch, 12, {
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes: 1 << 20,
    topics: [{ topic: 'first-with-data', partitions: [0, 1].map((partition) => ({ partition, fetchOffset: 0n, partitionMaxBytes: 10 })) }],
  });
  const [empty, full] = res.responses[0].partitions;
  expect(empty.records!.length).toBe(0);
  expect(decodeBatch(full.records!).records).toHaveLength(50);
});

test('with delete.topic.enable=false DeleteTopics is refused: INVALID_REQUEST before v3, TOPIC_DELETION_DISABLED after', async () => {
  const keeper = await startBroker({ props: { 'delete.topic.enable': false } });
  const c = await connectClient(keeper.port);
  try {
    await c.request(Apis.CreateTopics, 7, { topics: [{ name: 'kept', numPartitions: 1, replicationFactor: 1 }], timeoutMs: 1000 });
    const old = await c.request(Apis.DeleteTopics, 2, { topicNames: ['kept'], timeoutMs: 1000 });
    expect(old.responses[0].errorCode).toBe(ErrorCode.INVALID_REQUEST);
    const newer = await c.request(Apis.DeleteTopics, 3, { topicNames: ['kept'], timeoutMs: 1000 });
    expect(newer.responses[0].errorCode).toBe(ErrorCode.TOPIC_DELETION_DISABLED);
    const meta = await c.request(Apis.Metadata, 12, { topics: [{ name: 'kept' }], allowAutoTopicCreation: false });
    expect(meta.topics[0].errorCode).toBe(ErrorCode.NONE);
  } finally {
    c.close();
    await cleanup(keeper);
  }
});
