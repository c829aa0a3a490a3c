// Follower fetching (KIP-392) in the Fetch handler, in-process: a follower serves consumers from v11
// up to the high watermark the leader gave it (waiting or empty past it, OFFSET_OUT_OF_RANGE past its
// log end), not before v11; the leader asks replication for the preferred read replica of each
// consumer partition from v11, with the client's rack and listener, and answers a preferred follower
// with no records, at once. ListOffsets stays leader-only for consumers.

import { Apis, ErrorCode, MessageInput } from '../../protocol';
import { buildBatch, readBatchHeader } from '../../protocol/records';
import fetch from '../../src/handlers/01-fetch';
import listOffsets from '../../src/handlers/02-list-offsets';
import { TestBroker, addTopic, appendToLog, call, settleUntil, testBroker, topicInfo, track } from './fake-context';

type FetchBody = MessageInput<typeof Apis.Fetch.request>;
type PartitionBody = NonNullable<NonNullable<FetchBody['topics']>[number]['partitions']>[number];

let b: TestBroker;
beforeEach(async () => {
  b = await testBroker();
  // 'led' is led here (broker 1); 'followed' is led by broker 2, with a replica here.
  addTopic(b.metadata, b.logs, topicInfo('led', 1, {}, { replicas: [1, 2, 3], isr: [1, 2, 3], leaderEpoch: 4 }));
  addTopic(b.metadata, b.logs, topicInfo('followed', 1, {}, { leader: 2, replicas: [2, 1], isr: [2, 1], leaderEpoch: 4 }));
});
afterEach(() => b.close());

const batchOf = (n: number) => buildBatch(Array.from({ length: n }, (_, i) => ({ key: null, value: Buffer.from(`v${i}`), timestamp: 1_700_000_000_000 + i })));
const logOf = (topic: string) => b.logs.get(topic, 0)!;
const part = (fetchOffset: bigint, extra: Partial<PartitionBody> = {}): PartitionBody => ({ partition: 0, fetchOffset, partitionMaxBytes: 1 << 20, ...extra });
const send = (version: number, topic: string, partitions: PartitionBody[], extra: Partial<FetchBody> = {}) =>
  call<typeof Apis.Fetch>(fetch, b.ctx(version), { maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, topics: [{ topic, partitions }], ...extra });
const first = async (pending: ReturnType<typeof send>) => (await pending)!.responses[0].partitions[0];
const recordCount = (records: Buffer | null) => {
  let n = 0;
  for (let pos = 0; pos < records!.length; pos += 12 + records!.readInt32BE(pos + 8)) n += readBatchHeader(records!, pos).recordCount;
  return n;
};

/** The follower's log: 5 records replicated, the leader's high watermark at 3 so far. */
function replicated(): void {
  appendToLog(logOf('followed'), batchOf(3), { leaderEpoch: 4, commit: false });
  appendToLog(logOf('followed'), batchOf(2), { leaderEpoch: 4, commit: false });
  logOf('followed').highWatermark = 3;
}

describe('a follower serving consumers', () => {
  test('from v11 it reads up to the high watermark the leader gave it, never past it', async () => {
    replicated();
    const p = await first(send(11, 'followed', [part(0n, { currentLeaderEpoch: 4 })], { rackId: 'r1' }));
    expect(p).toMatchObject({ errorCode: ErrorCode.NONE, highWatermark: 3n, lastStableOffset: 3n, logStartOffset: 0n, preferredReadReplica: -1 });
    expect(recordCount(p.records)).toBe(3);
    // Only a leader names a preferred replica, and a follower's read tells the leader nothing.
    expect(b.replication.calls).toEqual([]);
  });

  test('before v11 a consumer gets NOT_LEADER_OR_FOLLOWER, as from any non-leader', async () => {
    replicated();
    for (const version of [4, 10]) {
      expect((await first(send(version, 'followed', [part(0n)]))).errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    }
  });

  test('between its high watermark and its log end the answer is empty; past its log end, OFFSET_OUT_OF_RANGE', async () => {
    replicated();
    const between = await first(send(12, 'followed', [part(4n)]));
    expect(between).toMatchObject({ errorCode: ErrorCode.NONE, highWatermark: 3n });
    expect(between.records!.length).toBe(0);
    expect((await first(send(12, 'followed', [part(6n)]))).errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
  });

  test('the leader epoch is checked against what the follower knows', async () => {
    replicated();
    const codes = (await send(12, 'followed', [part(0n, { currentLeaderEpoch: 3 }), part(0n, { currentLeaderEpoch: 5 })]))!.responses[0].partitions.map((p) => p.errorCode);
    expect(codes).toEqual([ErrorCode.FENCED_LEADER_EPOCH, ErrorCode.UNKNOWN_LEADER_EPOCH]);
  });

  test('a consumer long poll is answered when the leader moves the follower high watermark', async () => {
    replicated();
    const pending = track(send(12, 'followed', [part(3n)], { maxWaitMs: 500, minBytes: 1 }));
    await settleUntil(() => b.clock.liveTimers > 0, 'the fetch waits');
    expect(pending.settled).toBe(false);
    // What the replica fetcher does with the leader's next fetch response.
    logOf('followed').highWatermark = 5;
    const p = (await pending.promise)!.responses[0].partitions[0];
    expect(p.highWatermark).toBe(5n);
    expect(recordCount(p.records)).toBe(2);
  });

  test('ListOffsets stays with the leader, as Kafka answers consumers: NOT_LEADER_OR_FOLLOWER from a follower', async () => {
    replicated();
    const res = await call<typeof Apis.ListOffsets>(listOffsets, b.ctx(9), { replicaId: -1, topics: [{ name: 'followed', partitions: [{ partitionIndex: 0, timestamp: -1n }] }] });
    expect(res!.topics[0].partitions[0].errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
  });

  test('a replica not hosted here is NOT_LEADER_OR_FOLLOWER at every version', async () => {
    addTopic(b.metadata, b.logs, topicInfo('elsewhere', 1, {}, { leader: 2, replicas: [2, 3], isr: [2, 3] }));
    expect((await first(send(12, 'elsewhere', [part(0n)]))).errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
  });
});

describe('the leader naming a preferred read replica', () => {
  beforeEach(() => appendToLog(logOf('led'), batchOf(4), { leaderEpoch: 4 }));

  test('a preferred follower gets the partition answered with it, the offsets and no records', async () => {
    b.replication.preferredReplicaAnswer = () => 3;
    const p = await first(send(11, 'led', [part(1n, { currentLeaderEpoch: 4 })], { rackId: 'rack-c' }));
    expect(p).toMatchObject({ errorCode: ErrorCode.NONE, preferredReadReplica: 3, highWatermark: 4n, lastStableOffset: 4n, logStartOffset: 0n });
    expect(p.records!.length).toBe(0);
    expect(b.replication.preferredQueries).toEqual(["preferred replica of led-0 at 1 for rack 'rack-c' on PLAINTEXT"]);
  });

  test('with the leader preferred (-1) the leader serves the records itself', async () => {
    const p = await first(send(11, 'led', [part(0n)], { rackId: 'rack-a' }));
    expect(p.preferredReadReplica).toBe(-1);
    expect(recordCount(p.records)).toBe(4);
    expect(b.replication.preferredQueries).toHaveLength(1);
  });

  test('a fetch with a preferred replica is answered at once, without waiting for min_bytes', async () => {
    b.replication.preferredReplicaAnswer = () => 2;
    const p = await first(send(12, 'led', [part(4n)], { maxWaitMs: 500, minBytes: 1 }));
    expect(p.preferredReadReplica).toBe(2);
    expect(b.clock.liveTimers).toBe(0);
  });

  test('a fenced leader epoch wins over the preferred replica', async () => {
    b.replication.preferredReplicaAnswer = () => 2;
    expect(await first(send(12, 'led', [part(0n, { currentLeaderEpoch: 3 })]))).toMatchObject({ errorCode: ErrorCode.FENCED_LEADER_EPOCH, preferredReadReplica: -1 });
  });

  test('no preferred replica is asked for before v11, nor for a follower fetch', async () => {
    b.replication.preferredReplicaAnswer = () => 2;
    expect(recordCount((await first(send(10, 'led', [part(0n)]))).records)).toBe(4);
    const follower = await first(send(12, 'led', [part(0n)], { replicaId: 2 }));
    expect(follower.preferredReadReplica).toBe(-1);
    expect(recordCount(follower.records)).toBe(4);
    expect(b.replication.preferredQueries).toEqual([]);
  });

  test('an incremental fetch session answers the partition each time a replica is preferred', async () => {
    b.replication.preferredReplicaAnswer = () => 2;
    const opened = (await send(12, 'led', [part(4n)], { sessionId: 0, sessionEpoch: 0 }))!;
    expect(opened.sessionId).toBeGreaterThan(0);
    expect(opened.responses[0].partitions[0].preferredReadReplica).toBe(2);
    const next = (await call<typeof Apis.Fetch>(fetch, b.ctx(12), { maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, sessionId: opened.sessionId, sessionEpoch: 1, topics: [] }))!;
    expect(next.responses.map((t) => t.partitions.map((p) => p.preferredReadReplica))).toEqual([[2]]);
  });
});
