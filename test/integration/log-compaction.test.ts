// The log cleaner in a real broker: a compacted topic with small segments gets duplicates produced to it,
// the cleaner (log.cleaner.backoff.ms short) compacts the rolled segments and checkpoints how far, and a
// consumer reading from the start sees only the latest value of each key there.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Apis, ErrorCode } from '../../protocol';
import { buildBatch, decodeBatch } from '../../protocol/records';
import { KafkaConnection } from '../../src/client/kafka-connection';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { connectClient } from '../helpers/test-client';

let broker: BrokerProcess;
let client: KafkaConnection;

beforeAll(async () => {
  broker = await startBroker({ props: { 'log.cleaner.backoff.ms': 100 } });
  client = await connectClient(broker.port);
});

afterAll(async () => {
  client.close();
  await cleanup(broker);
});

async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function readFromStart(topic: string): Promise<{ offset: number; key: string; value: string }[]> {
  const out: { offset: number; key: string; value: string }[] = [];
  let offset = 0n;
  for (;;) {
    const res = await client.request(Apis.Fetch, 12, {
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1 << 20,
      isolationLevel: 1,
      topics: [{ topic, partitions: [{ partition: 0, fetchOffset: offset, partitionMaxBytes: 1 << 20 }] }],
    });
    const p = res.responses[0].partitions[0];
    expect(p.errorCode).toBe(ErrorCode.NONE);
    const records = p.records ?? Buffer.alloc(0);
    if (records.length === 0) return out;
    for (let pos = 0; pos < records.length; pos += 12 + records.readInt32BE(pos + 8)) {
      const { header, records: recs } = decodeBatch(records, pos);
      for (const r of recs) out.push({ offset: r.offset, key: r.key!.toString(), value: r.value!.toString() });
      offset = BigInt(header.baseOffset + header.lastOffsetDelta + 1);
    }
  }
}

test('a consumer reads the latest value of each key once the cleaner has compacted the topic', async () => {
  const created = await client.request(Apis.CreateTopics, 7, {
    topics: [
      {
        name: 'compacted',
        numPartitions: 1,
        replicationFactor: 1,
        configs: [
          { name: 'cleanup.policy', value: 'compact' },
          { name: 'segment.bytes', value: '4096' },
          { name: 'min.cleanable.dirty.ratio', value: '0.01' },
        ],
      },
    ],
    timeoutMs: 5000,
  });
  expect(created.topics[0].errorCode).toBe(ErrorCode.NONE);
  const latest = new Map<string, string>();
  for (let round = 0; round < 40; round++) {
    const records = Array.from({ length: 10 }, (_, k) => ({ key: Buffer.from(`key-${k}`), value: Buffer.from(`value-${k}-${round}`) }));
    for (const r of records) latest.set(r.key.toString(), r.value.toString());
    const res = await client.request(Apis.Produce, 9, { acks: -1, timeoutMs: 5000, topicData: [{ name: 'compacted', partitionData: [{ index: 0, records: buildBatch(records) }] }] });
    expect(res.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NONE);
  }
  const checkpoint = path.join(broker.logDir, 'data', 'cleaner-offset-checkpoint');
  let cleanedUpTo = 0;
  await waitFor(() => {
    const m = fs.existsSync(checkpoint) ? /^compacted 0 (\d+)$/m.exec(fs.readFileSync(checkpoint, 'utf8')) : null;
    cleanedUpTo = m ? Number(m[1]) : 0;
    return cleanedUpTo >= 200;
  }, 30_000);

  const read = await readFromStart('compacted');
  const cleanPart = read.filter((r) => r.offset < cleanedUpTo);
  // At most one record per key below the checkpoint (the cleaner may have gone on since).
  expect(new Set(cleanPart.map((r) => r.key)).size).toBe(cleanPart.length);
  expect(read.length).toBeLessThan(400);
  const seen = new Map<string, string>();
  for (const r of read) seen.set(r.key, r.value);
  expect(seen).toEqual(latest);
}, 60_000);
