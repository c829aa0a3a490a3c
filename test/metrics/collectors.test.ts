// The collectors in-process, over fake broker views: names, labels and values as the JMX
// exporter's Kafka rules (and kafka_exporter, for lag) give them.

import { ErrorCode } from '../../protocol';
import { BrokerStats } from '../../src/metrics/broker-stats';
import { LatencyHistogram } from '../../src/metrics/latency-histogram';
import { parseListenAddress } from '../../src/listen-address';
import { requestTiming } from '../../src/metrics/request-stats';
import { brokerRegistry } from '../../src/metrics/registry';
import { BrokerViews, CommittedOffset, GroupView, LogView, TopicPartitionsView } from '../../src/metrics/views';
import { Sample, parseExposition, valueOf } from './exposition';

interface Fakes {
  topics: TopicPartitionsView[];
  logs: Map<string, LogView>;
  offline: Set<string>;
  live: number[];
  active: boolean;
  groups: GroupView[];
  offsets: Map<string, CommittedOffset[]>;
  events: { isrShrinks: number; isrExpands: number; unclean: number };
}

function fakes(): Fakes {
  return {
    topics: [],
    logs: new Map(),
    offline: new Set(),
    live: [1, 2, 3],
    active: true,
    groups: [],
    offsets: new Map(),
    events: { isrShrinks: 0, isrExpands: 0, unclean: 0 },
  };
}

function views(f: Fakes): BrokerViews {
  return {
    cluster: {
      brokerId: 1,
      topics: () => f.topics,
      liveBrokerIds: () => f.live,
      minInsyncReplicas: () => 2,
      isActiveController: () => f.active,
    },
    logs: { log: (t, p) => f.logs.get(`${t}-${p}`), isOffline: (t, p) => f.offline.has(`${t}-${p}`) },
    events: { isrShrinks: () => f.events.isrShrinks, isrExpands: () => f.events.isrExpands, uncleanLeaderElections: () => f.events.unclean },
    groups: { groups: () => f.groups, committedOffsets: (g) => f.offsets.get(g) ?? [] },
    connections: { connections: () => [{ listener: 'PLAINTEXT', open: 3, created: 5 }] },
  };
}

function log(highWatermark: number, size = 100, logStartOffset = 0): LogView {
  return { logStartOffset, logEndOffset: highWatermark, highWatermark, size, numberOfSegments: 1 };
}

async function scrape(stats: BrokerStats, f: Fakes): Promise<Sample[]> {
  return parseExposition(await brokerRegistry(stats, views(f), { processMetrics: false }).metrics());
}

test('topic traffic: per topic and for all topics, as BrokerTopicMetrics counts it', async () => {
  const stats = new BrokerStats();
  const t = stats.topics;
  t.produceRequest('a');
  t.produced('a', 10, 1000);
  t.produceRequest('a');
  t.produceFailed('a', 500, ErrorCode.MESSAGE_TOO_LARGE);
  t.produceRequest('b');
  t.produceFailed('b', 70, ErrorCode.INVALID_PRODUCER_EPOCH);
  t.fetched('a', 400, false, ErrorCode.NONE);
  t.fetched('a', 300, true, ErrorCode.NONE);
  t.fetched('b', 0, false, ErrorCode.UNKNOWN_SERVER_ERROR);
  t.fetched(null, 0, false, ErrorCode.UNKNOWN_TOPIC_ID);
  const s = await scrape(stats, fakes());
  const m = (name: string, labels = {}) => valueOf(s, `kafka_server_brokertopicmetrics_${name}_total`, labels);
  expect([m('messagesin'), m('messagesin', { topic: 'a' }), m('messagesin', { topic: 'b' })]).toEqual([10, 10, 0]);
  expect([m('bytesin'), m('bytesin', { topic: 'a' })]).toEqual([1000, 1000]);
  // Too large is rejected bytes but not a failed request; a producer fencing is a failed request only.
  expect([m('bytesrejected'), m('bytesrejected', { topic: 'a' }), m('bytesrejected', { topic: 'b' })]).toEqual([500, 500, 0]);
  expect([m('totalproducerequests'), m('failedproducerequests'), m('failedproducerequests', { topic: 'b' })]).toEqual([3, 1, 1]);
  // Followers' bytes are replication bytes, not bytes out.
  expect([m('bytesout'), m('bytesout', { topic: 'a' }), m('replicationbytesout')]).toEqual([400, 400, 300]);
  expect([m('totalfetchrequests'), m('totalfetchrequests', { topic: 'a' }), m('failedfetchrequests'), m('failedfetchrequests', { topic: 'b' })]).toEqual([
    4, 2, 1, 1,
  ]);
  stats.topics.forget('a');
  expect(valueOf(await scrape(stats, fakes()), 'kafka_server_brokertopicmetrics_messagesin_total', { topic: 'a' })).toBeUndefined();
});

test('requests by type and version, and the request times as percentile gauges with a count', async () => {
  const stats = new BrokerStats();
  const now = performance.now();
  // Produce: local times 0.1..10 ms, 2 ms awaited, ready 0.5 ms before its turn.
  for (let i = 1; i <= 100; i++) {
    const received = now - 20;
    const started = received + 0.01;
    const handled = started + i / 10;
    stats.requests.responded({ apiKey: 0, version: 9, follower: false, received, started, handled, answered: handled + 2 }, handled + 2.5);
  }
  const fetch = (follower: boolean) => ({ ...requestTiming(now - 1), apiKey: 1, version: 12, follower });
  stats.requests.responded(fetch(false), now);
  stats.requests.responded(fetch(true), now);
  stats.requests.responded(fetch(true), now);
  // Refused before its header was read: not timed.
  stats.requests.responded(requestTiming(now), now);
  const s = await scrape(stats, fakes());
  expect(valueOf(s, 'kafka_network_requestmetrics_requests_total', { request: 'Produce', version: 9 })).toBe(100);
  // A Fetch counts as Fetch and as FetchConsumer or FetchFollower, as Kafka's RequestChannel records it.
  expect(['Fetch', 'FetchConsumer', 'FetchFollower'].map((request) => valueOf(s, 'kafka_network_requestmetrics_requests_total', { request, version: 12 }))).toEqual([3, 1, 2]);
  expect(valueOf(s, 'kafka_network_requestmetrics_totaltimems_count', { request: 'FetchFollower' })).toBe(2);
  expect(valueOf(s, 'kafka_network_requestmetrics_localtimems_count', { request: 'Produce' })).toBe(100);
  expect(valueOf(s, 'kafka_network_requestmetrics_totaltimems_count', { request: 'Produce' })).toBe(100);
  // Percentiles within the buckets' 5 %.
  expect(valueOf(s, 'kafka_network_requestmetrics_localtimems', { request: 'Produce', quantile: '0.50' })).toBeCloseTo(5, 0);
  expect(valueOf(s, 'kafka_network_requestmetrics_localtimems', { request: 'Produce', quantile: '0.99' })).toBeGreaterThanOrEqual(9.9);
  expect(valueOf(s, 'kafka_network_requestmetrics_localtimems', { request: 'Produce', quantile: '0.99' })).toBeLessThan(10.5);
  expect(valueOf(s, 'kafka_network_requestmetrics_remotetimems', { request: 'Produce', quantile: '0.999' })).toBeCloseTo(2, 0);
  expect(valueOf(s, 'kafka_network_requestmetrics_responsequeuetimems', { request: 'Produce', quantile: '0.75' })).toBeCloseTo(0.5, 1);
  expect(valueOf(s, 'kafka_network_requestmetrics_requestqueuetimems', { request: 'Produce', quantile: '0.95' })).toBeCloseTo(0.01, 2);
  expect(valueOf(s, 'kafka_network_requestmetrics_responsesendtimems', { request: 'Produce', quantile: '0.98' })).toEqual(expect.any(Number));
  expect(valueOf(s, 'kafka_network_requestmetrics_totaltimems', { request: 'Produce', quantile: '0.50' })).toBeGreaterThan(20);
});

test('request time percentiles describe the last one to two minutes', () => {
  const h = new LatencyHistogram(0);
  for (let i = 0; i < 100; i++) h.record(100, 10);
  h.record(1, 61_000);
  expect(h.quantiles([0.5], 61_000)).toEqual([expect.closeTo(100, -1)]);
  h.record(1, 122_000);
  // The window of the slow requests has rotated out.
  expect(h.quantiles([0.99], 122_000)[0]).toBeLessThan(1.05);
  expect(h.quantiles([0.5], 400_000)).toEqual([0]);
  expect([h.count, h.sum]).toEqual([102, 10_002]);
});

test("this broker's replicas: counts, per-partition ISR health of those it leads, and log sizes", async () => {
  const f = fakes();
  f.topics = [
    {
      name: 't',
      partitions: [
        { replicas: [1, 2, 3], leader: 1, isr: [1, 2, 3] }, // led here, healthy
        { replicas: [1, 2, 3], leader: 1, isr: [1, 2] }, // led here, under-replicated, at min ISR
        { replicas: [2, 1, 3], leader: 2, isr: [2] }, // followed here
        { replicas: [2, 3], leader: 2, isr: [2, 3] }, // not here
        { replicas: [1, 2], leader: 1, isr: [1] }, // led here, under min ISR
        { replicas: [1, 3], leader: 3, isr: [3] }, // offline log dir here
      ],
    },
  ];
  for (const p of [0, 1, 2, 4]) f.logs.set(`t-${p}`, log(10 * p, 1000 + p));
  f.offline.add('t-5');
  f.events = { isrShrinks: 4, isrExpands: 2, unclean: 1 };
  const s = await scrape(new BrokerStats(), f);
  const rm = (name: string) => valueOf(s, `kafka_server_replicamanager_${name}`);
  expect([rm('partitioncount'), rm('leadercount'), rm('offlinereplicacount')]).toEqual([5, 3, 1]);
  expect([rm('underreplicatedpartitions'), rm('atminisrpartitioncount'), rm('underminisrpartitioncount')]).toEqual([2, 1, 1]);
  expect([rm('isrshrinks_total'), rm('isrexpands_total')]).toEqual([4, 2]);
  const partition = (name: string, p: number) => valueOf(s, `kafka_cluster_partition_${name}`, { topic: 't', partition: p });
  expect([0, 1, 2, 4].map((p) => partition('underreplicated', p))).toEqual([0, 1, 0, 1]);
  expect([0, 1, 2, 4].map((p) => partition('atminisr', p))).toEqual([0, 1, 0, 0]);
  expect([0, 1, 2, 4].map((p) => partition('underminisr', p))).toEqual([0, 0, 0, 1]);
  expect(partition('underreplicated', 3)).toBeUndefined();
  expect(valueOf(s, 'kafka_log_log_size', { topic: 't', partition: 4 })).toBe(1004);
  expect(valueOf(s, 'kafka_log_log_logendoffset', { topic: 't', partition: 1 })).toBe(10);
  expect(valueOf(s, 'kafka_log_log_size', { topic: 't', partition: 5 })).toBeUndefined();
  expect(valueOf(s, 'kafka_controller_controllerstats_uncleanleaderelections_total')).toBe(1);
});

test('controller gauges are the active controller’s; other brokers report 0', async () => {
  const f = fakes();
  f.live = [1, 2];
  f.topics = [
    { name: 'a', partitions: [{ replicas: [1], leader: 1, isr: [1] }, { replicas: [3], leader: 3, isr: [3] }] },
    { name: 'b', partitions: [{ replicas: [2], leader: -1, isr: [2] }] },
  ];
  const s = await scrape(new BrokerStats(), f);
  const c = (name: string, samples = s) => valueOf(samples, `kafka_controller_kafkacontroller_${name}`);
  expect([c('activecontrollercount'), c('globaltopiccount'), c('globalpartitioncount'), c('offlinepartitionscount')]).toEqual([1, 2, 3, 2]);
  expect(valueOf(s, 'kafka_topic_partitions', { topic: 'a' })).toBe(2);
  f.active = false;
  const other = await scrape(new BrokerStats(), f);
  expect([c('activecontrollercount', other), c('globaltopiccount', other), c('offlinepartitionscount', other)]).toEqual([0, 0, 0]);
  expect(valueOf(other, 'kafka_topic_partitions', { topic: 'a' })).toBeUndefined();
});

test('groups by state, committed offsets, and lag under kafka_exporter’s names', async () => {
  const f = fakes();
  f.topics = [{ name: 't', partitions: [{ replicas: [1], leader: 1, isr: [1] }, { replicas: [1], leader: 1, isr: [1] }] }];
  f.logs.set('t-0', log(100, 10, 5));
  f.logs.set('t-1', log(40));
  f.groups = [
    { groupId: 'g', state: 'Stable', members: 2 },
    { groupId: 'h', state: 'Empty', members: 0 },
    { groupId: 'i', state: 'PreparingRebalance', members: 1 },
  ];
  f.offsets.set('g', [
    { topic: 't', partition: 0, offset: 70 },
    { topic: 't', partition: 1, offset: 40 },
  ]);
  f.offsets.set('h', [{ topic: 'elsewhere', partition: 0, offset: 3 }]);
  const s = await scrape(new BrokerStats(), f);
  const g = (name: string) => valueOf(s, `kafka_coordinator_group_groupmetadatamanager_${name}`);
  expect([g('numgroups'), g('numgroupsstable'), g('numgroupsempty'), g('numgroupspreparingrebalance'), g('numgroupscompletingrebalance'), g('numoffsets')]).toEqual([
    3, 1, 1, 1, 0, 3,
  ]);
  expect(valueOf(s, 'kafka_consumergroup_current_offset', { consumergroup: 'g', topic: 't', partition: 0 })).toBe(70);
  expect(valueOf(s, 'kafka_consumergroup_lag', { consumergroup: 'g', topic: 't', partition: 0 })).toBe(30);
  expect(valueOf(s, 'kafka_consumergroup_lag', { consumergroup: 'g', topic: 't', partition: 1 })).toBe(0);
  expect(valueOf(s, 'kafka_consumergroup_lag_sum', { consumergroup: 'g', topic: 't' })).toBe(30);
  // No replica here: its offset is known, its lag is not.
  expect(valueOf(s, 'kafka_consumergroup_current_offset', { consumergroup: 'h', topic: 'elsewhere', partition: 0 })).toBe(3);
  expect(valueOf(s, 'kafka_consumergroup_lag', { consumergroup: 'h', topic: 'elsewhere', partition: 0 })).toBeUndefined();
  expect(valueOf(s, 'kafka_consumergroup_members', { consumergroup: 'g' })).toBe(2);
  expect(valueOf(s, 'kafka_topic_partition_current_offset', { topic: 't', partition: 0 })).toBe(100);
  expect(valueOf(s, 'kafka_topic_partition_oldest_offset', { topic: 't', partition: 0 })).toBe(5);
});

test('connections by listener, and the idle shares as percent gauges', async () => {
  const s = await scrape(new BrokerStats(), fakes());
  const selector = { listener: 'PLAINTEXT', networkProcessor: '0' };
  expect(valueOf(s, 'kafka_server_socket_server_metrics_connection_count', selector)).toBe(3);
  expect(valueOf(s, 'kafka_server_socket_server_metrics_connection_creation_total', selector)).toBe(5);
  expect(valueOf(s, 'kafka_server_socket_server_metrics_connection_creation_rate', selector)).toEqual(expect.any(Number));
  for (const name of ['kafka_network_socketserver_networkprocessoravgidle_percent', 'kafka_server_kafkarequesthandlerpool_requesthandleravgidle_percent']) {
    const idle = valueOf(s, name)!;
    expect(idle >= 0 && idle <= 1).toBe(true);
  }
  expect(valueOf(s, 'kafka_server_kafkaserver_brokerstate')).toBe(3);
});

test('the listener address is host:port, [ipv6]:port or :port', () => {
  expect(parseListenAddress('localhost:9404', 'kafkats.metrics.listener')).toEqual({ host: 'localhost', port: 9404 });
  expect(parseListenAddress('[::1]:0', 'kafkats.metrics.listener')).toEqual({ host: '::1', port: 0 });
  expect(parseListenAddress(':9404', 'kafkats.metrics.listener')).toEqual({ host: '', port: 9404 });
  expect(() => parseListenAddress('localhost', 'kafkats.metrics.listener')).toThrow('Invalid kafkats.metrics.listener localhost: expected host:port');
  expect(() => parseListenAddress('h:70000', 'kafkats.metrics.listener')).toThrow('expected host:port');
});
