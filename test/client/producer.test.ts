// The producer client: Kafka's partitioner (murmur2 vectors of the Java client's UtilsTest, sticky
// unkeyed records), the consumer protocol's range assignor, and a producer against a real broker:
// keyed records land where the Java client puts them, every codec round-trips, acks=0 sends.

import { ErrorCode } from '../../protocol';
import { Compression } from '../../protocol/records';
import { ClusterClient } from '../../src/client/cluster-client';
import { Consumer } from '../../src/client/consumer';
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription, rangeAssign } from '../../src/client/consumer-protocol';
import { StickyPartitioner, murmur2, partitionForKey } from '../../src/client/partitioner';
import { Producer } from '../../src/client/producer';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';

describe('partitioner', () => {
  test("murmur2 matches Kafka's Utils.murmur2", () => {
    const vectors: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [input, hash] of vectors) expect([input, murmur2(Buffer.from(input))]).toEqual([input, hash]);
  });

  test('a key goes to toPositive(murmur2) mod the partition count', () => {
    expect(partitionForKey(Buffer.from('foobar'), 50)).toBe(16);
  });

  test('unkeyed records stick to a partition until its batch closes', () => {
    const sticky = new StickyPartitioner();
    const first = sticky.partition('t', 4);
    expect(sticky.partition('t', 4)).toBe(first);
    sticky.batchClosed('t', first, 4);
    expect(sticky.partition('t', 4)).not.toBe(first);
  });
});

describe('consumer protocol', () => {
  test('subscription and assignment round-trip', () => {
    expect(decodeSubscription(encodeSubscription(['a', 'b']))).toEqual(['a', 'b']);
    const assigned = [{ topic: 'a', partitions: [0, 2] }];
    expect(decodeAssignment(encodeAssignment(assigned))).toEqual(assigned);
    expect(decodeAssignment(Buffer.alloc(0))).toEqual([]);
  });

  test("the range assignor splits as Kafka's RangeAssignor", () => {
    const result = rangeAssign(
      [
        { memberId: 'm2', topics: ['t', 'u'] },
        { memberId: 'm1', topics: ['t'] },
      ],
      new Map([
        ['t', 5],
        ['u', 2],
      ]),
    );
    expect(result.get('m1')).toEqual([{ topic: 't', partitions: [0, 1, 2] }]);
    expect(result.get('m2')).toEqual([
      { topic: 't', partitions: [3, 4] },
      { topic: 'u', partitions: [0, 1] },
    ]);
  });
});

describe('producer against a broker', () => {
  let broker: BrokerProcess;
  let client: ClusterClient;

  beforeAll(async () => {
    broker = await startBroker({ props: { 'num.partitions': 3 } });
    client = await ClusterClient.connect({ bootstrapServers: broker.bootstrap });
  });

  afterAll(async () => {
    client?.close();
    await cleanup(broker);
  });

  async function readAll(topic: string, partitions: number) {
    const consumer = new Consumer(client, { autoOffsetReset: 'earliest' });
    consumer.assign(Array.from({ length: partitions }, (_, partition) => ({ topic, partition })));
    const records = await consumer.poll(2000);
    await consumer.close();
    return records;
  }

  test('keyed records land on the partition of their murmur2 hash, with offsets in order', async () => {
    const producer = new Producer(client, { lingerMs: 5 });
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    const acks = await Promise.all(keys.map((k, i) => producer.send({ topic: 'keyed', key: Buffer.from(k), value: Buffer.from(`v${i}`), headers: [{ key: 'h', value: Buffer.from(k) }] })));
    await producer.close();
    keys.forEach((k, i) => expect(acks[i].partition).toBe(partitionForKey(Buffer.from(k), 3)));
    const byPartition = new Map<number, number[]>();
    for (const a of acks) byPartition.set(a.partition, [...(byPartition.get(a.partition) ?? []), a.offset]);
    for (const offsets of byPartition.values()) expect(offsets).toEqual(offsets.map((_, i) => i));
    const records = await readAll('keyed', 3);
    expect(records.map((r) => `${r.key}=${r.value} ${r.headers[0].value}`).sort()).toEqual(keys.map((k, i) => `${k}=v${i} ${k}`));
  });

  test.each([
    ['gzip', Compression.GZIP],
    ['snappy', Compression.SNAPPY],
    ['lz4', Compression.LZ4],
    ['zstd', Compression.ZSTD],
  ])('%s batches round-trip', async (name, compression) => {
    const producer = new Producer(client, { compression, batchSize: 1000 });
    const topic = `codec-${name}`;
    const sends = Array.from({ length: 50 }, (_, i) => producer.send({ topic, partition: 0, value: Buffer.from(`record-${i}-${'x'.repeat(40)}`) }));
    const acks = await Promise.all(sends);
    await producer.close();
    expect(acks.map((a) => a.offset)).toEqual(acks.map((_, i) => i));
    const records = await readAll(topic, 1);
    expect(records.map((r) => r.value?.toString())).toEqual(acks.map((_, i) => `record-${i}-${'x'.repeat(40)}`));
  });

  test('acks=0 resolves without offsets; flush waits for every record', async () => {
    const producer = new Producer(client, { acks: 0 });
    const acks = await Promise.all([1, 2, 3].map((i) => producer.send({ topic: 'fire', partition: 0, value: Buffer.from(String(i)) })));
    await producer.flush();
    expect(acks.map((a) => a.offset)).toEqual([-1, -1, -1]);
  });

  test('transactions: an aborted one stays hidden from read_committed, a committed one shows', async () => {
    const producer = new Producer(client, { transactionalId: 'producer-test-tx' });
    await producer.initTransactions();
    producer.beginTransaction();
    await producer.send({ topic: 'tx', partition: 0, value: Buffer.from('dropped') });
    await producer.abortTransaction();
    producer.beginTransaction();
    await producer.send({ topic: 'tx', partition: 0, value: Buffer.from('kept') });
    await producer.commitTransaction();
    await producer.close();
    const consumer = new Consumer(client, { isolationLevel: 1, autoOffsetReset: 'earliest' });
    consumer.assign([{ topic: 'tx', partition: 0 }]);
    const seen: string[] = [];
    while (seen.length < 1) for (const r of await consumer.poll(500)) seen.push(r.value!.toString());
    await consumer.close();
    expect(seen).toEqual(['kept']);
    await expect(new Producer(client).initTransactions()).rejects.toThrow('Cannot use transactional methods without enabling transactions');
  });

  test('a partition out of range fails its record only', async () => {
    const producer = new Producer(client);
    await expect(producer.send({ topic: 'keyed', partition: 7, value: null })).rejects.toThrow(/Partition 7 of topic keyed with partition count 3/);
    await expect(producer.send({ topic: 'keyed', partition: 1, value: null })).resolves.toMatchObject({ partition: 1 });
    await producer.close();
    await expect(producer.send({ topic: 'keyed', value: null })).rejects.toThrow('Cannot perform operation after producer has been closed');
  });
});

describe('producer retries', () => {
  test('NOT_LEADER_OR_FOLLOWER refreshes the metadata and resends the batch to the new leader', async () => {
    let leader = 1;
    const sentTo: number[] = [];
    let metadataCalls = 0;
    const stub = {
      metadata: async () => {
        metadataCalls++;
        return { topics: [{ name: 't', errorCode: 0, isInternal: false, partitions: [{ partitionIndex: 0, errorCode: 0, leaderId: leader }] }] };
      },
      request: async (_spec: unknown, _body: unknown, options: { to: number }) => {
        sentTo.push(options.to);
        const moved = options.to === 1;
        if (moved) leader = 2;
        return {
          responses: [{ name: 't', partitionResponses: [{ index: 0, errorCode: moved ? ErrorCode.NOT_LEADER_OR_FOLLOWER : 0, baseOffset: 10n, logAppendTimeMs: -1n, errorMessage: null }] }],
        };
      },
    } as unknown as ClusterClient;
    const producer = new Producer(stub, { retryBackoffMs: 1 });
    const [a, b] = await Promise.all([producer.send({ topic: 't', value: Buffer.from('a') }), producer.send({ topic: 't', value: Buffer.from('b') })]);
    expect(sentTo).toEqual([1, 2]);
    expect(metadataCalls).toBe(2);
    expect([a.offset, b.offset]).toEqual([10, 11]);
  });

  test('a non-retriable error fails every record of the batch', async () => {
    const stub = {
      metadata: async () => ({ topics: [{ name: 't', errorCode: 0, isInternal: false, partitions: [{ partitionIndex: 0, errorCode: 0, leaderId: 0 }] }] }),
      request: async () => ({
        responses: [{ name: 't', partitionResponses: [{ index: 0, errorCode: ErrorCode.RECORD_LIST_TOO_LARGE, baseOffset: -1n, logAppendTimeMs: -1n, errorMessage: null }] }],
      }),
    } as unknown as ClusterClient;
    const producer = new Producer(stub);
    await expect(producer.send({ topic: 't', value: Buffer.from('a') })).rejects.toThrow('RECORD_LIST_TOO_LARGE');
  });
});

test('an assignment written at a later version (v1: same layout) is read, partitions in the order listed', () => {
  const assignment = Buffer.concat([Buffer.from([0, 1, 0, 0, 0, 1, 0, 1]), Buffer.from('t'), Buffer.from([0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 1, 255, 255, 255, 255])]);
  expect(decodeAssignment(assignment)).toEqual([{ topic: 't', partitions: [3, 1] }]);
});
