// ZooKeeper mode end to end: kafka-ts broker processes against a real ZooKeeper, one chroot per
// test. Znodes as Kafka tools read them, a three-broker cluster serving kafkajs through any
// bootstrap broker, controller failover after kill -9, a dead broker's partitions going offline and
// coming back, topics created or deleted through znodes alone, ZooKeeper restarts and session
// expiry under a running broker, and the startup failures Kafka has (duplicate id, wrong cluster).

import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Apis, ErrorCode } from '../../protocol';
import { createLogger } from '../../src/logger';
import { ZkClient } from '../../src/zookeeper';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { fetchAll } from '../helpers/kafkajs-fetch';
import { connectClient } from '../helpers/test-client';
import { ZooKeeperServer, startZooKeeper } from '../helpers/zookeeper-server';
import { waitFor } from '../helpers/wait';

const SESSION_TIMEOUT_MS = 4000;

let zk: ZooKeeperServer;
let connect: string;
let chroots = 0;
let admin: ZkClient;
const brokers: BrokerProcess[] = [];
/** Log dirs of brokers that may never start, removed after each test. */
const logDirs: string[] = [];

beforeAll(async () => {
  zk = await startZooKeeper();
}, 60_000);

afterAll(async () => {
  await zk?.stop();
});

beforeEach(async () => {
  connect = `${zk.connect}/cluster-${++chroots}`;
  admin = await zkClient();
});

afterEach(async () => {
  await admin.close();
  for (const b of brokers.splice(0)) await cleanup(b);
  for (const dir of logDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function newLogDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-ts-test-'));
  logDirs.push(dir);
  return dir;
}

function zkClient(): Promise<ZkClient> {
  const log = createLogger('test', () => undefined);
  return ZkClient.connect(connect, { sessionTimeoutMs: SESSION_TIMEOUT_MS, connectionTimeoutMs: 10_000, log });
}

async function broker(id: number, logDir = newLogDir()): Promise<BrokerProcess> {
  const b = await startBroker({
    logDir,
    waitForStarted: true,
    props: {
      'zookeeper.connect': connect,
      'zookeeper.session.timeout.ms': SESSION_TIMEOUT_MS,
      'broker.id': id,
      'group.initial.rebalance.delay.ms': 0,
    },
  });
  brokers.push(b);
  return b;
}

function kafka(b: BrokerProcess): Kafka {
  return new Kafka({ clientId: 'zk-cluster-test', brokers: [b.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 10 } });
}

async function createTopic(b: BrokerProcess, topic: string, numPartitions: number): Promise<void> {
  const a = kafka(b).admin();
  await a.connect();
  try {
    expect(await a.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true })).toBe(true);
  } finally {
    await a.disconnect();
  }
}

async function produce(b: BrokerProcess, topic: string, count: number): Promise<void> {
  const producer = kafka(b).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: Array.from({ length: count }, (_, i) => ({ key: `key-${i}`, value: `value-${i}` })) });
  } finally {
    await producer.disconnect();
  }
}

async function metadata(b: BrokerProcess, topics: string[]) {
  const client = await connectClient(b.port);
  try {
    return await client.request(Apis.Metadata, 12, { topics: topics.map((name) => ({ name })), allowAutoTopicCreation: false });
  } finally {
    client.close();
  }
}

async function leadersOf(b: BrokerProcess, topic: string): Promise<number[]> {
  return (await metadata(b, [topic])).topics[0].partitions.map((p) => p.leaderId);
}


async function json(path: string): Promise<unknown> {
  const node = await admin.getData(path);
  return node?.data ? JSON.parse(node.data.toString()) : undefined;
}

async function controllerId(): Promise<number> {
  return ((await json('/controller')) as { brokerid: number } | undefined)?.brokerid ?? -1;
}

/** The session id the broker logged when it connected (the last one, after an expiry). */
function sessionOf(b: BrokerProcess): bigint {
  const ids = [...b.output().matchAll(/Connected to ZooKeeper at \S+, session (0x[0-9a-f]+)/g)].map((m) => BigInt.asIntN(64, BigInt(m[1])));
  return ids[ids.length - 1];
}

const partitionDirs = (b: BrokerProcess, topic: string) => readdirSync(join(b.logDir, 'data')).filter((d) => new RegExp(`^${topic}-\\d+$`).test(d));

test('a broker registers as a ZooKeeper-mode Kafka broker does', async () => {
  const b = await broker(1);
  const registration = await admin.getData('/brokers/ids/1');
  expect(registration!.stat.ephemeralOwner).toBe(sessionOf(b));
  expect(JSON.parse(registration!.data!.toString())).toStrictEqual({
    features: {},
    listener_security_protocol_map: { PLAINTEXT: 'PLAINTEXT' },
    endpoints: [`PLAINTEXT://127.0.0.1:${b.port}`],
    jmx_port: -1,
    port: b.port,
    host: '127.0.0.1',
    version: 5,
    timestamp: expect.stringMatching(/^\d{13}$/),
  });

  const controller = await admin.getData('/controller');
  expect(controller!.stat.ephemeralOwner).toBe(sessionOf(b));
  expect(JSON.parse(controller!.data!.toString())).toStrictEqual({ version: 2, brokerid: 1, timestamp: expect.stringMatching(/^\d{13}$/), kraftControllerEpoch: -1 });
  expect((await admin.getData('/controller_epoch'))!.data!.toString()).toBe('1');

  const clusterId = (await json('/cluster/id')) as { version: string; id: string };
  expect(clusterId).toStrictEqual({ version: '1', id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) });
  const meta = readFileSync(join(b.logDir, 'data', 'meta.properties'), 'utf8');
  expect(meta).toContain(`cluster.id=${clusterId.id}`);
  expect(meta).toContain('broker.id=1');
  expect((await metadata(b, [])).clusterId).toBe(clusterId.id);
});

test('three brokers serve a topic spread over all of them through any bootstrap broker', async () => {
  const [b1, b2, b3] = [await broker(1), await broker(2), await broker(3)];
  await createTopic(b2, 'spread', 6);
  for (const b of [b1, b2, b3]) {
    const meta = await metadata(b, ['spread']);
    expect(meta.brokers.map((x) => x.nodeId).sort()).toEqual([1, 2, 3]);
    expect(new Set(meta.topics[0].partitions.map((p) => p.leaderId))).toEqual(new Set([1, 2, 3]));
  }
  expect(await json('/brokers/topics/spread/partitions/0/state')).toStrictEqual({
    controller_epoch: 1,
    leader: expect.any(Number),
    version: 1,
    leader_epoch: 0,
    isr: [expect.any(Number)],
  });

  await produce(b3, 'spread', 600);
  const consumer = kafka(b1).consumer({ groupId: 'spread-readers' });
  await consumer.connect();
  const seen = new Set<string>();
  try {
    await consumer.subscribe({ topic: 'spread', fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.add(message.value!.toString()) });
    await waitFor(() => seen.size === 600, 'the consumer to read all 600 records', 45_000);
  } finally {
    await consumer.disconnect();
  }
  // The group's offsets topic was created through the cluster too.
  expect(await admin.exists('/brokers/topics/__consumer_offsets')).not.toBeNull();
}, 90_000);

test('when the controller is killed another broker takes over; its partitions go offline until it returns', async () => {
  const started = [await broker(1), await broker(2), await broker(3)];
  await createTopic(started[0], 'failover', 6);
  const victimId = await controllerId();
  const victim = started[victimId - 1];
  const survivor = started.find((b) => b !== victim)!;
  const led = (await leadersOf(survivor, 'failover')).flatMap((leader, p) => (leader === victimId ? [p] : []));
  expect(led.length).toBeGreaterThan(0);

  await victim.kill();
  await waitFor(async () => ![-1, victimId].includes(await controllerId()), 'a new controller', SESSION_TIMEOUT_MS + 10_000);
  expect(await admin.exists(`/brokers/ids/${victimId}`)).toBeNull();
  await waitFor(async () => !(await metadata(survivor, [])).brokers.some((x) => x.nodeId === victimId), 'Metadata to drop the dead broker');
  await waitFor(async () => (await leadersOf(survivor, 'failover')).filter((l) => l === -1).length === led.length, 'its partitions to lose their leader');
  const offline = (await metadata(survivor, ['failover'])).topics[0].partitions.filter((p) => led.includes(p.partitionIndex));
  expect(offline.map((p) => p.errorCode)).toEqual(led.map(() => ErrorCode.LEADER_NOT_AVAILABLE));
  expect(offline.map((p) => p.isrNodes)).toEqual(led.map(() => [victimId]));
  // Metadata stops naming a dead leader at once; the controller's state write follows.
  const stateOf = () => json(`/brokers/topics/failover/partitions/${led[0]}/state`);
  await waitFor(async () => ((await stateOf()) as { leader: number }).leader === -1, 'the controller to write the partition offline');
  expect(await stateOf()).toMatchObject({ leader: -1, leader_epoch: 1, isr: [victimId] });

  const back = await broker(victimId, victim.logDir);
  await waitFor(async () => (await leadersOf(back, 'failover')).filter((l) => l === victimId).length === led.length, 'the returned broker to lead again');
  await produce(survivor, 'failover', 60);
  expect(await fetchAll(kafka(back), 'failover')).toHaveLength(60);
}, 90_000);

test('topics written straight into /brokers/topics are served', async () => {
  const [b1] = [await broker(1), await broker(2)];
  await admin.createRecursive('/brokers/topics/direct', Buffer.from('{"version":1,"partitions":{"0":[1],"1":[2]}}'));
  await waitFor(async () => (await leadersOf(b1, 'direct')).join() === '1,2', 'leaders for the direct topic');
  await produce(b1, 'direct', 20);
  expect(await fetchAll(kafka(b1), 'direct')).toHaveLength(20);
});

test('/admin/delete_topics/<t> deletes the topic znodes and its logs on every broker', async () => {
  const [b1, b2] = [await broker(1), await broker(2)];
  await createTopic(b1, 'doomed', 4);
  await produce(b2, 'doomed', 40);
  await waitFor(() => partitionDirs(b1, 'doomed').length + partitionDirs(b2, 'doomed').length === 4, 'the logs of all 4 partitions');

  await admin.create('/admin/delete_topics/doomed', null);
  await waitFor(async () => (await admin.exists('/admin/delete_topics/doomed')) === null, 'the deletion to complete');
  expect(await admin.exists('/brokers/topics/doomed')).toBeNull();
  expect(await admin.exists('/config/topics/doomed')).toBeNull();
  await waitFor(() => partitionDirs(b1, 'doomed').length + partitionDirs(b2, 'doomed').length === 0, 'the logs to go');
  expect((await metadata(b2, ['doomed'])).topics[0].errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
});

test('CreateTopics and DeleteTopics are answered by the controller only', async () => {
  const [b1, b2] = [await broker(1), await broker(2)];
  expect(await controllerId()).toBe(1);
  const [controller, other] = [await connectClient(b1.port), await connectClient(b2.port)];
  try {
    const create = { topics: [{ name: 'ruled', numPartitions: 2, replicationFactor: 1 }], timeoutMs: 5000 };
    const refused = await other.request(Apis.CreateTopics, 7, create);
    expect(refused.topics.map((t) => [t.name, t.errorCode, t.errorMessage])).toEqual([['ruled', ErrorCode.NOT_CONTROLLER, null]]);
    expect(await admin.exists('/brokers/topics/ruled')).toBeNull();
    expect((await controller.request(Apis.CreateTopics, 7, create)).topics[0].errorCode).toBe(ErrorCode.NONE);

    const del = { topicNames: ['ruled'], timeoutMs: 5000 };
    expect((await other.request(Apis.DeleteTopics, 5, del)).responses[0].errorCode).toBe(ErrorCode.NOT_CONTROLLER);
    expect(await admin.exists('/brokers/topics/ruled')).not.toBeNull();
    expect((await controller.request(Apis.DeleteTopics, 5, del)).responses[0].errorCode).toBe(ErrorCode.NONE);
  } finally {
    controller.close();
    other.close();
  }
});

test('a broker keeps serving while ZooKeeper restarts, and registers again after its session expired', async () => {
  const b = await broker(1);
  await createTopic(b, 'steady', 2);
  await produce(b, 'steady', 10);

  await admin.close();
  await zk.kill();
  expect(await leadersOf(b, 'steady')).toEqual([1, 1]);
  expect(await fetchAll(kafka(b), 'steady')).toHaveLength(10);
  await zk.restart();
  admin = await zkClient();
  await waitFor(async () => (await admin.getData('/brokers/ids/1'))?.stat.ephemeralOwner === sessionOf(b), 'the broker to be registered');

  const before = sessionOf(b);
  await admin.close();
  await zk.expireSessions();
  admin = await zkClient();
  await waitFor(async () => {
    const node = await admin.getData('/brokers/ids/1');
    return node !== null && node.stat.ephemeralOwner !== before && node.stat.ephemeralOwner === sessionOf(b);
  }, 'the broker to register with a new session');
  await waitFor(async () => (await controllerId()) === 1, 'the broker to be controller again');
  await produce(b, 'steady', 10);
  expect(await fetchAll(kafka(b), 'steady')).toHaveLength(20);
}, 90_000);

test('a second broker with the same id fails to start', async () => {
  await broker(1);
  const failed = broker(1);
  await expect(failed).rejects.toThrow(/Error while creating ephemeral at \/brokers\/ids\/1, node already exists and owner '0x[0-9a-f]+' does not match current session/);
});

test('a broker whose meta.properties names another cluster fails to start', async () => {
  await broker(1);
  const clusterId = ((await json('/cluster/id')) as { id: string }).id;
  const logDir = newLogDir();
  mkdirSync(join(logDir, 'data'));
  writeFileSync(join(logDir, 'data', 'meta.properties'), 'version=0\nbroker.id=2\ncluster.id=AAAAAAAAAAAAAAAAAAAAAB\n');
  await expect(broker(2, logDir)).rejects.toThrow(
    `The Cluster ID ${clusterId} doesn't match stored clusterId Some(AAAAAAAAAAAAAAAAAAAAAB) in meta.properties. ` +
      'The broker is trying to join the wrong cluster. Configured zookeeper.connect may be wrong.',
  );
});
