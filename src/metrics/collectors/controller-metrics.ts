// kafka.controller:type=KafkaController and type=ControllerStats as the JMX exporter's Kafka rules
// name them. As in Kafka, the cluster-wide counts are the active controller's: other brokers report 0.

import { Registry } from 'prom-client';
import { ClusterStateView, ReplicationEventsView } from '../views';
import { counter, gauge } from './define';

export function registerControllerMetrics(registry: Registry, cluster: ClusterStateView, events: ReplicationEventsView): void {
  const controllerGauge = (name: string, help: string, value: () => number) =>
    gauge(registry, `kafka_controller_kafkacontroller_${name}`, help, [], () => [[{}, cluster.isActiveController() ? value() : 0]]);
  controllerGauge('activecontrollercount', 'ActiveControllerCount: 1 on the active controller', () => 1);
  controllerGauge('globaltopiccount', 'GlobalTopicCount: topics in the cluster', () => cluster.topics().length);
  controllerGauge('globalpartitioncount', 'GlobalPartitionCount: partitions in the cluster', () =>
    cluster.topics().reduce((sum, t) => sum + t.partitions.length, 0),
  );
  controllerGauge('offlinepartitionscount', 'OfflinePartitionsCount: partitions without a live leader', () => {
    const live = new Set(cluster.liveBrokerIds());
    return cluster.topics().reduce((sum, t) => sum + t.partitions.filter((p) => !live.has(p.leader)).length, 0);
  });
  controllerGauge('activebrokercount', 'ActiveBrokerCount: live brokers', () => cluster.liveBrokerIds().length);
  counter(registry, 'kafka_controller_controllerstats_uncleanleaderelections_total', 'UncleanLeaderElectionsPerSec: leaders elected from outside the ISR', [], () => [
    [{}, events.uncleanLeaderElections()],
  ]);
}
