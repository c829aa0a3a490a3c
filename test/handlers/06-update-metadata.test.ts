// UpdateMetadata in-process: partition states taken per version (ungrouped v0-4, by topic v5+, topic
// ids v7+), the znode version as partition epoch, and stale epochs refused with nothing taken.

import { Apis, ErrorCode, MessageInput } from '../../protocol';
import updateMetadata from '../../src/handlers/06-update-metadata';
import { FakeControllerRequests, TestBroker, call, fakeController, testBroker, topicIdOf } from './fake-context';

type Body = MessageInput<typeof Apis.UpdateMetadata.request>;

let b: TestBroker;
let requests: FakeControllerRequests;
beforeEach(async () => {
  requests = new FakeControllerRequests();
  b = await testBroker({ controller: fakeController({ controllerRequests: requests }) });
});
afterEach(() => b.close());

const state = (partitionIndex: number) => ({ partitionIndex, controllerEpoch: 5, leader: 2, leaderEpoch: 3, isr: [2, 1], zkVersion: 9, replicas: [2, 1] });
const send = (version: number, body: Body) => call<typeof Apis.UpdateMetadata>(updateMetadata, b.ctx(version), body);
const byTopic = (controllerEpoch = 5, brokerEpoch = 100n): Body => ({
  controllerId: 2,
  controllerEpoch,
  brokerEpoch,
  topicStates: [{ topicName: 'x', topicId: topicIdOf('x'), partitionStates: [state(0), state(1)] }],
  liveBrokers: [],
});

test('v0-4 take ungrouped states, without topic ids, with the znode version as partition epoch', async () => {
  const res = await send(4, { controllerId: 2, controllerEpoch: 5, ungroupedPartitionStates: [{ topicName: 'x', ...state(0) }], liveBrokers: [] });
  expect(res!.errorCode).toBe(ErrorCode.NONE);
  expect(requests.applied).toEqual([
    { topic: 'x', topicId: null, partition: 0, controllerEpoch: 5, leader: 2, leaderEpoch: 3, isr: [2, 1], partitionEpoch: 9, replicas: [2, 1], leaderRecoveryState: 0 },
  ]);
});

test('v5-6 take states by topic; v7+ with their topic ids', async () => {
  await send(6, byTopic());
  expect(requests.applied.map((s) => [s.topic, s.partition, s.topicId])).toEqual([
    ['x', 0, null],
    ['x', 1, null],
  ]);
  requests.applied.length = 0;
  expect((await send(8, byTopic()))!.errorCode).toBe(ErrorCode.NONE);
  expect(requests.applied.map((s) => s.topicId)).toEqual([topicIdOf('x'), topicIdOf('x')]);
});

test('a request with no states applies nothing, but still checks its epochs and takes its live brokers', async () => {
  const res = await send(7, { controllerId: 2, controllerEpoch: 6, brokerEpoch: 100n, topicStates: [], liveBrokers: [] });
  expect(res!.errorCode).toBe(ErrorCode.NONE);
  expect(requests.calls).toEqual(['check controller epoch 6, broker epoch 100', 'live brokers ']);
});

test('the live brokers are taken after the states, in every version', async () => {
  const broker = (id: number) => ({ id, v0Host: '', v0Port: -1, endpoints: [], rack: null });
  await send(8, { ...byTopic(), liveBrokers: [broker(1), broker(3)] });
  expect(requests.calls.slice(1)).toEqual(['apply x-0 x-1', 'live brokers 1,3']);
  requests.calls.length = 0;
  await send(0, { controllerId: 2, controllerEpoch: 5, ungroupedPartitionStates: [], liveBrokers: [{ id: 2, v0Host: 'h', v0Port: 9092 }] });
  expect(requests.calls.slice(1)).toEqual(['live brokers 2']);
});

test('stale controller or broker epochs are refused and nothing is taken', async () => {
  expect((await send(7, byTopic(4)))!.errorCode).toBe(ErrorCode.STALE_CONTROLLER_EPOCH);
  expect((await send(7, byTopic(5, 7n)))!.errorCode).toBe(ErrorCode.STALE_BROKER_EPOCH);
  expect(requests.applied).toEqual([]);
  expect(b.log.lines.filter((l) => l.level === 'WARN')).toHaveLength(2);
});

test('without ZooKeeper the request is STALE_CONTROLLER_EPOCH', async () => {
  const res = await call<typeof Apis.UpdateMetadata>(updateMetadata, { ...b.ctx(7), controller: fakeController({ controllerRequests: undefined }) }, byTopic());
  expect(res!.errorCode).toBe(ErrorCode.STALE_CONTROLLER_EPOCH);
  expect(requests.calls).toEqual([]);
});
