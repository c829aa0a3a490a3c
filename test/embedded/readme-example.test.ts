import { Kafka, logLevel } from 'kafkajs';
import { KafkaCluster, startKafka } from '../../src';

let cluster: KafkaCluster;

beforeAll(async () => {
  cluster = await startKafka({ brokers: 3 }); // in this process: no ZooKeeper, no Docker
});

afterAll(() => cluster.stop());

test('an order survives a flaky leader, and retention removes it two hours later', async () => {
  await cluster.admin.createTopic('orders', { partitions: 1, replicationFactor: 3, configs: { 'retention.ms': '3600000' } });
  const kafka = new Kafka({ brokers: cluster.bootstrapServers.split(','), logLevel: logLevel.NOTHING });

  // The leader answers the next two produce requests with NOT_LEADER_OR_FOLLOWER (error code 6).
  const leader = await cluster.admin.leader('orders', 0);
  const fault = cluster.brokers[leader].faults.inject({ apiKey: 0, errorCode: 6, topic: 'orders', count: 2 });

  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'orders', acks: -1, messages: [{ key: 'order-1', value: 'paid' }] });
  await producer.disconnect();
  expect(fault.fired).toBe(2); // kafkajs retried twice, then the record went in
  expect(await cluster.admin.offsets('orders')).toEqual([{ partition: 0, earliest: 0, latest: 1 }]);

  cluster.advanceTime(2 * 60 * 60 * 1000); // two hours pass at once: the retention check runs
  expect(await cluster.admin.offsets('orders')).toEqual([{ partition: 0, earliest: 1, latest: 1 }]);
});
