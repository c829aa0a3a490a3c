// CreateTopics in-process: creation through the topic admin and the wait for leaders, per-topic
// errors, duplicate names, validate_only, the v5+ counts and configs and the v7 topic id, and a
// broker that is not the controller refusing every topic.

import { Apis, ErrorCode, KafkaError, MessageInput } from '../../protocol';
import createTopics from '../../src/handlers/19-create-topics';
import { TestBroker, addTopic, call, testBroker, topicIdOf, topicInfo } from './fake-context';

type Body = MessageInput<typeof Apis.CreateTopics.request>;
type TopicBody = NonNullable<Body['topics']>[number];

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

let b: TestBroker;
beforeEach(async () => {
  b = await testBroker();
  addTopic(b.metadata, b.logs, topicInfo('existing', 1));
});
afterEach(() => b.close());

const topic = (name: string, extra: Partial<TopicBody> = {}): TopicBody => ({ name, numPartitions: 2, replicationFactor: 1, ...extra });
const send = (version: number, topics: TopicBody[], extra: Partial<Body> = {}) => call<typeof Apis.CreateTopics>(createTopics, b.ctx(version), { topics, timeoutMs: 1500, ...extra });

test('creates each topic and waits up to timeout_ms for its leaders', async () => {
  const res = await send(4, [topic('fresh', { configs: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'retention.ms', value: null }] })]);
  expect(res!.topics).toEqual([expect.objectContaining({ name: 'fresh', errorCode: ErrorCode.NONE, errorMessage: null })]);
  expect(b.topicAdmin.calls).toEqual(['create fresh', 'wait for leaders of fresh 1500']);
  expect(b.metadata.topics.get('fresh')!.partitions).toHaveLength(2);
  expect(b.metadata.topics.get('fresh')!.configs).toEqual({ 'cleanup.policy': 'compact' });
});

test('v5+ answer the partition count, replication factor and configs; v7 the topic id', async () => {
  const v5 = await send(5, [topic('five', { configs: [{ name: 'cleanup.policy', value: 'compact' }] })]);
  expect(v5!.topics[0]).toMatchObject({ numPartitions: 2, replicationFactor: 1 });
  const configs = Object.fromEntries(v5!.topics[0].configs!.map((c) => [c.name, c]));
  expect(configs['cleanup.policy']).toMatchObject({ value: 'compact', configSource: 1, readOnly: false });
  expect(configs['retention.ms']).toMatchObject({ value: '604800000', configSource: 5 });
  const v7 = await send(7, [topic('seven')]);
  expect(v7!.topics[0].topicId).toBe(b.metadata.topics.get('seven')!.id);
  expect(v7!.topics[0].topicId).not.toBe(ZERO_UUID);
});

test('validate_only (v1+) checks without creating or waiting, and answers no topic id', async () => {
  const res = await send(7, [topic('dry', { numPartitions: 3 })], { validateOnly: true });
  expect(res!.topics[0]).toMatchObject({ name: 'dry', errorCode: ErrorCode.NONE, topicId: ZERO_UUID, numPartitions: 3, replicationFactor: 1 });
  expect(b.topicAdmin.calls).toEqual(['create dry (validate only)']);
  expect(b.metadata.topics.get('dry')).toBeUndefined();
});

test('a topic named twice is INVALID_REQUEST for both entries; the others are created', async () => {
  const res = await send(7, [topic('twice'), topic('once'), topic('twice')]);
  expect(res!.topics.map((t) => [t.name, t.errorCode])).toEqual([
    ['twice', ErrorCode.INVALID_REQUEST],
    ['once', ErrorCode.NONE],
    ['twice', ErrorCode.INVALID_REQUEST],
  ]);
  expect(res!.topics[0].errorMessage).toBe('Create topics request from client `test-client` contains multiple entries for the following topics: twice');
  expect(b.metadata.topics.get('twice')).toBeUndefined();
});

test('errors of the topic admin are answered per topic with their message (v1+)', async () => {
  const admin = b.services.topicAdmin;
  const create = admin.createTopic.bind(admin);
  admin.createTopic = async (req, validateOnly) => {
    if (req.name === 'bad') throw new KafkaError(ErrorCode.INVALID_REPLICATION_FACTOR, 'Replication factor: 3 larger than available brokers: 1.');
    return create(req, validateOnly);
  };
  const res = await send(1, [topic('existing'), topic('bad'), topic('good')]);
  expect(res!.topics.map((t) => [t.name, t.errorCode, t.errorMessage])).toEqual([
    ['existing', ErrorCode.TOPIC_ALREADY_EXISTS, "Topic 'existing' already exists."],
    ['bad', ErrorCode.INVALID_REPLICATION_FACTOR, 'Replication factor: 3 larger than available brokers: 1.'],
    ['good', ErrorCode.NONE, null],
  ]);
});

test('the request is handed to the topic admin as given: counts, assignments and configs', async () => {
  const seen: unknown[] = [];
  b.services.topicAdmin.createTopic = async (req) => {
    seen.push(req);
    return topicInfo(req.name, 1);
  };
  await send(4, [topic('assigned', { numPartitions: -1, replicationFactor: -1, assignments: [{ partitionIndex: 0, brokerIds: [1] }], configs: [{ name: 'a', value: 'b' }] })]);
  expect(seen).toEqual([{ name: 'assigned', numPartitions: -1, replicationFactor: -1, assignments: [{ partitionIndex: 0, brokerIds: [1] }], configs: { a: 'b' } }]);
});

test('a broker that is not the controller answers NOT_CONTROLLER for every topic, without a message', async () => {
  b.metadata.controller = 2;
  const res = await send(7, [topic('x'), topic('existing')]);
  expect(res!.topics.map((t) => [t.name, t.errorCode, t.errorMessage, t.topicId])).toEqual([
    ['x', ErrorCode.NOT_CONTROLLER, null, ZERO_UUID],
    ['existing', ErrorCode.NOT_CONTROLLER, null, ZERO_UUID],
  ]);
  expect(b.topicAdmin.calls).toEqual([]);
  expect(topicIdOf('x')).not.toBe(ZERO_UUID);
});
