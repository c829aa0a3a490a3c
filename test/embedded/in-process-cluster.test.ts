// Three brokers in the test's own process, no ZooKeeper: kafkajs round trip, the leader killed as by
// kill -9 with no acknowledged record lost (and the time until acks=all succeeds again measured),
// the killed broker back and caught up, and a group member expired by advancing time.

import { Kafka, logLevel } from 'kafkajs';
import { Apis } from '../../protocol';
import { KafkaCluster, startKafka } from '../../src/embedded/start-kafka';
import { connectClient } from '../helpers/test-client';
import { waitFor } from '../helpers/wait';

let cluster: KafkaCluster;

beforeAll(async () => {
  cluster = await startKafka({ brokers: 3 });
});

afterAll(async () => {
  await cluster?.stop();
});

function kafka(): Kafka {
  return new Kafka({ clientId: 'in-process-test', brokers: cluster.bootstrapServers.split(','), logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 50 } });
}


it('serves kafkajs from three in-process brokers, each a replica', async () => {
  await cluster.admin.createTopic('roundtrip', { partitions: 3, replicationFactor: 3 });
  const producer = kafka().producer();
  await producer.connect();
  await producer.send({ topic: 'roundtrip', acks: -1, messages: Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })) });
  await producer.disconnect();
  const records = await cluster.admin.consume('roundtrip');
  expect(records.map((r) => r.value!.toString()).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `v${i}`).sort());
  const offsets = await cluster.admin.offsets('roundtrip');
  expect(offsets.reduce((n, p) => n + p.latest - p.earliest, 0)).toBe(30);
});

it('loses no acknowledged record when the leader is killed, and the killed broker catches up', async () => {
  await cluster.admin.createTopic('failover', { partitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } });
  const acked = await cluster.admin.produce('failover', Array.from({ length: 100 }, (_, i) => `before-${i}`));
  expect(acked).toHaveLength(100);
  const leader = await cluster.admin.leader('failover');

  const killedAt = performance.now();
  await cluster.kill(leader);
  const producer = kafka().producer();
  await producer.connect();
  await producer.send({ topic: 'failover', acks: -1, messages: [{ value: 'after-kill' }] });
  const failoverMs = performance.now() - killedAt;
  await producer.disconnect();
  process.stdout.write(`kill to first acks=all produce on the new leader: ${failoverMs.toFixed(0)} ms\n`);
  expect(await cluster.admin.leader('failover')).not.toBe(leader);

  const values = (await cluster.admin.consume('failover', { count: 101 })).map((r) => r.value!.toString());
  expect(values).toEqual([...Array.from({ length: 100 }, (_, i) => `before-${i}`), 'after-kill']);

  await cluster.start(leader);
  const back = cluster.brokers[leader].broker!;
  await waitFor(() => back.logs.get('failover', 0)?.logEndOffset === 101, 'the restarted broker to catch up');
});

it('expires a silent group member once time is advanced past its session timeout', async () => {
  await cluster.admin.createTopic('grouped', { partitions: 2, replicationFactor: 3 });
  const consumer = kafka().consumer({ groupId: 'g', sessionTimeout: 30_000, heartbeatInterval: 1_000 });
  const assigned: number[][] = [];
  consumer.on(consumer.events.GROUP_JOIN, (e) => assigned.push(e.payload.memberAssignment['grouped'] ?? []));
  await consumer.connect();
  await consumer.subscribe({ topic: 'grouped' });
  await consumer.run({ eachMessage: async () => undefined });
  await waitFor(() => assigned.length > 0, 'kafkajs to join');

  // A second member that joins and then never heartbeats, as a consumer whose process froze.
  const coordinator = cluster.brokers.find((b) => b.running && b.broker!.groups.coordinator.describeGroup('g').members.length > 0)!;
  const silent = await connectClient(coordinator.port);
  const join = (memberId: string) =>
    silent.request(Apis.JoinGroup, 5, {
      groupId: 'g',
      sessionTimeoutMs: 30_000,
      rebalanceTimeoutMs: 30_000,
      memberId,
      protocolType: 'consumer',
      protocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from([0, 1, 0, 0, 0, 1, 0, 7, ...Buffer.from('grouped'), 0, 0, 0, 0]) }],
    });
  const first = await join('');
  const joined = await join(first.memberId);
  expect(joined.errorCode).toBe(0);
  await silent.request(Apis.SyncGroup, 3, { groupId: 'g', generationId: joined.generationId, memberId: joined.memberId, assignments: [] });
  await waitFor(() => assigned.length >= 2 && assigned[assigned.length - 1].length === 1, 'kafkajs to share the partitions');

  cluster.advanceTime(31_000);
  await waitFor(() => assigned[assigned.length - 1].length === 2, 'kafkajs to take both partitions back');
  silent.close();
  await consumer.disconnect();
});

it('lets kafkajs retry an injected NOT_LEADER_OR_FOLLOWER and succeed', async () => {
  await cluster.admin.createTopic('faulty', { partitions: 1, replicationFactor: 3 });
  const leader = await cluster.admin.leader('faulty');
  const fault = cluster.brokers[leader].faults.inject({ apiKey: 0, errorCode: 6, topic: 'faulty', count: 2 });
  const producer = kafka().producer();
  await producer.connect();
  const [sent] = await producer.send({ topic: 'faulty', acks: -1, messages: [{ value: 'through' }] });
  await producer.disconnect();
  expect(sent.errorCode).toBe(0);
  expect(fault.fired).toBe(2);
  expect((await cluster.admin.consume('faulty')).map((r) => r.value!.toString())).toEqual(['through']);
});
