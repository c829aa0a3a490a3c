// kafkajs against a real broker process: admin create/delete, 10,000 records with keys, headers,
// null values and gzip, read back with kafkajs's own decoder, then again after a clean restart and
// after kill -9.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Admin, CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { fetchAll } from '../helpers/kafkajs-fetch';

const TOPIC = 'kafkajs-roundtrip';
const COUNT = 10_000;

let broker: BrokerProcess | undefined;

function client(b: BrokerProcess): Kafka {
  return new Kafka({ clientId: 'kafka-ts-test', brokers: [b.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 3 } });
}

async function withAdmin<T>(b: BrokerProcess, fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = client(b).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

function recordFor(i: number) {
  return {
    key: `key-${i}`,
    value: i % 10 === 0 ? null : `value-${i}-${'x'.repeat(i % 50)}`,
    headers: { index: String(i), kind: i % 2 ? 'odd' : 'even' },
  };
}

function expectAllRecords(messages: Awaited<ReturnType<typeof fetchAll>>): void {
  expect(messages).toHaveLength(COUNT);
  const seen = new Set<number>();
  for (const m of messages) {
    const i = Number(m.headers.index!.toString());
    const want = recordFor(i);
    expect(m.key!.toString()).toBe(want.key);
    if (want.value === null) expect(m.value).toBeNull();
    else expect(m.value!.toString()).toBe(want.value);
    expect(m.headers.kind!.toString()).toBe(want.headers.kind);
    seen.add(i);
  }
  expect(seen.size).toBe(COUNT);
}

afterEach(async () => {
  await cleanup(broker);
  broker = undefined;
});

test('admin creates topics, refuses duplicates and deletes them', async () => {
  broker = await startBroker();
  await withAdmin(broker, async (admin) => {
    expect(await admin.createTopics({ topics: [{ topic: 'a-topic', numPartitions: 4 }], waitForLeaders: true })).toBe(true);
    expect(await admin.createTopics({ topics: [{ topic: 'a-topic', numPartitions: 4 }] })).toBe(false);
    await expect(admin.createTopics({ topics: [{ topic: 'bad name!' }] })).rejects.toThrow();
    const meta = await admin.fetchTopicMetadata({ topics: ['a-topic'] });
    expect(meta.topics[0].partitions).toHaveLength(4);
    expect(meta.topics[0].partitions.every((p) => p.leader === 0)).toBe(true);
    await admin.deleteTopics({ topics: ['a-topic'] });
    expect(await admin.listTopics()).not.toContain('a-topic');
  });
});

test('10,000 records with keys, headers, nulls and gzip survive a clean restart and a kill -9', async () => {
  broker = await startBroker();
  await withAdmin(broker, (admin) => admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3 }], waitForLeaders: true }));

  const producer = client(broker).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  for (let start = 0; start < COUNT; start += 500) {
    const messages = Array.from({ length: 500 }, (_, j) => recordFor(start + j));
    await producer.send({ topic: TOPIC, messages, compression: start % 1000 === 0 ? CompressionTypes.GZIP : CompressionTypes.None, acks: -1 });
  }
  await producer.disconnect();

  expectAllRecords(await fetchAll(client(broker), TOPIC));
  const offsets = await withAdmin(broker, (admin) => admin.fetchTopicOffsets(TOPIC));
  expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(COUNT);

  // Clean shutdown: exit 0 and the clean-shutdown marker; the restarted broker serves everything.
  const logDir = broker.logDir;
  expect(await broker.stop()).toBe(0);
  expect(existsSync(join(logDir, 'data', '.kafka_cleanshutdown'))).toBe(true);
  broker = await startBroker({ logDir });
  expectAllRecords(await fetchAll(client(broker), TOPIC));

  // kill -9 after acknowledged writes: nothing acknowledged is lost.
  const more = client(broker).producer();
  await more.connect();
  await more.send({ topic: TOPIC, messages: [{ key: 'after-restart', value: 'acked' }], acks: 1 });
  await more.disconnect();
  await broker.kill();
  broker = await startBroker({ logDir });
  const all = await fetchAll(client(broker), TOPIC);
  expect(all).toHaveLength(COUNT + 1);
  expect(all.some((m) => m.key?.toString() === 'after-restart' && m.value?.toString() === 'acked')).toBe(true);
});

test('reading from an offset in the middle of a batch returns the rest of it', async () => {
  broker = await startBroker({ props: { 'num.partitions': 1 } });
  const producer = client(broker).producer();
  await producer.connect();
  await producer.send({ topic: 'mid-batch', messages: Array.from({ length: 20 }, (_, i) => ({ value: `m${i}` })) });
  await producer.disconnect();
  const tail = await fetchAll(client(broker), 'mid-batch', { from: 7 });
  expect(tail.map((m) => m.value!.toString())).toEqual(Array.from({ length: 13 }, (_, i) => `m${i + 7}`));
});
