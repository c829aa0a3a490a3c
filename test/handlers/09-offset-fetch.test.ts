// OffsetFetch in-process: one group (v0-7) or a batch of groups (v8+), all offsets (null topics,
// v2+), the member fields of v9, and where group errors go in each version.

import { Apis, ErrorCode } from '../../protocol';
import offsetFetch from '../../src/handlers/09-offset-fetch';
import { TestBroker, call, fakeGroups, testBroker } from './fake-context';

type Topics = { name: string; partitionIndexes: number[] }[] | null;
type Answer = { errorCode: number; topics: { name: string; partitions: { partitionIndex: number; committedOffset: bigint; committedLeaderEpoch: number; metadata: string; errorCode: number }[] }[] };

let b: TestBroker;
let asked: [string, Topics, string | null, number][];
/** require_stable as the service was asked, per call. */
let stable: (boolean | undefined)[];
/** Per group: the service's answer. Unknown groups answer as the real service does on a group error: no topics. */
let answers: Map<string, Answer>;
beforeEach(async () => {
  b = await testBroker();
  asked = [];
  stable = [];
  answers = new Map();
  b.services.groups = fakeGroups({
    fetchOffsets: (groupId, topics, memberId, memberEpoch, requireStable) => {
      asked.push([groupId, topics, memberId, memberEpoch]);
      stable.push(requireStable);
      return answers.get(groupId) ?? { errorCode: ErrorCode.NOT_COORDINATOR, topics: [] };
    },
  });
});
afterEach(() => b.close());

const committed = (partitionIndex: number, offset: number, errorCode: number = ErrorCode.NONE) => ({
  partitionIndex,
  committedOffset: BigInt(offset),
  committedLeaderEpoch: 4,
  metadata: `m${offset}`,
  errorCode,
});
const single = (version: number, groupId: string, topics: Topics) => call<typeof Apis.OffsetFetch>(offsetFetch, b.ctx(version), { groupId, topics });

test('v1-7 fetch one group: its partitions, offsets and metadata as the service has them', async () => {
  answers.set('g', { errorCode: ErrorCode.NONE, topics: [{ name: 't', partitions: [committed(0, 10), committed(1, -1)] }] });
  for (const v of [1, 5, 7]) {
    const res = await single(v, 'g', [{ name: 't', partitionIndexes: [0, 1] }]);
    expect(res!.topics).toEqual([
      {
        name: 't',
        partitions: [
          { partitionIndex: 0, committedOffset: 10n, committedLeaderEpoch: v >= 5 ? 4 : -1, metadata: 'm10', errorCode: ErrorCode.NONE },
          { partitionIndex: 1, committedOffset: -1n, committedLeaderEpoch: v >= 5 ? 4 : -1, metadata: 'm-1', errorCode: ErrorCode.NONE },
        ],
      },
    ]);
  }
  expect(asked).toEqual(Array(3).fill(['g', [{ name: 't', partitionIndexes: [0, 1] }], null, -1]));
});

test('v2+ a null topic list asks the service for all of the group\'s offsets', async () => {
  answers.set('g', { errorCode: ErrorCode.NONE, topics: [{ name: 'x', partitions: [committed(3, 7)] }] });
  const res = await single(2, 'g', null);
  expect(asked[0][1]).toBeNull();
  expect(res!.topics.map((t) => [t.name, t.partitions.map((p) => p.partitionIndex)])).toEqual([['x', [3]]]);
});

test('v2-7 answer a group error at the top; the coordinator errors pass through unchanged', async () => {
  for (const code of [ErrorCode.NOT_COORDINATOR, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, ErrorCode.GROUP_ID_NOT_FOUND]) {
    answers.set('g', { errorCode: code, topics: [] });
    const res = await single(7, 'g', [{ name: 't', partitionIndexes: [0] }]);
    expect(res!.errorCode).toBe(code);
  }
});

// Kafka 3.9 (OffsetFetchRequest.getErrorResponse) answers a group error before v2 on every
// partition asked for, offset -1, no metadata.
test('v1: a group error with no partitions from the service still reaches each partition asked for', async () => {
  const res = await single(1, 'elsewhere', [{ name: 't', partitionIndexes: [0, 1] }]);
  expect(res!.topics).toEqual([
    {
      name: 't',
      partitions: [0, 1].map((partitionIndex) => ({ partitionIndex, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: ErrorCode.NOT_COORDINATOR })),
    },
  ]);
});

test('v8 batches groups: each its own offsets or error, in request order', async () => {
  answers.set('a', { errorCode: ErrorCode.NONE, topics: [{ name: 't', partitions: [committed(0, 5)] }] });
  const res = await call<typeof Apis.OffsetFetch>(offsetFetch, b.ctx(8), {
    groups: [
      { groupId: 'a', topics: [{ name: 't', partitionIndexes: [0] }] },
      { groupId: 'elsewhere', topics: null },
    ],
  });
  expect(asked).toEqual([
    ['a', [{ name: 't', partitionIndexes: [0] }], null, -1],
    ['elsewhere', null, null, -1],
  ]);
  expect(res!.groups.map((g) => [g.groupId, g.errorCode, g.topics.map((t) => t.partitions.map((p) => p.committedOffset))])).toEqual([
    ['a', ErrorCode.NONE, [[5n]]],
    ['elsewhere', ErrorCode.NOT_COORDINATOR, []],
  ]);
});

test('v9 passes each group\'s member id and epoch to the service', async () => {
  answers.set('a', { errorCode: ErrorCode.STALE_MEMBER_EPOCH, topics: [] });
  const res = await call<typeof Apis.OffsetFetch>(offsetFetch, b.ctx(9), {
    groups: [{ groupId: 'a', memberId: 'm-1', memberEpoch: 6, topics: [{ name: 't', partitionIndexes: [0] }] }],
    requireStable: true,
  });
  expect(asked[0]).toEqual(['a', [{ name: 't', partitionIndexes: [0] }], 'm-1', 6]);
  expect(res!.groups[0].errorCode).toBe(ErrorCode.STALE_MEMBER_EPOCH);
});

test('require_stable (v7+) reaches the service, and its UNSTABLE_OFFSET_COMMIT the partition', async () => {
  answers.set('g', { errorCode: ErrorCode.NONE, topics: [{ name: 't', partitions: [{ ...committed(0, -1, ErrorCode.UNSTABLE_OFFSET_COMMIT), committedLeaderEpoch: -1, metadata: '' }] }] });
  const topics = [{ name: 't', partitionIndexes: [0] }];
  const v7 = await call<typeof Apis.OffsetFetch>(offsetFetch, b.ctx(7), { groupId: 'g', topics, requireStable: true });
  expect(v7!.topics[0].partitions[0]).toMatchObject({ committedOffset: -1n, errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT });
  await call<typeof Apis.OffsetFetch>(offsetFetch, b.ctx(8), { groups: [{ groupId: 'g', topics }], requireStable: true });
  await call<typeof Apis.OffsetFetch>(offsetFetch, b.ctx(8), { groups: [{ groupId: 'g', topics }], requireStable: false });
  await single(6, 'g', topics);
  expect(stable).toEqual([true, true, false, false]);
});
