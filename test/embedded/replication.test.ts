// Replication end to end on three in-process brokers (startKafka), a fresh cluster per test:
// followers copy the leader's segments byte for byte, and a leader killed (as by kill -9) during
// acks=all writes loses no acknowledged record, then comes back as a follower whose log matches the
// new leader's. (The tests that freeze a follower with SIGSTOP stay with broker processes, in
// test/integration/replication.test.ts.)

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { fetchAll } from '../helpers/kafkajs-fetch';
import { useEmbeddedCluster } from '../helpers/embedded-cluster';
import { waitFor } from '../helpers/wait';

const LAG_MS = 1500;

const h = useEmbeddedCluster({ 'group.initial.rebalance.delay.ms': 0, 'replica.lag.time.max.ms': LAG_MS, 'replica.fetch.backoff.ms': 100 });
const { createTopic, state, isrOf } = h;

/** The contents of a replica's files of one partition, by file name. */
function partitionFiles(id: number, topic: string, partition: number, suffixes: string[]): Map<string, Buffer> {
  const dir = h.cluster.brokers[id].broker!.logs.get(topic, partition)!.dir;
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(dir).sort()) {
    if (suffixes.some((s) => name.endsWith(s))) files.set(name, readFileSync(join(dir, name)));
  }
  return files;
}

function sameFiles(a: Map<string, Buffer>, b: Map<string, Buffer>): boolean {
  return a.size === b.size && [...a].every(([name, bytes]) => b.get(name)?.equals(bytes) === true);
}

/** Waits until every replica holds the leader's segment files byte for byte. */
async function replicasIdentical(topic: string, partition: number, replicas: number[], suffixes = ['.log']): Promise<Map<string, Buffer>> {
  let files = new Map<string, Buffer>();
  await waitFor(() => {
    const all = replicas.map((id) => partitionFiles(id, topic, partition, suffixes));
    files = all[0];
    return all.every((f) => sameFiles(f, files));
  }, `the replicas of ${topic}-${partition} to hold identical files`);
  return files;
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
