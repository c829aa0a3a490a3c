// DescribeConfigs in-process: topic configs with their source (override, broker setting, default),
// synonyms (v1+, when asked), config types (v3+), v0's is_default, key filters, broker configs for
// this broker only, and per-resource errors.

import { Apis, ErrorCode, MessageInput } from '../../protocol';
import { TOPIC_CONFIGS } from '../../src/cluster/topic-configs';
import describeConfigs from '../../src/handlers/32-describe-configs';
import { TestBroker, addTopic, call, testBroker, topicInfo } from './fake-context';

type Body = MessageInput<typeof Apis.DescribeConfigs.request>;
type Resource = NonNullable<Body['resources']>[number];

const TOPIC = 2;
const BROKER = 4;
const [DYNAMIC_TOPIC_CONFIG, STATIC_BROKER_CONFIG, DEFAULT_CONFIG] = [1, 4, 5];
const LONG = 5;

let b: TestBroker;
beforeEach(async () => {
  b = await testBroker({}, { 'log.retention.ms': 3_600_000, 'log.segment.bytes': 1_048_576 });
  addTopic(b.metadata, b.logs, topicInfo('t', 1, { 'retention.ms': '60000', 'cleanup.policy': 'compact' }));
});
afterEach(() => b.close());

const describeResources = (version: number, resources: Resource[], includeSynonyms = false) =>
  call<typeof Apis.DescribeConfigs>(describeConfigs, b.ctx(version), { resources, includeSynonyms });
const topic = (configurationKeys: string[] | null): Resource => ({ resourceType: TOPIC, resourceName: 't', configurationKeys });
const byName = <C extends { name: string }>(configs: C[]) => Object.fromEntries(configs.map((c) => [c.name, c]));

test('a topic config comes from its override, else the broker setting, else the default, with synonyms in that order', async () => {
  const res = await describeResources(4, [topic(['retention.ms', 'segment.bytes', 'segment.ms'])], true);
  const r = res!.results[0];
  expect(r).toMatchObject({ errorCode: ErrorCode.NONE, errorMessage: null, resourceType: TOPIC, resourceName: 't' });
  const c = byName(r.configs);
  expect(Object.keys(c).sort()).toEqual(['retention.ms', 'segment.bytes', 'segment.ms']);
  expect(c['retention.ms']).toMatchObject({ value: '60000', configSource: DYNAMIC_TOPIC_CONFIG, readOnly: false, isSensitive: false, configType: LONG, documentation: null });
  expect(c['retention.ms'].synonyms).toEqual([
    { name: 'retention.ms', value: '60000', source: DYNAMIC_TOPIC_CONFIG },
    { name: 'log.retention.ms', value: '3600000', source: STATIC_BROKER_CONFIG },
    { name: 'log.retention.hours', value: '168', source: DEFAULT_CONFIG },
  ]);
  expect(c['segment.bytes']).toMatchObject({ value: '1048576', configSource: STATIC_BROKER_CONFIG });
  expect(c['segment.ms']).toMatchObject({ configSource: DEFAULT_CONFIG });
});

test('synonyms only when asked for (v1+)', async () => {
  const unasked = await describeResources(1, [topic(['retention.ms'])], false);
  expect(unasked!.results[0].configs[0].synonyms).toEqual([]);
  const asked = await describeResources(1, [topic(['retention.ms'])], true);
  expect(asked!.results[0].configs[0].synonyms.map((s) => s.source)).toEqual([DYNAMIC_TOPIC_CONFIG, STATIC_BROKER_CONFIG, DEFAULT_CONFIG]);
});

test('v0 says which values are defaults', async () => {
  const res = await describeResources(0, [topic(['cleanup.policy', 'segment.bytes', 'segment.ms'])]);
  expect(res!.results[0].configs.map((c) => [c.name, c.value, c.isDefault])).toEqual([
    ['cleanup.policy', 'compact', false],
    ['segment.bytes', '1048576', false],
    ['segment.ms', '604800000', true],
  ]);
});

test('a null or empty key list means every key; unknown keys are left out', async () => {
  const all = Object.keys(TOPIC_CONFIGS).sort();
  expect((await describeResources(4, [topic(null)]))!.results[0].configs.map((c) => c.name).sort()).toEqual(all);
  expect((await describeResources(4, [topic([])]))!.results[0].configs.map((c) => c.name).sort()).toEqual(all);
  expect((await describeResources(4, [topic(['no.such.config'])]))!.results[0].configs).toEqual([]);
});

test('broker configs: this broker id only, read-only, from server.properties or the default', async () => {
  const res = await describeResources(4, [
    { resourceType: BROKER, resourceName: '1', configurationKeys: ['broker.id', 'log.retention.ms', 'num.partitions'] },
    { resourceType: BROKER, resourceName: '2', configurationKeys: null },
  ]);
  const [own, other] = res!.results;
  expect(own.errorCode).toBe(ErrorCode.NONE);
  const c = byName(own.configs);
  expect(c['broker.id']).toMatchObject({ value: '1', readOnly: true, configSource: STATIC_BROKER_CONFIG });
  expect(c['log.retention.ms']).toMatchObject({ value: '3600000', configSource: STATIC_BROKER_CONFIG });
  expect(c['num.partitions']).toMatchObject({ value: '1', configSource: DEFAULT_CONFIG });
  expect(other).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Unexpected broker id, expected 1 or empty string, but received 2', configs: [] });
});

test('each resource fails alone: unknown topics and unsupported resource types', async () => {
  const res = await describeResources(2, [{ resourceType: TOPIC, resourceName: 'missing', configurationKeys: null }, { resourceType: 99, resourceName: 'x', configurationKeys: null }, topic(['cleanup.policy'])]);
  expect(res!.results.map((r) => [r.resourceName, r.errorCode, r.configs.length])).toEqual([
    ['missing', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 0],
    ['x', ErrorCode.INVALID_REQUEST, 0],
    ['t', ErrorCode.NONE, 1],
  ]);
});

// Kafka's ConfigHelper answers the "" broker resource with the cluster-wide dynamic defaults
// (dynamicConfig.currentDynamicDefaultConfigs); with no dynamic configs there are none to list.
test('the cluster-default broker resource ("") lists only dynamic defaults: none here', async () => {
  const res = await describeResources(4, [{ resourceType: BROKER, resourceName: '', configurationKeys: null }]);
  expect(res!.results[0]).toMatchObject({ errorCode: ErrorCode.NONE, configs: [] });
});

describe("synonyms follow Kafka's rules (ConfigHelper.configSynonyms)", () => {
  const describeWith = async (props: Record<string, string | number>, keys: string[]) => {
    b.close();
    b = await testBroker({}, props);
    addTopic(b.metadata, b.logs, topicInfo('t', 1));
    return byName((await describeResources(4, [topic(keys)], true))!.results[0].configs);
  };

  test('a broker key without a default of its own has no synonyms: those before it are dropped', async () => {
    const c = await describeWith({}, ['retention.ms', 'segment.ms', 'segment.jitter.ms', 'flush.ms']);
    expect(Object.values(c).map((x) => [x.name, x.value, x.configSource, x.synonyms])).toEqual([
      ['flush.ms', '9223372036854775807', DEFAULT_CONFIG, []],
      ['retention.ms', '604800000', DEFAULT_CONFIG, []],
      ['segment.jitter.ms', '0', DEFAULT_CONFIG, []],
      ['segment.ms', '604800000', DEFAULT_CONFIG, []],
    ]);
  });

  test('a coarser broker key sets the value in milliseconds, yet is no synonym of the main key', async () => {
    const c = await describeWith({ 'log.retention.hours': 72, 'log.roll.hours': 1 }, ['retention.ms', 'segment.ms']);
    expect(c['retention.ms']).toMatchObject({ value: String(72 * 3_600_000), configSource: DEFAULT_CONFIG, synonyms: [] });
    expect(c['segment.ms']).toMatchObject({ value: '3600000', configSource: DEFAULT_CONFIG, synonyms: [] });
  });

  test('the main key set statically comes first, then the defaults of its synonyms', async () => {
    const c = await describeWith({ 'log.retention.ms': 1000, 'log.retention.minutes': 5 }, ['retention.ms']);
    expect(c['retention.ms']).toMatchObject({
      value: '1000',
      configSource: STATIC_BROKER_CONFIG,
      synonyms: [
        { name: 'log.retention.ms', value: '1000', source: STATIC_BROKER_CONFIG },
        { name: 'log.retention.minutes', value: '5', source: STATIC_BROKER_CONFIG },
        { name: 'log.retention.hours', value: '168', source: DEFAULT_CONFIG },
      ],
    });
  });

  test('every other topic config has its broker key with Kafka\'s default, or no synonym when no broker key sets it', async () => {
    const c = await describeWith({}, Object.keys(TOPIC_CONFIGS));
    const multi = new Set(['retention.ms', 'segment.ms', 'segment.jitter.ms', 'flush.ms']);
    for (const [name, def] of Object.entries(TOPIC_CONFIGS)) {
      if (multi.has(name)) continue;
      const expected = def.brokerKey && def.defaultValue !== null ? [{ name: def.brokerKey, value: def.defaultValue, source: DEFAULT_CONFIG }] : [];
      expect([name, c[name].synonyms]).toEqual([name, expected]);
      expect([name, c[name].value, c[name].configSource]).toEqual([name, def.defaultValue, DEFAULT_CONFIG]);
    }
  });
});
