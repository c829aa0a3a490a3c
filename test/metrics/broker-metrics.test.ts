// The metrics endpoint of a real broker (kafkats.metrics.listener on an ephemeral port), scraped
// while clients produce, consume and rebalance a group: the values move as Kafka's would.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Apis, ErrorCode } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import { KafkaConnection } from '../../src/client/kafka-connection';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { connectClient } from '../helpers/test-client';
import { waitFor } from '../helpers/wait';
import { Sample, parseExposition, valueOf } from './exposition';

const METRICS_LINE = /Serving Prometheus metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics\./;

let broker: BrokerProcess;
let client: KafkaConnection;
let metricsPort: number;

beforeAll(async () => {
  broker = await startBroker({
    props: { 'kafkats.metrics.listener': '127.0.0.1:0', 'group.initial.rebalance.delay.ms': 0, 'auto.create.topics.enable': false },
  });
  metricsPort = Number(METRICS_LINE.exec(broker.output())![1]);
  client = await connectClient(broker.port);
  const created = await client.request(Apis.CreateTopics, 7, {
    topics: [{ name: 'metered', numPartitions: 2, replicationFactor: 1, configs: [] }],
    timeoutMs: 5000,
  });
  expect(created.topics[0].errorCode).toBe(ErrorCode.NONE);
});

afterAll(async () => {
  client?.close();
  await cleanup(broker);
});

async function scrape(): Promise<Sample[]> {
  const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(await res.text());
}

const batchOf = (n: number) => buildBatch(Array.from({ length: n }, (_, i) => ({ key: null, value: Buffer.from(`value-${i}`) })));

function produce(partitions: [number, Buffer][]) {
  return client.request(Apis.Produce, 9, {
    acks: 1,
    timeoutMs: 5000,
    topicData: [{ name: 'metered', partitionData: partitions.map(([index, records]) => ({ index, records })) }],
  });
}

function fetchFrom(partitions: [number, bigint][]) {
  return client.request(Apis.Fetch, 12, {
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes: 1 << 20,
    topics: [{ topic: 'metered', partitions: partitions.map(([partition, fetchOffset]) => ({ partition, fetchOffset, partitionMaxBytes: 1 << 20 })) }],
  });
}

const topic = (name: string, s: Sample[]) => valueOf(s, `kafka_server_brokertopicmetrics_${name}_total`, { topic: 'metered' }) ?? 0;
const all = (name: string, s: Sample[]) => valueOf(s, `kafka_server_brokertopicmetrics_${name}_total`) ?? 0;

test('produce: messages in are the records produced, bytes in their batches, one produce request per partition', async () => {
  const before = await scrape();
  const batches: [number, Buffer][] = [
    [0, batchOf(5)],
    [1, batchOf(7)],
  ];
  const more: [number, Buffer][] = [[0, batchOf(4)]];
  for (const request of [batches, more]) {
    const res = await produce(request);
    expect(res.responses[0].partitionResponses.map((p) => p.errorCode)).toEqual(request.map(() => ErrorCode.NONE));
  }
  const after = await scrape();
  const bytes = [...batches, ...more].reduce((sum, [, b]) => sum + b.length, 0);
  expect(topic('messagesin', after) - topic('messagesin', before)).toBe(16);
  expect(all('messagesin', after) - all('messagesin', before)).toBe(16);
  expect(topic('bytesin', after) - topic('bytesin', before)).toBe(bytes);
  expect(topic('totalproducerequests', after) - topic('totalproducerequests', before)).toBe(3);
  expect(topic('failedproducerequests', after)).toBe(0);
  const produces = (s: Sample[]) => valueOf(s, 'kafka_network_requestmetrics_requests_total', { request: 'Produce', version: 9 }) ?? 0;
  expect(produces(after) - produces(before)).toBe(2);
  expect(valueOf(after, 'kafka_network_requestmetrics_totaltimems_count', { request: 'Produce' })).toBeGreaterThanOrEqual(2);
  expect(valueOf(after, 'kafka_topic_partition_current_offset', { topic: 'metered', partition: 0 })).toBe(9);
  expect(valueOf(after, 'kafka_log_log_size', { topic: 'metered', partition: 1 })).toBe(batches[1][1].length);
  expect(valueOf(after, 'kafka_server_replicamanager_leadercount')).toBeGreaterThanOrEqual(2);
});

test('fetch: bytes out grow by the records sent, one fetch request per partition', async () => {
  const before = await scrape();
  const res = await fetchFrom([
    [0, 0n],
    [1, 0n],
  ]);
  const sent = res.responses[0].partitions.reduce((sum, p) => sum + (p.records?.length ?? 0), 0);
  expect(sent).toBeGreaterThan(0);
  const after = await scrape();
  expect(topic('bytesout', after) - topic('bytesout', before)).toBe(sent);
  expect(all('bytesout', after) - all('bytesout', before)).toBe(sent);
  expect(topic('totalfetchrequests', after) - topic('totalfetchrequests', before)).toBe(2);
  expect(valueOf(after, 'kafka_network_requestmetrics_requests_total', { request: 'Fetch', version: 12 })).toBeGreaterThanOrEqual(1);
  expect(valueOf(after, 'kafka_network_requestmetrics_requests_total', { request: 'FetchConsumer', version: 12 })).toBeGreaterThanOrEqual(1);
  expect(valueOf(after, 'kafka_network_requestmetrics_totaltimems', { request: 'FetchConsumer', quantile: '0.99' })).toBeGreaterThan(0);
});

const PROTOCOLS = [{ name: 'range', metadata: Buffer.from('subscription') }];

function joinGroup(via: KafkaConnection, memberId: string) {
  return via.request(Apis.JoinGroup, 7, {
    groupId: 'rebalancing',
    sessionTimeoutMs: 30_000,
    rebalanceTimeoutMs: 30_000,
    memberId,
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: PROTOCOLS,
  });
}

function sync(via: KafkaConnection, generationId: number, memberId: string) {
  return via.request(Apis.SyncGroup, 5, {
    groupId: 'rebalancing',
    generationId,
    memberId,
    groupInstanceId: null,
    protocolType: 'consumer',
    protocolName: 'range',
    assignments: [],
  });
}

/** A member id from the coordinator, then a join with it. */
async function joinNew(via: KafkaConnection) {
  const first = await joinGroup(via, '');
  expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
  return { memberId: first.memberId, joined: joinGroup(via, first.memberId) };
}

test('a group rebalance moves the group counts by state; lag is what was left unread', async () => {
  await waitFor(async () => {
    const found = await client.request(Apis.FindCoordinator, 3, { key: 'rebalancing', keyType: 0 });
    return found.errorCode === ErrorCode.NONE;
  }, 'the group coordinator');
  const groups = async (state: string) => valueOf(await scrape(), `kafka_coordinator_group_groupmetadatamanager_numgroups${state}`);

  const a = await joinNew(client);
  const joinedA = await a.joined;
  expect(joinedA.errorCode).toBe(ErrorCode.NONE);
  expect(await groups('completingrebalance')).toBe(1);
  expect((await sync(client, joinedA.generationId, a.memberId)).errorCode).toBe(ErrorCode.NONE);
  expect(await groups('stable')).toBe(1);

  // A second member: the group rebalances until the first one rejoins.
  const other = await connectClient(broker.port);
  try {
    const b = await joinNew(other);
    await waitFor(async () => (await groups('preparingrebalance')) === 1, 'the group to prepare a rebalance');
    expect(await groups('stable')).toBe(0);
    const [rejoinedA, joinedB] = await Promise.all([joinGroup(client, a.memberId), b.joined]);
    expect([rejoinedA.errorCode, joinedB.errorCode]).toEqual([ErrorCode.NONE, ErrorCode.NONE]);
    expect(await groups('completingrebalance')).toBe(1);
    const synced = await Promise.all([
      sync(client, rejoinedA.generationId, a.memberId),
      sync(other, joinedB.generationId, b.memberId),
    ]);
    expect(synced.map((s) => s.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.NONE]);
    const stable = await scrape();
    expect(valueOf(stable, 'kafka_coordinator_group_groupmetadatamanager_numgroupsstable')).toBe(1);
    expect(valueOf(stable, 'kafka_consumergroup_members', { consumergroup: 'rebalancing' })).toBe(2);

    // Partition 0 holds 9 records, partition 1 holds 7: commit 4 and 7.
    const commit = await client.request(Apis.OffsetCommit, 8, {
      groupId: 'rebalancing',
      generationIdOrMemberEpoch: rejoinedA.generationId,
      memberId: a.memberId,
      groupInstanceId: null,
      topics: [
        {
          name: 'metered',
          partitions: [
            { partitionIndex: 0, committedOffset: 4n, committedLeaderEpoch: -1, committedMetadata: '' },
            { partitionIndex: 1, committedOffset: 7n, committedLeaderEpoch: -1, committedMetadata: '' },
          ],
        },
      ],
    });
    expect(commit.topics[0].partitions.map((p) => p.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.NONE]);
    const lagged = await scrape();
    const lag = (partition: number) => valueOf(lagged, 'kafka_consumergroup_lag', { consumergroup: 'rebalancing', topic: 'metered', partition });
    expect([lag(0), lag(1)]).toEqual([5, 0]);
    expect(valueOf(lagged, 'kafka_consumergroup_current_offset', { consumergroup: 'rebalancing', topic: 'metered', partition: 0 })).toBe(4);
    expect(valueOf(lagged, 'kafka_consumergroup_lag_sum', { consumergroup: 'rebalancing', topic: 'metered' })).toBe(5);
    expect(valueOf(lagged, 'kafka_coordinator_group_groupmetadatamanager_numoffsets')).toBe(2);
    for (const request of ['JoinGroup', 'SyncGroup', 'OffsetCommit', 'FindCoordinator']) {
      expect([request, valueOf(lagged, 'kafka_network_requestmetrics_totaltimems_count', { request })]).toEqual([request, expect.any(Number)]);
    }
  } finally {
    other.close();
  }
});

test('the connection count follows the clients on each listener', async () => {
  const selector = { listener: 'PLAINTEXT', networkProcessor: '0' };
  const count = async () => valueOf(await scrape(), 'kafka_server_socket_server_metrics_connection_count', selector);
  // Only the shared client's connection is left once the earlier tests' extra ones are closed.
  await waitFor(async () => (await count()) === 1, 'the shared connection alone');
  const created = valueOf(await scrape(), 'kafka_server_socket_server_metrics_connection_creation_total', selector)!;
  const extra = [await connectClient(broker.port), await connectClient(broker.port)];
  await waitFor(async () => (await count()) === 3, 'two more connections');
  extra[0].close();
  await waitFor(async () => (await count()) === 2, 'one connection fewer');
  extra[1].close();
  expect(valueOf(await scrape(), 'kafka_server_socket_server_metrics_connection_creation_total', selector)).toBe(created + 2);
});

/**
 * The Kafka broker metrics that Strimzi's Kafka dashboard (strimzi-kafka.json) queries. The
 * dashboard could not be fetched here: this list is written from knowledge of it, not copied.
 */
const STRIMZI_KAFKA_DASHBOARD_METRICS = [
  'kafka_server_replicamanager_leadercount',
  'kafka_controller_kafkacontroller_activecontrollercount',
  'kafka_controller_controllerstats_uncleanleaderelections_total',
  'kafka_server_replicamanager_partitioncount',
  'kafka_server_replicamanager_underreplicatedpartitions',
  'kafka_cluster_partition_atminisr',
  'kafka_cluster_partition_underminisr',
  'kafka_controller_kafkacontroller_offlinepartitionscount',
  'kafka_server_brokertopicmetrics_bytesin_total',
  'kafka_server_brokertopicmetrics_bytesout_total',
  'kafka_server_brokertopicmetrics_messagesin_total',
  'kafka_server_brokertopicmetrics_totalproducerequests_total',
  'kafka_server_brokertopicmetrics_failedproducerequests_total',
  'kafka_server_brokertopicmetrics_totalfetchrequests_total',
  'kafka_server_brokertopicmetrics_failedfetchrequests_total',
  'kafka_network_socketserver_networkprocessoravgidle_percent',
  'kafka_server_kafkarequesthandlerpool_requesthandleravgidle_percent',
  'kafka_server_socket_server_metrics_connection_count',
  'kafka_server_socket_server_metrics_connection_creation_rate',
  'kafka_server_kafkaserver_linux_disk_read_bytes',
  'kafka_server_kafkaserver_linux_disk_write_bytes',
  'kafka_log_log_size',
  // Its process panel (the JVM panels have no Node counterpart under their names).
  'process_open_fds',
];

test("every Kafka metric Strimzi's Kafka dashboard queries is in a scrape", async () => {
  const names = new Set((await scrape()).map((s) => s.name));
  expect(STRIMZI_KAFKA_DASHBOARD_METRICS.filter((name) => !names.has(name))).toEqual([]);
});

test('only /metrics is served', async () => {
  const res = await fetch(`http://127.0.0.1:${metricsPort}/`);
  expect(res.status).toBe(404);
  expect(await res.text()).toBe('Not found: metrics are at /metrics\n');
});

test('a metrics port in use stops startup with an error naming it', async () => {
  const logDir = mkdtempSync(join(tmpdir(), 'kafka-ts-test-'));
  try {
    await expect(startBroker({ logDir, props: { 'kafkats.metrics.listener': `127.0.0.1:${metricsPort}` } })).rejects.toThrow(
      `Cannot serve metrics on 127.0.0.1:${metricsPort} (kafkats.metrics.listener): the address is already in use`,
    );
  } finally {
    rmSync(logDir, { recursive: true, force: true });
  }
});
