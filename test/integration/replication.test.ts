// Replication with one follower frozen (SIGSTOP) while the other goes on: three kafka-ts broker
// processes against a real ZooKeeper, one chroot per test. Consumers never read past the high
// watermark; acks=all waits for the ISR, which drops frozen followers after replica.lag.time.max.ms
// and takes them back once they caught up; min.insync.replicas refuses writes the ISR cannot hold.
// (Byte-identical replicas, a leader killed mid-write and a returning leader's truncation run
// in-process: test/embedded/replication.test.ts.)

import { join } from 'node:path';
import { Apis, ErrorCode } from '../../protocol';
import { KafkaConnection } from '../../src/client/kafka-connection';
import { waitFor } from '../helpers/wait';
import { useZkCluster } from '../helpers/zk-cluster-harness';
import { identicalReplicaFiles } from '../helpers/replica-files';
import { consume, countRecords, produce } from '../helpers/partition-io';

const LAG_MS = 1500;

const h = useZkCluster('replication', { 'group.initial.rebalance.delay.ms': 0, 'replica.lag.time.max.ms': LAG_MS, 'replica.fetch.backoff.ms': 100 });
const { brokers, startCluster, client, createTopic, state, isrOf } = h;

async function latestOffset(via: KafkaConnection, topic: string): Promise<bigint> {
  const res = await via.request(Apis.ListOffsets, 7, { replicaId: -1, topics: [{ name: topic, partitions: [{ partitionIndex: 0, timestamp: -1n }] }] });
  return res.topics[0].partitions[0].offset;
}

/** Waits until every replica holds the leader's segment files byte for byte. */
function replicasIdentical(topic: string, partition: number, replicas: number[], suffixes?: string[]): Promise<Map<string, Buffer>> {
  return identicalReplicaFiles((id) => join(brokers.get(id)!.logDir, 'data', `${topic}-${partition}`), replicas, `${topic}-${partition}`, suffixes);
}

test('consumers never read past the high watermark, and are woken when it moves', async () => {
  await startCluster({ 'replica.lag.time.max.ms': 60_000 });
  await createTopic('visible', [[1, 2, 3]]);
  const leader = await client(1);
  expect((await produce(leader, 'visible', -1, 5)).errorCode).toBe(ErrorCode.NONE);

  brokers.get(3)!.pause();
  const appended = await produce(leader, 'visible', 1, 5);
  expect(appended).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 5n });
  // Broker 3 is in the ISR and has not fetched offsets 5-9: they stay invisible.
  const read = await consume(leader, 'visible', 0n);
  expect(read.highWatermark).toBe(5n);
  expect(countRecords(read.records)).toBe(5);
  expect(await latestOffset(leader, 'visible')).toBe(5n);
  expect((await consume(leader, 'visible', 5n)).records?.length ?? 0).toBe(0);

  const waiting = consume(await client(1), 'visible', 5n, 20_000);
  const resumed = Date.now();
  brokers.get(3)!.resume();
  const woken = await waiting;
  expect(Date.now() - resumed).toBeLessThan(10_000);
  expect(woken.highWatermark).toBe(10n);
  expect(countRecords(woken.records)).toBe(5);
}, 90_000);

test('acks=all with min.insync.replicas=2 rides out one frozen follower, refuses with two, and both rejoin', async () => {
  await startCluster();
  await createTopic('durable', [[1, 2, 3]], { 'min.insync.replicas': '2' });
  const leader = await client(1);
  expect((await produce(leader, 'durable', -1, 10)).errorCode).toBe(ErrorCode.NONE);

  brokers.get(3)!.pause();
  const frozenAt = Date.now();
  // Waits for broker 3 until the leader drops it from the ISR, then succeeds with 2 in sync.
  expect((await produce(leader, 'durable', -1, 10)).errorCode).toBe(ErrorCode.NONE);
  // Its last fetch may have come up to replica.fetch.wait.max.ms (500) before the freeze.
  expect(Date.now() - frozenAt).toBeGreaterThanOrEqual(LAG_MS - 500);
  expect(await isrOf('durable')).toBe('1,2');
  // The leader wrote that, not the controller: broker 3 is still registered.
  expect(await h.admin.exists('/brokers/ids/3')).not.toBeNull();
  expect((await state('durable', 0))?.leader_epoch).toBe(0);
  const quick = Date.now();
  expect((await produce(leader, 'durable', -1, 10)).errorCode).toBe(ErrorCode.NONE);
  expect(Date.now() - quick).toBeLessThan(LAG_MS);

  brokers.get(2)!.pause();
  expect((await produce(leader, 'durable', 1, 10)).errorCode).toBe(ErrorCode.NONE);
  await waitFor(async () => (await isrOf('durable')) === '1', 'the ISR to shrink to the leader');
  // The znode can be seen before the leader's own write callback has run: wait for the leader too.
  await waitFor(() => /\[Partition durable-0 broker=1\] ISR updated to 1 /.test(brokers.get(1)!.output()), 'the leader to apply the shrink');
  const refused = await produce(leader, 'durable', -1, 10);
  expect(refused.errorCode).toBe(ErrorCode.NOT_ENOUGH_REPLICAS);
  expect(refused.errorMessage).toMatch(/min.isr requirement of 2/);

  brokers.get(2)!.resume();
  brokers.get(3)!.resume();
  await waitFor(async () => (await isrOf('durable')) === '1,2,3', 'both followers to rejoin the ISR');
  expect((await produce(leader, 'durable', -1, 10)).errorCode).toBe(ErrorCode.NONE);
  await replicasIdentical('durable', 0, [1, 2, 3]);
  expect(countRecords((await consume(leader, 'durable', 0n)).records)).toBe(50);
}, 90_000);

