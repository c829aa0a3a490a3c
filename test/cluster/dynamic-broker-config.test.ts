// Dynamic broker configs in-process: the layers (this broker's dynamic configs, the cluster-wide
// dynamic defaults, server.properties, Kafka's defaults) as DescribeConfigs reports them, Kafka's
// checks and messages, the live config updated in place, and stored configs this broker cannot use.

import { ErrorCode, KafkaError } from '../../protocol';
import { ConfigSource } from '../../src/cluster/config-synonyms';
import { DynamicBrokerConfig } from '../../src/cluster/dynamic-broker-config';
import { EntityConfigStore } from '../../src/cluster/entity-configs';
import { BrokerConfig } from '../../src/config';
import { brokerConfig } from '../handlers/fake-context';

const { DYNAMIC_BROKER_CONFIG, DYNAMIC_DEFAULT_BROKER_CONFIG, STATIC_BROKER_CONFIG, DEFAULT_CONFIG } = ConfigSource;

let config: BrokerConfig;
let entities: EntityConfigStore;
let warnings: string[];
let dynamic: DynamicBrokerConfig;

beforeEach(() => {
  config = brokerConfig({ 'broker.id': 1, 'log.retention.ms': 3_600_000, 'ssl.key.password': 'secret' });
  entities = new EntityConfigStore();
  warnings = [];
  dynamic = new DynamicBrokerConfig(config, 1, entities, async (path, configs) => void entities.set(path, configs), (line) => warnings.push(line));
});

const byName = <C extends { name: string }>(configs: C[]) => Object.fromEntries(configs.map((c) => [c.name, c]));

test('the most specific layer gives the value; synonyms list every layer that sets it', () => {
  entities.set('brokers/<default>', { 'log.retention.ms': '5000' });
  entities.set('brokers/1', { 'message.max.bytes': '4096' });
  const c = byName(dynamic.describe('1'));
  expect(c['log.retention.ms']).toMatchObject({ value: '5000', configSource: DYNAMIC_DEFAULT_BROKER_CONFIG, readOnly: false });
  expect(c['log.retention.ms'].synonyms).toEqual([
    { name: 'log.retention.ms', value: '5000', source: DYNAMIC_DEFAULT_BROKER_CONFIG },
    { name: 'log.retention.ms', value: '3600000', source: STATIC_BROKER_CONFIG },
    { name: 'log.retention.hours', value: '168', source: DEFAULT_CONFIG },
  ]);
  expect(c['message.max.bytes']).toMatchObject({ value: '4096', configSource: DYNAMIC_BROKER_CONFIG, readOnly: false });
  expect(c['broker.id']).toMatchObject({ value: '1', configSource: STATIC_BROKER_CONFIG, readOnly: true });
  expect(c['inter.broker.protocol.version']).toMatchObject({ value: '3.9-IV0', configSource: DEFAULT_CONFIG, readOnly: true });
  expect(c['ssl.key.password']).toMatchObject({ value: null, isSensitive: true, synonyms: [{ name: 'ssl.key.password', value: null, source: STATIC_BROKER_CONFIG }] });
});

test('the cluster default resource lists the dynamic defaults alone, without what one broker set', () => {
  entities.set('brokers/<default>', { 'log.retention.ms': '5000' });
  entities.set('brokers/1', { 'log.retention.ms': '9000' });
  const configs = dynamic.describe('');
  expect(configs.map((c) => [c.name, c.value, c.configSource])).toEqual([['log.retention.ms', '5000', DYNAMIC_DEFAULT_BROKER_CONFIG]]);
  expect(configs[0].synonyms.map((s) => s.source)).toEqual([DYNAMIC_DEFAULT_BROKER_CONFIG, STATIC_BROKER_CONFIG, DEFAULT_CONFIG]);
  expect(() => dynamic.describe('2')).toThrow(new KafkaError(ErrorCode.INVALID_REQUEST, 'Unexpected broker id, expected 1 or empty string, but received 2'));
});

test('reload updates the live config in place, per-broker over default over static', () => {
  entities.set('brokers/<default>', { 'log.retention.ms': '5000', 'message.max.bytes': '2000' });
  expect(dynamic.reload()).toBe(true);
  expect([config.logRetentionMs, config.messageMaxBytes]).toEqual([5000, 2000]);
  entities.set('brokers/1', { 'message.max.bytes': '4096' });
  expect(dynamic.reload()).toBe(true);
  expect([config.logRetentionMs, config.messageMaxBytes]).toEqual([5000, 4096]);
  expect(dynamic.reload()).toBe(false);
  expect(config.props.get('message.max.bytes')).toBeUndefined();
  entities.set('brokers/<default>', {});
  entities.set('brokers/1', {});
  expect(dynamic.reload()).toBe(true);
  expect([config.logRetentionMs, config.messageMaxBytes]).toEqual([3_600_000, 1048588]);
});

test('stored configs a broker may not change dynamically are skipped with a warning', () => {
  entities.set('brokers/<default>', { 'broker.id': '7', listeners: 'PLAINTEXT://:1', 'log.retention.ms': '5000' });
  dynamic.reload();
  expect([config.brokerId, config.logRetentionMs]).toEqual([1, 5000]);
  expect(warnings.join('\n')).toMatch(/broker\.id/);
  expect(warnings.join('\n')).toMatch(/listeners/);
});

describe("alter checks as Kafka's DynamicBrokerConfig.validate, in Kafka's order", () => {
  const refusal = async (resource: string, configs: Record<string, string>) => {
    try {
      await dynamic.alter(resource, configs, false);
    } catch (err) {
      expect((err as KafkaError).code).toBe(ErrorCode.INVALID_REQUEST);
      return (err as Error).message.replace(`Invalid config value for resource ConfigResource(type=BROKER, name='${resource}'): `, '');
    }
    throw new Error('accepted');
  };

  test.each([
    [{ 'broker.id': '2', 'log.retention.ms': 'x' }, 'Cannot update these configs dynamically: Set(broker.id)'],
    [{ 'ssl.keystore.location': '/k' }, 'These security configs can be dynamically updated only per-listener using the listener prefix: Set(ssl.keystore.location)'],
    [{ 'log.retention.ms': 'abc' }, 'Invalid value abc for configuration log.retention.ms: Not a number of type LONG'],
    [{ 'log.segment.bytes': '10' }, 'Invalid value 10 for configuration log.segment.bytes: Value must be at least 14'],
    [{ 'unclean.leader.election.enable': 'maybe' }, 'Invalid value maybe for configuration unclean.leader.election.enable: Expected value to be either true or false'],
  ])('%j is refused', async (configs, message) => {
    expect(await refusal('1', configs)).toBe(message);
    expect(entities.list()).toEqual([]);
  });

  test('per-broker keys only for one broker', async () => {
    expect(await refusal('', { listeners: 'PLAINTEXT://:1' })).toBe('Cannot update these configs at default cluster level, broker id must be specified: Set(listeners)');
  });

  test('validate_only stores nothing; a valid change is stored for the entity', async () => {
    await dynamic.alter('1', { 'log.retention.ms': '1000' }, true);
    expect(entities.list()).toEqual([]);
    await dynamic.alter('1', { 'log.retention.ms': '1000' }, false);
    await dynamic.alter('', { 'message.max.bytes': '3000' }, false);
    expect(entities.all()).toEqual({ 'brokers/1': { 'log.retention.ms': '1000' }, 'brokers/<default>': { 'message.max.bytes': '3000' } });
    expect(dynamic.stored('1')).toEqual({ 'log.retention.ms': '1000' });
  });
});
