// ListOffsets in-process: the special timestamps per version, lookups by time up to the high
// watermark, v0's offset lists, leader epochs and per-partition errors.

import { Apis, ErrorCode } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import listOffsets from '../../src/handlers/02-list-offsets';
import { TestBroker, addTopic, appendToLog, call, testBroker, topicInfo } from './fake-context';

const LATEST = -1n;
const EARLIEST = -2n;
const MAX_TIMESTAMP = -3n;
const EARLIEST_LOCAL = -4n;
const LATEST_TIERED = -5n;

let b: TestBroker;
beforeEach(async () => {
  b = await testBroker();
  addTopic(b.metadata, b.logs, topicInfo('t', 2));
});
afterEach(() => b.close());

const log = () => b.logs.get('t', 0)!;
const withTimestamps = (...timestamps: number[]) => buildBatch(timestamps.map((timestamp, i) => ({ key: null, value: Buffer.from(`v${i}`), timestamp })));
/** Sets the leader epoch of every partition of `t` in the view. */
const leaderEpoch = (epoch: number) => {
  const t = b.metadata.topics.get('t')!;
  b.metadata.topics.set({ ...t, partitions: t.partitions.map((p) => ({ ...p, leaderEpoch: epoch })) });
};
const ask = async (version: number, timestamp: bigint, extra: { partition?: number; currentLeaderEpoch?: number; topic?: string; isolationLevel?: number } = {}) =>
  (await call<typeof Apis.ListOffsets>(listOffsets, b.ctx(version), {
    replicaId: -1,
    isolationLevel: extra.isolationLevel ?? 0,
    topics: [{ name: extra.topic ?? 't', partitions: [{ partitionIndex: extra.partition ?? 0, timestamp, currentLeaderEpoch: extra.currentLeaderEpoch ?? -1 }] }],
  }))!.topics[0].partitions[0];

test('latest is the high watermark, earliest the log start, with the current leader epoch', async () => {
  leaderEpoch(2);
  appendToLog(log(), withTimestamps(10, 11, 12, 13), { leaderEpoch: 2 });
  appendToLog(log(), withTimestamps(14, 15), { leaderEpoch: 2, commit: false });
  expect(await ask(4, LATEST)).toMatchObject({ errorCode: ErrorCode.NONE, offset: 4n, timestamp: -1n, leaderEpoch: 2 });
  log().deleteRecordsBefore(1);
  expect(await ask(4, EARLIEST)).toMatchObject({ offset: 1n, timestamp: -1n });
  expect(await ask(8, EARLIEST_LOCAL)).toMatchObject({ offset: 1n, timestamp: -1n });
  expect(await ask(9, LATEST_TIERED)).toMatchObject({ errorCode: ErrorCode.NONE, offset: -1n, timestamp: -1n, leaderEpoch: -1 });
});

test('a timestamp finds the first record at or after it, none past the high watermark', async () => {
  appendToLog(log(), withTimestamps(100, 300, 200));
  appendToLog(log(), withTimestamps(400, 500));
  appendToLog(log(), withTimestamps(600), { commit: false });
  expect(await ask(1, 150n)).toMatchObject({ offset: 1n, timestamp: 300n });
  expect(await ask(1, 300n)).toMatchObject({ offset: 1n, timestamp: 300n });
  expect(await ask(1, 301n)).toMatchObject({ offset: 3n, timestamp: 400n });
  expect(await ask(1, 600n)).toMatchObject({ errorCode: ErrorCode.NONE, offset: -1n, timestamp: -1n });
  expect(await ask(1, 10_000n)).toMatchObject({ offset: -1n, timestamp: -1n });
});

test('max timestamp (v7+) is the record with the largest timestamp, -1 on an empty log', async () => {
  expect(await ask(7, MAX_TIMESTAMP)).toMatchObject({ errorCode: ErrorCode.NONE, offset: -1n, timestamp: -1n });
  appendToLog(log(), withTimestamps(100, 900, 200));
  appendToLog(log(), withTimestamps(400));
  expect(await ask(7, MAX_TIMESTAMP)).toMatchObject({ offset: 1n, timestamp: 900n });
});

test('v0 answers a list of offsets and no single offset', async () => {
  appendToLog(log(), withTimestamps(1, 2, 3));
  expect(await ask(0, LATEST)).toMatchObject({ errorCode: ErrorCode.NONE, oldStyleOffsets: [3n], offset: -1n });
  expect(await ask(0, EARLIEST)).toMatchObject({ oldStyleOffsets: [0n] });
  expect((await ask(1, LATEST)).offset).toBe(3n);
});

test('each partition fails alone: unknown, not led here, fenced or unknown epoch (v4+)', async () => {
  addTopic(b.metadata, b.logs, topicInfo('elsewhere', 1, {}, { leader: 2, replicas: [1, 2] }));
  leaderEpoch(5);
  const res = await call<typeof Apis.ListOffsets>(listOffsets, b.ctx(4), {
    replicaId: -1,
    topics: [
      {
        name: 't',
        partitions: [
          { partitionIndex: 0, timestamp: LATEST, currentLeaderEpoch: 5 },
          { partitionIndex: 1, timestamp: LATEST, currentLeaderEpoch: 4 },
          { partitionIndex: 1, timestamp: LATEST, currentLeaderEpoch: 6 },
          { partitionIndex: 2, timestamp: LATEST },
        ],
      },
      { name: 'elsewhere', partitions: [{ partitionIndex: 0, timestamp: LATEST }] },
      { name: 'missing', partitions: [{ partitionIndex: 0, timestamp: EARLIEST }] },
    ],
  });
  expect(res!.topics.map((t) => [t.name, t.partitions.map((p) => [p.partitionIndex, p.errorCode])])).toEqual([
    [
      't',
      [
        [0, ErrorCode.NONE],
        [1, ErrorCode.FENCED_LEADER_EPOCH],
        [1, ErrorCode.UNKNOWN_LEADER_EPOCH],
        [2, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
      ],
    ],
    ['elsewhere', [[0, ErrorCode.NOT_LEADER_OR_FOLLOWER]]],
    ['missing', [[0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]]],
  ]);
  expect(res!.topics[0].partitions[1]).toMatchObject({ offset: -1n, leaderEpoch: -1 });
});

// Kafka answers a record it found with the leader epoch of that record's batch (FileRecords.searchForTimestamp,
// UnifiedLog's MAX_TIMESTAMP lookup), earliest with the epoch of the log start, latest with the
// current one.
test('found records carry the leader epoch they were written in, not the current one', async () => {
  appendToLog(log(), withTimestamps(100, 900), { leaderEpoch: 0 });
  leaderEpoch(3);
  appendToLog(log(), withTimestamps(200), { leaderEpoch: 3 });
  expect(await ask(4, LATEST)).toMatchObject({ offset: 3n, leaderEpoch: 3 });
  expect(await ask(4, 150n)).toMatchObject({ offset: 1n, leaderEpoch: 0 });
  expect(await ask(7, MAX_TIMESTAMP)).toMatchObject({ offset: 1n, leaderEpoch: 0 });
  expect(await ask(4, EARLIEST)).toMatchObject({ offset: 0n, leaderEpoch: 0 });
});

test('read_committed (v2+): latest is the last stable offset, and timestamps find nothing at or past it', async () => {
  appendToLog(log(), withTimestamps(100, 200));
  appendToLog(log(), withTimestamps(300, 400));
  // An open transaction from offset 2, as the producer state of the log would hold the LSO.
  jest.spyOn(log(), 'lastStableOffset', 'get').mockReturnValue(2);
  expect(await ask(2, LATEST, { isolationLevel: 1 })).toMatchObject({ errorCode: ErrorCode.NONE, offset: 2n });
  expect(await ask(2, LATEST, { isolationLevel: 0 })).toMatchObject({ offset: 4n });
  expect(await ask(2, 150n, { isolationLevel: 1 })).toMatchObject({ offset: 1n, timestamp: 200n });
  expect(await ask(2, 250n, { isolationLevel: 1 })).toMatchObject({ offset: -1n, timestamp: -1n });
  expect(await ask(2, 250n, { isolationLevel: 0 })).toMatchObject({ offset: 2n, timestamp: 300n });
  // v0-1 have no isolation level: the high watermark.
  expect(await ask(1, LATEST)).toMatchObject({ offset: 4n });
});
