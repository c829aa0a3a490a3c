// The preferred read replica a leader names (KIP-392), through ReplicaManager on fake time: Kafka's
// candidates (ISR followers whose log holds the fetch offset, live with an endpoint on the client's
// listener) and its two selectors, LeaderSelector and RackAwareReplicaSelector; no selector names none.

import { plaintextConnector } from '../../src/client/broker-connector';
import { Cluster } from '../../src/cluster/cluster';
import { PartitionInfo } from '../../src/cluster/topic';
import { TopicIndex } from '../../src/cluster/topic-index';
import { ConfigError } from '../../src/config';
import { LogManager } from '../../src/log/log-manager';
import { ReplicaManager } from '../../src/replication/replica-manager';
import { LEADER_SELECTOR, RACK_AWARE_SELECTOR } from '../../src/replication/replica-selector';
import { FakeClock } from '../helpers/fake-clock';
import { CapturingLogger, brokerConfig } from '../handlers/fake-context';
import { batch, makeTempDir, removeDir, testConfig } from '../log/helpers';

const T0 = 1_700_000_000_000;
const RACKS: Record<number, string> = { 1: 'r1', 2: 'r2', 3: 'r3', 4: 'r2' };

/** What the replica manager reads of a cluster: the topic view, live brokers with racks and endpoints. */
class FakeCluster {
  readonly brokerId = 1;
  readonly topics = new TopicIndex();
  live = [1, 2, 3, 4];
  brokerEpoch(): bigint {
    return 0n;
  }
  liveBrokers() {
    return this.live.map((id) => ({ id, rack: RACKS[id], endpoints: [{ listener: 'PLAINTEXT', host: 'localhost', port: 9000 + id, securityProtocol: 'PLAINTEXT' }] }));
  }
  async updateIsr(): Promise<boolean> {
    return false;
  }
}

let tmp: string;
let clock: FakeClock;
let cluster: FakeCluster;
let logs: LogManager;
let managers: ReplicaManager[];

beforeEach(async () => {
  tmp = makeTempDir();
  clock = new FakeClock(T0);
  cluster = new FakeCluster();
  managers = [];
  logs = await LogManager.open({ logDirs: [tmp], defaultConfig: testConfig(), clock, tasks: false });
});

afterEach(async () => {
  for (const m of managers) await m.shutdown();
  await logs.close();
  removeDir(tmp);
});

/** A leader (broker 1) of t-0 with 10 records, under the given selector. */
function leading(selector: string | null, partition: Partial<PartitionInfo> = {}): ReplicaManager {
  const p: PartitionInfo = { replicas: [1, 2, 3], leader: 1, leaderEpoch: 0, isr: [1, 2, 3], ...partition };
  cluster.topics.set({ name: 't', id: 'AAAAAAAAAAAAAAAAAAAAAQ', partitions: [p], configs: {} });
  const log = logs.get('t', 0) ?? logs.createPartition('t', 0, 'AAAAAAAAAAAAAAAAAAAAAQ');
  if (log.logEndOffset === 0) log.append(batch(0, 10, T0), { leaderEpoch: 0, now: T0 });
  const config = brokerConfig(selector ? { 'replica.selector.class': selector } : {});
  const m = new ReplicaManager({ config, cluster: cluster as unknown as Cluster, logs, log: new CapturingLogger(), clock, connect: plaintextConnector });
  managers.push(m);
  m.apply([{ topic: 't', partition: 0, before: null, after: p }]);
  return m;
}

const preferred = (m: ReplicaManager, rackId: string, fetchOffset = 5, listenerName = 'PLAINTEXT') => m.preferredReadReplica('t', 0, { rackId, listenerName }, fetchOffset);

test('no selector configured (Kafka default) names no replica', () => {
  const m = leading(null);
  m.followerFetched('t', 0, 2, 10, 10, 0);
  expect(preferred(m, 'r2')).toBe(-1);
});

test('LeaderSelector always keeps the leader', () => {
  const m = leading(LEADER_SELECTOR);
  m.followerFetched('t', 0, 2, 10, 10, 0);
  expect(preferred(m, 'r2')).toBe(-1);
});

describe('RackAwareReplicaSelector', () => {
  test('names the ISR follower in the client rack that holds the fetch offset', () => {
    const m = leading(RACK_AWARE_SELECTOR);
    m.followerFetched('t', 0, 2, 10, 10, 0);
    m.followerFetched('t', 0, 3, 10, 10, 0);
    expect(preferred(m, 'r2')).toBe(2);
    expect(preferred(m, 'r3')).toBe(3);
  });

  test('keeps the leader for a client without a rack, in the leader rack, or in a rack with no replica', () => {
    const m = leading(RACK_AWARE_SELECTOR);
    m.followerFetched('t', 0, 2, 10, 10, 0);
    expect(preferred(m, '')).toBe(-1);
    expect(preferred(m, 'r1')).toBe(-1);
    expect(preferred(m, 'r9')).toBe(-1);
  });

  test('a follower whose log does not hold the fetch offset is no candidate: log end before it, log start after it', () => {
    const m = leading(RACK_AWARE_SELECTOR);
    m.followerFetched('t', 0, 2, 4, 10, 0);
    expect(preferred(m, 'r2', 5)).toBe(-1);
    expect(preferred(m, 'r2', 4)).toBe(2);
    m.followerFetched('t', 0, 2, 10, 10, 6);
    expect(preferred(m, 'r2', 5)).toBe(-1);
    expect(preferred(m, 'r2', 6)).toBe(2);
  });

  test('a follower out of the ISR is no candidate, however caught up', () => {
    const m = leading(RACK_AWARE_SELECTOR, { isr: [1, 3] });
    m.followerFetched('t', 0, 2, 10, 10, 0);
    expect(preferred(m, 'r2')).toBe(-1);
  });

  test('a follower not alive, or without an endpoint on the client listener, is never named', () => {
    const m = leading(RACK_AWARE_SELECTOR);
    m.followerFetched('t', 0, 2, 10, 10, 0);
    expect(preferred(m, 'r2', 5, 'OTHER')).toBe(-1);
    cluster.live = [1, 3];
    expect(preferred(m, 'r2')).toBe(-1);
  });

  test('among followers of the client rack: the largest log end, then the most recently caught up', () => {
    const m = leading(RACK_AWARE_SELECTOR, { replicas: [1, 2, 3, 4], isr: [1, 2, 3, 4] });
    m.followerFetched('t', 0, 2, 8, 10, 0);
    m.followerFetched('t', 0, 4, 9, 10, 0);
    expect(preferred(m, 'r2')).toBe(4);
    // Both at the log end; 2 caught up later than 4.
    m.followerFetched('t', 0, 4, 10, 10, 0);
    clock.advance(1000);
    m.followerFetched('t', 0, 2, 10, 10, 0);
    expect(preferred(m, 'r2')).toBe(2);
  });

  test('a broker that does not lead the partition names no replica', () => {
    const m = leading(RACK_AWARE_SELECTOR, { leader: 2, leaderEpoch: 1 });
    expect(preferred(m, 'r2')).toBe(-1);
  });
});

test('replica.selector.class takes Kafka\'s two selectors by class name and refuses any other at startup', () => {
  expect(brokerConfig({ 'replica.selector.class': RACK_AWARE_SELECTOR }).replicaSelectorClass).toBe(RACK_AWARE_SELECTOR);
  expect(brokerConfig().replicaSelectorClass).toBeNull();
  expect(() => brokerConfig({ 'replica.selector.class': 'com.example.MySelector' })).toThrow(ConfigError);
  expect(() => brokerConfig({ 'replica.selector.class': 'com.example.MySelector' })).toThrow(/replica\.selector\.class.*org\.apache\.kafka\.common\.replica\.RackAwareReplicaSelector/);
});
