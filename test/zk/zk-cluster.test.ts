// ZooKeeper mode in process, against a real ZooKeeper: several ZkCluster instances (one per
// "broker", each its own session) under a fresh chroot per test. Znodes are checked as Kafka
// writes them; waits are on conditions, never fixed sleeps.

import { plaintextConnector } from '../../src/client/broker-connector';
import type { ClusterDelta } from '../../src/cluster/cluster-delta';
import { ErrorCode, KafkaError } from '../../protocol';
import { Cluster, StoredIdentity } from '../../src/cluster/cluster';
import { TopicInfo } from '../../src/cluster/topic';
import { realClock } from '../../src/clock';
import { parseConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { ZkClient } from '../../src/zookeeper';
import { ZkCluster } from '../../src/zk/zk-cluster';
import { ZooKeeperServer, startZooKeeper } from '../helpers/zookeeper-server';
import { waitFor } from '../helpers/wait';

const SESSION_TIMEOUT_MS = 4000;

let zk: ZooKeeperServer;
let chrootCount = 0;
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
  connect = `${zk.connect}/kafka-ts-${++chrootCount}`;
  admin = await ZkClient.connect(connect, { sessionTimeoutMs: SESSION_TIMEOUT_MS, connectionTimeoutMs: 10_000, log: quiet() });
});

afterEach(async () => {
  for (const c of clusters.splice(0)) await c.shutdown();
  await admin.close();
});

function quiet(lines: string[] = []) {
  return createLogger('test', (line) => void lines.push(line));
}

function configOf(props: Record<string, string | number>) {
  const all = { 'zookeeper.connect': connect, 'zookeeper.session.timeout.ms': SESSION_TIMEOUT_MS, 'log.dirs': '/nonexistent', ...props };
  return parseConfig(new Map(Object.entries(all).map(([k, v]) => [k, String(v)])), () => undefined);
}

async function brokerCluster(id: number, opts: { props?: Record<string, string | number>; stored?: StoredIdentity; lines?: string[] } = {}) {
  const config = configOf({ 'broker.id': id, ...opts.props });
  const cluster = await ZkCluster.connect(config, opts.stored ?? {}, quiet(opts.lines), realClock, plaintextConnector);
  clusters.push(cluster);
  return cluster;
}

async function registered(id: number, opts: Parameters<typeof brokerCluster>[1] = {}) {
  const cluster = await brokerCluster(id, opts);
  await cluster.register({ id: cluster.brokerId, rack: null, endpoints: [{ listener: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: 'localhost', port: 9000 + cluster.brokerId }] });
  return cluster;
}


async function json(path: string): Promise<unknown> {
  const node = await admin.getData(path);
  return node?.data ? JSON.parse(node.data.toString()) : undefined;
}

function topic(name: string, replicas: number[][], configs: Record<string, string> = {}): TopicInfo {
  return { name, id: `${name}-id-0123456789ab`.slice(0, 22), partitions: replicas.map((r) => ({ replicas: r, leader: -1, leaderEpoch: 0, isr: [] })), configs };
}

const leaders = (c: Cluster, name: string) => c.topics.get(name)?.partitions.map((p) => p.leader);

test('a broker creates the top-level paths, the cluster id, its ephemeral registration and wins the election', async () => {
  const c = await registered(1);
  for (const path of ['/consumers', '/brokers/seqid', '/admin/delete_topics', '/isr_change_notification', '/latest_producer_id_block', '/log_dir_event_notification']) {
    expect(await admin.exists(path)).not.toBeNull();
  }
  for (const type of ['topics', 'clients', 'users', 'brokers', 'ips', 'changes']) expect(await admin.exists(`/config/${type}`)).not.toBeNull();
  expect(await json('/cluster/id')).toEqual({ version: '1', id: c.clusterId });
  expect(c.clusterId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  const node = await admin.getData('/brokers/ids/1');
  expect(node!.stat.ephemeralOwner).not.toBe(0n);
  expect(JSON.parse(node!.data!.toString())).toMatchObject({ version: 5, host: 'localhost', port: 9001, endpoints: ['PLAINTEXT://localhost:9001'] });
  expect(await json('/controller')).toMatchObject({ version: 2, brokerid: 1, kraftControllerEpoch: -1 });
  expect((await admin.getData('/controller_epoch'))!.data!.toString()).toBe('1');
  expect(c.controllerId()).toBe(1);
  expect(c.liveBrokers().map((b) => b.id)).toEqual([1]);
});

test('broker ids come from /brokers/seqid above reserved.broker.max.id when broker.id is not set', async () => {
  const a = await brokerCluster(-1);
  const b = await brokerCluster(-1, { props: { 'reserved.broker.max.id': 500 } });
  const c = await brokerCluster(-1, { stored: { brokerId: 7 } });
  expect([a.brokerId, b.brokerId, c.brokerId]).toEqual([1001, 502, 7]);
});

test('a cluster id other than the one in meta.properties stops startup', async () => {
  const first = await brokerCluster(1);
  await expect(brokerCluster(2, { stored: { clusterId: 'AAAAAAAAAAAAAAAAAAAAAB' } })).rejects.toThrow(
    `The Cluster ID ${first.clusterId} doesn't match stored clusterId Some(AAAAAAAAAAAAAAAAAAAAAB) in meta.properties. ` +
      'The broker is trying to join the wrong cluster. Configured zookeeper.connect may be wrong.',
  );
});

test('a second broker with the same id fails to register', async () => {
  await registered(1);
  await expect(registered(1)).rejects.toThrow(/Error while creating ephemeral at \/brokers\/ids\/1, node already exists and owner '0x[0-9a-f]+' does not match current session/);
});

test('created topics get Kafka znodes, then leaders from the controller on every broker', async () => {
  const c1 = await registered(1);
  const c2 = await registered(2);
  const deltas: ClusterDelta[] = [];
  c2.onDelta((d) => void deltas.push(d));
  await c2.createTopic(topic('orders', [[1], [2], [1, 2]], { 'retention.ms': '1000' }));
  expect(c2.topics.get('orders')?.partitions.map((p) => p.replicas)).toEqual([[1], [2], [1, 2]]);

  expect(await json('/config/topics/orders')).toEqual({ version: 1, config: { 'retention.ms': '1000' } });
  expect(await json('/brokers/topics/orders')).toEqual({
    version: 3,
    partitions: { '0': [1], '1': [2], '2': [1, 2] },
    adding_replicas: {},
    removing_replicas: {},
    topic_id: 'orders-id-0123456789ab',
  });
  await waitFor(() => leaders(c2, 'orders')?.join() === '1,2,1' && leaders(c1, 'orders')?.join() === '1,2,1', 'leaders on both brokers');
  expect(await json('/brokers/topics/orders/partitions/2/state')).toEqual({ controller_epoch: 1, leader: 1, version: 1, leader_epoch: 0, isr: [1, 2] });
  expect(c1.topics.get('orders')?.configs).toEqual({ 'retention.ms': '1000' });
  expect(c1.topics.getById('orders-id-0123456789ab')?.name).toBe('orders');
  await waitFor(() => deltas.some((d) => d.topicsCreated.includes('orders')), 'a delta with the new topic');
  // The view may hold the leaders a moment before the delta reporting them is out.
  const leadersSeen = () => deltas.flatMap((d) => d.partitions).filter((c) => c.topic === 'orders' && c.after !== null && c.after.leader >= 0);
  await waitFor(() => new Set(leadersSeen().map((c) => c.partition)).size === 3, 'deltas with the leaders of partitions 0, 1 and 2');

  const exists = c1.createTopic(topic('orders', [[1]]));
  await expect(exists).rejects.toThrow(KafkaError);
  await expect(exists).rejects.toMatchObject({ code: ErrorCode.TOPIC_ALREADY_EXISTS, message: "Topic 'orders' already exists." });
  await c1.createTopic(topic('a.b', [[1]]));
  await expect(c1.createTopic(topic('a_b', [[1]]))).rejects.toMatchObject({ code: ErrorCode.INVALID_TOPIC_EXCEPTION });
});

test('topics written straight into /brokers/topics without a topic id get one, and leaders', async () => {
  const c = await registered(1);
  await admin.createRecursive('/brokers/topics/legacy', Buffer.from('{"version":1,"partitions":{"0":[1],"1":[1]}}'));
  await waitFor(() => leaders(c, 'legacy')?.join() === '1,1', 'the legacy topic to be served');
  const stored = (await json('/brokers/topics/legacy')) as { topic_id: string };
  expect(stored.topic_id).toBe(c.topics.get('legacy')!.id);
});

test('config changes announced under /config/changes reach every broker', async () => {
  const c = await registered(1);
  await c.createTopic(topic('t', [[1]]));
  await admin.setData('/config/topics/t', Buffer.from('{"version":1,"config":{"segment.bytes":"1048576"}}'));
  await admin.create('/config/changes/config_change_', Buffer.from('{"version":2,"entity_path":"topics/t"}'), 'persistent_sequential');
  await waitFor(() => c.topics.get('t')?.configs['segment.bytes'] === '1048576', 'the new topic config');
});

test('deleting a topic marks it; the controller removes its znodes and every broker its view', async () => {
  const c1 = await registered(1);
  const c2 = await registered(2);
  await c1.createTopic(topic('doomed', [[1], [2]]));
  await waitFor(() => c2.topics.get('doomed') !== undefined, 'the topic on broker 2');
  await c2.deleteTopic('doomed');
  expect(c2.topics.get('doomed')).toBeUndefined();
  await waitFor(() => c1.topics.get('doomed') === undefined, 'the deletion on broker 1');
  expect(await admin.exists('/brokers/topics/doomed')).toBeNull();
  expect(await admin.exists('/config/topics/doomed')).toBeNull();
  await waitFor(async () => (await admin.exists('/admin/delete_topics/doomed')) === null, 'the deletion marker to go');
});

test('when the controller goes, another broker takes over and moves leadership off the dead broker', async () => {
  const c1 = await registered(1);
  const c2 = await registered(2);
  await c1.createTopic(topic('moved', [[1, 2], [1]]));
  await waitFor(() => leaders(c2, 'moved')?.join() === '1,1', 'initial leaders');
  await c1.shutdown();
  await waitFor(() => c2.controllerId() === 2, 'broker 2 to become controller');
  expect((await admin.getData('/controller_epoch'))!.data!.toString()).toBe('2');
  await waitFor(() => leaders(c2, 'moved')?.join() === '2,-1', 'leadership to move');
  expect(await json('/brokers/topics/moved/partitions/0/state')).toEqual({ controller_epoch: 2, leader: 2, version: 1, leader_epoch: 1, isr: [2] });
  expect(await json('/brokers/topics/moved/partitions/1/state')).toEqual({ controller_epoch: 2, leader: -1, version: 1, leader_epoch: 1, isr: [1] });
  expect(c2.liveBrokers().map((b) => b.id)).toEqual([2]);

  const back = await registered(1);
  await waitFor(() => leaders(back, 'moved')?.join() === '2,1', 'broker 1 to lead its partition again');
});

test('after its session expired a broker registers again and the cluster elects a controller', async () => {
  const lines: string[] = [];
  const c = await registered(1, { lines });
  await c.createTopic(topic('kept', [[1]]));
  await waitFor(() => leaders(c, 'kept')?.join() === '1', 'a leader');
  const before = (await admin.getData('/brokers/ids/1'))!.stat.ephemeralOwner;
  await admin.close();
  await zk.expireSessions();
  admin = await ZkClient.connect(connect, { sessionTimeoutMs: SESSION_TIMEOUT_MS, connectionTimeoutMs: 10_000, log: quiet() });
  await waitFor(async () => {
    const node = await admin.getData('/brokers/ids/1');
    return node !== null && node.stat.ephemeralOwner !== before;
  }, 'the broker to register with its new session');
  await waitFor(async () => (await admin.exists('/controller')) !== null, 'a controller');
  expect(await json('/controller')).toMatchObject({ brokerid: 1 });
  await waitFor(() => c.controllerId() === 1, 'the view to see the controller');
  expect(leaders(c, 'kept')).toEqual([1]);
  expect(lines.join('')).toMatch(/New ZooKeeper session/);
}, 60_000);

test('controlled shutdown moves 600 partitions off a broker in batched writes, one epoch bump each; its registration going changes nothing more', async () => {
  const c1 = await registered(1);
  const c2 = await registered(2);
  await registered(3);
  const PARTITIONS = 600;
  const rotated = Array.from({ length: PARTITIONS }, (_, p) => [1, 2, 3].map((_, i) => [1, 2, 3][(p + i) % 3]));
  await c1.createTopic(topic('many', rotated));
  const full = () => c1.topics.get('many')?.partitions.every((p) => p.isr.length === 3) ?? false;
  await waitFor(full, 'every partition to have its full ISR');
  const statePaths = rotated.map((_, p) => `/brokers/topics/many/partitions/${p}/state`);

  const started = Date.now();
  const remaining = await c1.controlledShutdown(2, c2.brokerEpoch());
  const ms = Date.now() - started;
  expect(remaining).toEqual([]);
  const nodes = await Promise.all(statePaths.map((p) => admin.getData(p)));
  const states = nodes.map((n) => JSON.parse(n!.data!.toString()) as { leader: number; leader_epoch: number; isr: number[] });
  expect(states.filter((s) => s.leader === 2 || s.isr.includes(2) || s.leader_epoch !== 1)).toEqual([]);
  // Leaders moved and ISRs shrank in one ZooKeeper transaction per 500 partitions.
  expect(new Set(nodes.map((n) => n!.stat.mzxid)).size).toBe(2);
  expect(ms).toBeLessThan(5000);

  await c2.shutdown();
  await waitFor(() => !c1.liveBrokers().some((b) => b.id === 2), 'broker 2 to leave');
  // A later pass (electing a new topic's leader) sees broker 2 gone and leaves every partition as it is.
  await c1.createTopic(topic('marker', [[1]]));
  await waitFor(() => leaders(c1, 'marker')?.join() === '1', 'the marker topic to get its leader');
  const after = await Promise.all(statePaths.map(async (p) => (JSON.parse((await admin.getData(p))!.data!.toString()) as { leader_epoch: number }).leader_epoch));
  expect(after.filter((e) => e !== 1)).toEqual([]);
});

test('a reassignment that starts moves the leader epoch on once, with leader and ISR as they are', async () => {
  const c1 = await registered(1);
  await registered(2);
  await registered(3);
  await c1.createTopic(topic('moving', [[1, 2]]));
  await waitFor(() => c1.topics.get('moving')?.partitions[0].isr.length === 2, 'the partition to have its full ISR');
  const results = await c1.alterPartitionReassignments([{ topic: 'moving', partition: 0, replicas: [1, 2, 3] }]);
  expect(results.map((r) => r.errorCode)).toEqual([ErrorCode.NONE]);
  expect(await json('/brokers/topics/moving/partitions/0/state')).toEqual({ controller_epoch: 1, leader: 1, version: 1, leader_epoch: 1, isr: [1, 2] });
  expect(await json('/brokers/topics/moving')).toMatchObject({ partitions: { '0': [1, 2, 3] }, adding_replicas: { '0': [3] } });
});
