// ReplicaManager roles on fake time, in process, around controlled shutdown: a partition
// StopReplica stopped is not followed again when its state moves on (only leading it, or becoming
// a replica anew, ends that); a broker in controlled shutdown follows nothing anew; and a leader
// takes a caught-up follower back into the ISR only while the follower's broker is live.

import { plaintextConnector } from '../../src/client/broker-connector';
import { Cluster } from '../../src/cluster/cluster';
import { PartitionInfo, TopicInfo } from '../../src/cluster/topic';
import { LogManager } from '../../src/log/log-manager';
import { ReplicaManager } from '../../src/replication/replica-manager';
import { FakeClock } from '../helpers/fake-clock';
import { FakeReplicaCluster } from './fake-replica-cluster';
import { CapturingLogger, brokerConfig } from '../handlers/fake-context';
import { makeTempDir, removeDir, testConfig } from '../log/helpers';

const TOPIC = 't';
const TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAQ';

/** The fake cluster with this test's one topic, all three brokers live. */
class FakeCluster extends FakeReplicaCluster {
  override live = [1, 2, 3];

  set(partition: PartitionInfo): void {
    const topic: TopicInfo = { name: TOPIC, id: TOPIC_ID, partitions: [partition], configs: {} };
    this.topics.set(topic);
  }
}

let tmp: string;
let clock: FakeClock;
let cluster: FakeCluster;
let logs: LogManager;
let replicas: ReplicaManager;
let logger: CapturingLogger;
let previous: PartitionInfo | null;

beforeEach(async () => {
  tmp = makeTempDir();
  clock = new FakeClock(1_700_000_000_000);
  cluster = new FakeCluster();
  logger = new CapturingLogger();
  logs = await LogManager.open({ logDirs: [tmp], defaultConfig: testConfig(), clock, tasks: false });
  logs.createPartition(TOPIC, 0, TOPIC_ID);
  replicas = new ReplicaManager({ config: brokerConfig({}), cluster: cluster as unknown as Cluster, logs, log: logger, clock, connect: plaintextConnector });
  previous = null;
});

afterEach(async () => {
  await replicas.shutdown();
  await logs.close();
  removeDir(tmp);
});

/** The view's new state for partition 0, applied as a delta. */
function moveTo(leader: number, leaderEpoch: number, isr: number[], replicaIds = [1, 2, 3]): void {
  const after: PartitionInfo = { replicas: replicaIds, leader, leaderEpoch, isr };
  cluster.set(after);
  replicas.apply([{ topic: TOPIC, partition: 0, before: previous, after }]);
  previous = after;
}

const lines = (pattern: RegExp) => logger.lines.map((l) => l.message).filter((m) => pattern.test(m));
const added = () => lines(/Added t-0 at leader epoch/);

test('a partition StopReplica stopped is not followed again when its state moves on; leading it ends that', () => {
  moveTo(2, 0, [1, 2, 3]);
  expect(added()).toEqual([expect.stringContaining('Added t-0 at leader epoch 0')]);
  replicas.stopFetching(TOPIC, 0);
  expect(lines(/Removed t-0/)).toHaveLength(1);

  // The controller takes this broker out of the ISR (epoch bump), then moves leadership to 3.
  moveTo(2, 1, [2, 3]);
  moveTo(3, 2, [3]);
  expect(added()).toHaveLength(1);

  moveTo(1, 3, [1]);
  expect(lines(/Leading at epoch 3/)).toHaveLength(1);
  moveTo(2, 4, [1, 2]);
  expect(added()).toEqual([expect.stringContaining('at leader epoch 0'), expect.stringContaining('at leader epoch 4')]);
});

test('a replica removed and later assigned again follows again after a StopReplica', () => {
  moveTo(2, 0, [1, 2, 3]);
  replicas.stopFetching(TOPIC, 0);
  moveTo(2, 1, [2, 3], [2, 3]);
  moveTo(2, 2, [2, 3], [1, 2, 3]);
  expect(added()).toEqual([expect.stringContaining('at leader epoch 0'), expect.stringContaining('at leader epoch 2')]);
});

test('in controlled shutdown the broker follows nothing anew: leadership moving off it does not make it a follower', () => {
  moveTo(1, 0, [1, 2, 3]);
  replicas.beginControlledShutdown();
  moveTo(2, 1, [2, 3]);
  expect(lines(/No longer the leader/)).toHaveLength(1);
  expect(added()).toEqual([]);
});

test('a leader takes a caught-up follower back into the ISR only while its broker is live', async () => {
  moveTo(1, 0, [1, 2]);
  cluster.live = [1, 2];
  replicas.followerFetched(TOPIC, 0, 3, 0, 0);
  await Promise.resolve();
  expect(cluster.isrWrites).toEqual([]);
  expect(lines(/Expanding ISR/)).toEqual([]);

  cluster.live = [1, 2, 3];
  replicas.followerFetched(TOPIC, 0, 3, 0, 0);
  expect(cluster.isrWrites).toEqual([[1, 2, 3]]);
  expect(lines(/Expanding ISR/)).toEqual([expect.stringContaining('Expanding ISR from 1,2 to 1,2,3')]);
});
