// The ISR shrink and expand counts behind kafka_server_replicamanager_isrshrinks_total and
// isrexpands_total: a ReplicaManager on fake time counts each ISR change it wrote.

import { plaintextConnector } from '../../src/client/broker-connector';
import { Cluster } from '../../src/cluster/cluster';
import { PartitionInfo, TopicInfo } from '../../src/cluster/topic';
import { LogManager } from '../../src/log/log-manager';
import { ReplicaManager } from '../../src/replication/replica-manager';
import { CapturingLogger, brokerConfig } from '../handlers/fake-context';
import { FakeClock } from '../helpers/fake-clock';
import { batch, makeTempDir, removeDir, testConfig } from '../log/helpers';
import { FakeReplicaCluster } from '../replication/fake-replica-cluster';

const LAG = 10_000;

test('a lagging follower leaving the ISR is a shrink, its return an expansion', async () => {
  const tmp = makeTempDir();
  const clock = new FakeClock(1_700_000_000_000);
  const cluster = new FakeReplicaCluster();
  cluster.live = [1, 2];
  const logs = await LogManager.open({ logDirs: [tmp], defaultConfig: testConfig(), clock, tasks: false });
  const partition: PartitionInfo = { replicas: [1, 2], leader: 1, leaderEpoch: 0, isr: [1, 2] };
  const topic: TopicInfo = { name: 't', id: 'AAAAAAAAAAAAAAAAAAAAAQ', partitions: [partition], configs: {} };
  cluster.topics.set(topic);
  const log = logs.createPartition('t', 0, topic.id);
  const config = brokerConfig({ 'replica.lag.time.max.ms': LAG });
  const replicas = new ReplicaManager({ config, cluster: cluster as unknown as Cluster, logs, log: new CapturingLogger(), clock, connect: plaintextConnector });
  try {
    replicas.apply([{ topic: 't', partition: 0, before: null, after: partition }]);
    log.append(batch(0, 3, clock.now()), { leaderEpoch: 0, now: clock.now() });
    clock.advance(2 * LAG);
    await settle();
    expect(cluster.isrWrites).toEqual([[1]]);
    expect([replicas.isrShrinks, replicas.isrExpands]).toEqual([1, 0]);

    replicas.followerFetched('t', 0, 2, log.logEndOffset, log.logEndOffset);
    await settle();
    expect(cluster.isrWrites).toEqual([[1], [1, 2]]);
    expect([replicas.isrShrinks, replicas.isrExpands]).toEqual([1, 1]);
  } finally {
    await replicas.shutdown();
    await logs.close();
    removeDir(tmp);
  }
});

/** Lets the promise callbacks of what the clock just ran take effect. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
