// A real broker with two log.dirs moves a partition from one to the other while a producer keeps
// writing: AlterReplicaLogDirs answers at once, DescribeLogDirs shows the partition in its new dir
// once the move is done, and every record produced before, during and after comes back in order.

import { join } from 'node:path';
import { Apis, ErrorCode } from '../../protocol';
import { buildBatch, decodeBatch, forEachBatch } from '../../protocol/records';
import { KafkaConnection } from '../../src/client/kafka-connection';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { connectClient } from '../helpers/test-client';
import { waitFor } from '../helpers/wait';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

let broker: BrokerProcess | undefined;
let client: KafkaConnection | undefined;
afterEach(async () => {
  client?.close();
  await cleanup(broker);
});

test('a partition moves to the other log dir while records are produced; all of them are read back', async () => {
  const root = mkdtempSync(join(tmpdir(), 'kafka-ts-test-'));
  const dirs = [join(root, 'd0'), join(root, 'd1')];
  broker = await startBroker({ logDir: root, props: { 'log.dirs': dirs.join(','), 'log.segment.bytes': 65536 }, waitForStarted: true });
  client = await connectClient(broker.port);
  const c = client;
  const created = await c.request(Apis.CreateTopics, 7, { topics: [{ name: 'moving', numPartitions: 1, replicationFactor: 1, configs: [] }], timeoutMs: 5000 });
  expect(created.topics[0].errorCode).toBe(ErrorCode.NONE);

  let sent = 0;
  const produceOne = async () => {
    const records = Array.from({ length: 20 }, (_, i) => ({ key: null, value: Buffer.from(`record-${sent * 20 + i}`.padEnd(200, '.')) }));
    const res = await c.request(Apis.Produce, 9, { acks: -1, timeoutMs: 5000, topicData: [{ name: 'moving', partitionData: [{ index: 0, records: buildBatch(records) }] }] });
    expect(res.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NONE);
    sent++;
  };
  for (let i = 0; i < 400; i++) await produceOne();

  const whereIs = async () => {
    const res = await c.request(Apis.DescribeLogDirs, 4, { topics: [{ topic: 'moving', partitions: [0] }] });
    return res.results.flatMap((r) => r.topics.flatMap((t) => t.partitions.map((p) => ({ dir: r.logDir, future: p.isFutureKey }))));
  };
  const [before] = await whereIs();
  const to = dirs.find((d) => d !== before.dir)!;
  const moved = await c.request(Apis.AlterReplicaLogDirs, 2, { dirs: [{ path: to, topics: [{ name: 'moving', partitions: [0] }] }] });
  expect(moved.results).toEqual([{ topicName: 'moving', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.NONE }] }]);

  let during = 0;
  await waitFor(async () => {
    await produceOne();
    during++;
    const where = await whereIs();
    return where.length === 1 && where[0].dir === to && !where[0].future;
  }, 'the move to finish', 60_000);
  for (let i = 0; i < 20; i++) await produceOne();
  expect(during).toBeGreaterThan(0);

  const values: string[] = [];
  for (let offset = 0n; offset < BigInt(sent * 20); ) {
    const res = await c.request(Apis.Fetch, 12, { maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, topics: [{ topic: 'moving', partitions: [{ partition: 0, fetchOffset: offset, partitionMaxBytes: 1 << 20 }] }] });
    const p = res.responses[0].partitions[0];
    expect(p.errorCode).toBe(ErrorCode.NONE);
    forEachBatch(p.records!, (pos) => {
      const { header, records } = decodeBatch(p.records!, pos);
      for (const r of records) values.push(r.value!.toString().replace(/\.+$/, ''));
      offset = BigInt(header.baseOffset + header.lastOffsetDelta + 1);
    });
  }
  expect(values).toEqual(Array.from({ length: sent * 20 }, (_, i) => `record-${i}`));
  await waitFor(() => /was replaced by the future replica/.test(broker!.output()), 'the broker to log the swap');
}, 120_000);
