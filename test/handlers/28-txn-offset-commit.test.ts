// TxnOffsetCommit in-process: the request as the group service gets it in each version (member
// fields from v3, leader epochs from v2), and the v0-1 mapping of COORDINATOR_LOAD_IN_PROGRESS.

import { Apis, ErrorCode } from '../../protocol';
import type { TxnCommitRequest } from '../../src/groups/group-service';
import txnOffsetCommit from '../../src/handlers/28-txn-offset-commit';
import { TestBroker, call, fakeGroups, testBroker } from './fake-context';

let b: TestBroker;
let asked: TxnCommitRequest[];
let errorCode: number;
beforeEach(async () => {
  b = await testBroker();
  asked = [];
  errorCode = ErrorCode.NONE;
  b.services.groups = fakeGroups({
    commitTransactionalOffsets: async (req) => {
      asked.push(req);
      return req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) }));
    },
  });
});
afterEach(() => b.close());

const send = (version: number) =>
  call<typeof Apis.TxnOffsetCommit>(txnOffsetCommit, b.ctx(version), {
    transactionalId: 'tx',
    groupId: 'g',
    producerId: 77n,
    producerEpoch: 3,
    generationId: 5,
    memberId: 'member-1',
    groupInstanceId: 'instance-1',
    topics: [{ name: 't', partitions: [{ partitionIndex: 1, committedOffset: 42n, committedLeaderEpoch: 6, committedMetadata: 'meta' }] }],
  });

test('v3+ pass the producer, the member fields and the offsets to the group service, and answer its errors', async () => {
  errorCode = ErrorCode.ILLEGAL_GENERATION;
  const res = await send(3);
  expect(res).toEqual({ throttleTimeMs: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 1, errorCode: ErrorCode.ILLEGAL_GENERATION }] }] });
  expect(asked).toEqual([
    {
      transactionalId: 'tx',
      groupId: 'g',
      producerId: 77n,
      producerEpoch: 3,
      generationId: 5,
      memberId: 'member-1',
      groupInstanceId: 'instance-1',
      topics: [{ name: 't', partitions: [{ partitionIndex: 1, offset: 42, leaderEpoch: 6, metadata: 'meta' }] }],
    },
  ]);
});

test('before v3 there are no member fields, before v2 no leader epoch', async () => {
  await send(2);
  await send(0);
  expect(asked.map((r) => [r.generationId, r.memberId, r.groupInstanceId, r.topics[0].partitions[0].leaderEpoch])).toEqual([
    [-1, '', null, 6],
    [-1, '', null, -1],
  ]);
});

test('v0-1 get COORDINATOR_NOT_AVAILABLE for COORDINATOR_LOAD_IN_PROGRESS, v2+ the real error', async () => {
  errorCode = ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
  for (const [version, expected] of [
    [0, ErrorCode.COORDINATOR_NOT_AVAILABLE],
    [1, ErrorCode.COORDINATOR_NOT_AVAILABLE],
    [2, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS],
    [4, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS],
  ]) {
    expect((await send(version))!.topics[0].partitions[0].errorCode).toBe(expected);
  }
});
