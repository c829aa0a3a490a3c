// Advancing an embedded cluster's clock makes Kafka's long timers fire at once: a transaction left
// open past transaction.timeout.ms is aborted by its coordinator (its abort marker written), and
// committed offsets of an empty group expire after offsets.retention.minutes.

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
