// StopReplica in-process: the partitions named per version (ungrouped v0, by topic v1-2, with leader
// epochs and per-partition delete v3+), fetching stopped and deleted logs refreshed, fencing by
// leader epoch, and stale controller or broker epochs failing everything.

import { Apis, ErrorCode, MessageInput } from '../../protocol';
import stopReplica from '../../src/handlers/05-stop-replica';
import { FakeControllerRequests, TestBroker, addTopic, call, fakeController, testBroker, topicInfo } from './fake-context';

type Body = MessageInput<typeof Apis.StopReplica.request>;

let b: TestBroker;
let requests: FakeControllerRequests;
beforeEach(async () => {
  requests = new FakeControllerRequests();
  b = await testBroker({ controller: fakeController({ controllerRequests: requests }) });
  addTopic(b.metadata, b.logs, topicInfo('x', 3, {}, { leaderEpoch: 4, leader: 2, replicas: [1, 2] }));
});
afterEach(() => b.close());

const send = (version: number, body: Body) => call<typeof Apis.StopReplica>(stopReplica, b.ctx(version), body);
const errors = (res: Awaited<ReturnType<typeof send>>) => res!.partitionErrors.map((p) => [p.topicName, p.partitionIndex, p.errorCode]);

test('v0 names partitions ungrouped; delete_partitions removes their logs', async () => {
  const res = await send(0, {
    controllerId: 2,
    controllerEpoch: 5,
    deletePartitions: true,
    ungroupedPartitions: [
      { topicName: 'x', partitionIndex: 0 },
      { topicName: 'x', partitionIndex: 2 },
    ],
  });
  expect(res!.errorCode).toBe(ErrorCode.NONE);
  expect(errors(res)).toEqual([
    ['x', 0, ErrorCode.NONE],
    ['x', 2, ErrorCode.NONE],
  ]);
  expect(b.replication.calls).toEqual(['stop x-0', 'stop x-2']);
  expect(requests.calls).toEqual(['check controller epoch 5, broker epoch -1', 'refresh x-0 x-2']);
});

test('v1-2 name partitions by topic; without delete only fetching stops', async () => {
  const res = await send(2, { controllerId: 2, controllerEpoch: 5, brokerEpoch: 100n, deletePartitions: false, topics: [{ name: 'x', partitionIndexes: [1] }] });
  expect(errors(res)).toEqual([['x', 1, ErrorCode.NONE]]);
  expect(b.replication.calls).toEqual(['stop x-1']);
  expect(requests.calls).toEqual(['check controller epoch 5, broker epoch 100']);
});

test('v3+ delete per partition and fence an older leader epoch; -1 and -2 skip the check', async () => {
  const res = await send(3, {
    controllerId: 2,
    controllerEpoch: 5,
    brokerEpoch: 100n,
    topicStates: [
      {
        topicName: 'x',
        partitionStates: [
          { partitionIndex: 0, leaderEpoch: 3, deletePartition: true },
          { partitionIndex: 1, leaderEpoch: 4, deletePartition: true },
          { partitionIndex: 2, leaderEpoch: -2, deletePartition: false },
        ],
      },
      { topicName: 'gone', partitionStates: [{ partitionIndex: 0, leaderEpoch: -1, deletePartition: true }] },
    ],
  });
  expect(res!.errorCode).toBe(ErrorCode.NONE);
  expect(errors(res)).toEqual([
    ['x', 0, ErrorCode.FENCED_LEADER_EPOCH],
    ['x', 1, ErrorCode.NONE],
    ['x', 2, ErrorCode.NONE],
    ['gone', 0, ErrorCode.NONE],
  ]);
  expect(b.replication.calls).toEqual(['stop x-1', 'stop x-2', 'stop gone-0']);
  expect(requests.calls[1]).toBe('refresh x-1 gone-0');
});

test('a stale controller or broker epoch fails every partition and stops nothing', async () => {
  const partitions = { deletePartitions: true, topics: [{ name: 'x', partitionIndexes: [0, 1] }] };
  const stale = await send(1, { controllerId: 2, controllerEpoch: 4, brokerEpoch: 100n, ...partitions });
  expect(stale!.errorCode).toBe(ErrorCode.STALE_CONTROLLER_EPOCH);
  expect(stale!.partitionErrors.map((p) => p.errorCode)).toEqual([ErrorCode.STALE_CONTROLLER_EPOCH, ErrorCode.STALE_CONTROLLER_EPOCH]);
  const otherBroker = await send(1, { controllerId: 2, controllerEpoch: 5, brokerEpoch: 99n, ...partitions });
  expect(otherBroker!.partitionErrors.map((p) => p.errorCode)).toEqual([ErrorCode.STALE_BROKER_EPOCH, ErrorCode.STALE_BROKER_EPOCH]);
  expect(b.replication.calls).toEqual([]);
  expect(requests.calls.some((c) => c.startsWith('refresh'))).toBe(false);
});

test('without ZooKeeper every partition is STALE_CONTROLLER_EPOCH', async () => {
  const standalone = { ...b.ctx(3), controller: fakeController({ controllerRequests: undefined }) };
  const res = await call<typeof Apis.StopReplica>(stopReplica, standalone, {
    controllerId: 2,
    controllerEpoch: 5,
    topicStates: [{ topicName: 'x', partitionStates: [{ partitionIndex: 0, deletePartition: true }] }],
  });
  expect(res!.errorCode).toBe(ErrorCode.STALE_CONTROLLER_EPOCH);
  expect(errors(res)).toEqual([['x', 0, ErrorCode.STALE_CONTROLLER_EPOCH]]);
  expect(b.replication.calls).toEqual([]);
});
