// What a user of the version cap sees: capped to Kafka 2.0, kafkajs falls back to the older Produce
// and Fetch versions, and the request log shows exactly which versions it sent.

import { Kafka, logLevel } from 'kafkajs';
import { KafkaCluster, startKafka } from '../../src/embedded/start-kafka';
import { waitFor } from '../helpers/wait';

let cluster: KafkaCluster;

beforeAll(async () => {
  cluster = await startKafka({ brokers: 1 });
  await cluster.admin.createTopic('capped-log', { partitions: 1 });
});

afterAll(async () => {
  await cluster?.stop();
});

/** Produces one record and reads it back as client `clientId`; the versions of its Produce and Fetch requests. */
async function roundTrip(clientId: string): Promise<{ produce: number[]; fetch: number[] }> {
  const kafka = new Kafka({ clientId, brokers: cluster.bootstrapServers.split(','), logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'capped-log', messages: [{ value: clientId }] });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: clientId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'capped-log', fromBeginning: true });
  const seen: string[] = [];
  await consumer.run({ eachMessage: async ({ message }) => void seen.push(String(message.value)) });
  await waitFor(() => seen.includes(clientId), `${clientId} reads its record back`);
  await consumer.disconnect();
  const log = cluster.brokers[0].controls.requestLog;
  const versions = (api: string) => [...new Set(log.entries({ clientId, api }).map((e) => e.version))];
  return { produce: versions('Produce'), fetch: versions('Fetch') };
}

test('capped to Kafka 2.0, kafkajs sends Produce v6 and Fetch v8, as the request log shows', async () => {
  const uncapped = await roundTrip('uncapped-client');
  expect(uncapped).toEqual({ produce: [7], fetch: [11] });

  cluster.brokers[0].controls.versions.set('2.0');
  try {
    const capped = await roundTrip('capped-client');
    expect(capped).toEqual({ produce: [6], fetch: [8] });
  } finally {
    cluster.brokers[0].controls.versions.set(null);
  }
});
