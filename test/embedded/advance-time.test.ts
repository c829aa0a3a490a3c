// Advancing an embedded cluster's clock makes Kafka's long timers fire at once: a transaction left
// open past transaction.timeout.ms is aborted by its coordinator (its abort marker written),
// committed offsets of an empty group expire after offsets.retention.minutes, the segments
// retention deleted leave the disk after file.delete.delay.ms, and a group's first rebalance waits
// group.initial.rebalance.delay.ms.

import { readdirSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaCluster, startKafka } from '../../src/embedded/start-kafka';
import { waitFor } from '../helpers/wait';

let cluster: KafkaCluster;

beforeAll(async () => {
  cluster = await startKafka({ brokers: 1 });
});

afterAll(async () => {
  await cluster?.stop();
});

const kafka = () => new Kafka({ brokers: cluster.bootstrapServers.split(','), logLevel: logLevel.NOTHING, retry: { retries: 3, initialRetryTime: 50 } });

test('a transaction left open past its timeout is aborted once time is advanced', async () => {
  await cluster.admin.createTopic('open-txn', { partitions: 1 });
  const producer = kafka().producer({ transactionalId: 'forgotten', idempotent: true, maxInFlightRequests: 1, transactionTimeout: 60_000 });
  await producer.connect();
  const txn = await producer.transaction();
  await txn.send({ topic: 'open-txn', messages: [{ value: 'never committed' }] });
  const log = cluster.brokers[0].broker!.logs.get('open-txn', 0)!;
  expect(log.logEndOffset).toBe(1);

  // Past the timeout and the coordinator's next abort check (every 10 s by default).
  cluster.advanceTime(60_000 + 10_000);
  await waitFor(() => log.logEndOffset === 2, 'the coordinator to write the abort marker');
  await expect(txn.commit()).rejects.toThrow();
  await producer.disconnect();
});

test("an empty group's committed offsets expire once offsets.retention.minutes is advanced past", async () => {
  await cluster.admin.createTopic('retained', { partitions: 1 });
  const admin = kafka().admin();
  await admin.connect();
  await admin.setOffsets({ groupId: 'gone', topic: 'retained', partitions: [{ partition: 0, offset: '0' }] });
  const committed = async () => (await admin.fetchOffsets({ groupId: 'gone', topics: ['retained'] }))[0].partitions[0].offset;
  expect(await committed()).toBe('0');

  // Seven days (the default retention) and the next expiry check (every 10 minutes).
  cluster.advanceTime(7 * 24 * 60 * 60_000 + 600_000);
  await waitFor(async () => (await committed()) === '-1', 'the offsets to expire');
  await admin.disconnect();
});

test('segments deleted by retention leave the disk once file.delete.delay.ms is advanced past', async () => {
  await cluster.admin.createTopic('expiring', { partitions: 1, configs: { 'segment.bytes': '1024', 'retention.ms': '60000' } });
  for (let i = 0; i < 20; i++) await cluster.admin.produce('expiring', [{ value: `record-${i}`.padEnd(200, '.') }]);
  const dir = cluster.brokers[0].broker!.logs.get('expiring', 0)!.dir;
  const deleted = () => readdirSync(dir).filter((f) => f.endsWith('.deleted'));

  cluster.advanceTime(60_000 + 1);
  expect(cluster.enforceRetention()).toBeGreaterThan(0);
  expect(deleted().length).toBeGreaterThan(0);
  cluster.advanceTime(60_000); // file.delete.delay.ms
  await waitFor(() => deleted().length === 0, 'the deleted segments to leave the disk');
});

test("a group's first rebalance waits group.initial.rebalance.delay.ms, and advancing time ends the wait", async () => {
  const delayed = await startKafka({ brokers: 1, config: { 'group.initial.rebalance.delay.ms': 120_000 } });
  try {
    await delayed.admin.createTopic('delayed', { partitions: 1 });
    const consumer = new Kafka({ brokers: delayed.bootstrapServers.split(','), logLevel: logLevel.NOTHING }).consumer({ groupId: 'patient', rebalanceTimeout: 120_000 });
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
    await consumer.connect();
    await consumer.subscribe({ topic: 'delayed' });
    // kafkajs's run() resolves once the first join is done, which is what the delay holds back.
    const running = consumer.run({ eachMessage: async () => undefined });
    const coordinator = delayed.brokers[0].broker!.groups.coordinator;
    await waitFor(() => coordinator.describeGroup('patient').groupState === 'PreparingRebalance', 'the group to wait for its first rebalance');
    expect(joined).toBe(false);
    delayed.advanceTime(120_000);
    await running;
    await waitFor(() => joined, 'the consumer to join once the delay has passed');
    await consumer.disconnect();
  } finally {
    await delayed.stop();
  }
});
