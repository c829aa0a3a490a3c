// CreatePartitions in-process: the topic admin grows each topic, waiting for leaders unless
// validate_only; a topic named twice is INVALID_REQUEST; a broker that is not the controller refuses.

import { Apis, ErrorCode } from '../../protocol';
import createPartitions from '../../src/handlers/37-create-partitions';
import { TestBroker, addTopic, call, testBroker, topicInfo } from './fake-context';

let b: TestBroker;
beforeEach(async () => {
  b = await testBroker();
  addTopic(b.metadata, b.logs, topicInfo('t', 1));
});
afterEach(() => b.close());

const grow = (topics: { name: string; count: number; assignments: { brokerIds: number[] }[] | null }[], validateOnly = false) =>
  call<typeof Apis.CreatePartitions>(createPartitions, b.ctx(3), { topics, timeoutMs: 5000, validateOnly });

test('grows each topic and waits for the new leaders', async () => {
  const res = await grow([{ name: 't', count: 3, assignments: [{ brokerIds: [1] }, { brokerIds: [1] }] }]);
  expect(res!.results).toEqual([{ name: 't', errorCode: ErrorCode.NONE, errorMessage: null }]);
  expect(b.topicAdmin.calls).toEqual(['grow t to 3 as [[1],[1]]', 'wait for leaders of t 5000']);
  expect(b.metadata.topics.get('t')!.partitions).toHaveLength(3);
  expect(b.logs.get('t', 2)).toBeDefined();
});

test('validate_only does not wait; a repeated topic and a broker that is not the controller are refused', async () => {
  await grow([{ name: 't', count: 2, assignments: null }], true);
  expect(b.topicAdmin.calls).toEqual(['grow t to 2 (validate only)']);
  const twice = await grow([{ name: 't', count: 2, assignments: null }, { name: 't', count: 3, assignments: null }]);
  expect(twice!.results.map((r) => [r.errorCode, r.errorMessage])).toEqual([
    [ErrorCode.INVALID_REQUEST, 'Duplicate topic in request.'],
    [ErrorCode.INVALID_REQUEST, 'Duplicate topic in request.'],
  ]);
  b.metadata.controller = 2;
  expect((await grow([{ name: 't', count: 2, assignments: null }]))!.results[0].errorCode).toBe(ErrorCode.NOT_CONTROLLER);
});
