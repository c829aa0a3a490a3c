// Log compaction measurement (not part of `make bench`): a broker holds a compacted topic of
// COMPACTION_MB (default 150) MiB of 1 KiB values over 10,000 keys, first too clean to compact
// (min.cleanable.dirty.ratio=1), while a probe producer sends one-record acks=1 requests to another topic
// every 2 ms. The ratio is then lowered to 0.5 with AlterConfigs, the cleaner compacts the log, and the
// probe's latency during the cleaning is compared with before. Run: npx tsc -p . && node dist/bench/compaction.js
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Apis, ErrorCode } from '../protocol';
import { buildBatch } from '../protocol/records';
import { KafkaConnection } from '../src/client/kafka-connection';
import { openConnection } from './net/connection';
import { KafkaTs } from './servers/kafka-ts';

const MB = Number(process.env.COMPACTION_MB ?? 150);
const KEYS = 10_000;
const VALUE = Buffer.alloc(1024, 'x');

function logBytes(dir: string): number {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.log'))
    .reduce((sum, n) => sum + statSync(join(dir, n)).size, 0);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function createTopic(conn: KafkaConnection, name: string, configs: Record<string, string>): Promise<void> {
  const res = await conn.request(Apis.CreateTopics, 7, {
    topics: [{ name, numPartitions: 1, replicationFactor: 1, configs: Object.entries(configs).map(([k, value]) => ({ name: k, value })) }],
    timeoutMs: 10_000,
  });
  if (res.topics[0].errorCode !== ErrorCode.NONE) throw new Error(`CreateTopics ${name}: ${res.topics[0].errorCode}`);
}

/** One-record produces every 2 ms until stopped; returns their latencies in ms. */
function probe(conn: KafkaConnection): { stop: () => Promise<number[]> } {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    const records = buildBatch([{ key: Buffer.from('p'), value: Buffer.from('probe') }]);
    while (running) {
      const t = process.hrtime.bigint();
      await conn.request(Apis.Produce, 9, { acks: 1, timeoutMs: 5000, topicData: [{ name: 'probe', partitionData: [{ index: 0, records: Buffer.from(records) }] }] });
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return latencies.sort((a, b) => a - b);
    },
  };
}

function summary(l: number[]): string {
  return `n=${l.length} p50=${percentile(l, 50).toFixed(2)} ms p99=${percentile(l, 99).toFixed(2)} ms max=${l[l.length - 1].toFixed(2)} ms`;
}

async function main(): Promise<void> {
  const broker = await KafkaTs.start({ props: { 'log.cleaner.backoff.ms': 200 } });
  const admin = await openConnection(broker.host, broker.port);
  const probeConn = await openConnection(broker.host, broker.port);
  try {
    await createTopic(admin, 'big', { 'cleanup.policy': 'compact', 'segment.bytes': String(16 * 1024 * 1024), 'min.cleanable.dirty.ratio': '1' });
    await createTopic(admin, 'probe', {});
    const total = MB * 1024 * 1024;
    let sent = 0;
    let seq = 0;
    while (sent < total) {
      const records = Array.from({ length: 100 }, () => ({ key: Buffer.from(`key-${seq++ % KEYS}`), value: VALUE }));
      const batch = buildBatch(records);
      await admin.request(Apis.Produce, 9, { acks: 1, timeoutMs: 10_000, topicData: [{ name: 'big', partitionData: [{ index: 0, records: batch }] }] });
      sent += batch.length;
    }
    const partDir = join(broker.dir, 'data', 'big-0');
    const before = logBytes(partDir);

    const idle = probe(probeConn);
    await new Promise((r) => setTimeout(r, 10_000));
    const baseline = await idle.stop();

    const checkpoint = join(broker.dir, 'data', 'cleaner-offset-checkpoint');
    const busy = probe(probeConn);
    const start = Date.now();
    await admin.request(Apis.AlterConfigs, 1, {
      resources: [
        {
          resourceType: 2,
          resourceName: 'big',
          // AlterConfigs replaces the whole set: the topic's other settings go along.
          configs: [
            { name: 'cleanup.policy', value: 'compact' },
            { name: 'segment.bytes', value: String(16 * 1024 * 1024) },
            { name: 'min.cleanable.dirty.ratio', value: '0.5' },
          ],
        },
      ],
      validateOnly: false,
    });
    while (!(existsSync(checkpoint) && /^big 0 \d+$/m.test(readFileSync(checkpoint, 'utf8')))) await new Promise((r) => setTimeout(r, 20));
    const cleanMs = Date.now() - start;
    const during = await busy.stop();
    const after = logBytes(partDir);

    console.log(`compacted topic: ${(before / 1048576).toFixed(1)} MiB before, ${(after / 1048576).toFixed(1)} MiB after (${KEYS} keys of 1 KiB)`);
    console.log(`cleaning took ${cleanMs} ms (from AlterConfigs to the cleaner checkpoint; includes up to 200 ms backoff)`);
    console.log(`probe produce latency without cleaning: ${summary(baseline)}`);
    console.log(`probe produce latency while cleaning:   ${summary(during)}`);
  } finally {
    admin.close();
    probeConn.close();
    await broker.stop({ remove: true });
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
