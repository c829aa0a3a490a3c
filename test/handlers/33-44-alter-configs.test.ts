// AlterConfigs and IncrementalAlterConfigs in-process: topic overrides replaced or changed key by
// key, validate_only, Kafka's per-resource errors, the logs taking the new configs at once, and
// broker resources: this broker's id or the cluster default, checked as Kafka checks dynamic broker configs.

import { Apis, ErrorCode } from '../../protocol';
import alterConfigs from '../../src/handlers/33-alter-configs';
import incrementalAlterConfigs from '../../src/handlers/44-incremental-alter-configs';
import { TestBroker, addTopic, call, testBroker, topicInfo } from './fake-context';

const TOPIC = 2;
const BROKER = 4;
const [SET, DELETE, APPEND, SUBTRACT] = [0, 1, 2, 3];

let b: TestBroker;
beforeEach(async () => {
  b = await testBroker();
  addTopic(b.metadata, b.logs, topicInfo('t', 1, { 'retention.ms': '60000', 'cleanup.policy': 'delete' }));
});
afterEach(() => b.close());

const alter = (resources: { resourceType: number; resourceName: string; configs: { name: string; value: string | null }[] }[], validateOnly = false) =>
  call<typeof Apis.AlterConfigs>(alterConfigs, b.ctx(2), { resources, validateOnly });
const incremental = (configs: { name: string; configOperation: number; value: string | null }[], validateOnly = false, resourceName = 't') =>
  call<typeof Apis.IncrementalAlterConfigs>(incrementalAlterConfigs, b.ctx(1), { resources: [{ resourceType: TOPIC, resourceName, configs }], validateOnly });
const overrides = () => b.metadata.topics.get('t')!.configs;

test('AlterConfigs replaces the overrides and the log takes them at once', async () => {
  const res = await alter([{ resourceType: TOPIC, resourceName: 't', configs: [{ name: 'max.message.bytes', value: '2048' }, { name: 'segment.ms', value: null }] }]);
  expect(res!.responses).toEqual([{ errorCode: ErrorCode.NONE, errorMessage: null, resourceType: TOPIC, resourceName: 't' }]);
  expect(overrides()).toEqual({ 'max.message.bytes': '2048' });
  expect(b.logs.get('t', 0)!.config.maxMessageBytes).toBe(2048);
});

test('validate_only checks and changes nothing; each resource fails alone with Kafka\'s error', async () => {
  const res = await alter(
    [
      { resourceType: TOPIC, resourceName: 't', configs: [{ name: 'retention.ms', value: '1' }] },
      { resourceType: TOPIC, resourceName: 'missing', configs: [] },
      { resourceType: TOPIC, resourceName: 't', configs: [{ name: 'no.such.config', value: '1' }] },
      { resourceType: TOPIC, resourceName: '', configs: [] },
      { resourceType: BROKER, resourceName: '1', configs: [{ name: 'log.retention.ms', value: '1' }] },
      { resourceType: BROKER, resourceName: '2', configs: [{ name: 'log.retention.ms', value: '1' }] },
      { resourceType: BROKER, resourceName: '', configs: [{ name: 'broker.id', value: '3' }] },
      { resourceType: 3, resourceName: 'g', configs: [] },
    ],
    true,
  );
  expect(res!.responses.map((r) => [r.resourceName, r.errorCode, r.errorMessage])).toEqual([
    ['t', ErrorCode.NONE, null],
    ['missing', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "The topic 'missing' does not exist."],
    ['t', ErrorCode.INVALID_CONFIG, 'Unknown topic config name: no.such.config'],
    ['', ErrorCode.INVALID_REQUEST, 'Default topic resources are not allowed.'],
    ['1', ErrorCode.NONE, null],
    ['2', ErrorCode.INVALID_REQUEST, 'Unexpected broker id, expected 1, but received 2'],
    ['', ErrorCode.INVALID_REQUEST, "Invalid config value for resource ConfigResource(type=BROKER, name=''): Cannot update these configs dynamically: Set(broker.id)"],
    ['g', ErrorCode.INVALID_REQUEST, 'AlterConfigs is only supported for topics and brokers, but resource type is 3'],
  ]);
  expect(overrides()).toEqual({ 'retention.ms': '60000', 'cleanup.policy': 'delete' });
  expect(b.services.brokerConfigs.stored('1')).toEqual({});
});

test('broker resources: AlterConfigs replaces the dynamic configs, IncrementalAlterConfigs changes them key by key', async () => {
  const brokerOps = (resourceName: string, configs: { name: string; configOperation: number; value: string | null }[]) =>
    call<typeof Apis.IncrementalAlterConfigs>(incrementalAlterConfigs, b.ctx(1), { resources: [{ resourceType: BROKER, resourceName, configs }], validateOnly: false });
  let res = await alter([{ resourceType: BROKER, resourceName: '', configs: [{ name: 'log.retention.ms', value: '5000' }, { name: 'message.max.bytes', value: '2000' }] }]);
  expect(res!.responses[0].errorCode).toBe(ErrorCode.NONE);
  expect(b.services.brokerConfigs.stored('')).toEqual({ 'log.retention.ms': '5000', 'message.max.bytes': '2000' });
  res = await alter([{ resourceType: BROKER, resourceName: '', configs: [{ name: 'log.retention.ms', value: '7000' }] }]);
  expect(b.services.brokerConfigs.stored('')).toEqual({ 'log.retention.ms': '7000' });
  const inc = await brokerOps('1', [
    { name: 'log.cleanup.policy', configOperation: APPEND, value: 'compact' },
    { name: 'message.max.bytes', configOperation: SET, value: '4096' },
  ]);
  expect(inc!.responses[0]).toMatchObject({ errorCode: ErrorCode.NONE, errorMessage: null });
  expect(b.services.brokerConfigs.stored('1')).toEqual({ 'log.cleanup.policy': 'delete,compact', 'message.max.bytes': '4096' });
  const del = await brokerOps('1', [{ name: 'message.max.bytes', configOperation: DELETE, value: null }, { name: 'log.retention.ms', configOperation: APPEND, value: '1' }]);
  expect(del!.responses[0]).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Config value append is not allowed for config key: log.retention.ms' });
  const perBroker = await brokerOps('', [{ name: 'listeners', configOperation: SET, value: 'PLAINTEXT://:9093' }]);
  expect(perBroker!.responses[0].errorMessage).toBe(
    "Invalid config value for resource ConfigResource(type=BROKER, name=''): Cannot update these configs at default cluster level, broker id must be specified: Set(listeners)",
  );
});

test('IncrementalAlterConfigs sets and deletes keys, appends to and subtracts from lists', async () => {
  let res = await incremental([
    { name: 'retention.ms', configOperation: DELETE, value: null },
    { name: 'segment.bytes', configOperation: SET, value: '1048576' },
    { name: 'cleanup.policy', configOperation: APPEND, value: 'compact' },
  ]);
  expect(res!.responses[0].errorCode).toBe(ErrorCode.NONE);
  expect(overrides()).toEqual({ 'segment.bytes': '1048576', 'cleanup.policy': 'delete,compact' });
  res = await incremental([{ name: 'cleanup.policy', configOperation: SUBTRACT, value: 'delete' }]);
  expect(overrides()['cleanup.policy']).toBe('compact');
  expect(b.logs.get('t', 0)!.config.cleanupPolicy).toEqual(['compact']);
});

test('IncrementalAlterConfigs refuses list operations on other keys, repeated keys and bad values', async () => {
  const errors = async (configs: Parameters<typeof incremental>[0]) => {
    const r = (await incremental(configs))!.responses[0];
    return [r.errorCode, r.errorMessage];
  };
  expect(await errors([{ name: 'retention.ms', configOperation: APPEND, value: '1' }])).toEqual([ErrorCode.INVALID_REQUEST, 'Config value append is not allowed for config key: retention.ms']);
  expect(await errors([{ name: 'retention.ms', configOperation: SUBTRACT, value: '1' }])).toEqual([ErrorCode.INVALID_REQUEST, 'Config value subtract is not allowed for config key: retention.ms']);
  expect(await errors([{ name: 'nope', configOperation: APPEND, value: '1' }])).toEqual([ErrorCode.INVALID_CONFIG, 'Unknown topic config name: nope']);
  expect((await errors([{ name: 'retention.ms', configOperation: SET, value: '1' }, { name: 'retention.ms', configOperation: DELETE, value: null }]))[0]).toBe(ErrorCode.INVALID_REQUEST);
  expect((await errors([{ name: 'retention.ms', configOperation: SET, value: 'soon' }]))[0]).toBe(ErrorCode.INVALID_CONFIG);
  expect(overrides()).toEqual({ 'retention.ms': '60000', 'cleanup.policy': 'delete' });
});
