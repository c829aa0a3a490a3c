// Follower fetching (KIP-392) end to end: three brokers on ZooKeeper in racks r1, r2, r3 with
// RackAwareReplicaSelector, a topic led by broker 1 and replicated to all three. A librdkafka
// consumer (node-rdkafka) with client.rack r2 is sent by the leader to broker 2 and reads most of
// its bytes there (librdkafka's per-broker statistics; the leader logs its choice at debug); once
// broker 2 stops, the consumer goes back to the leader and reads what is produced after. The
// consumer runs in its own process (test/helpers/rack-consumer.ts). kafkajs with rackId is sent to
// the follower in its rack too (its fetch requests per broker, from its instrumentation events).

import { Kafka, logLevel } from 'kafkajs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Apis, ErrorCode } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import { RACK_AWARE_SELECTOR } from '../../src/replication/replica-selector';
import { useZkCluster } from '../helpers/zk-cluster-harness';
import { waitFor } from '../helpers/wait';

const h = useZkCluster('follower-fetching', { 'replica.selector.class': RACK_AWARE_SELECTOR, 'zookeeper.session.timeout.ms': 6000 }, { KAFKA_TS_DEBUG: '1' });
const TOPIC = 'near';
const BATCHES = 40;
const RECORDS_PER_BATCH = 10;
const VALUE_BYTES = 1000;

/** What the consumer process reports: records received, and librdkafka's bytes received per broker id. */
interface Progress {
  received: number;
  rxBytes: Record<number, number>;
}

async function produce(from: number): Promise<void> {
  const leader = await h.client(1);
  for (let i = 0; i < BATCHES; i++) {
    const records = Array.from({ length: RECORDS_PER_BATCH }, (_, r) => ({ key: null, value: Buffer.alloc(VALUE_BYTES, `${from + i * RECORDS_PER_BATCH + r}|`) }));
    const res = await leader.request(Apis.Produce, 9, { acks: -1, timeoutMs: 10_000, topicData: [{ name: TOPIC, partitionData: [{ index: 0, records: buildBatch(records) }] }] });
    expect(res.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NONE);
  }
}

/** Brokers 1-3 in racks r1-r3, broker 1 the controller and the topic's leader, one round of records in it. */
async function startWithRecords(): Promise<void> {
  for (const id of [1, 2, 3]) await h.broker(id, { 'broker.rack': `r${id}` });
  await waitFor(async () => (await h.controllerId()) === 1, 'broker 1 to be the controller');
  const via = await h.client(1);
  await waitFor(async () => (await via.request(Apis.Metadata, 12, { topics: [], allowAutoTopicCreation: false })).brokers.length === 3, 'broker 1 to see all three brokers');
  await h.createTopic(TOPIC, [[1, 2, 3]]);
  await produce(0);
}

test('a consumer reads from the follower in its rack, and from the leader once that follower is gone', async () => {
  await startWithRecords();
  const total = BATCHES * RECORDS_PER_BATCH;

  const child = spawn(process.execPath, [join(__dirname, '../helpers/rack-consumer.js'), h.brokers.get(1)!.bootstrap, TOPIC, 'r2'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let progress: Progress = { received: 0, rxBytes: {} };
  createInterface({ input: child.stdout! }).on('line', (line) => (progress = JSON.parse(line) as Progress));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const rxBytes = (id: number) => progress.rxBytes[id] ?? 0;
  try {
    await waitFor(() => progress.received >= total && rxBytes(2) > 0, `the consumer to read ${total} records`);
    const fromFollower = rxBytes(2);
    const fromLeader = rxBytes(1);
    // Most of the ~400 KB came from the follower in the client's rack, none from broker 3.
    expect(fromFollower).toBeGreaterThan(total * VALUE_BYTES * 0.9);
    expect(fromFollower).toBeGreaterThan(4 * fromLeader);
    expect(rxBytes(3)).toBeLessThan(total * VALUE_BYTES * 0.1);
    await waitFor(() => /Replica selector prefers replica 2 of near-0 for rack 'r2'/.test(h.brokers.get(1)!.output()), 'the leader to log its choice of replica 2');

    // Broker 2 shuts down (controlled: it leaves the ISR at once); the consumer reads the rest from the leader.
    await h.brokers.get(2)!.stop();
    await waitFor(async () => (await h.isrOf(TOPIC)) === '1,3', 'broker 2 to leave the ISR');
    const leaderBefore = rxBytes(1);
    await produce(total);
    await waitFor(() => progress.received >= 2 * total, `the consumer to read ${2 * total} records`, 60_000);
    await waitFor(() => rxBytes(1) - leaderBefore > total * VALUE_BYTES * 0.9, 'the leader to have served the new records', 10_000);
  } finally {
    child.stdin!.end();
    await exited;
  }
}, 180_000);

test('kafkajs with rackId is sent to the follower in its rack and fetches there', async () => {
  await startWithRecords();
  const total = BATCHES * RECORDS_PER_BATCH;
  await waitFor(async () => (await h.isrOf(TOPIC)) === '1,2,3', 'every replica in the ISR');

  const kafka = new Kafka({ clientId: 'rack-r3', brokers: [h.brokers.get(1)!.bootstrap], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: 'near-kafkajs', rackId: 'r3', maxWaitTimeInMs: 100 });
  const fetchesTo = new Map<string, number>();
  consumer.on(consumer.events.REQUEST, ({ payload }) => {
    if (payload.apiName === 'Fetch') fetchesTo.set(payload.broker, (fetchesTo.get(payload.broker) ?? 0) + 1);
  });
  let received = 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({ eachMessage: async () => void received++ });
    await waitFor(() => received >= total, `kafkajs to read ${total} records`);
    const fetches = (id: number) => fetchesTo.get(h.brokers.get(id)!.bootstrap) ?? 0;
    // The leader answers the first fetch with the preferred replica and no records; every later
    // fetch, records and long polls alike, goes to broker 3.
    await waitFor(() => fetches(3) >= 5, 'kafkajs to keep fetching from broker 3');
    expect(fetches(1)).toBeLessThanOrEqual(2);
    expect(fetches(2)).toBe(0);
    await waitFor(() => /Replica selector prefers replica 3 of near-0 for rack 'r3'/.test(h.brokers.get(1)!.output()), 'the leader to log its choice of replica 3');
  } finally {
    await consumer.disconnect();
  }
}, 180_000);
