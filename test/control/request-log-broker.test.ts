// The request log of an embedded broker, fed by kafkajs over a real socket: a produce under a client
// id is logged with its sizes and latency, an injected fault shows up as its error code, and a live
// subscriber hears of a Metadata request as it is answered.

import { Kafka, logLevel } from 'kafkajs';
import { RequestLogEntry } from '../../src/control/request-log';
import { KafkaCluster, startKafka } from '../../src/embedded/start-kafka';
import { waitFor } from '../helpers/wait';

let cluster: KafkaCluster;

beforeAll(async () => {
  cluster = await startKafka();
  await cluster.admin.createTopic('logged', { partitions: 1, replicationFactor: 1 });
});

afterAll(async () => {
  await cluster?.stop();
});

function kafka(clientId: string): Kafka {
  return new Kafka({ clientId, brokers: [cluster.bootstrapServers], logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 50 } });
}

const requestLog = () => cluster.brokers[0].controls.requestLog;

it('is on by default in an embedded broker', () => {
  expect(requestLog().enabled).toBe(true);
  expect(requestLog().capacity).toBe(1000);
});

it('logs a kafkajs produce with its client id, version, sizes and latency, and an injected fault as its error code', async () => {
  requestLog().resize(1000);
  const producer = kafka('request-log-producer').producer();
  await producer.connect();
  try {
    await producer.send({ topic: 'logged', acks: -1, messages: [{ value: 'first' }] });
    const [produce] = requestLog().entries({ clientId: 'request-log-producer', api: 'Produce' });
    expect(produce).toMatchObject({ apiKey: 0, api: 'Produce', clientId: 'request-log-producer', principal: 'User:ANONYMOUS', listener: 'PLAINTEXT', errorCodes: [] });
    expect(produce.version).toBeGreaterThanOrEqual(3);
    expect(produce.requestBytes).toBeGreaterThan('first'.length);
    expect(produce.responseBytes).toBeGreaterThan(0);
    expect(produce.latencyMs).toBeGreaterThanOrEqual(0);
    expect(produce.remote).toMatch(/^127\.0\.0\.1:\d+$/);

    // NOT_LEADER_OR_FOLLOWER once: kafkajs refreshes its metadata and sends again.
    cluster.brokers[0].faults.inject({ apiKey: 0, errorCode: 6, count: 1 });
    await producer.send({ topic: 'logged', acks: -1, messages: [{ value: 'second' }] });
    const produces = requestLog().entries({ clientId: 'request-log-producer', apiKey: 0 });
    expect(produces.map((e) => e.errorCodes)).toEqual([[], [6], []]);
  } finally {
    await producer.disconnect();
  }
});

it('streams a Metadata request to a live subscriber, and nothing of other clients', async () => {
  const seen: RequestLogEntry[] = [];
  const unsubscribe = requestLog().subscribe({ clientId: 'request-log-admin', api: 'metadata' }, (e) => seen.push(e));
  const admin = kafka('request-log-admin').admin();
  try {
    await admin.connect();
    await admin.fetchTopicMetadata({ topics: ['logged'] });
    await waitFor(() => seen.length > 0, 'a Metadata request in the live stream');
  } finally {
    unsubscribe();
    await admin.disconnect();
  }
  expect(seen.every((e) => e.api === 'Metadata' && e.clientId === 'request-log-admin')).toBe(true);
  expect(seen[0].responseBytes).toBeGreaterThan(0);
});
