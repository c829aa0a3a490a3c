// FindCoordinator in-process: the group service names the coordinator, the metadata view gives its
// endpoint on the request's listener; one key before v4, a batch after; key types; errors.

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import findCoordinator from '../../src/handlers/10-find-coordinator';
import { BROKER_ID, TestBroker, call, fakeGroups, fakeTransactions, testBroker } from './fake-context';
import { settledNow } from './group-fakes';

let b: TestBroker;
let asked: string[];
/** The coordinator per key; keys not listed fail as an offsets topic without a leader does. */
let coordinators: Map<string, number>;
beforeEach(async () => {
  b = await testBroker();
  b.metadata.brokers.push({ id: 2, host: 'other-host', port: 9093, rack: null });
  asked = [];
  coordinators = new Map([['g', BROKER_ID], ['g2', 2]]);
  b.services.groups = fakeGroups({
    coordinatorFor: async (key) => {
      asked.push(key);
      const node = coordinators.get(key);
      if (node === undefined) throw new KafkaError(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'The coordinator is not available.');
      return node;
    },
  });
});
afterEach(() => b.close());

const findOne = (version: number, key: string, keyType = 0) => call<typeof Apis.FindCoordinator>(findCoordinator, b.ctx(version), { key, keyType });
const findMany = (version: number, coordinatorKeys: string[], keyType = 0) => call<typeof Apis.FindCoordinator>(findCoordinator, b.ctx(version), { keyType, coordinatorKeys });

test('v0-3 answer one group key with the coordinator\'s endpoint', async () => {
  expect(await findOne(0, 'g')).toEqual({ throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: '', nodeId: BROKER_ID, host: 'localhost', port: 9092, coordinators: [] });
  const v3 = await findOne(3, 'g2');
  expect(v3).toMatchObject({ throttleTimeMs: 0, errorCode: ErrorCode.NONE, nodeId: 2, host: 'other-host', port: 9093 });
  expect(asked).toEqual(['g', 'g2']);
});

test('v4+ batch keys, each with its own coordinator or error', async () => {
  const res = await findMany(4, ['g', 'nowhere', 'g2']);
  expect(res!.coordinators).toEqual([
    { key: 'g', nodeId: BROKER_ID, host: 'localhost', port: 9092, errorCode: ErrorCode.NONE, errorMessage: null },
    { key: 'nowhere', nodeId: -1, host: '', port: -1, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, errorMessage: 'The coordinator is not available.' },
    { key: 'g2', nodeId: 2, host: 'other-host', port: 9093, errorCode: ErrorCode.NONE, errorMessage: null },
  ]);
  expect(asked).toEqual(['g', 'nowhere', 'g2']);
});

test('a service error is the answer for that key, with its message from v1', async () => {
  expect(await findOne(1, 'nowhere')).toEqual({
    throttleTimeMs: 0,
    errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE,
    errorMessage: 'The coordinator is not available.',
    nodeId: -1,
    host: '',
    port: -1,
    coordinators: [],
  });
});

test('a coordinator that is not a live broker on this listener is not available', async () => {
  coordinators.set('g', 3);
  expect(await findOne(2, 'g')).toMatchObject({ errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, nodeId: -1, host: '', port: -1 });
  b.metadata.brokers = [];
  expect((await findMany(6, ['g2']))!.coordinators[0]).toMatchObject({ errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, nodeId: -1 });
});

test('transaction keys are coordinated by the transaction service; other key types are invalid', async () => {
  const txnAsked: string[] = [];
  b.services.transactions = fakeTransactions({
    coordinatorFor: async (key) => {
      txnAsked.push(key);
      if (key === 'tx') return 2;
      throw new KafkaError(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'The coordinator is not available.');
    },
  });
  expect(await findOne(1, 'tx', 1)).toMatchObject({ errorCode: ErrorCode.NONE, nodeId: 2, host: 'other-host', port: 9093 });
  expect((await findMany(4, ['tx', 'none'], 1))!.coordinators.map((c) => [c.key, c.errorCode, c.nodeId])).toEqual([
    ['tx', ErrorCode.NONE, 2],
    ['none', ErrorCode.COORDINATOR_NOT_AVAILABLE, -1],
  ]);
  expect(txnAsked).toEqual(['tx', 'tx', 'none']);
  expect((await findMany(4, ['a', 'b'], 5))!.coordinators.map((c) => [c.key, c.errorCode])).toEqual([
    ['a', ErrorCode.INVALID_REQUEST],
    ['b', ErrorCode.INVALID_REQUEST],
  ]);
  expect(asked).toEqual([]);
});

test('the answer waits for the service (the offsets topic is created on first use)', async () => {
  let created!: () => void;
  b.services.groups = fakeGroups({ coordinatorFor: () => new Promise((resolve) => (created = () => resolve(BROKER_ID))) });
  const pending = findOne(3, 'g');
  expect(await settledNow(pending)).toBe(false);
  created();
  expect((await pending)!.nodeId).toBe(BROKER_ID);
});

test('an unexpected failure is not turned into a key error: it goes to the dispatcher', async () => {
  b.services.groups = fakeGroups({ coordinatorFor: async () => Promise.reject(new Error('disk on fire')) });
  await expect(findOne(3, 'g')).rejects.toThrow('disk on fire');
});
