// The console the broker serves itself (kafkats.console.listener, port 0): its log line, features,
// the cluster overview and throughput from the broker's own metrics, topic administration with
// config edits seen through DescribeConfigs, consumer group offset resets (409 while the group is
// Stable, applied once it is Empty), and the 501 of ACLs without an authorizer.

import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { waitFor } from '../helpers/wait';
import { ClusterClient } from '../../src/client/cluster-client';
import { Consumer } from '../../src/client/consumer';
import { call, get, produceAll } from './console-helpers';

let broker: BrokerProcess;
let base: string;

beforeAll(async () => {
  broker = await startBroker({ waitForStarted: true, props: { 'kafkats.console.listener': '127.0.0.1:0', 'kafkats.metrics.listener': '127.0.0.1:0' } });
  const m = /Serving the console on (http:\/\/127\.0\.0\.1:(\d+)\/)\./.exec(broker.output());
  expect(m).not.toBeNull();
  expect(Number(m![2])).toBeGreaterThan(0);
  expect(broker.output().indexOf('Serving the console on')).toBeLessThan(broker.output().indexOf('Awaiting socket connections'));
  base = m![1];
});

afterAll(async () => {
  await cleanup(broker);
});

test('features, the cluster overview and throughput come from the broker itself', async () => {
  const features = await get(base, '/api/features');
  expect(features.body).toEqual({ acls: false, scram: true, transactions: true, deleteRecords: true, alterConfigs: true, createPartitions: true, logDirs: true, throughput: true });
  const cluster = await get(base, '/api/cluster');
  expect(cluster.body).toMatchObject({ controllerId: 0, underReplicatedPartitions: 0, offlinePartitions: 0, brokers: [{ id: 0, host: '127.0.0.1', port: broker.port }] });
  expect(cluster.body.brokers[0].logDirs).toHaveLength(1);
  const throughput = await get(base, '/api/throughput');
  expect(throughput.status).toBe(200);
  expect(throughput.body.brokers).toEqual([{ id: 0, bytesInPerSec: expect.any(Number), bytesOutPerSec: expect.any(Number) }]);
  expect((await get(base, '/api/session')).body).toEqual({ secured: false, loggedIn: true, user: null });
  expect((await get(base, '/api/acls')).status).toBe(501);
  expect((await get(base, '/api/nothing')).status).toBe(404);
});

test('creates a topic with configs, edits them, adds partitions, deletes records and the topic', async () => {
  expect((await call(base, 'POST', '/api/topics', { name: 'admin', partitions: 2, replicationFactor: 1, configs: { 'retention.ms': '12345' } })).status).toBe(201);
  const again = await call(base, 'POST', '/api/topics', { name: 'admin', partitions: 2 });
  expect(again.status).toBe(409);
  expect(again.body.error).toMatch(/TOPIC_ALREADY_EXISTS/);
  const config = async (name: string) => (await get(base, '/api/topics/admin')).body.configs.find((c: { name: string }) => c.name === name);
  expect(await config('retention.ms')).toEqual({ name: 'retention.ms', value: '12345', source: 'DYNAMIC_TOPIC_CONFIG', isDefault: false, readOnly: false, sensitive: false });
  expect((await call(base, 'PATCH', '/api/topics/admin/configs', { set: { 'retention.ms': '54321', 'max.message.bytes': '2048' } })).status).toBe(200);
  expect(await config('retention.ms')).toMatchObject({ value: '54321', source: 'DYNAMIC_TOPIC_CONFIG' });
  expect(await config('max.message.bytes')).toMatchObject({ value: '2048', source: 'DYNAMIC_TOPIC_CONFIG' });
  expect((await call(base, 'PATCH', '/api/topics/admin/configs', { delete: ['retention.ms'] })).status).toBe(200);
  expect(await config('retention.ms')).toMatchObject({ value: '604800000', isDefault: true });
  expect((await call(base, 'PATCH', '/api/topics/admin/configs', { set: { 'retention.ms': 'soon' } })).status).toBe(400);

  expect((await call(base, 'POST', '/api/topics/admin/partitions', { count: 3 })).status).toBe(200);
  await produceAll(broker.bootstrap, ['a', 'b', 'c'].map((v) => ({ topic: 'admin', partition: 0, key: Buffer.from(v), value: Buffer.from(v) })));
  expect((await call(base, 'POST', '/api/topics/admin/delete-records', { partition: 0, offset: 2 })).body).toEqual({ partition: 0, lowWatermark: 2 });
  const topic = await get(base, '/api/topics/admin');
  expect(topic.body.partitions.map((p: { partition: number }) => p.partition)).toEqual([0, 1, 2]);
  expect(topic.body.partitions[0]).toMatchObject({ leader: 0, replicas: [0], isr: [0], logStartOffset: 2, logEndOffset: 3 });
  const list = await get(base, '/api/topics?internal=false');
  expect(list.body.find((t: { name: string }) => t.name === 'admin')).toMatchObject({ internal: false, partitions: 3, replicationFactor: 1, records: 1, cleanupPolicy: 'delete', underReplicatedPartitions: 0 });
  expect(list.body.every((t: { internal: boolean }) => !t.internal)).toBe(true);

  expect((await call(base, 'DELETE', '/api/topics/admin')).status).toBe(200);
  await waitFor(async () => (await get(base, '/api/topics/admin')).status === 404, 'the topic gone');
});

test('resets a group only while it is Empty (409 while Stable), with a preview', async () => {
  expect((await call(base, 'POST', '/api/topics', { name: 'grouped', partitions: 1, replicationFactor: 1 })).status).toBe(201);
  await produceAll(broker.bootstrap, Array.from({ length: 5 }, (_, i) => ({ topic: 'grouped', partition: 0, key: null, value: Buffer.from(`m${i}`) })));
  const client = await ClusterClient.connect({ bootstrapServers: broker.bootstrap });
  const consumer = new Consumer(client, { groupId: 'console-group', autoOffsetReset: 'earliest', enableAutoCommit: false, heartbeatIntervalMs: 200 });
  consumer.subscribe(['grouped']);
  let seen = 0;
  await waitFor(async () => {
    seen += (await consumer.poll(200)).length;
    return seen >= 5;
  }, 'the records consumed');
  await consumer.commit();
  try {
    const group = await get(base, '/api/groups/console-group');
    expect(group.body).toMatchObject({ groupId: 'console-group', state: 'Stable', offsets: [{ topic: 'grouped', partition: 0, committedOffset: 5, endOffset: 5, lag: 0 }] });
    expect(group.body.members).toHaveLength(1);
    const refused = await call(base, 'POST', '/api/groups/console-group/reset-offsets', { topic: 'grouped', to: 'earliest', execute: true });
    expect(refused).toMatchObject({ status: 409, body: { error: 'The group must be empty to reset offsets (it is Stable)' } });
    const preview = await call(base, 'POST', '/api/groups/console-group/reset-offsets', { topic: 'grouped', to: 'shift', value: -2, execute: false });
    expect(preview.body).toEqual({ plan: [{ topic: 'grouped', partition: 0, currentOffset: 5, newOffset: 3 }], executed: false });
    const groups = await get(base, '/api/groups');
    expect(groups.body).toContainEqual({ groupId: 'console-group', state: 'Stable', protocolType: 'consumer', members: 1, totalLag: 0 });
  } finally {
    await consumer.close();
    client.close();
  }
  await waitFor(async () => (await get(base, '/api/groups/console-group')).body.state === 'Empty', 'the group empty');
  const applied = await call(base, 'POST', '/api/groups/console-group/reset-offsets', { topic: null, to: 'offset', value: 1, execute: true });
  expect(applied.body).toEqual({ plan: [{ topic: 'grouped', partition: 0, currentOffset: 5, newOffset: 1 }], executed: true });
  expect((await get(base, '/api/groups/console-group')).body.offsets).toEqual([{ topic: 'grouped', partition: 0, committedOffset: 1, endOffset: 5, lag: 4 }]);
  expect((await call(base, 'POST', '/api/groups/console-group/reset-offsets', { to: 'sideways', execute: false })).status).toBe(400);
  expect((await call(base, 'DELETE', '/api/groups/console-group/offsets?topic=grouped')).status).toBe(200);
  expect((await get(base, '/api/groups/console-group')).body.offsets).toEqual([]);
  expect((await call(base, 'DELETE', '/api/groups/console-group')).status).toBe(200);
  expect((await get(base, '/api/groups/console-group')).status).toBe(404);
});
