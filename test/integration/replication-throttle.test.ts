// Replication throttles end to end in ZooKeeper mode: a partition of 50 MiB moves from broker 1 to
// broker 2 with the throttles kafka-reassign-partitions.sh --throttle sets (both rates on both
// brokers, the moving partition's current replica leader-throttled, its new replica
// follower-throttled). The new replica grows at the configured rate, within 20%; once the rates are
// deleted it catches up at full speed.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Apis, ErrorCode } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import { waitFor } from '../helpers/wait';
import { useZkCluster } from '../helpers/zk-cluster-harness';

const h = useZkCluster('replication-throttle', { 'replica.fetch.backoff.ms': 100, 'auto.leader.rebalance.enable': 'false' });

const MiB = 1024 * 1024;
const RATE = 5 * MiB;
const TOTAL_MIB = 50;
const SET = 0;
const DELETE = 1;
const BROKER = 4;
const TOPIC = 2;

/** Bytes of the partition's segments on a broker. */
function logBytes(broker: number, topic: string): number {
  const dir = join(h.brokers.get(broker)!.logDir, 'data', `${topic}-0`);
  if (!existsSync(dir)) return 0;
  let bytes = 0;
  for (const name of readdirSync(dir)) if (name.endsWith('.log')) bytes += statSync(join(dir, name)).size;
  return bytes;
}

async function alterConfigs(via: number, resourceType: number, resourceName: string, configs: Record<string, string | null>): Promise<void> {
  const res = await (await h.client(via)).request(Apis.IncrementalAlterConfigs, 1, {
    resources: [{ resourceType, resourceName, configs: Object.entries(configs).map(([name, value]) => ({ name, configOperation: value === null ? DELETE : SET, value })) }],
    validateOnly: false,
  });
  expect(res.responses[0]).toMatchObject({ errorCode: ErrorCode.NONE });
}

async function describedRate(broker: number): Promise<string | null | undefined> {
  const res = await (await h.client(broker)).request(Apis.DescribeConfigs, 4, { resources: [{ resourceType: BROKER, resourceName: String(broker), configurationKeys: ['leader.replication.throttled.rate'] }] });
  return res.results[0].configs[0]?.value;
}

/** Bytes per second: the least-squares slope of the samples, robust to the stalls a throttle makes. */
function slope(samples: readonly { at: number; bytes: number }[]): number {
  const n = samples.length;
  const meanAt = samples.reduce((sum, s) => sum + s.at, 0) / n;
  const meanBytes = samples.reduce((sum, s) => sum + s.bytes, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.at - meanAt) * (s.bytes - meanBytes);
    den += (s.at - meanAt) ** 2;
  }
  return (num / den) * 1000;
}

test('a throttled reassignment copies at the configured rate, and at full speed once the throttle is removed', async () => {
  await h.startCluster();
  await h.createTopic('moving', [[1]]);
  const producer = await h.client(1);
  for (let i = 0; i < TOTAL_MIB; i++) {
    const batch = buildBatch(Array.from({ length: 8 }, (_, r) => ({ key: null, value: Buffer.alloc(MiB / 8 - 64, (i + r) & 0xff) })));
    const res = await producer.request(Apis.Produce, 9, { acks: 1, timeoutMs: 10_000, topicData: [{ name: 'moving', partitionData: [{ index: 0, records: batch }] }] });
    expect(res.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NONE);
  }
  const total = logBytes(1, 'moving');
  expect(total).toBeGreaterThan((TOTAL_MIB - 1) * MiB);

  // What kafka-reassign-partitions.sh --throttle sets for moving partition 0 from [1] to [2].
  const rates = { 'leader.replication.throttled.rate': String(RATE), 'follower.replication.throttled.rate': String(RATE) };
  for (const broker of [1, 2]) await alterConfigs(broker, BROKER, String(broker), rates);
  await alterConfigs(1, TOPIC, 'moving', { 'leader.replication.throttled.replicas': '0:1', 'follower.replication.throttled.replicas': '0:2' });
  for (const broker of [1, 2]) await waitFor(async () => (await describedRate(broker)) === String(RATE), `broker ${broker} to take the throttled rate`);

  const started = Date.now();
  const samples: { at: number; bytes: number }[] = [];
  const sampler = setInterval(() => samples.push({ at: Date.now() - started, bytes: logBytes(2, 'moving') }), 50);
  try {
    const moved = await (await h.client(1)).request(Apis.AlterPartitionReassignments, 0, { timeoutMs: 10_000, topics: [{ name: 'moving', partitions: [{ partitionIndex: 0, replicas: [2] }] }] });
    expect(moved.responses[0].partitions[0].errorCode).toBe(ErrorCode.NONE);
    await waitFor(() => logBytes(2, 'moving') >= total * 0.8, '80% of the partition to reach broker 2', 60_000);
    // From a second after the first bytes: a SimpleRate's window is at least one window, so the
    // first second's worth comes at once.
    const firstBytes = samples.find((x) => x.bytes > 0)!.at;
    const throttled = slope(samples.filter((x) => x.at >= firstBytes + 1000));
    expect(throttled).toBeGreaterThan(RATE * 0.8);
    expect(throttled).toBeLessThan(RATE * 1.2);

    // Catching up, from the moment the rates are deleted (their propagation included).
    const lifted = { at: Date.now(), bytes: logBytes(2, 'moving') };
    for (const broker of [1, 2]) await alterConfigs(broker, BROKER, String(broker), { 'leader.replication.throttled.rate': null, 'follower.replication.throttled.rate': null });
    await waitFor(() => logBytes(2, 'moving') >= total, 'broker 2 to catch up', 60_000);
    const catchUp = ((total - lifted.bytes) / Math.max(1, Date.now() - lifted.at)) * 1000;
    expect(catchUp).toBeGreaterThan(3 * RATE);
  } finally {
    clearInterval(sampler);
  }
  await waitFor(async () => (await h.isrOf('moving')) === '2', 'the reassignment to complete with broker 2 alone');
}, 180_000);
