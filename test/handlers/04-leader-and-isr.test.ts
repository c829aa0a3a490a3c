// LeaderAndIsr in-process: the states taken per version (ungrouped v0-1, by topic v2+, topic ids
// v5+, leader recovery v6+), answers per partition (flat before v5, by topic id after), stale
// controller or broker epochs failing everything, and a broker without ZooKeeper refusing.

import { Apis, ErrorCode, MessageInput } from '../../protocol';
import leaderAndIsr from '../../src/handlers/04-leader-and-isr';
import { FakeControllerRequests, TestBroker, call, fakeController, testBroker, topicIdOf } from './fake-context';

type Body = MessageInput<typeof Apis.LeaderAndIsr.request>;

let b: TestBroker;
let requests: FakeControllerRequests;
beforeEach(async () => {
  requests = new FakeControllerRequests();
  b = await testBroker({ controller: fakeController({ controllerRequests: requests }) });
});
afterEach(() => b.close());

const state = (partitionIndex: number, extra: Record<string, unknown> = {}) => ({
  partitionIndex,
  controllerEpoch: 5,
  leader: 1,
  leaderEpoch: 7,
  isr: [1, 2],
  partitionEpoch: 11,
  replicas: [1, 2],
  leaderRecoveryState: 1,
  ...extra,
});
const grouped = (controllerEpoch = 5, brokerEpoch = 100n): Body => ({
  controllerId: 2,
  controllerEpoch,
  brokerEpoch,
  topicStates: [
    { topicName: 'x', topicId: topicIdOf('x'), partitionStates: [state(0), state(1)] },
    { topicName: 'y', topicId: topicIdOf('y'), partitionStates: [state(0, { leader: 2 })] },
  ],
  liveLeaders: [{ brokerId: 2, hostName: 'localhost', port: 9093 }],
});
const send = (version: number, body: Body) => call<typeof Apis.LeaderAndIsr>(leaderAndIsr, b.ctx(version), body);

test('v0-1 take ungrouped states and answer each partition by name', async () => {
  const res = await send(1, {
    controllerId: 2,
    controllerEpoch: 5,
    ungroupedPartitionStates: [{ topicName: 'x', ...state(0) }, { topicName: 'y', ...state(3) }],
    liveLeaders: [],
  });
  expect(res!.errorCode).toBe(ErrorCode.NONE);
  expect(res!.partitionErrors).toEqual([
    { topicName: 'x', partitionIndex: 0, errorCode: ErrorCode.NONE },
    { topicName: 'y', partitionIndex: 3, errorCode: ErrorCode.NONE },
  ]);
  expect(requests.calls).toEqual(['check controller epoch 5, broker epoch -1', 'apply x-0 y-3']);
  expect(requests.applied[0]).toEqual({
    topic: 'x',
    topicId: null,
    partition: 0,
    controllerEpoch: 5,
    leader: 1,
    leaderEpoch: 7,
    isr: [1, 2],
    partitionEpoch: 11,
    replicas: [1, 2],
    leaderRecoveryState: 0,
  });
});

test('v2-4 take states by topic, still without ids, and answer a flat list', async () => {
  const res = await send(4, grouped());
  expect(res!.partitionErrors.map((p) => [p.topicName, p.partitionIndex, p.errorCode])).toEqual([
    ['x', 0, ErrorCode.NONE],
    ['x', 1, ErrorCode.NONE],
    ['y', 0, ErrorCode.NONE],
  ]);
  expect(requests.applied.map((s) => [s.topic, s.partition, s.topicId, s.leader])).toEqual([
    ['x', 0, null, 1],
    ['x', 1, null, 1],
    ['y', 0, null, 2],
  ]);
});

test('v5+ carry topic ids and answer per topic id; v6+ the leader recovery state', async () => {
  requests.stateError = (s) => (s.topic === 'x' && s.partition === 1 ? ErrorCode.FENCED_LEADER_EPOCH : ErrorCode.NONE);
  const res = await send(5, grouped());
  expect(res!.errorCode).toBe(ErrorCode.NONE);
  expect(res!.topics.map((t) => [t.topicId, t.partitionErrors.map((p) => [p.partitionIndex, p.errorCode])])).toEqual([
    [
      topicIdOf('x'),
      [
        [0, ErrorCode.NONE],
        [1, ErrorCode.FENCED_LEADER_EPOCH],
      ],
    ],
    [topicIdOf('y'), [[0, ErrorCode.NONE]]],
  ]);
  expect(requests.applied.map((s) => [s.topicId, s.leaderRecoveryState])).toEqual([
    [topicIdOf('x'), 0],
    [topicIdOf('x'), 0],
    [topicIdOf('y'), 0],
  ]);
  expect(b.log.lines.some((l) => /x-1 .*failed with error 74/.test(l.message))).toBe(true);
  requests.applied.length = 0;
  await send(7, grouped());
  expect(requests.applied.map((s) => s.leaderRecoveryState)).toEqual([1, 1, 1]);
});

test('a stale controller epoch fails every partition and takes nothing', async () => {
  const res = await send(5, grouped(4));
  expect(res!.errorCode).toBe(ErrorCode.STALE_CONTROLLER_EPOCH);
  expect(res!.topics.flatMap((t) => t.partitionErrors.map((p) => p.errorCode))).toEqual(Array(3).fill(ErrorCode.STALE_CONTROLLER_EPOCH));
  expect(requests.applied).toEqual([]);
  expect(b.log.lines.some((l) => l.level === 'WARN' && /Ignoring LeaderAndIsr/.test(l.message))).toBe(true);
});

test('another registration of this broker (v2+) is STALE_BROKER_EPOCH for every partition', async () => {
  const res = await send(4, grouped(5, 99n));
  expect(res!.errorCode).toBe(ErrorCode.STALE_BROKER_EPOCH);
  expect(res!.partitionErrors.map((p) => p.errorCode)).toEqual(Array(3).fill(ErrorCode.STALE_BROKER_EPOCH));
  expect(requests.applied).toEqual([]);
});

test('a broker without ZooKeeper has no controller to obey: STALE_CONTROLLER_EPOCH', async () => {
  const standalone = { ...b.ctx(5), controller: fakeController({ controllerRequests: undefined }) };
  const res = await call<typeof Apis.LeaderAndIsr>(leaderAndIsr, standalone, grouped());
  expect(res!.errorCode).toBe(ErrorCode.STALE_CONTROLLER_EPOCH);
  expect(requests.calls).toEqual([]);
});
