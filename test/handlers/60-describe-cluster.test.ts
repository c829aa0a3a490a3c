// DescribeCluster in-process: cluster id, controller and live brokers on the client's listener,
// authorized operations when asked, and the endpoint-type errors of v1.

import { Apis, ErrorCode } from '../../protocol';
import describeCluster from '../../src/handlers/60-describe-cluster';
import { newSession } from '../../src/server/session';
import { BROKER_ID, TestBroker, call, testBroker } from './fake-context';

let b: TestBroker;
beforeEach(async () => {
  b = await testBroker();
});
afterEach(() => b.close());

const ask = (version: number, body: { includeClusterAuthorizedOperations?: boolean; endpointType?: number }, listener = 'PLAINTEXT') =>
  call<typeof Apis.DescribeCluster>(describeCluster, { ...b.ctx(version), session: newSession(listener, 'PLAINTEXT', '127.0.0.1', 50000) }, body);

test('describes the cluster id, the controller and the live brokers with their racks', async () => {
  b.metadata.controller = 2;
  b.metadata.brokers = [
    { id: BROKER_ID, host: 'localhost', port: 9092, rack: 'r1' },
    { id: 2, host: 'other', port: 9093, rack: null },
  ];
  expect(await ask(0, {})).toEqual({
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    endpointType: 1,
    clusterId: b.metadata.clusterId,
    controllerId: 2,
    brokers: [
      { brokerId: BROKER_ID, host: 'localhost', port: 9092, rack: 'r1' },
      { brokerId: 2, host: 'other', port: 9093, rack: null },
    ],
    clusterAuthorizedOperations: -2147483648,
  });
});

test('brokers are given by their endpoint on the listener the request came in on', async () => {
  b.metadata.otherListeners = { INTERNAL: [{ id: BROKER_ID, host: 'internal', port: 9094, rack: null }] };
  expect((await ask(1, {}, 'INTERNAL'))!.brokers).toEqual([{ brokerId: BROKER_ID, host: 'internal', port: 9094, rack: null }]);
});

test('authorized operations, when asked, are every cluster operation (no authorizer)', async () => {
  const bits = [5, 7, 8, 9, 10, 11, 12].reduce((sum, op) => sum + 2 ** op, 0);
  expect((await ask(1, { includeClusterAuthorizedOperations: true }))!.clusterAuthorizedOperations).toBe(bits);
});

test('v1: a broker refuses a request meant for controllers, and an unknown endpoint type', async () => {
  expect(await ask(1, { endpointType: 2 })).toMatchObject({
    errorCode: ErrorCode.MISMATCHED_ENDPOINT_TYPE,
    errorMessage: 'The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER',
    brokers: [],
  });
  expect(await ask(1, { endpointType: 0 })).toMatchObject({ errorCode: ErrorCode.UNSUPPORTED_ENDPOINT_TYPE, errorMessage: 'Unsupported endpoint type 0' });
});
