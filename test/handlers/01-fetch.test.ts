// Fetch in-process: reads up to the high watermark or (followers) the log end, per-partition errors,
// long polls on fake time, diverging epochs, byte limits and down-conversion,
// read_committed bounds (the log's last stable offset and aborted transactions, faked per test).

import { Apis, ErrorCode, MessageInput } from '../../protocol';
import { Compression, buildBatch, decodeBatch, decodeLegacy, readBatchHeader } from '../../protocol/records';
import fetch from '../../src/handlers/01-fetch';
import type { PartitionLog } from '../../src/log/partition-log';
import { TestBroker, addTopic, appendToLog, call, settleUntil, testBroker, topicIdOf, topicInfo, track } from './fake-context';

type FetchBody = MessageInput<typeof Apis.Fetch.request>;
type PartitionBody = NonNullable<NonNullable<FetchBody['topics']>[number]['partitions']>[number];

let b: TestBroker;
beforeEach(async () => {
  b = await testBroker();
  addTopic(b.metadata, b.logs, topicInfo('t', 2, {}, { replicas: [1, 2], isr: [1, 2] }));
});
afterEach(() => b.close());

const batchOf = (n: number, opts: Parameters<typeof buildBatch>[1] = {}) =>
  buildBatch(Array.from({ length: n }, (_, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`), timestamp: 1_700_000_000_000 + i })), opts);
const log = (partition = 0) => b.logs.get('t', partition)!;
const part = (partition: number, fetchOffset: bigint, extra: Partial<PartitionBody> = {}): PartitionBody => ({ partition, fetchOffset, partitionMaxBytes: 1 << 20, ...extra });
const send = (version: number, partitions: PartitionBody[], extra: Partial<FetchBody> = {}, topic = 't') =>
  call<typeof Apis.Fetch>(fetch, b.ctx(version), { maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, topics: [{ topic, partitions }], ...extra });
/** Counts the completed reads of a log, to know when a fetch has looked at it. */
function countReads(l: PartitionLog): { done: number } {
  const reads = { done: 0 };
  const read = l.read.bind(l);
  jest.spyOn(l, 'read').mockImplementation((...args) => read(...args).finally(() => reads.done++));
  return reads;
}
const recordCount = (records: Buffer | null) => {
  let n = 0;
  for (let pos = 0; pos < records!.length; pos += 12 + records!.readInt32BE(pos + 8)) n += readBatchHeader(records!, pos).recordCount;
  return n;
};

test('a consumer gets whole batches from the one holding the fetch offset, up to the high watermark', async () => {
  appendToLog(log(), batchOf(3));
  appendToLog(log(), batchOf(2), { commit: false });
  const p = (await send(12, [part(0, 1n)]))!.responses[0].partitions[0];
  expect(p).toMatchObject({ partitionIndex: 0, errorCode: ErrorCode.NONE, highWatermark: 3n, lastStableOffset: 3n, logStartOffset: 0n, abortedTransactions: null });
  expect(readBatchHeader(p.records!).baseOffset).toBe(0);
  expect(recordCount(p.records)).toBe(3);
  expect(b.replication.calls).toEqual([]);
});

test('each partition fails alone: unknown, not hosted here, out of range, fenced or unknown leader epoch', async () => {
  addTopic(b.metadata, b.logs, topicInfo('elsewhere', 1, {}, { leader: 2, replicas: [2, 3], isr: [2, 3] }));
  b.metadata.topics.set({ ...b.metadata.topics.get('t')!, partitions: b.metadata.topics.get('t')!.partitions.map((p) => ({ ...p, leaderEpoch: 3 })) });
  appendToLog(log(), batchOf(2), { leaderEpoch: 3 });
  const res = await call<typeof Apis.Fetch>(fetch, b.ctx(12), {
    maxWaitMs: 0,
    minBytes: 0,
    topics: [
      { topic: 't', partitions: [part(0, 0n, { currentLeaderEpoch: 3 }), part(9, 0n), part(0, 5n), part(0, 0n, { currentLeaderEpoch: 2 }), part(0, 0n, { currentLeaderEpoch: 4 })] },
      { topic: 'elsewhere', partitions: [part(0, 0n)] },
      { topic: 'missing', partitions: [part(0, 0n)] },
    ],
  });
  expect(res!.errorCode).toBe(ErrorCode.NONE);
  expect(res!.responses.map((t) => t.partitions.map((p) => p.errorCode))).toEqual([
    [ErrorCode.NONE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.OFFSET_OUT_OF_RANGE, ErrorCode.FENCED_LEADER_EPOCH, ErrorCode.UNKNOWN_LEADER_EPOCH],
    [ErrorCode.NOT_LEADER_OR_FOLLOWER],
    [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
  ]);
  expect(recordCount(res!.responses[0].partitions[0].records)).toBe(2);
});

test('from v13 topics are named by id; an unknown id is UNKNOWN_TOPIC_ID', async () => {
  appendToLog(log(1), batchOf(4));
  const id = b.metadata.topics.get('t')!.id;
  const res = await call<typeof Apis.Fetch>(fetch, b.ctx(13), {
    maxWaitMs: 0,
    minBytes: 0,
    topics: [
      { topicId: id, partitions: [part(1, 0n)] },
      { topicId: 'AAAAAAAAAAAAAAAAAAAAAQ', partitions: [part(0, 0n)] },
    ],
  });
  expect(res!.responses.map((t) => [t.topicId, t.partitions[0].errorCode])).toEqual([
    [id, ErrorCode.NONE],
    ['AAAAAAAAAAAAAAAAAAAAAQ', ErrorCode.UNKNOWN_TOPIC_ID],
  ]);
  expect(recordCount(res!.responses[0].partitions[0].records)).toBe(4);
});

describe('long poll', () => {
  const poll = (minBytes: number, extra: Partial<FetchBody> = {}, partitions = [part(0, 0n)]) => track(send(12, partitions, { maxWaitMs: 500, minBytes, ...extra }));
  const waiting = () => settleUntil(() => b.clock.liveTimers > 0, 'the fetch waits');

  test('waits for min_bytes and is answered once a commit brings them', async () => {
    const pending = poll(1);
    await waiting();
    b.clock.advance(499);
    appendToLog(log(), batchOf(2), { commit: false });
    expect(b.clock.liveTimers).toBe(1);
    log().highWatermark = 2;
    const res = await pending.promise;
    expect(recordCount(res!.responses[0].partitions[0].records)).toBe(2);
    expect(b.clock.liveTimers).toBe(0);
  });

  test('keeps waiting while fewer than min_bytes are available', async () => {
    const reads = countReads(log());
    const pending = poll(100_000);
    await waiting();
    appendToLog(log(), batchOf(1));
    await settleUntil(() => reads.done === 2, 'read again after the commit');
    await new Promise((resolve) => setImmediate(resolve));
    expect(pending.settled).toBe(false);
    expect(b.clock.liveTimers).toBe(1);
    b.fetchWaiters.close();
    expect(recordCount((await pending.promise)!.responses[0].partitions[0].records)).toBe(1);
  });

  // max_wait_ms is measured on the broker's clock, like every other wait.
  test('answers with what there is after max_wait_ms of the broker clock', async () => {
    const pending = poll(1);
    await waiting();
    b.clock.advance(499);
    expect(pending.settled).toBe(false);
    b.clock.advance(1);
    await settleUntil(() => pending.settled || b.clock.liveTimers > 0, 'answered or waiting again');
    expect(pending.settled).toBe(true);
  });

  test('does not wait when an error is already known, nor without max_wait_ms or min_bytes', async () => {
    expect((await poll(1, {}, [part(0, 0n), part(7, 0n)]).promise)!.responses[0].partitions.map((p) => p.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
    await poll(0).promise;
    await poll(1, { maxWaitMs: 0 }).promise;
    expect(b.clock.liveTimers).toBe(0);
  });
});

describe('follower fetch', () => {
  test('reads to the log end and reports the fetch offset and leader end to replication', async () => {
    appendToLog(log(), batchOf(3));
    appendToLog(log(), batchOf(2), { commit: false });
    const p = (await send(12, [part(0, 3n)], { replicaId: 2 }))!.responses[0].partitions[0];
    expect(readBatchHeader(p.records!).baseOffset).toBe(3);
    expect(p.highWatermark).toBe(3n);
    expect(b.replication.calls).toEqual(['fetched t-0 by 2 at 3, leader end 5']);
  });

  test('from v15 the replica id comes in replica_state', async () => {
    appendToLog(log(), batchOf(2), { commit: false });
    const res = await call<typeof Apis.Fetch>(fetch, b.ctx(15), {
      maxWaitMs: 0,
      minBytes: 0,
      replicaState: { replicaId: 2, replicaEpoch: 5n },
      topics: [{ topicId: topicIdOf('t'), partitions: [part(0, 0n)] }],
    });
    const p = res!.responses[0].partitions[0];
    expect(recordCount(p.records)).toBe(2);
    expect(b.replication.calls).toEqual(['fetched t-0 by 2 at 0, leader end 2']);
  });

  test('a broker that is not a replica is NOT_LEADER_OR_FOLLOWER', async () => {
    const p = (await send(12, [part(0, 0n)], { replicaId: 3 }))!.responses[0].partitions[0];
    expect(p.errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    expect(b.replication.calls).toEqual([]);
  });

  test('a follower long poll is woken by an append, before any commit', async () => {
    const pending = track(send(12, [part(0, 0n)], { replicaId: 2, maxWaitMs: 500, minBytes: 1 }));
    await settleUntil(() => b.clock.liveTimers > 0, 'the fetch waits');
    expect(pending.settled).toBe(false);
    appendToLog(log(), batchOf(2), { commit: false });
    expect(recordCount((await pending.promise)!.responses[0].partitions[0].records)).toBe(2);
  });

  test('a last fetched epoch the leader does not continue gets a diverging epoch, not records', async () => {
    appendToLog(log(), batchOf(3), { leaderEpoch: 0 });
    appendToLog(log(), batchOf(3), { leaderEpoch: 2 });
    const diverged = (await send(12, [part(0, 5n, { lastFetchedEpoch: 1 })], { replicaId: 2 }))!.responses[0].partitions[0];
    expect(diverged).toMatchObject({ errorCode: ErrorCode.NONE, divergingEpoch: { epoch: 0, endOffset: 3n }, highWatermark: 6n });
    expect(diverged.records!.length).toBe(0);
    expect(b.replication.calls).toEqual([]);
    const past = (await send(12, [part(0, 4n, { lastFetchedEpoch: 0 })], { replicaId: 2 }))!.responses[0].partitions[0];
    expect(past.divergingEpoch).toEqual({ epoch: 0, endOffset: 3n });
    const continued = (await send(12, [part(0, 3n, { lastFetchedEpoch: 0 })], { replicaId: 2 }))!.responses[0].partitions[0];
    expect(continued.divergingEpoch).toEqual({ epoch: -1, endOffset: -1n });
    expect(readBatchHeader(continued.records!).baseOffset).toBe(3);
  });
});

describe('byte limits', () => {
  beforeEach(() => {
    appendToLog(log(0), batchOf(20));
    appendToLog(log(0), batchOf(20));
    appendToLog(log(1), batchOf(20));
  });
  const both = [part(0, 0n), part(1, 0n)];

  test('the first partition with data gets one whole batch past its limit; the rest fit the room left', async () => {
    const res = await send(12, both.map((p) => ({ ...p, partitionMaxBytes: 10 })));
    expect(res!.responses[0].partitions.map((p) => recordCount(p.records))).toEqual([20, 0]);
    const firstEmpty = await send(12, [part(0, 40n, { partitionMaxBytes: 10 }), part(1, 0n, { partitionMaxBytes: 10 })]);
    expect(firstEmpty!.responses[0].partitions.map((p) => recordCount(p.records))).toEqual([0, 20]);
  });

  test('max_bytes bounds the response from v3; before, only partition limits count', async () => {
    const oneBatch = readBatchHeader(Buffer.from(batchOf(20))).batchLength + 12;
    const bounded = await send(3, both, { maxBytes: oneBatch + 10 });
    expect(bounded!.responses[0].partitions.map((p) => decodeLegacy(p.records!).length)).toEqual([20, 0]);
    const unbounded = await send(2, both, { maxBytes: 1 });
    expect(unbounded!.responses[0].partitions.map((p) => decodeLegacy(p.records!).length)).toEqual([40, 20]);
  });
});

describe('record formats', () => {
  test('v0-1 get magic 0 messages, v2-3 magic 1, starting at the fetch offset', async () => {
    appendToLog(log(), batchOf(4));
    const v3 = decodeLegacy((await send(3, [part(0, 1n)]))!.responses[0].partitions[0].records!);
    expect(v3.map((m) => [m.offset, m.magic, m.timestamp, m.value!.toString()])).toEqual([
      [1, 1, 1_700_000_000_001, 'v1'],
      [2, 1, 1_700_000_000_002, 'v2'],
      [3, 1, 1_700_000_000_003, 'v3'],
    ]);
    const v0 = decodeLegacy((await send(0, [part(0, 2n)]))!.responses[0].partitions[0].records!);
    expect(v0.map((m) => [m.offset, m.magic, m.timestamp])).toEqual([
      [2, 0, -1],
      [3, 0, -1],
    ]);
    const v4 = (await send(4, [part(0, 1n)]))!.responses[0].partitions[0].records!;
    expect(decodeBatch(v4).records.map((r) => r.offset)).toEqual([0, 1, 2, 3]);
  });

  test('zstd batches need v10: older fetches get UNSUPPORTED_COMPRESSION_TYPE', async () => {
    appendToLog(log(), batchOf(2, { compression: Compression.ZSTD }));
    expect((await send(9, [part(0, 0n)]))!.responses[0].partitions[0].errorCode).toBe(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
    const v10 = (await send(10, [part(0, 0n)]))!.responses[0].partitions[0];
    expect(v10.errorCode).toBe(ErrorCode.NONE);
    expect(decodeBatch(v10.records!).records).toHaveLength(2);
  });

  test('down-converted fetches (v0-3) drop transaction markers and keep the records of the transaction', async () => {
    const txn = { producerId: 7n, producerEpoch: 0, transactional: true };
    const data = buildBatch([{ key: null, value: Buffer.from('in-txn'), timestamp: 1_700_000_000_000 }], { ...txn, baseOffset: 0, baseSequence: 0 });
    const commit = buildBatch([{ key: Buffer.from([0, 0, 0, 1]), value: Buffer.from([0, 0, 0, 0, 0, 0]), timestamp: 1_700_000_000_001 }], { ...txn, baseOffset: 1, control: true });
    const after = batchOf(1, { baseOffset: 2 });
    log().appendAsFollower(Buffer.concat([data, commit, after]), 0);
    log().highWatermark = 3;
    const v3 = decodeLegacy((await send(3, [part(0, 0n)]))!.responses[0].partitions[0].records!);
    expect(v3.map((m) => [m.offset, m.value!.toString()])).toEqual([
      [0, 'in-txn'],
      [2, 'v0'],
    ]);
    const v4 = (await send(4, [part(0, 0n)]))!.responses[0].partitions[0].records!;
    expect(readBatchHeader(v4, data.length).baseOffset).toBe(1);
  });

  test('read_committed (v4+) answers an empty aborted transaction list, read_uncommitted none', async () => {
    const committed = (await send(4, [part(0, 0n)], { isolationLevel: 1 }))!.responses[0].partitions[0];
    expect(committed.abortedTransactions).toEqual([]);
    const uncommitted = (await send(4, [part(0, 0n)], { isolationLevel: 0 }))!.responses[0].partitions[0];
    expect(uncommitted.abortedTransactions).toBeNull();
  });
});

describe('read_committed', () => {
  // The log's transaction state, as the producer state of the log would give it.
  let lso: number;
  let abortedCalls: [number, number][];
  beforeEach(() => {
    lso = 0;
    abortedCalls = [];
    jest.spyOn(log(), 'lastStableOffset', 'get').mockImplementation(() => lso);
    jest.spyOn(log(), 'abortedTransactions').mockImplementation(async (from, to) => {
      abortedCalls.push([from, to]);
      return [{ producerId: 9n, firstOffset: 2 }];
    });
  });

  test('reads stop at the last stable offset; aborted transactions up to the end of the returned data', async () => {
    appendToLog(log(), batchOf(2));
    appendToLog(log(), batchOf(3));
    appendToLog(log(), batchOf(4));
    lso = 6;
    const p = (await send(11, [part(0, 1n)], { isolationLevel: 1 }))!.responses[0].partitions[0];
    expect(p).toMatchObject({ errorCode: ErrorCode.NONE, highWatermark: 9n, lastStableOffset: 6n });
    expect(p.abortedTransactions).toEqual([{ producerId: 9n, firstOffset: 2n }]);
    // Whole batches below the LSO only: [0,2) and [2,5); the one holding offset 6 stays out.
    expect(recordCount(p.records)).toBe(5);
    expect(abortedCalls).toEqual([[1, 5]]);
  });

  test('read_uncommitted reads to the high watermark and reports the last stable offset, without aborted transactions', async () => {
    appendToLog(log(), batchOf(2));
    appendToLog(log(), batchOf(3));
    lso = 2;
    const p = (await send(4, [part(0, 0n)], { isolationLevel: 0 }))!.responses[0].partitions[0];
    expect(p).toMatchObject({ highWatermark: 5n, lastStableOffset: 2n, abortedTransactions: null });
    expect(recordCount(p.records)).toBe(5);
    expect(abortedCalls).toEqual([]);
  });

  test('nothing below the last stable offset: no records, an empty aborted list, the log not asked', async () => {
    appendToLog(log(), batchOf(2));
    const p = (await send(4, [part(0, 0n)], { isolationLevel: 1 }))!.responses[0].partitions[0];
    expect(p).toMatchObject({ errorCode: ErrorCode.NONE, highWatermark: 2n, lastStableOffset: 0n, abortedTransactions: [] });
    expect(p.records!.length).toBe(0);
    expect(abortedCalls).toEqual([]);
  });

  test('followers read to the log end whatever the isolation level', async () => {
    appendToLog(log(), batchOf(2), { commit: false });
    const p = (await send(12, [part(0, 0n)], { replicaId: 2, isolationLevel: 1 }))!.responses[0].partitions[0];
    expect(recordCount(p.records)).toBe(2);
    expect(p.abortedTransactions).toBeNull();
    expect(abortedCalls).toEqual([]);
  });

  test('a waiting read_committed fetch ignores a high watermark move the LSO does not follow, and answers when the LSO moves', async () => {
    const pending = track(send(12, [part(0, 0n)], { isolationLevel: 1, maxWaitMs: 500, minBytes: 1 }));
    await settleUntil(() => b.clock.liveTimers > 0, 'the fetch waits');
    const reads = countReads(log());
    // An open transaction: the high watermark moves, the LSO stays at its first offset.
    appendToLog(log(), batchOf(2));
    await settleUntil(() => reads.done === 1 && b.clock.liveTimers > 0, 're-read, waiting again');
    expect(pending.settled).toBe(false);
    // Its marker is replicated: the LSO moves with the high watermark.
    appendToLog(log(), batchOf(1), { commit: false });
    lso = 3;
    log().highWatermark = 3;
    const p = (await pending.promise)!.responses[0].partitions[0];
    expect(p.lastStableOffset).toBe(3n);
    expect(recordCount(p.records)).toBe(3);
  });
});
