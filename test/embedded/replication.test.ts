// Replication end to end on three in-process brokers (startKafka), a fresh cluster per test:
// followers copy the leader's segments byte for byte; a leader killed (as by kill -9) during
// acks=all writes loses no acknowledged record, then comes back as a follower whose log matches the
// new leader's; and a leader killed with a suffix its followers never fetched (it refused their
// fetches) truncates that suffix when it returns. (The tests that freeze one follower while the
// other goes on stay with broker processes, in test/integration/replication.test.ts.)

import { Kafka, logLevel } from 'kafkajs';
import { ErrorCode } from '../../protocol';
import { fetchAll } from '../helpers/kafkajs-fetch';
import { useEmbeddedCluster } from '../helpers/embedded-cluster';
import { waitFor } from '../helpers/wait';
import { identicalReplicaFiles } from '../helpers/replica-files';
import { consume, countRecords, produce } from '../helpers/partition-io';

const LAG_MS = 1500;

const h = useEmbeddedCluster({ 'group.initial.rebalance.delay.ms': 0, 'replica.lag.time.max.ms': LAG_MS, 'replica.fetch.backoff.ms': 100 });
const { client, createTopic, state, isrOf } = h;
const FETCH = 1;

/** Waits until every replica holds the leader's segment files byte for byte. */
function replicasIdentical(topic: string, partition: number, replicas: number[], suffixes?: string[]): Promise<Map<string, Buffer>> {
  return identicalReplicaFiles((id) => h.cluster.brokers[id].broker!.logs.get(topic, partition)!.dir, replicas, `${topic}-${partition}`, suffixes);
}

test('an RF=3 topic replicates byte-identical segment files on every replica', async () => {
  const cluster = await h.start();
  await createTopic('copied', [[0, 1, 2], [1, 2, 0]], { 'segment.bytes': '4096' });
  const kafka = new Kafka({ clientId: 'replication-test', brokers: cluster.bootstrapServers.split(','), logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let i = 0; i < 40; i++) {
      const messages = Array.from({ length: 10 }, (_, j) => ({ key: `key-${j}`, value: `value-${i}-${j}`.repeat(3) }));
      await producer.send({ topic: 'copied', acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
  for (const partition of [0, 1]) {
    const logs = await replicasIdentical('copied', partition, [0, 1, 2], ['.log', '.index', '.timeindex', 'leader-epoch-checkpoint']);
    expect([...logs.keys()].filter((n) => n.endsWith('.log')).length).toBeGreaterThan(1);
  }
  expect(await fetchAll(kafka, 'copied')).toHaveLength(400);
  expect(isrOf('copied', 0)).toBe('0,1,2');
  expect(isrOf('copied', 1)).toBe('0,1,2');
}, 90_000);

test('a leader killed during acks=all writes loses no acknowledged record and returns as a follower', async () => {
  const cluster = await h.start();
  // The leader is the controller too: its death moves both.
  const victim = await h.controllerId();
  const [a, b] = h.othersThan(victim);
  await createTopic('failover', [[victim, a, b]], { 'min.insync.replicas': '2' });
  const kafka = new Kafka({
    clientId: 'failover-test',
    brokers: [a, b].map((id) => cluster.brokers[id].bootstrapServer),
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 100, maxRetryTime: 500, retries: 30 },
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const acked: string[] = [];
  let killedAt = 0;
  let firstAfterKill = 0;
  try {
    for (let i = 0; acked.length < 300 || firstAfterKill === 0; i++) {
      if (acked.length === 150 && killedAt === 0) {
        killedAt = Date.now();
        void cluster.kill(victim);
      }
      try {
        await producer.send({ topic: 'failover', acks: -1, timeout: 5000, messages: [{ value: `value-${i}` }] });
        acked.push(`value-${i}`);
        if (killedAt > 0 && firstAfterKill === 0) firstAfterKill = Date.now();
      } catch {
        // Not acknowledged: the next record goes on.
      }
    }
  } finally {
    await producer.disconnect();
  }
  const failoverMs = firstAfterKill - killedAt;
  expect(failoverMs).toBeLessThan(30_000);
  process.stdout.write(`kafkajs: kill to first acks=all produce on the new leader: ${failoverMs} ms\n`);

  const newLeader = state('failover', 0)!.leader;
  expect([a, b]).toContain(newLeader);
  const stored = new Set((await fetchAll(kafka, 'failover')).map((m) => m.value!.toString()));
  expect(acked.filter((v) => !stored.has(v))).toEqual([]);

  await cluster.start(victim);
  await waitFor(() => isrOf('failover') === '0,1,2', 'the old leader to rejoin the ISR');
  await replicasIdentical('failover', 0, [newLeader, victim, a + b - newLeader]);
  expect(state('failover', 0)!.leader).toBe(newLeader);
}, 120_000);

test('a returning leader truncates the suffix it never replicated before following the new leader', async () => {
  // A refused follower waits replica.fetch.backoff.ms before it fetches again: two refusals within
  // it are one of each follower.
  const cluster = await h.start({ 'replica.lag.time.max.ms': 30_000, 'replica.fetch.wait.max.ms': 100, 'replica.fetch.backoff.ms': 2000 });
  const old = await h.controllerId();
  const [x, y] = h.othersThan(old);
  await createTopic('diverged', [[old, x, y]]);
  expect((await produce(await client(old), 'diverged', -1, 10)).errorCode).toBe(ErrorCode.NONE);

  // The leader refuses its followers' fetches, and once each was refused no fetch of theirs is
  // parked at the leader to carry what comes next: the leader alone holds offsets 10-14.
  const refusal = cluster.brokers[old].faults.inject({ apiKey: FETCH, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER });
  await waitFor(() => refusal.fired >= 2, 'both followers to be refused');
  expect((await produce(await client(old), 'diverged', 1, 5)).baseOffset).toBe(10n);
  await cluster.kill(old);
  cluster.brokers[old].faults.remove(refusal.id);
  await waitFor(() => state('diverged', 0)?.leader === x, `broker ${x} to lead`);
  expect(state('diverged', 0)?.leaderEpoch).toBe(1);
  expect((await produce(await client(x), 'diverged', -1, 3)).baseOffset).toBe(10n);

  await cluster.start(old);
  await waitFor(() => isrOf('diverged') === '0,1,2', 'the old leader to rejoin the ISR');
  await waitFor(() => new RegExp(`\\[ReplicaFetcher replicaId=${old}\\b.*Truncating diverged-0 from 15 to offset 10`).test(h.output()), 'the returning broker to log its truncation');
  await replicasIdentical('diverged', 0, [x, old, y], ['.log', 'leader-epoch-checkpoint']);
  const read = await consume(await client(x), 'diverged', 0n);
  expect(read.highWatermark).toBe(13n);
  expect(countRecords(read.records)).toBe(13);
}, 90_000);
