// A ZooKeeper-mode leader's ISR change, against a real ZooKeeper: a compare-and-set of the
// partition state that keeps leader, leader epoch and controller epoch, then an
// /isr_change_notification/isr_change_<seq> naming the partition, which the controller clears.

import { plaintextConnector } from '../../src/client/broker-connector';
import { realClock } from '../../src/clock';
import { parseConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { ZkClient } from '../../src/zookeeper';
import { ZkCluster } from '../../src/zk/zk-cluster';
import { Cluster } from '../../src/cluster/cluster';
import { ZooKeeperServer, startZooKeeper } from '../helpers/zookeeper-server';
import { waitFor } from '../helpers/wait';

const SESSION_TIMEOUT_MS = 4000;
const STATE = '/brokers/topics/t/partitions/0/state';

let zk: ZooKeeperServer;
let chroots = 0;
let connect: string;
let admin: ZkClient;
const clusters: Cluster[] = [];

beforeAll(async () => {
  zk = await startZooKeeper();
}, 60_000);

afterAll(async () => {
  await zk?.stop();
});

beforeEach(async () => {
  connect = `${zk.connect}/isr-${++chroots}`;
  admin = await ZkClient.connect(connect, { sessionTimeoutMs: SESSION_TIMEOUT_MS, connectionTimeoutMs: 10_000, log: createLogger('test', () => undefined) });
});

afterEach(async () => {
  for (const c of clusters.splice(0)) await c.shutdown();
  await admin.close();
});

async function broker(id: number): Promise<Cluster> {
  const props = { 'zookeeper.connect': connect, 'zookeeper.session.timeout.ms': SESSION_TIMEOUT_MS, 'log.dirs': '/nonexistent', 'broker.id': id };
  const config = parseConfig(new Map(Object.entries(props).map(([k, v]) => [k, String(v)])), () => undefined);
  const cluster = await ZkCluster.connect(config, {}, createLogger('test', () => undefined), realClock, plaintextConnector);
  clusters.push(cluster);
  await cluster.register({ id, rack: null, endpoints: [{ listener: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: 'localhost', port: 9000 + id }] });
  return cluster;
}

/**
 * A topic t whose partition 0 broker 1 leads at epoch 3, as a controller of epoch 7 wrote it. The
 * state comes first, so no controller ever sees the partition without one.
 */
async function topicLedByBroker1(): Promise<void> {
  await admin.createRecursive(STATE, Buffer.from('{"controller_epoch":7,"leader":1,"version":1,"leader_epoch":3,"isr":[1,2,3]}'));
  await admin.setData('/brokers/topics/t', Buffer.from('{"version":3,"partitions":{"0":[1,2,3]},"adding_replicas":{},"removing_replicas":{},"topic_id":"AAAAAAAAAAAAAAAAAAAAAg"}'));
}

async function json(path: string): Promise<unknown> {
  const node = await admin.getData(path);
  return node?.data ? JSON.parse(node.data.toString()) : undefined;
}


test('the leader writes its ISR at the version it knows and announces the change', async () => {
  // Another (absent) broker holds /controller, so nothing clears the notification under test.
  await admin.create('/controller', Buffer.from('{"version":2,"brokerid":99,"timestamp":"1","kraftControllerEpoch":-1}'), 'ephemeral');
  await topicLedByBroker1();
  const leader = await broker(1);
  await waitFor(() => leader.topics.get('t')?.partitions[0].leaderEpoch === 3, 'the view to hold the partition');

  expect(await leader.updateIsr('t', 0, 3, [1, 2])).toBe(true);
  expect(await json(STATE)).toStrictEqual({ controller_epoch: 7, leader: 1, version: 1, leader_epoch: 3, isr: [1, 2] });
  expect((await admin.getData(STATE))!.stat.version).toBe(1);
  expect(leader.topics.get('t')?.partitions[0].isr).toEqual([1, 2]);
  expect(await admin.getChildren('/isr_change_notification')).toEqual(['isr_change_0000000000']);
  expect(await json('/isr_change_notification/isr_change_0000000000')).toStrictEqual({ version: 1, partitions: [{ topic: 't', partition: 0 }] });

  // Not at this leader epoch, or the state moved on since this broker read it: nothing is written.
  // (A new controller re-elected broker 1 at epoch 4: whether the view has seen that yet or not,
  // the write at epoch 3 is refused, by the epoch check or by the version compare-and-set.)
  expect(await leader.updateIsr('t', 0, 2, [1])).toBe(false);
  await admin.setData(STATE, Buffer.from('{"controller_epoch":8,"leader":1,"version":1,"leader_epoch":4,"isr":[1,2,3]}'), 1);
  const stale = await leader.updateIsr('t', 0, 3, [1]);
  expect(stale).toBe(false);
  expect(await json(STATE)).toMatchObject({ controller_epoch: 8, leader_epoch: 4, isr: [1, 2, 3] });
  expect(await admin.getChildren('/isr_change_notification')).toHaveLength(1);
});

test('the controller clears ISR change notifications', async () => {
  const controller = await broker(1);
  // Every replica alive: the controller has no reason to touch the partition state itself.
  await broker(2);
  await broker(3);
  await topicLedByBroker1();
  await waitFor(() => controller.controllerId() === 1, 'broker 1 to be the controller');
  await waitFor(() => controller.topics.get('t')?.partitions[0].leaderEpoch === 3, 'the view to hold the partition');
  expect(await controller.updateIsr('t', 0, 3, [1, 3])).toBe(true);
  await waitFor(async () => (await admin.getChildren('/isr_change_notification'))?.length === 0, 'the notification to be cleared');
  expect(await json(STATE)).toMatchObject({ leader: 1, leader_epoch: 3, isr: [1, 3] });
});
