// DescribeConfigs against a broker process: topic overrides, broker settings and defaults with their
// sources, key filters and synonyms; kafkajs's admin reads the same.

import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { Apis, ErrorCode } from '../../protocol';
import { KafkaConnection } from '../../src/client/kafka-connection';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { connectClient } from '../helpers/test-client';

let broker: BrokerProcess;
let client: KafkaConnection;

beforeAll(async () => {
  broker = await startBroker({ props: { 'log.retention.hours': 48, 'log.retention.ms': 172800000 } });
  client = await connectClient(broker.port);
  await client.request(Apis.CreateTopics, 7, {
    topics: [{ name: 'configured', numPartitions: 1, replicationFactor: 1, configs: [{ name: 'cleanup.policy', value: 'compact' }] }],
    timeoutMs: 1000,
  });
});

afterAll(async () => {
  client.close();
  await cleanup(broker);
});

test('topic configs carry their source and synonyms', async () => {
  const res = await client.request(Apis.DescribeConfigs, 4, {
    resources: [{ resourceType: 2, resourceName: 'configured', configurationKeys: ['cleanup.policy', 'retention.ms', 'segment.bytes'] }],
    includeSynonyms: true,
  });
  const byName = Object.fromEntries(res.results[0].configs.map((c: { name: string; synonyms: { name: string; source: number }[] }) => [c.name, c]));
  expect(byName['cleanup.policy']).toMatchObject({ value: 'compact', configSource: 1 });
  expect(byName['retention.ms']).toMatchObject({ value: '172800000', configSource: 4 });
  // Kafka's order: every synonym key's static setting, then the defaults (log.retention.ms has none).
  expect(byName['retention.ms'].synonyms.map((s: { name: string; source: number }) => [s.name, s.source])).toEqual([
    ['log.retention.ms', 4],
    ['log.retention.hours', 4],
    ['log.retention.hours', 5],
  ]);
  expect(byName['segment.bytes']).toMatchObject({ value: '1073741824', configSource: 5 });
  expect(Object.keys(byName)).toHaveLength(3);
});

test('an empty key list means every key, as a null one does', async () => {
  const res = await client.request(Apis.DescribeConfigs, 4, { resources: [{ resourceType: 2, resourceName: 'configured', configurationKeys: [] }] });
  expect(res.results[0].configs.length).toBeGreaterThan(30);
});

test('unknown topics and foreign broker ids are refused per resource', async () => {
  const res = await client.request(Apis.DescribeConfigs, 1, {
    resources: [
      { resourceType: 2, resourceName: 'missing', configurationKeys: null },
      { resourceType: 4, resourceName: '77', configurationKeys: null },
      { resourceType: 4, resourceName: '0', configurationKeys: ['broker.id'] },
    ],
  });
  expect(res.results.map((r: { errorCode: number }) => r.errorCode)).toEqual([ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.INVALID_REQUEST, ErrorCode.NONE]);
  expect(res.results[2].configs).toEqual([expect.objectContaining({ name: 'broker.id', value: '0', readOnly: true, configSource: 4 })]);
});

test('kafkajs admin describes topic configs', async () => {
  const admin = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const { resources } = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: 'configured', configNames: ['cleanup.policy'] }], includeSynonyms: false });
    expect(resources[0].configEntries).toEqual([expect.objectContaining({ configName: 'cleanup.policy', configValue: 'compact', isDefault: false })]);
  } finally {
    await admin.disconnect();
  }
});
