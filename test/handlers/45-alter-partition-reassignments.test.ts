// AlterPartitionReassignments in-process: targets and cancellations (null replicas) handed to the
// controller, its results grouped by topic, and a refusal answered at the top level alone.

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import { ReassignmentRequest, ReassignmentResult } from '../../src/cluster/cluster';
import alterPartitionReassignments from '../../src/handlers/45-alter-partition-reassignments';
import { TestBroker, call, fakeController, testBroker } from './fake-context';

let b: TestBroker;
let asked: ReassignmentRequest[][];
let alter: (requests: ReassignmentRequest[]) => Promise<ReassignmentResult[]>;
beforeEach(async () => {
  asked = [];
  alter = async (requests) => requests.map((r) => ({ topic: r.topic, partition: r.partition, errorCode: ErrorCode.NONE, errorMessage: null }));
  b = await testBroker({
    controller: fakeController({
      alterPartitionReassignments: (requests) => {
        asked.push(requests);
        return alter(requests);
      },
    }),
  });
});
afterEach(() => b.close());

const send = () =>
  call<typeof Apis.AlterPartitionReassignments>(alterPartitionReassignments, b.ctx(0), {
    timeoutMs: 1000,
    topics: [
      { name: 'x', partitions: [{ partitionIndex: 0, replicas: [2, 3] }, { partitionIndex: 1, replicas: null }] },
      { name: 'y', partitions: [{ partitionIndex: 0, replicas: [1] }] },
    ],
  });

test('targets and cancellations go to the controller; its results come back by topic', async () => {
  alter = async () => [
    { topic: 'x', partition: 0, errorCode: ErrorCode.NONE, errorMessage: null },
    { topic: 'y', partition: 0, errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT, errorMessage: 'broker 1 is not alive' },
    { topic: 'x', partition: 1, errorCode: ErrorCode.NO_REASSIGNMENT_IN_PROGRESS, errorMessage: null },
  ];
  const res = await send();
  expect(asked).toEqual([
    [
      { topic: 'x', partition: 0, replicas: [2, 3] },
      { topic: 'x', partition: 1, replicas: null },
      { topic: 'y', partition: 0, replicas: [1] },
    ],
  ]);
  expect(res).toMatchObject({ errorCode: ErrorCode.NONE, errorMessage: null });
  expect(res!.responses).toEqual([
    {
      name: 'x',
      partitions: [
        { partitionIndex: 0, errorCode: ErrorCode.NONE, errorMessage: null },
        { partitionIndex: 1, errorCode: ErrorCode.NO_REASSIGNMENT_IN_PROGRESS, errorMessage: null },
      ],
    },
    { name: 'y', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT, errorMessage: 'broker 1 is not alive' }] },
  ]);
});

test('a refusal is answered at the top level, with no partition results', async () => {
  alter = async () => {
    throw new KafkaError(ErrorCode.NOT_CONTROLLER, 'This is not the controller.');
  };
  expect(await send()).toMatchObject({ errorCode: ErrorCode.NOT_CONTROLLER, errorMessage: 'This is not the controller.', responses: [] });
});
