// Fetch sessions (KIP-227) in-process, as Kafka 3.9's FetchManager answers them: sessions created by
// full fetches, incremental adds, updates and removes (forgotten topics by name and by id), answers
// with only the partitions that changed, session errors at the top level, sessionless fetches
// closing sessions, and the cache's shards, slots and eviction order on fake time.

import { Apis, ErrorCode, Message, MessageInput } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import { FetchSessionCache, MIN_EVICTION_MS, SHARDS } from '../../src/fetch/fetch-sessions';
import fetch from '../../src/handlers/01-fetch';
import { TestBroker, addTopic, appendToLog, call, settleUntil, testBroker, topicIdOf, topicInfo, track } from './fake-context';

type FetchBody = MessageInput<typeof Apis.Fetch.request>;
type FetchResponse = Message<typeof Apis.Fetch.response>;
type PartitionBody = NonNullable<NonNullable<FetchBody['topics']>[number]['partitions']>[number];

let b: TestBroker;
afterEach(() => b?.close());

async function start(slots?: number): Promise<void> {
  b = await testBroker({}, slots === undefined ? {} : { 'max.incremental.fetch.session.cache.slots': slots });
  addTopic(b.metadata, b.logs, topicInfo('t', 3, {}, { replicas: [1, 2], isr: [1, 2] }));
  addTopic(b.metadata, b.logs, topicInfo('u', 1));
}

const batchOf = (n: number) => buildBatch(Array.from({ length: n }, (_, i) => ({ key: null, value: Buffer.from(`v${i}`), timestamp: 1_700_000_000_000 + i })));
const log = (topic: string, partition: number) => b.logs.get(topic, partition)!;
const part = (partition: number, fetchOffset = 0n, extra: Partial<PartitionBody> = {}): PartitionBody => ({ partition, fetchOffset, partitionMaxBytes: 1 << 20, ...extra });
const send = (version: number, body: Partial<FetchBody>) =>
  call<typeof Apis.Fetch>(fetch, b.ctx(version), { maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, topics: [], ...body }) as Promise<FetchResponse>;
const sessions = () => b.services.fetchSessions as FetchSessionCache;
/** "topic-partition" of each partition in a response, in order; topics by id are named back. */
const listed = (res: FetchResponse) =>
  res.responses.flatMap((t) => t.partitions.map((p) => `${t.topic || ['t', 'u'].find((n) => topicIdOf(n) === t.topicId) || t.topicId}-${p.partitionIndex}`));
/** A full fetch at epoch 0 of t-0 and t-1 (v12, by name) that opens a session. */
async function open(version = 12, extra: Partial<FetchBody> = {}): Promise<number> {
  const topics = version >= 13 ? [{ topicId: topicIdOf('t'), partitions: [part(0), part(1)] }] : [{ topic: 't', partitions: [part(0), part(1)] }];
  const res = await send(version, { sessionId: 0, sessionEpoch: 0, topics, ...extra });
  expect(res.errorCode).toBe(ErrorCode.NONE);
  return res.sessionId;
}

describe('sessions', () => {
  beforeEach(() => start());

  test('a full fetch at epoch 0 creates a session with every partition it named, answering in full', async () => {
    appendToLog(log('t', 0), batchOf(2));
    const res = await send(12, { sessionId: 0, sessionEpoch: 0, topics: [{ topic: 't', partitions: [part(0), part(1)] }] });
    expect(res.sessionId).toBeGreaterThan(0);
    expect(listed(res)).toEqual(['t-0', 't-1']);
    expect(sessions().describe(res.sessionId)).toEqual({ epoch: 1, partitions: 2, privileged: false });
    expect(sessions().size).toBe(1);
    expect(sessions().totalPartitions).toBe(2);
  });

  test('before v7, and at epoch -1, fetches are sessionless', async () => {
    expect((await send(6, { topics: [{ topic: 't', partitions: [part(0)] }] })).sessionId).toBe(0);
    expect((await send(12, { sessionId: 0, sessionEpoch: -1, topics: [{ topic: 't', partitions: [part(0)] }] })).sessionId).toBe(0);
    expect(sessions().size).toBe(0);
  });

  test('an incremental fetch reads every partition of the session and answers only those that changed', async () => {
    const id = await open();
    const quiet = await send(12, { sessionId: id, sessionEpoch: 1 });
    expect(quiet).toMatchObject({ errorCode: ErrorCode.NONE, sessionId: id, responses: [] });

    appendToLog(log('t', 1), batchOf(3));
    const changed = await send(12, { sessionId: id, sessionEpoch: 2 });
    expect(listed(changed)).toEqual(['t-1']);
    expect(changed.responses[0].partitions[0]).toMatchObject({ highWatermark: 3n, errorCode: ErrorCode.NONE });
    expect(changed.responses[0].partitions[0].records!.length).toBeGreaterThan(0);
    expect(sessions().describe(id)!.epoch).toBe(3);
  });

  test('a high watermark or log start that moved puts a partition in the answer without records', async () => {
    const id = await open();
    appendToLog(log('t', 0), batchOf(4), { commit: false });
    // The log end moved, the high watermark did not: nothing a consumer can see changed.
    expect(listed(await send(12, { sessionId: id, sessionEpoch: 1, topics: [{ topic: 't', partitions: [part(0, 4n)] }] }))).toEqual([]);
    log('t', 0).highWatermark = 4;
    const moved = await send(12, { sessionId: id, sessionEpoch: 2 });
    expect(listed(moved)).toEqual(['t-0']);
    expect(moved.responses[0].partitions[0]).toMatchObject({ highWatermark: 4n });
    expect(moved.responses[0].partitions[0].records?.length ?? 0).toBe(0);
    log('t', 0).deleteRecordsBefore(2);
    const started = await send(12, { sessionId: id, sessionEpoch: 3 });
    expect(started.responses[0].partitions[0]).toMatchObject({ partitionIndex: 0, logStartOffset: 2n });
  });

  test('errors are answered every time, and the partition once more when the error clears', async () => {
    const id = await open(12);
    await send(12, { sessionId: id, sessionEpoch: 1, topics: [{ topic: 't', partitions: [part(0, 9n)] }] });
    const again = await send(12, { sessionId: id, sessionEpoch: 2 });
    expect(again.responses[0].partitions).toMatchObject([{ partitionIndex: 0, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE }]);
    const cleared = await send(12, { sessionId: id, sessionEpoch: 3, topics: [{ topic: 't', partitions: [part(0, 0n)] }] });
    expect(cleared.responses[0].partitions).toMatchObject([{ partitionIndex: 0, errorCode: ErrorCode.NONE, highWatermark: 0n }]);
    expect(listed(await send(12, { sessionId: id, sessionEpoch: 4 }))).toEqual([]);
  });

  test('incremental requests add partitions and update fetch parameters; the session keeps both', async () => {
    appendToLog(log('t', 0), batchOf(1));
    appendToLog(log('t', 0), batchOf(1));
    appendToLog(log('u', 0), batchOf(1));
    const id = await open();
    const res = await send(12, { sessionId: id, sessionEpoch: 1, topics: [{ topic: 't', partitions: [part(0, 1n)] }, { topic: 'u', partitions: [part(0)] }] });
    expect(listed(res)).toEqual(['t-0', 'u-0']);
    expect(sessions().describe(id)!.partitions).toBe(3);
    expect(sessions().totalPartitions).toBe(3);
    // t-0 is read from offset 1 from now on, so its second batch comes again; u-0 moves past its record.
    const next = await send(12, { sessionId: id, sessionEpoch: 2, topics: [{ topic: 'u', partitions: [part(0, 1n)] }] });
    expect(listed(next)).toEqual(['t-0']);
  });

  test('forgotten topics by name (v12) remove partitions; removing the last closes the session', async () => {
    const id = await open(12);
    await send(12, { sessionId: id, sessionEpoch: 1, forgottenTopicsData: [{ topic: 't', partitions: [0, 7] }] });
    expect(sessions().describe(id)).toMatchObject({ partitions: 1 });
    expect(sessions().totalPartitions).toBe(1);
    const last = await send(12, { sessionId: id, sessionEpoch: 2, forgottenTopicsData: [{ topic: 't', partitions: [1] }] });
    expect(last).toMatchObject({ errorCode: ErrorCode.NONE, sessionId: 0, responses: [] });
    expect(sessions().size).toBe(0);
    expect(sessions().totalPartitions).toBe(0);
  });

  test('forgotten topics by id (v13+), also for an id this broker does not know', async () => {
    const unknown = 'AAAAAAAAAAAAAAAAAAAAAg';
    const id = await open(13, {
      topics: [
        { topicId: topicIdOf('t'), partitions: [part(0), part(1)] },
        { topicId: unknown, partitions: [part(0)] },
      ],
    });
    expect(sessions().describe(id)!.partitions).toBe(3);
    // The unknown id stays in the session and is answered on every fetch.
    const res = await send(13, { sessionId: id, sessionEpoch: 1, forgottenTopicsData: [{ topicId: topicIdOf('t'), partitions: [1] }] });
    expect(res.responses).toMatchObject([{ topicId: unknown, partitions: [{ partitionIndex: 0, errorCode: ErrorCode.UNKNOWN_TOPIC_ID }] }]);
    await send(13, { sessionId: id, sessionEpoch: 2, forgottenTopicsData: [{ topicId: unknown, partitions: [0] }] });
    expect(sessions().describe(id)!.partitions).toBe(1);
  });

  test('partitions that returned records go to the back of the session, so the others come first next time', async () => {
    const id = await open();
    appendToLog(log('t', 0), batchOf(1));
    expect(listed(await send(12, { sessionId: id, sessionEpoch: 1 }))).toEqual(['t-0']);
    appendToLog(log('t', 0), batchOf(1));
    appendToLog(log('t', 1), batchOf(1));
    expect(listed(await send(12, { sessionId: id, sessionEpoch: 2, topics: [{ topic: 't', partitions: [part(0, 1n)] }] }))).toEqual(['t-1', 't-0']);
  });

  test('a wrong epoch is INVALID_FETCH_SESSION_EPOCH, an unknown id FETCH_SESSION_ID_NOT_FOUND, both at the top level', async () => {
    const id = await open();
    const stale = await send(12, { sessionId: id, sessionEpoch: 5, topics: [{ topic: 't', partitions: [part(0)] }] });
    expect(stale).toMatchObject({ throttleTimeMs: 0, errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH, sessionId: 0, responses: [] });
    for (const unknown of [id + 1, 0, -4, 0x7fffffff]) {
      expect(await send(12, { sessionId: unknown, sessionEpoch: 1 })).toMatchObject({ errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND, sessionId: 0, responses: [] });
    }
    // The session is still there, at the epoch it expects.
    expect((await send(12, { sessionId: id, sessionEpoch: 1 })).errorCode).toBe(ErrorCode.NONE);
  });

  test('a request that overtakes a long poll of the same session makes the long poll a duplicate', async () => {
    const id = await open();
    const polling = track(send(12, { sessionId: id, sessionEpoch: 1, maxWaitMs: 500, minBytes: 1 }));
    await settleUntil(() => sessions().describe(id)!.epoch === 2, 'the long poll to take epoch 1');
    expect((await send(12, { sessionId: id, sessionEpoch: 2 })).errorCode).toBe(ErrorCode.NONE);
    b.clock.advance(500);
    expect(await polling.promise).toMatchObject({ errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH, sessionId: id, responses: [] });
  });

  test('from v13 a session is on topic ids: an incremental fetch of the other kind is FETCH_SESSION_TOPIC_ID_ERROR', async () => {
    const byId = await open(13);
    expect(await send(12, { sessionId: byId, sessionEpoch: 1 })).toMatchObject({ errorCode: ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR, sessionId: 0, responses: [] });
    const byName = await open(12);
    expect((await send(13, { sessionId: byName, sessionEpoch: 1 })).errorCode).toBe(ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR);
    expect((await send(13, { sessionId: byId, sessionEpoch: 1 })).errorCode).toBe(ErrorCode.NONE);
  });

  test('a session partition whose topic was deleted and created anew under its name is INCONSISTENT_TOPIC_ID', async () => {
    const id = await open(13);
    b.metadata.topics.set({ ...b.metadata.topics.get('t')!, id: topicIdOf('t again') });
    const res = await send(13, { sessionId: id, sessionEpoch: 1 });
    expect(res.responses.flatMap((t) => t.partitions.map((p) => p.errorCode))).toEqual([ErrorCode.INCONSISTENT_TOPIC_ID, ErrorCode.INCONSISTENT_TOPIC_ID]);
  });

  test('epoch -1 naming a session closes it and answers sessionless; epoch 0 naming one replaces it', async () => {
    const first = await open();
    const closed = await send(12, { sessionId: first, sessionEpoch: -1, topics: [{ topic: 't', partitions: [part(0)] }] });
    expect(closed).toMatchObject({ errorCode: ErrorCode.NONE, sessionId: 0 });
    expect(listed(closed)).toEqual(['t-0']);
    expect(sessions().describe(first)).toBeUndefined();

    const second = await open();
    const third = await open(12, { sessionId: second });
    expect(third).not.toBe(second);
    expect(sessions().describe(second)).toBeUndefined();
    expect(sessions().size).toBe(1);
  });

  test('a follower session is privileged', async () => {
    const id = await open(12, { replicaId: 2 });
    expect(sessions().describe(id)).toMatchObject({ privileged: true });
  });
});

describe('the cache', () => {
  test.each([0, SHARDS - 1])('%i slots (fewer than one per shard) means no sessions at all', async (slots) => {
    await start(slots);
    expect(await open()).toBe(0);
    expect(sessions().size).toBe(0);
    expect(listed(await send(12, { sessionId: 0, sessionEpoch: 0, topics: [{ topic: 't', partitions: [part(0)] }] }))).toEqual(['t-0']);
  });

  test('new sessions go round the shards, each owning its eighth of the session ids', async () => {
    await start(SHARDS);
    const ids = [];
    for (let i = 0; i < SHARDS; i++) ids.push(await open());
    expect(ids.map((id) => Math.trunc(id / Math.floor(0x7fffffff / SHARDS)))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(sessions().size).toBe(SHARDS);
  });

  describe('a full shard (one slot each)', () => {
    /** One session per shard; the first (shard 0, where the next session goes) made as asked. */
    async function fill(first: Partial<FetchBody> = {}): Promise<number[]> {
      await start(SHARDS);
      const ids = [await open(12, first)];
      for (let i = 1; i < SHARDS; i++) ids.push(await open());
      return ids;
    }

    test('a consumer cannot evict a session of the same size created less than 120 s ago', async () => {
      const [first] = await fill();
      b.clock.advance(MIN_EVICTION_MS);
      expect(await open()).toBe(0);
      expect(sessions().describe(first)).toBeDefined();
      expect(sessions().evictions).toBe(0);
    });

    test('a follower evicts a consumer session at once; a consumer never evicts a young follower session', async () => {
      const [consumer] = await fill();
      const follower = await open(12, { replicaId: 2 });
      expect(follower).toBeGreaterThan(0);
      expect(sessions().describe(consumer)).toBeUndefined();
      expect(sessions().evictions).toBe(1);

      await b.close();
      const [privileged] = await fill({ replicaId: 2 });
      expect(await open(12, { topics: [{ topic: 't', partitions: [part(0), part(1), part(2)] }] })).toBe(0);
      expect(sessions().describe(privileged)).toBeDefined();
    });

    test('a session unused for more than 120 s is evicted by anyone, followers included', async () => {
      const [follower] = await fill({ replicaId: 2 });
      b.clock.advance(MIN_EVICTION_MS + 1);
      expect(await open()).toBeGreaterThan(0);
      expect(sessions().describe(follower)).toBeUndefined();
    });

    test('a session touched more than 120 s after its creation is evictable by a bigger one, not by one of its size', async () => {
      const ids = await fill();
      b.clock.advance(MIN_EVICTION_MS + 1);
      for (const id of ids) await send(12, { sessionId: id, sessionEpoch: 1 });
      // Same size, on shard 0: the new session's key (id 0) sorts first, so it is worth less.
      expect(await open()).toBe(0);
      // The next goes to shard 1.
      expect(await open(12, { topics: [{ topic: 't', partitions: [part(0), part(1), part(2)] }] })).toBeGreaterThan(0);
      expect(sessions().describe(ids[1])).toBeUndefined();
      expect(sessions().describe(ids[0])).toBeDefined();
    });
  });

  test('of two evictable sessions in a shard, the one with fewer partitions goes first', async () => {
    await start(2 * SHARDS);
    const ids: number[] = [];
    // Shard 0 gets the 1st (two partitions) and the 9th (one partition).
    for (let i = 0; i < 2 * SHARDS; i++) ids.push(await open(12, i === SHARDS ? { topics: [{ topic: 't', partitions: [part(0)] }] } : {}));
    b.clock.advance(MIN_EVICTION_MS + 1);
    await send(12, { sessionId: ids[0], sessionEpoch: 1 });
    await send(12, { sessionId: ids[SHARDS], sessionEpoch: 1 });
    expect(await open(12, { topics: [{ topic: 't', partitions: [part(0), part(1), part(2)] }] })).toBeGreaterThan(0);
    expect(sessions().describe(ids[SHARDS])).toBeUndefined();
    expect(sessions().describe(ids[0])).toBeDefined();
    expect(sessions().totalPartitions).toBe(2 * 15 + 3);
  });
});
