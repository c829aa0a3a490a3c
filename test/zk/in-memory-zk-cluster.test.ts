// ZooKeeper-mode cluster logic (ZkCluster: registration, controller election, partition states,
// watches) on an in-memory ZooKeeper ensemble: the brokers of one process, no ZooKeeper server.

import { plaintextConnector } from '../../src/client/broker-connector';
import { Cluster } from '../../src/cluster/cluster';
import { realClock } from '../../src/clock';
import { parseConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { ZkCluster } from '../../src/zk/zk-cluster';
import { InMemoryEnsemble, InMemorySession } from '../../src/zookeeper';
import { waitFor } from '../helpers/wait';

let ensemble: InMemoryEnsemble;
const clusters: Cluster[] = [];

beforeEach(() => {
  ensemble = new InMemoryEnsemble();
});

afterEach(async () => {
  for (const c of clusters.splice(0)) await c.shutdown();
});

/** A registered broker and its session. */
async function broker(id: number): Promise<{ cluster: Cluster; zk: InMemorySession }> {
  const props = { 'broker.id': id, 'zookeeper.connect': 'in-memory:2181', 'log.dirs': '/nonexistent' };
  const config = parseConfig(new Map(Object.entries(props).map(([k, v]) => [k, String(v)])), () => undefined);
  const zk = ensemble.openSession();
  const cluster = await ZkCluster.connect(config, {}, createLogger('test', () => undefined), realClock, plaintextConnector, async () => zk);
  clusters.push(cluster);
  await cluster.register({ id, rack: null, endpoints: [{ listener: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: 'localhost', port: 9000 + id }] });
  return { cluster, zk };
}

test('brokers register, elect one controller, get partition leaders; a crashed controller is replaced', async () => {
  const b1 = await broker(1);
  const b2 = await broker(2);
  const admin = ensemble.openSession();
  expect((await admin.getData('/brokers/ids/1'))?.stat.ephemeralOwner).toBe(b1.zk.sessionId);
  await waitFor(() => b1.cluster.controllerId() === 1 && b2.cluster.controllerId() === 1, 'broker 1 as controller on both');
  await waitFor(() => b1.cluster.liveBrokers().length === 2, 'both brokers live');

  await b2.cluster.createTopic({
    name: 'orders',
    id: 'orders-id-0123456789ab',
    partitions: [[1], [2], [1, 2]].map((replicas) => ({ replicas, leader: -1, leaderEpoch: 0, isr: [] })),
    configs: {},
  });
  const leaders = (c: Cluster) => c.topics.get('orders')?.partitions.map((p) => p.leader).join();
  await waitFor(() => leaders(b1.cluster) === '1,2,1' && leaders(b2.cluster) === '1,2,1', 'leaders on both brokers');

  ensemble.crash(b1.zk.sessionId);
  await waitFor(() => b2.cluster.controllerId() === 2, 'broker 2 as controller');
  expect(JSON.parse((await admin.getData('/controller_epoch'))!.data!.toString())).toBe(2);
  await waitFor(() => leaders(b2.cluster) === '-1,2,2', 'leaders without broker 1');
  expect(await admin.exists('/brokers/ids/1')).toBeNull();
});

test('a broker whose session expired registers again with its new session', async () => {
  const b1 = await broker(1);
  const old = b1.zk.sessionId;
  const admin = ensemble.openSession();
  ensemble.expire(old);
  await waitFor(async () => (await admin.exists('/brokers/ids/1'))?.ephemeralOwner === b1.zk.sessionId, 'the registration of the new session');
  expect(b1.zk.sessionId).not.toBe(old);
  await waitFor(async () => (await admin.exists('/controller'))?.ephemeralOwner === b1.zk.sessionId, 'broker 1 controller again');
  await waitFor(() => b1.cluster.controllerId() === 1, 'broker 1 controller in its view');
  expect(JSON.parse((await admin.getData('/controller_epoch'))!.data!.toString())).toBe(2);
});
