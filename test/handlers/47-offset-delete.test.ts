// OffsetDelete in-process: the group and its partitions reach the group service; a group error is
// answered at the top with no topics, partition errors per partition.

import { Apis, ErrorCode, MessageInput } from '../../protocol';
import offsetDelete from '../../src/handlers/47-offset-delete';
import { TestBroker, call, fakeGroups, testBroker } from './fake-context';

let b: TestBroker;
beforeEach(async () => {
  b = await testBroker();
});
afterEach(() => b.close());

const remove = (body: MessageInput<typeof Apis.OffsetDelete.request>) => call<typeof Apis.OffsetDelete>(offsetDelete, b.ctx(0), body);
const topics = [
  { name: 't', partitions: [{ partitionIndex: 0 }, { partitionIndex: 1 }] },
  { name: 'subscribed', partitions: [{ partitionIndex: 0 }] },
];

test('the service gets the group and partitions; each partition gets its own error', async () => {
  const seen: unknown[] = [];
  b.services.groups = fakeGroups({
    deleteOffsets: (groupId, ts) => {
      seen.push([groupId, ts]);
      return {
        errorCode: ErrorCode.NONE,
        topics: [
          { name: 't', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.NONE }, { partitionIndex: 1, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }] },
          { name: 'subscribed', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC }] },
        ],
      };
    },
  });
  const res = await remove({ groupId: 'g', topics });
  expect(seen).toEqual([['g', [{ name: 't', partitions: [0, 1] }, { name: 'subscribed', partitions: [0] }]]]);
  expect(res).toEqual({
    errorCode: ErrorCode.NONE,
    throttleTimeMs: 0,
    topics: [
      { name: 't', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.NONE }, { partitionIndex: 1, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }] },
      { name: 'subscribed', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC }] },
    ],
  });
});

test('a group error is answered at the top, with no topics', async () => {
  for (const code of [ErrorCode.NOT_COORDINATOR, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, ErrorCode.GROUP_ID_NOT_FOUND, ErrorCode.NON_EMPTY_GROUP]) {
    b.services.groups = fakeGroups({ deleteOffsets: () => ({ errorCode: code, topics: [] }) });
    expect(await remove({ groupId: 'g', topics })).toEqual({ errorCode: code, throttleTimeMs: 0, topics: [] });
  }
});

// Kafka 3.9 (GroupCoordinator.isValidGroupId) allows the empty group id only for OffsetCommit,
// OffsetFetch, DescribeGroups and DeleteGroups; OffsetDelete answers it INVALID_GROUP_ID.
test('an empty group id is INVALID_GROUP_ID, without asking the service', async () => {
  b.services.groups = fakeGroups();
  expect(await remove({ groupId: '', topics })).toEqual({ errorCode: ErrorCode.INVALID_GROUP_ID, throttleTimeMs: 0, topics: [] });
});
