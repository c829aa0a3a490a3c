// Replication throttles in-process on fake time: the throttled replicas configs (Kafka's validation
// and parsing for one broker), the SimpleRate bound, the leader and follower rules (in-sync replicas
// never throttled, throttled traffic always recorded), and rates from the dynamic broker configs.

import { ErrorCode, KafkaError } from '../../protocol';
import { throttledPartitions, validateThrottledReplicas } from '../../src/cluster/throttled-replicas';
import { TopicInfo } from '../../src/cluster/topic';
import { ConfigError, validateBrokerValue } from '../../src/config';
import { validateTopicConfigs } from '../../src/cluster/topic-configs';
import { ReplicationQuotas } from '../../src/replication/replication-quotas';
import { FakeClock } from '../helpers/fake-clock';

const BROKER = 1;
const LEADER_REPLICAS = 'leader.replication.throttled.replicas';
const FOLLOWER_REPLICAS = 'follower.replication.throttled.replicas';

function invalid(configs: Record<string, string>): string {
  try {
    validateThrottledReplicas(configs);
  } catch (err) {
    expect((err as KafkaError).code).toBe(ErrorCode.INVALID_CONFIG);
    return (err as Error).message;
  }
  return 'valid';
}

test('throttled replicas are "*" or partition:broker entries, as Kafka validates a LIST config', () => {
  for (const value of ['*', ' * ', '', '0:1', '0:1,1:2', ' 0:1 , 12:3 ', '0:1,,1:2', '*,']) expect(invalid({ [LEADER_REPLICAS]: value })).toBe('valid');
  expect(invalid({ [FOLLOWER_REPLICAS]: '0:1, x' })).toBe(
    "Invalid value [0:1, x] for configuration follower.replication.throttled.replicas: follower.replication.throttled.replicas must be the literal '*' or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],...",
  );
  for (const value of ['*,0:1', '0-1', '0:', ':1', '0:1:2', 'all']) expect(invalid({ [LEADER_REPLICAS]: value })).not.toBe('valid');
  expect(invalid({ 'retention.ms': 'x' })).toBe('valid');
  // CreateTopics and (Incremental)AlterConfigs validate through validateTopicConfigs.
  expect(() => validateTopicConfigs({ [LEADER_REPLICAS]: '0:1,x' })).toThrow(/must be the literal '\*'/);
});

test('a broker throttles the partitions listed for it, or every partition with "*"', () => {
  expect(throttledPartitions('*', BROKER)).toBe('all');
  expect([...(throttledPartitions('0:1, 1:2, 2:1, 3:11', BROKER) as Set<number>)]).toEqual([0, 2]);
  expect((throttledPartitions('', BROKER) as Set<number>).size).toBe(0);
});

function setup() {
  const clock = new FakeClock(0);
  const topics = new Map<string, TopicInfo>();
  const view = { list: () => [...topics.values()], get: (name: string) => topics.get(name), getById: () => undefined };
  const topic = (name: string, configs: Record<string, string>, isr = [1, 2]) =>
    topics.set(name, { name, id: name, configs, partitions: [0, 1, 2].map(() => ({ replicas: [1, 2, 3], leader: 1, leaderEpoch: 0, isr })) });
  const quotas = new ReplicationQuotas({ replicationQuotaWindowNum: 11, replicationQuotaWindowSizeSeconds: 1 }, BROKER, view, clock);
  const layers = (dynamicBroker: Record<string, string>, dynamicDefault: Record<string, string> = {}) => ({ dynamicBroker, dynamicDefault, static: new Map<string, string>() });
  return { clock, topic, quotas, layers };
}

test('the rate is a SimpleRate: bytes over the time since the oldest sample, at least one window', () => {
  const { clock, quotas, layers } = setup();
  const { leader } = quotas;
  expect(leader.upperBound).toBe(Infinity);
  leader.record(1e12);
  expect(leader.isQuotaExceeded()).toBe(false);

  quotas.updateRates(layers({ 'leader.replication.throttled.rate': '1000' }));
  expect(leader.upperBound).toBe(1000);
  clock.advance(20_000); // the huge sample expires
  leader.record(1000);
  // 1000 bytes over one window (not samples - 1 of them): exactly the bound, which is acceptable.
  expect(leader.rate()).toBe(1000);
  expect(leader.isQuotaExceeded()).toBe(false);
  leader.record(1);
  expect(leader.isQuotaExceeded()).toBe(true);
  clock.advance(1500);
  // 1001 bytes over 1.5 s.
  expect(leader.rate()).toBeCloseTo(1001 / 1.5, 6);
  expect(leader.isQuotaExceeded()).toBe(false);
  // A sustained 2000 B/s stream reads as about that (the current sample's bytes over the time since
  // the oldest sample began: a little high, as Kafka's sampled rates read).
  for (let i = 0; i < 20; i++) {
    clock.advance(500);
    leader.record(1000);
  }
  expect(leader.rate()).toBeGreaterThan(1900);
  expect(leader.rate()).toBeLessThan(2200);
  expect(leader.isQuotaExceeded()).toBe(true);
});

test('a throttled rate is a long of at least 0, as DynamicConfig.Broker defines it', () => {
  expect(() => validateBrokerValue('leader.replication.throttled.rate', '5242880', 'long')).not.toThrow();
  expect(() => validateBrokerValue('follower.replication.throttled.rate', '-1', 'long')).toThrow(ConfigError);
  expect(() => validateBrokerValue('leader.replication.throttled.rate', 'fast', 'long')).toThrow(ConfigError);
});

test('rates: this broker\'s dynamic config, else the cluster default, else unbounded, changed live', () => {
  const { quotas, layers } = setup();
  quotas.updateRates(layers({ 'follower.replication.throttled.rate': '500' }, { 'follower.replication.throttled.rate': '700', 'leader.replication.throttled.rate': '900' }));
  expect([quotas.leader.upperBound, quotas.follower.upperBound]).toEqual([900, 500]);
  quotas.updateRates(layers({}, { 'leader.replication.throttled.rate': '9223372036854775807' }));
  expect([quotas.leader.upperBound, quotas.follower.upperBound]).toEqual([Infinity, Infinity]);
});

test('the leader leaves out a throttled partition only for a follower out of the ISR while over the quota', () => {
  const { topic, quotas, layers } = setup();
  topic('t', { [LEADER_REPLICAS]: '0:1,2:3' }, [1, 2]);
  topic('u', {});
  const leader = quotas.forLeader;
  quotas.updateRates(layers({ 'leader.replication.throttled.rate': '1000' }));
  leader.recordResponse([{ topic: 't', partitions: [{ partitionIndex: 0, records: Buffer.alloc(800) }, { partitionIndex: 1, records: Buffer.alloc(5000) }] }, { topic: 'u', partitions: [{ partitionIndex: 0, records: Buffer.alloc(5000) }] }]);
  // Only partition 0 of t is throttled on broker 1: 800 bytes counted, under the bound.
  expect(quotas.leader.rate()).toBe(800);
  expect(leader.shouldThrottle('t', 0, 3)).toBe(false);
  leader.recordResponse([{ topic: 't', partitions: [{ partitionIndex: 0, records: Buffer.alloc(800) }] }]);
  expect(leader.shouldThrottle('t', 0, 3)).toBe(true);
  expect(leader.shouldThrottle('t', 0, 2)).toBe(false); // in the ISR
  expect(leader.shouldThrottle('t', 1, 3)).toBe(false); // not listed for this broker
  expect(leader.shouldThrottle('t', 2, 3)).toBe(false); // listed for broker 3, not this one
  expect(leader.shouldThrottle('u', 0, 3)).toBe(false);
  // The topic config changes live: "*" throttles every partition, removing it none.
  topic('t', { [LEADER_REPLICAS]: '*' }, [1, 2]);
  expect(leader.shouldThrottle('t', 1, 3)).toBe(true);
  topic('t', {}, [1, 2]);
  expect(leader.shouldThrottle('t', 0, 3)).toBe(false);
});

test('the follower leaves out a throttled partition that has not caught up while over the quota, and counts in-sync traffic too', () => {
  const { clock, topic, quotas, layers } = setup();
  topic('t', { [FOLLOWER_REPLICAS]: '*' });
  const follower = quotas.forFollower;
  quotas.updateRates(layers({ 'follower.replication.throttled.rate': '1000' }));
  follower.recordFetched('t', 0, 1500);
  expect(follower.shouldThrottle('t', 0, false)).toBe(true);
  expect(follower.shouldThrottle('t', 0, true)).toBe(false);
  clock.advance(2000);
  expect(follower.shouldThrottle('t', 0, false)).toBe(false);
  // An in-sync replica's bytes count as well.
  follower.recordFetched('t', 1, 1000);
  expect(follower.shouldThrottle('t', 0, false)).toBe(true);
  // Topics without the config are neither counted nor throttled.
  topic('v', {});
  clock.advance(20_000);
  follower.recordFetched('v', 0, 1e9);
  expect(quotas.follower.rate()).toBe(0);
  expect(follower.shouldThrottle('v', 0, false)).toBe(false);
});
