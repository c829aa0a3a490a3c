// Client quotas end to end on real broker processes: a producer over a tiny produce quota sees
// throttle_time_ms and its throughput held near the quota (KIP-219: the broker stops reading its
// connection for the throttle time); a connection over its IP's creation rate is closed unread; in
// a ZooKeeper-mode cluster AlterClientQuotas writes Kafka's znodes and every broker describes it.

import { Apis, ErrorCode } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import { KafkaConnection } from '../../src/client/kafka-connection';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { connectClient } from '../helpers/test-client';
import { waitFor } from '../helpers/wait';
import { useZkCluster } from '../helpers/zk-cluster-harness';

const QUOTA_BYTES_PER_SEC = 50_000;

describe('standalone broker', () => {
  let broker: BrokerProcess;
  let client: KafkaConnection;

  beforeAll(async () => {
    // Two one-second samples: a fresh sensor measures over one second, so the quota bites at once.
    broker = await startBroker({ props: { 'quota.window.num': 2, 'quota.window.size.seconds': 1 } });
    client = await connectClient(broker.port);
  });

  afterAll(async () => {
    client.close();
    await cleanup(broker);
  });

  test('a producer over its quota is throttled and held near the quota', async () => {
    const created = await client.request(Apis.CreateTopics, 7, { topics: [{ name: 'throttled', numPartitions: 1, replicationFactor: 1, configs: [] }], timeoutMs: 5000 });
    expect(created.topics[0].errorCode).toBe(ErrorCode.NONE);
    const altered = await client.request(Apis.AlterClientQuotas, 1, {
      entries: [{ entity: [{ entityType: 'user', entityName: 'ANONYMOUS' }], ops: [{ key: 'producer_byte_rate', value: QUOTA_BYTES_PER_SEC, remove: false }] }],
      validateOnly: false,
    });
    expect(altered.entries[0].errorCode).toBe(ErrorCode.NONE);
    const described = await client.request(Apis.DescribeClientQuotas, 1, { components: [{ entityType: 'user', matchType: 0, match: 'ANONYMOUS' }], strict: true });
    expect(described.entries).toEqual([{ entity: [{ entityType: 'user', entityName: 'ANONYMOUS' }], values: [{ key: 'producer_byte_rate', value: QUOTA_BYTES_PER_SEC }] }]);

    const value = Buffer.alloc(10_000, 7);
    const requests = 15;
    const throttles: number[] = [];
    const started = Date.now();
    let bytes = 0;
    for (let i = 0; i < requests; i++) {
      const records = buildBatch([{ key: null, value, timestamp: Date.now() }]);
      const res = await client.request(Apis.Produce, 9, { acks: 1, timeoutMs: 5000, topicData: [{ name: 'throttled', partitionData: [{ index: 0, records }] }] });
      expect(res.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NONE);
      throttles.push(res.throttleTimeMs);
      bytes += records.length;
    }
    const elapsedMs = Date.now() - started;
    const rate = bytes / (elapsedMs / 1000);
    console.log(`produced ${bytes} bytes in ${elapsedMs} ms: ${Math.round(rate)} B/s under a ${QUOTA_BYTES_PER_SEC} B/s quota; throttle_time_ms ${throttles.join(' ')}`);
    expect(Math.max(...throttles)).toBeGreaterThan(0);
    // 150 kB at 50 kB/s, the first second's worth free: at least two seconds, where unthrottled it takes milliseconds.
    expect(elapsedMs).toBeGreaterThan(1500);
    expect(rate).toBeLessThan(QUOTA_BYTES_PER_SEC * 2);
  }, 60_000);

  test('connections over the IP connection creation rate are closed unread', async () => {
    const altered = await client.request(Apis.AlterClientQuotas, 1, {
      entries: [{ entity: [{ entityType: 'ip', entityName: '127.0.0.1' }], ops: [{ key: 'connection_creation_rate', value: 1, remove: false }] }],
      validateOnly: false,
    });
    expect(altered.entries[0].errorCode).toBe(ErrorCode.NONE);
    // One per second over a one-second window: the second new connection at once is over the rate.
    const conns: KafkaConnection[] = [];
    let refused = 0;
    for (let i = 0; i < 3; i++) {
      const c = await connectClient(broker.port);
      conns.push(c);
      await c.request(Apis.ApiVersions, 0, {}).catch(() => refused++);
    }
    for (const c of conns) c.close();
    expect(refused).toBeGreaterThan(0);
    await waitFor(() => /Throttling connection from 127\.0\.0\.1 for \d+ ms/.test(broker.output()), 'the broker to log the throttled connection');
  }, 30_000);
});

describe('ZooKeeper mode', () => {
  const h = useZkCluster('client-quotas', { 'zookeeper.session.timeout.ms': 6000 });

  test("AlterClientQuotas writes /config/users/<user> as Kafka does and every broker describes it", async () => {
    await h.startCluster();
    const res = await (await h.client(2)).request(Apis.AlterClientQuotas, 1, {
      entries: [{ entity: [{ entityType: 'user', entityName: 'alice@example' }], ops: [{ key: 'consumer_byte_rate', value: 4096, remove: false }, { key: 'request_percentage', value: 25, remove: false }] }],
      validateOnly: false,
    });
    expect(res.entries[0]).toMatchObject({ errorCode: ErrorCode.NONE, errorMessage: null });

    const stored = await h.admin.getData('/config/users/alice%40example');
    expect(JSON.parse(stored!.data!.toString())).toEqual({ version: 1, config: { consumer_byte_rate: '4096', request_percentage: '25.0' } });
    const changes = (await h.admin.getChildren('/config/changes')) ?? [];
    const notes = await Promise.all(changes.map(async (c) => JSON.parse((await h.admin.getData(`/config/changes/${c}`))!.data!.toString())));
    expect(notes).toContainEqual({ version: 2, entity_path: 'users/alice%40example' });

    for (const id of [1, 2, 3]) {
      const client = await h.client(id);
      await waitFor(async () => {
        const described = await client.request(Apis.DescribeClientQuotas, 1, { components: [{ entityType: 'user', matchType: 0, match: 'alice@example' }], strict: true });
        const values = Object.fromEntries((described.entries ?? []).flatMap((e) => e.values.map((v) => [v.key, v.value])));
        return values.consumer_byte_rate === 4096 && values.request_percentage === 25;
      }, `broker ${id} to describe alice's quota`);
    }
  }, 90_000);
});
