// OffsetForLeaderEpoch in-process: the end offset of the largest epoch at or below the one asked
// for, from the leader's epoch cache (the log end for the latest, uncommitted data included),
// -1/-1 for unknown epochs, fencing from v2, and per-partition errors.

import { Apis, ErrorCode } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import offsetForLeaderEpoch from '../../src/handlers/23-offset-for-leader-epoch';
import { TestBroker, addTopic, appendToLog, call, testBroker, topicInfo } from './fake-context';

let b: TestBroker;
beforeEach(async () => {
  b = await testBroker();
  addTopic(b.metadata, b.logs, topicInfo('t', 2, {}, { leaderEpoch: 4 }));
  const log = b.logs.get('t', 0)!;
  const records = (n: number) => buildBatch(Array.from({ length: n }, (_, i) => ({ key: null, value: Buffer.from(`v${i}`), timestamp: i })));
  appendToLog(log, records(3), { leaderEpoch: 1 });
  appendToLog(log, records(3), { leaderEpoch: 3 });
  appendToLog(log, records(1), { leaderEpoch: 3, commit: false });
});
afterEach(() => b.close());

const ask = async (version: number, partitions: { partition: number; leaderEpoch: number; currentLeaderEpoch?: number }[], topic = 't') =>
  (await call<typeof Apis.OffsetForLeaderEpoch>(offsetForLeaderEpoch, b.ctx(version), { replicaId: 2, topics: [{ topic, partitions }] }))!.topics[0].partitions;

test('each epoch ends where the next begins; the latest at the log end', async () => {
  const res = await ask(3, [0, 1, 2, 3, 5, -1].map((leaderEpoch) => ({ partition: 0, leaderEpoch })));
  expect(res.map((p) => [p.errorCode, p.leaderEpoch, p.endOffset])).toEqual([
    [ErrorCode.NONE, 0, 0n], // before the first epoch: the first epoch's start
    [ErrorCode.NONE, 1, 3n],
    [ErrorCode.NONE, 1, 3n], // never used: the epoch below it
    [ErrorCode.NONE, 3, 7n],
    [ErrorCode.NONE, -1, -1n], // newer than any
    [ErrorCode.NONE, -1, -1n],
  ]);
});

test('an empty log knows no epoch', async () => {
  expect((await ask(3, [{ partition: 1, leaderEpoch: 4 }]))[0]).toMatchObject({ errorCode: ErrorCode.NONE, leaderEpoch: -1, endOffset: -1n });
});

test('v0 answers the end offset alone', async () => {
  const [p] = await ask(0, [{ partition: 0, leaderEpoch: 1 }]);
  expect(p).toMatchObject({ errorCode: ErrorCode.NONE, endOffset: 3n, leaderEpoch: -1 });
});

test('from v2 the asker\'s current leader epoch is checked', async () => {
  const res = await ask(2, [
    { partition: 0, leaderEpoch: 1, currentLeaderEpoch: 4 },
    { partition: 0, leaderEpoch: 1, currentLeaderEpoch: 3 },
    { partition: 0, leaderEpoch: 1, currentLeaderEpoch: 5 },
  ]);
  expect(res.map((p) => [p.errorCode, p.endOffset])).toEqual([
    [ErrorCode.NONE, 3n],
    [ErrorCode.FENCED_LEADER_EPOCH, -1n],
    [ErrorCode.UNKNOWN_LEADER_EPOCH, -1n],
  ]);
});

test('only the leader answers; unknown partitions and topics fail alone', async () => {
  addTopic(b.metadata, b.logs, topicInfo('followed', 1, {}, { leader: 2, replicas: [1, 2] }));
  expect((await ask(4, [{ partition: 0, leaderEpoch: 0 }], 'followed')).map((p) => p.errorCode)).toEqual([ErrorCode.NOT_LEADER_OR_FOLLOWER]);
  expect((await ask(4, [{ partition: 0, leaderEpoch: 0 }], 'missing')).map((p) => p.errorCode)).toEqual([ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
  expect((await ask(4, [{ partition: 9, leaderEpoch: 0 }, { partition: 0, leaderEpoch: 1 }])).map((p) => [p.partition, p.errorCode])).toEqual([
    [9, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
    [0, ErrorCode.NONE],
  ]);
});
