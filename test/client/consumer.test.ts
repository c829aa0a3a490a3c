// The consumer client against a real broker: assigned partitions from the beginning, the end or an
// offset; two group members splitting a topic with the range assignor and committing; a new member
// resuming from the committed offsets; read_committed dropping an aborted transaction's records.

import { buildBatch, toLegacy } from '../../protocol/records';
import { ClusterClient } from '../../src/client/cluster-client';
import { decodeFetchedRecords } from '../../src/client/fetched-records';
import { Consumer, ConsumerRecord } from '../../src/client/consumer';
import { Producer } from '../../src/client/producer';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { waitFor } from '../helpers/wait';
import { writeTransaction } from '../tools/clients-transaction';

let broker: BrokerProcess;
let client: ClusterClient;

beforeAll(async () => {
  broker = await startBroker({ props: { 'num.partitions': 2, 'group.initial.rebalance.delay.ms': 0 } });
  client = await ClusterClient.connect({ bootstrapServers: broker.bootstrap });
  const producer = new Producer(client);
  await Promise.all(
    Array.from({ length: 10 }, (_, i) => producer.send({ topic: 'events', partition: i % 2, key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`), timestamp: 1700000000000 + i })),
  );
  await producer.close();
});

afterAll(async () => {
  client?.close();
  await cleanup(broker);
});

describe('fetched records', () => {
  const tp = { topic: 't', partition: 0 };
  const values = (rs: { value: Buffer | null }[]) => rs.map((r) => r.value?.toString());
  const batch = (baseOffset: number, vs: string[], opts: { producerId?: bigint; transactional?: boolean } = {}) =>
    buildBatch(vs.map((v) => ({ key: null, value: Buffer.from(v), timestamp: 1000 })), { baseOffset, producerEpoch: 0, baseSequence: 0, ...opts });
  const marker = (offset: number, producerId: bigint, commit: boolean) => {
    const key = Buffer.alloc(4);
    key.writeInt16BE(commit ? 1 : 0, 2);
    return buildBatch([{ key, value: Buffer.alloc(6) }], { baseOffset: offset, producerId, producerEpoch: 0, transactional: true, control: true });
  };

  test('from the fetch offset on, inside a batch too; a partial batch at the end waits for the next fetch', () => {
    const data = Buffer.concat([batch(0, ['a', 'b', 'c']), batch(3, ['d'])]);
    const truncated = data.subarray(0, data.length - 5);
    expect(decodeFetchedRecords(tp, truncated, 1, false, [])).toMatchObject({ nextFetchOffset: 3 });
    expect(values(decodeFetchedRecords(tp, data, 1, false, []).records)).toEqual(['b', 'c', 'd']);
  });

  test('control batches are skipped; read_committed drops aborted transactions up to their marker', () => {
    const data = Buffer.concat([
      batch(0, ['t1'], { producerId: 7n, transactional: true }),
      batch(1, ['plain']),
      marker(2, 7n, false),
      batch(3, ['t2'], { producerId: 7n, transactional: true }),
      marker(4, 7n, true),
    ]);
    const committed = decodeFetchedRecords(tp, data, 0, true, [{ producerId: 7n, firstOffset: 0 }]);
    expect(values(committed.records)).toEqual(['plain', 't2']);
    expect(committed.nextFetchOffset).toBe(5);
    expect(values(decodeFetchedRecords(tp, data, 0, false, [{ producerId: 7n, firstOffset: 0 }]).records)).toEqual(['t1', 'plain', 't2']);
  });

  test('legacy message sets: v0 has no timestamp, v1 keeps it', () => {
    const v0 = decodeFetchedRecords(tp, toLegacy(batch(5, ['old']), 0), 0, false, []);
    expect(v0.records[0]).toMatchObject({ offset: 5, timestampType: 'NoTimestampType', value: Buffer.from('old') });
    const v1 = decodeFetchedRecords(tp, toLegacy(batch(5, ['old']), 1), 0, false, []);
    expect(v1.records[0]).toMatchObject({ offset: 5, timestampType: 'CreateTime', timestamp: 1000 });
  });
});

async function pollUntil(consumer: Consumer, count: number, timeoutMs = 10_000): Promise<ConsumerRecord[]> {
  const out: ConsumerRecord[] = [];
  await waitFor(async () => {
    out.push(...(await consumer.poll(200)));
    return out.length >= count;
  }, `${count} records`, timeoutMs);
  return out;
}

test('assign and seek: beginning, offset, end', async () => {
  const consumer = new Consumer(client);
  const tp = { topic: 'events', partition: 1 };
  consumer.assign([tp]);
  consumer.seekToBeginning([tp]);
  const all = await pollUntil(consumer, 5);
  expect(all.map((r) => [r.offset, r.key?.toString(), r.value?.toString(), r.timestamp, r.timestampType])).toEqual(
    [1, 3, 5, 7, 9].map((i, n) => [n, `k${i}`, `v${i}`, 1700000000000 + i, 'CreateTime']),
  );
  consumer.seek(tp, 3);
  expect((await pollUntil(consumer, 2)).map((r) => r.offset)).toEqual([3, 4]);
  consumer.seekToEnd([tp]);
  expect(await consumer.poll(300)).toEqual([]);
  expect(consumer.position(tp)).toBe(5);
  await consumer.close();
});

test('two members split the topic, commit, and a later member resumes from the commits', async () => {
  // Each member has its own connections, as each Java consumer does: a broker answers a connection's requests in order, so
  // one member's JoinGroup, held until the other rejoins, would hold back the other's heartbeat.
  const clientA = await ClusterClient.connect({ bootstrapServers: broker.bootstrap });
  const clientB = await ClusterClient.connect({ bootstrapServers: broker.bootstrap });
  const a = new Consumer(clientA, { groupId: 'split', autoOffsetReset: 'earliest', heartbeatIntervalMs: 200 });
  a.subscribe(['events']);
  await pollUntil(a, 10);
  expect(a.assignment()).toHaveLength(2);

  const b = new Consumer(clientB, { groupId: 'split', autoOffsetReset: 'earliest', heartbeatIntervalMs: 200 });
  b.subscribe(['events']);
  // b's join makes the coordinator rebalance; a learns it from its heartbeat and rejoins in poll.
  await Promise.all([
    waitFor(async () => (await b.poll(100), b.assignment().length === 1), 'b assigned', 15_000),
    waitFor(async () => (await a.poll(100), a.assignment().length === 1), 'a down to one partition', 15_000),
  ]);
  expect([...a.assignment(), ...b.assignment()].map((tp) => tp.partition).sort()).toEqual([0, 1]);
  await a.close();
  await b.close();
  clientA.close();
  clientB.close();

  const producer = new Producer(client);
  await producer.send({ topic: 'events', partition: 0, value: Buffer.from('late') });
  await producer.close();
  const c = new Consumer(client, { groupId: 'split', autoOffsetReset: 'earliest' });
  c.subscribe(['events']);
  const resumed = await pollUntil(c, 1);
  expect(resumed.map((r) => [r.partition, r.offset, r.value?.toString()])).toEqual([[0, 5, 'late']]);
  await c.close();
});

test('a pattern subscription takes the matching topics only', async () => {
  const producer = new Producer(client);
  await producer.send({ topic: 'logs-a', partition: 0, value: Buffer.from('a') });
  await producer.send({ topic: 'logs-b', partition: 0, value: Buffer.from('b') });
  await producer.close();
  const consumer = new Consumer(client, { groupId: 'pattern', autoOffsetReset: 'earliest' });
  consumer.subscribe(/logs-.*/);
  const records = await pollUntil(consumer, 2);
  expect(records.map((r) => r.value?.toString()).sort()).toEqual(['a', 'b']);
  expect(new Set(consumer.assignment().map((tp) => tp.topic))).toEqual(new Set(['logs-a', 'logs-b']));
  await consumer.close();
});

test('read_committed drops an aborted transaction; read_uncommitted shows it', async () => {
  const producer = new Producer(client);
  await producer.send({ topic: 'txn', partition: 0, value: Buffer.from('plain') });
  await producer.close();
  await writeTransaction(client, 'tx-aborted', 'txn', ['a1', 'a2'], false);
  await writeTransaction(client, 'tx-committed', 'txn', ['c1'], true);

  const read = async (isolationLevel: 0 | 1, count: number) => {
    const consumer = new Consumer(client, { isolationLevel, autoOffsetReset: 'earliest' });
    consumer.assign([{ topic: 'txn', partition: 0 }]);
    const records = await pollUntil(consumer, count);
    await consumer.close();
    return records.map((r) => r.value?.toString());
  };
  expect(await read(1, 2)).toEqual(['plain', 'c1']);
  expect(await read(0, 4)).toEqual(['plain', 'a1', 'a2', 'c1']);
});
