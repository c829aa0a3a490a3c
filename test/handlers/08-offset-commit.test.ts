// OffsetCommit in-process: what reaches the group service per version (generation, member, instance
// id, retention, leader epoch, metadata), per-partition errors, and the answer waiting for the commit.

import { Apis, ErrorCode, MessageInput } from '../../protocol';
import { CommitRequest } from '../../src/groups/group-service';
import offsetCommit from '../../src/handlers/08-offset-commit';
import { TestBroker, call, fakeGroups, testBroker } from './fake-context';
import { settledNow } from './group-fakes';

type Answer = { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];

let b: TestBroker;
let commits: CommitRequest[];
/** What the service answers; by default every partition is committed. */
let answer: (req: CommitRequest) => Promise<Answer>;
beforeEach(async () => {
  b = await testBroker();
  commits = [];
  answer = async (req) => req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: ErrorCode.NONE })) }));
  b.services.groups = fakeGroups({
    commitOffsets: (req) => {
      commits.push(req);
      return answer(req);
    },
  });
});
afterEach(() => b.close());

const body = (overrides: Partial<MessageInput<typeof Apis.OffsetCommit.request>> = {}): MessageInput<typeof Apis.OffsetCommit.request> => ({
  groupId: 'g',
  generationIdOrMemberEpoch: 3,
  memberId: 'm-1',
  groupInstanceId: 'instance-1',
  retentionTimeMs: 60_000n,
  topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 42n, committedLeaderEpoch: 5, commitTimestamp: 123n, committedMetadata: 'meta' }] }],
  ...overrides,
});
const commit = (version: number, overrides: Partial<MessageInput<typeof Apis.OffsetCommit.request>> = {}) =>
  call<typeof Apis.OffsetCommit>(offsetCommit, b.ctx(version), body(overrides));

test('v9 hands the service group, generation, member, instance id, offsets, epochs and metadata; no retention', async () => {
  const res = await commit(9);
  expect(commits).toEqual([
    {
      groupId: 'g',
      generationId: 3,
      memberId: 'm-1',
      groupInstanceId: 'instance-1',
      retentionTimeMs: -1,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, offset: 42, leaderEpoch: 5, metadata: 'meta' }] }],
    },
  ]);
  expect(res).toEqual({ throttleTimeMs: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.NONE }] }] });
});

test('v0 has no generation or member: a standalone commit (-1, "")', async () => {
  await commit(0);
  expect(commits[0]).toMatchObject({ generationId: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1 });
  expect(commits[0].topics[0].partitions[0]).toEqual({ partitionIndex: 0, offset: 42, leaderEpoch: -1, metadata: 'meta' });
});

test('retention time reaches the service only in v2-4', async () => {
  const retention = [];
  for (const v of [1, 2, 4, 5]) {
    await commit(v);
    retention.push(commits[commits.length - 1].retentionTimeMs);
  }
  expect(retention).toEqual([-1, 60_000, 60_000, -1]);
});

test('leader epochs from v6, group instance ids from v7', async () => {
  await commit(5);
  await commit(6);
  await commit(7);
  expect(commits.map((c) => [c.topics[0].partitions[0].leaderEpoch, c.groupInstanceId])).toEqual([
    [-1, null],
    [5, null],
    [5, 'instance-1'],
  ]);
});

test('null metadata stays null; an empty group id is passed on (Kafka accepts it for commits)', async () => {
  await commit(8, { groupId: '', topics: [{ name: 't', partitions: [{ partitionIndex: 1, committedOffset: 0n, committedMetadata: null }] }] });
  expect(commits[0].groupId).toBe('');
  expect(commits[0].topics[0].partitions[0].metadata).toBeNull();
});

test('each partition gets its own error, in request order', async () => {
  answer = async () => [
    { name: 't', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.NONE }, { partitionIndex: 1, errorCode: ErrorCode.OFFSET_METADATA_TOO_LARGE }] },
    { name: 'gone', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }] },
  ];
  const res = await commit(8, {
    topics: [
      { name: 't', partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: '' }, { partitionIndex: 1, committedOffset: 1n, committedMetadata: '' }] },
      { name: 'gone', partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: '' }] },
    ],
  });
  expect(res!.topics.map((t) => [t.name, t.partitions.map((p) => [p.partitionIndex, p.errorCode])])).toEqual([
    ['t', [[0, ErrorCode.NONE], [1, ErrorCode.OFFSET_METADATA_TOO_LARGE]]],
    ['gone', [[0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]]],
  ]);
});

test('fencing and coordinator errors reach every partition unchanged', async () => {
  for (const code of [ErrorCode.NOT_COORDINATOR, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, ErrorCode.ILLEGAL_GENERATION, ErrorCode.UNKNOWN_MEMBER_ID]) {
    answer = async (req) => req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: code })) }));
    const res = await commit(2);
    expect(res!.topics[0].partitions[0].errorCode).toBe(code);
  }
});

test('the answer waits until the service has the commit replicated', async () => {
  let replicated!: () => void;
  answer = (req) =>
    new Promise((resolve) => (replicated = () => resolve([{ name: 't', partitions: [{ partitionIndex: req.topics[0].partitions[0].partitionIndex, errorCode: ErrorCode.NONE }] }])));
  const pending = commit(9);
  expect(await settledNow(pending)).toBe(false);
  replicated();
  expect((await pending)!.topics[0].partitions[0].errorCode).toBe(ErrorCode.NONE);
});
