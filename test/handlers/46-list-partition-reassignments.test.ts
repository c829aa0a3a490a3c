// ListPartitionReassignments in-process: the partitions named (or all, topics null) asked of the
// controller, the moves in progress grouped by topic, and a refusal answered at the top level.

import { Apis, ErrorCode, KafkaError, MessageInput } from '../../protocol';
import { PartitionReassignment } from '../../src/cluster/cluster';
import { TopicPartition } from '../../src/cluster/topic';
import listPartitionReassignments from '../../src/handlers/46-list-partition-reassignments';
import { TestBroker, call, fakeController, testBroker } from './fake-context';

let b: TestBroker;
let asked: (TopicPartition[] | null)[];
let list: () => Promise<PartitionReassignment[]>;
beforeEach(async () => {
  asked = [];
  list = async () => [];
  b = await testBroker({
    controller: fakeController({
      listPartitionReassignments: (partitions) => {
        asked.push(partitions);
        return list();
      },
    }),
  });
});
afterEach(() => b.close());

const send = (topics: MessageInput<typeof Apis.ListPartitionReassignments.request>['topics']) =>
  call<typeof Apis.ListPartitionReassignments>(listPartitionReassignments, b.ctx(0), { timeoutMs: 1000, topics });

test('the named partitions are asked for; moves in progress come back by topic', async () => {
  list = async () => [
    { topic: 'x', partition: 0, replicas: [3, 1, 2], addingReplicas: [3], removingReplicas: [2] },
    { topic: 'y', partition: 1, replicas: [1, 2], addingReplicas: [2], removingReplicas: [] },
    { topic: 'x', partition: 2, replicas: [1, 4], addingReplicas: [4], removingReplicas: [] },
  ];
  const res = await send([
    { name: 'x', partitionIndexes: [0, 2] },
    { name: 'y', partitionIndexes: [1, 5] },
  ]);
  expect(asked).toEqual([
    [
      { topic: 'x', partition: 0 },
      { topic: 'x', partition: 2 },
      { topic: 'y', partition: 1 },
      { topic: 'y', partition: 5 },
    ],
  ]);
  expect(res).toMatchObject({ errorCode: ErrorCode.NONE, errorMessage: null });
  expect(res!.topics).toEqual([
    {
      name: 'x',
      partitions: [
        { partitionIndex: 0, replicas: [3, 1, 2], addingReplicas: [3], removingReplicas: [2] },
        { partitionIndex: 2, replicas: [1, 4], addingReplicas: [4], removingReplicas: [] },
      ],
    },
    { name: 'y', partitions: [{ partitionIndex: 1, replicas: [1, 2], addingReplicas: [2], removingReplicas: [] }] },
  ]);
});

test('null topics ask for every partition; nothing in progress is an empty list', async () => {
  const res = await send(null);
  expect(asked).toEqual([null]);
  expect(res).toMatchObject({ errorCode: ErrorCode.NONE, topics: [] });
});

test('a refusal is answered at the top level, with no topics', async () => {
  list = async () => {
    throw new KafkaError(ErrorCode.NOT_CONTROLLER, 'This is not the controller.');
  };
  expect(await send(null)).toMatchObject({ errorCode: ErrorCode.NOT_CONTROLLER, errorMessage: 'This is not the controller.', topics: [] });
});
