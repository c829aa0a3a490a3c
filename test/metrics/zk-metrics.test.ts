// ZooKeeper mode, three kafka-ts brokers against a real ZooKeeper, each serving its metrics: the
// controller's gauges on the controller only, an ISR shrink on the leader that wrote it, an unclean
// leader election on the controller that made it, and the ZooKeeper session's meters.

import { Apis, ErrorCode } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import { BrokerProcess } from '../helpers/broker-process';
import { waitFor } from '../helpers/wait';
import { useZkCluster } from '../helpers/zk-cluster-harness';
import { Sample, parseExposition, valueOf } from './exposition';

const SHORT_SESSION_MS = 4000;
const METRICS_LINE = /Serving Prometheus metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics\./;

const h = useZkCluster('metrics', {
  'kafkats.metrics.listener': '127.0.0.1:0',
  'replica.lag.time.max.ms': 1500,
  'replica.fetch.backoff.ms': 100,
  'auto.leader.rebalance.enable': 'false',
});

async function scrape(broker: BrokerProcess): Promise<Sample[]> {
  const port = Number(METRICS_LINE.exec(broker.output())![1]);
  return parseExposition(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
}

test('controller gauges, ISR shrinks, unclean elections and ZooKeeper session meters move as the cluster does', async () => {
  await h.broker(1);
  // Broker 2's death must reach the controller quickly; broker 3's freeze must not end its session.
  await h.broker(2, { 'zookeeper.session.timeout.ms': SHORT_SESSION_MS });
  await h.broker(3);
  await waitFor(async () => (await h.controllerId()) === 1, 'broker 1 to be the controller');
  await h.createTopic('dirty', [[2, 3]], { 'unclean.leader.election.enable': 'true' });
  const [one, two, three] = [1, 2, 3].map((id) => h.brokers.get(id)!);

  const controller = await scrape(one);
  expect(valueOf(controller, 'kafka_controller_kafkacontroller_activecontrollercount')).toBe(1);
  expect(valueOf(controller, 'kafka_controller_kafkacontroller_globaltopiccount')).toBe(1);
  expect(valueOf(controller, 'kafka_controller_kafkacontroller_activebrokercount')).toBe(3);
  expect(valueOf(controller, 'kafka_server_sessionexpirelistener_zookeepersyncconnects_total')).toBe(1);
  expect(valueOf(controller, 'kafka_server_replicamanager_partitioncount')).toBe(0);
  expect(valueOf(await scrape(three), 'kafka_controller_kafkacontroller_activecontrollercount')).toBe(0);
  expect(valueOf(await scrape(two), 'kafka_server_replicamanager_leadercount')).toBe(1);

  // Broker 3 falls behind and leaves the ISR: a shrink on the leader, broker 2.
  three.pause();
  const batch = buildBatch([{ key: null, value: Buffer.from('record') }]);
  const produced = await (await h.client(2)).request(Apis.Produce, 9, { acks: 1, timeoutMs: 20_000, topicData: [{ name: 'dirty', partitionData: [{ index: 0, records: batch }] }] });
  expect(produced.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NONE);
  await waitFor(async () => (await h.isrOf('dirty')) === '2', 'broker 3 to leave the ISR');
  const leader = await scrape(two);
  expect(valueOf(leader, 'kafka_server_replicamanager_isrshrinks_total')).toBe(1);
  expect(valueOf(leader, 'kafka_server_replicamanager_underreplicatedpartitions')).toBe(1);
  expect(valueOf(leader, 'kafka_cluster_partition_underreplicated', { topic: 'dirty', partition: 0 })).toBe(1);

  // The only in-sync replica dies: the controller elects broker 3 from outside the ISR.
  await two.kill();
  three.resume();
  await waitFor(async () => (await h.state('dirty', 0))?.leader === 3, 'broker 3 to lead');
  expect(valueOf(await scrape(one), 'kafka_controller_controllerstats_uncleanleaderelections_total')).toBe(1);
  expect(valueOf(await scrape(three), 'kafka_server_replicamanager_leadercount')).toBe(1);
}, 120_000);
