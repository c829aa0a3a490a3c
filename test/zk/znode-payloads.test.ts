// Znode payloads against hand-written JSON in Kafka 3.9's shapes: exact keys and JSON types (some
// numbers are strings), and payloads as Kafka brokers and tools of other versions wrote them.

import {
  decodeBrokerRegistration,
  decodeClusterId,
  decodeConfigChange,
  decodeControllerEpoch,
  decodeControllerId,
  decodeEntityConfig,
  decodePartitionState,
  decodeTopicAssignment,
  encodeBrokerRegistration,
  encodeClusterId,
  encodeController,
  encodeControllerEpoch,
  decodeFeatures,
  encodeFeatures,
  encodeEntityConfig,
  encodePartitionState,
  encodeTopicAssignment,
} from '../../src/zk/znode-payloads';

const text = (b: Buffer) => b.toString('utf8');
/** Same keys, values and JSON types, whatever the key order. */
const sameJson = (b: Buffer, expected: string) => expect(JSON.parse(text(b))).toStrictEqual(JSON.parse(expected));

describe('broker registration /brokers/ids/<id>', () => {
  const endpoints = [
    { listener: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: 'kafka1', port: 9092 },
    { listener: 'CLIENT', securityProtocol: 'SSL', host: 'kafka1', port: 9093 },
  ];

  it('is Kafka v5 JSON: string timestamp, host/port of the PLAINTEXT endpoint, empty features', () => {
    const data = encodeBrokerRegistration({ id: 1, endpoints, rack: null }, 1700000000123);
    expect(text(data)).toBe(
      '{"features":{},"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT","CLIENT":"SSL"},' +
        '"endpoints":["PLAINTEXT://kafka1:9092","CLIENT://kafka1:9093"],"jmx_port":-1,"port":9092,"host":"kafka1",' +
        '"version":5,"timestamp":"1700000000123"}',
    );
  });

  it('has rack when set, null host and port -1 without a PLAINTEXT endpoint, IPv6 hosts in brackets', () => {
    const data = encodeBrokerRegistration({ id: 2, endpoints: [{ listener: 'SECURE', securityProtocol: 'SSL', host: '::1', port: 9093 }], rack: 'r1' }, 5);
    sameJson(
      data,
      '{"features":{},"listener_security_protocol_map":{"SECURE":"SSL"},"endpoints":["SECURE://[::1]:9093"],' +
        '"jmx_port":-1,"port":-1,"host":null,"rack":"r1","version":5,"timestamp":"5"}',
    );
    expect(decodeBrokerRegistration(2, data)).toEqual({ id: 2, rack: 'r1', endpoints: [{ listener: 'SECURE', securityProtocol: 'SSL', host: '::1', port: 9093 }] });
  });

  it('reads what Kafka 2.x wrote: v4 without features', () => {
    const v4 =
      '{"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT","CLIENT":"SSL"},"endpoints":["PLAINTEXT://kafka1:9092","CLIENT://kafka1:9093"],' +
      '"rack":"dc1","jmx_port":9999,"host":"kafka1","timestamp":"1561497574813","port":9092,"version":4}';
    expect(decodeBrokerRegistration(1, Buffer.from(v4))).toEqual({ id: 1, rack: 'dc1', endpoints });
  });

  it('reads v2 (protocol named by the listener) and v1 (host and port only)', () => {
    const v2 = '{"version":2,"host":"h","port":9092,"jmx_port":-1,"timestamp":"1","endpoints":["PLAINTEXT://h:9092","SSL://h:9093"]}';
    expect(decodeBrokerRegistration(3, Buffer.from(v2)).endpoints.map((e) => e.securityProtocol)).toEqual(['PLAINTEXT', 'SSL']);
    const v1 = '{"version":1,"host":"old","port":9092,"jmx_port":-1,"timestamp":"1"}';
    expect(decodeBrokerRegistration(4, Buffer.from(v1))).toEqual({
      id: 4,
      rack: null,
      endpoints: [{ listener: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: 'old', port: 9092 }],
    });
  });
});

describe('controller', () => {
  it('/controller is v2 with a string timestamp and kraftControllerEpoch -1', () => {
    expect(text(encodeController(1, 1700000000000))).toBe('{"version":2,"brokerid":1,"timestamp":"1700000000000","kraftControllerEpoch":-1}');
    expect(decodeControllerId(Buffer.from('{"version":1,"brokerid":3,"timestamp":"1"}'))).toBe(3);
  });

  it('/controller_epoch is a plain integer', () => {
    expect(text(encodeControllerEpoch(7))).toBe('7');
    expect(decodeControllerEpoch(Buffer.from('12'))).toBe(12);
  });
});

describe('/cluster/id', () => {
  it('has a string version', () => {
    expect(text(encodeClusterId('Gu_JihjW4jZt-Hf4U-Af4w'))).toBe('{"version":"1","id":"Gu_JihjW4jZt-Hf4U-Af4w"}');
    expect(decodeClusterId(Buffer.from('{"id":"abc","version":"1"}'))).toBe('abc');
  });
});

describe('topic assignment /brokers/topics/<t>', () => {
  it('is v3 with string partition keys and topic_id', () => {
    const data = encodeTopicAssignment({ replicas: [[1, 2], [2, 3]], topicId: 'ZOLr9CLNQjSW70hyIHx6BQ', addingReplicas: {}, removingReplicas: {} });
    expect(text(data)).toBe(
      '{"version":3,"partitions":{"0":[1,2],"1":[2,3]},"adding_replicas":{},"removing_replicas":{},"topic_id":"ZOLr9CLNQjSW70hyIHx6BQ"}',
    );
  });

  it('reads Kafka key order, and topics written without a topic id by old tools', () => {
    const kafka = '{"removing_replicas":{},"partitions":{"1":[0],"0":[1]},"topic_id":"ZOLr9CLNQjSW70hyIHx6BQ","adding_replicas":{"1":[2]},"version":3}';
    expect(decodeTopicAssignment('t', Buffer.from(kafka))).toEqual({
      replicas: [[1], [0]],
      topicId: 'ZOLr9CLNQjSW70hyIHx6BQ',
      addingReplicas: { '1': [2] },
      removingReplicas: {},
    });
    const old = decodeTopicAssignment('t', Buffer.from('{"version":1,"partitions":{"0":[1,2]}}'));
    expect(old).toEqual({ replicas: [[1, 2]], topicId: null, addingReplicas: {}, removingReplicas: {} });
    sameJson(encodeTopicAssignment(old), '{"version":3,"partitions":{"0":[1,2]},"adding_replicas":{},"removing_replicas":{}}');
  });
});

describe('partition state', () => {
  it('is version 1 with numeric fields and no leader_recovery_state when recovered', () => {
    const data = encodePartitionState({ leader: 2, leaderEpoch: 0, isr: [2, 1], controllerEpoch: 3, leaderRecoveryState: 0 });
    expect(text(data)).toBe('{"controller_epoch":3,"leader":2,"version":1,"leader_epoch":0,"isr":[2,1]}');
  });

  it('reads leader_recovery_state when Kafka wrote one', () => {
    const kafka = '{"controller_epoch":3,"leader":-1,"version":1,"leader_epoch":5,"isr":[2],"leader_recovery_state":1}';
    const state = decodePartitionState(Buffer.from(kafka));
    expect(state).toEqual({ leader: -1, leaderEpoch: 5, isr: [2], controllerEpoch: 3, leaderRecoveryState: 1 });
    sameJson(encodePartitionState(state), kafka);
  });
});

describe('configs', () => {
  it('/config/topics/<t> has string values', () => {
    expect(text(encodeEntityConfig({ 'retention.ms': '1000', 'cleanup.policy': 'compact' }))).toBe(
      '{"version":1,"config":{"retention.ms":"1000","cleanup.policy":"compact"}}',
    );
    expect(decodeEntityConfig(Buffer.from('{"version":1,"config":{"segment.bytes":"1024"}}'))).toEqual({ 'segment.bytes': '1024' });
    expect(decodeEntityConfig(null)).toEqual({});
  });

  it('change notifications name an entity path (v2), or type and entity apart (v1)', () => {
    expect(decodeConfigChange(Buffer.from('{"version":2,"entity_path":"topics/t"}'))).toBe('topics/t');
    expect(decodeConfigChange(Buffer.from('{"version":1,"entity_type":"topics","entity_name":"t"}'))).toBe('topics/t');
  });
});

it('/feature as a ZooKeeper-mode controller creates it', () => {
  sameJson(encodeFeatures(new Map()), '{"features":{},"version":2,"status":1}');
  sameJson(encodeFeatures(new Map([['group.version', 1]])), '{"features":{"group.version":{"max_version_level":1}},"version":2,"status":1}');
  const v1 = decodeFeatures(Buffer.from('{"version":1,"status":1,"features":{"f":{"min_version_level":1,"max_version_level":3}}}'));
  expect([v1.version, v1.status, [...v1.features]]).toEqual([1, 1, [['f', 3]]]);
  expect(() => decodeFeatures(Buffer.from('{"version":1,"status":1,"features":{"f":{"max_version_level":3}}}'))).toThrow();
  expect(() => decodeFeatures(Buffer.from('{"version":2,"status":1,"features":{"f":{"max_version_level":0}}}'))).toThrow('Expected maxValue >= 1, but received maxValue: 0');
  expect(() => decodeFeatures(Buffer.from('{"version":3,"status":1,"features":{}}'))).toThrow('Unsupported version: 3');
  expect(() => decodeFeatures(Buffer.from('{"version":2,"status":7,"features":{}}'))).toThrow('Malformed status: 7');
});
