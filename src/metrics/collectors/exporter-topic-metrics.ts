// kafka_exporter's topic metrics. So that a cluster's brokers do not report a partition twice, a
// partition's offsets and state come from its leader, and cluster-wide counts (partitions per
// topic, brokers) from the active controller.

import { Registry } from 'prom-client';
import { ClusterStateView, LocalLogsView, LogView, PartitionView } from '../views';
import { Sample, gauge } from './define';

interface Led {
  topic: string;
  partition: number;
  state: PartitionView;
  log: LogView;
}

function* ledHere(cluster: ClusterStateView, logs: LocalLogsView): Iterable<Led> {
  for (const t of cluster.topics()) {
    for (let partition = 0; partition < t.partitions.length; partition++) {
      const state = t.partitions[partition];
      const log = state.leader === cluster.brokerId ? logs.log(t.name, partition) : undefined;
      if (log) yield { topic: t.name, partition, state, log };
    }
  }
}

export function registerExporterTopicMetrics(registry: Registry, cluster: ClusterStateView, logs: LocalLogsView): void {
  gauge(registry, 'kafka_brokers', 'Brokers in the cluster', [], () => (cluster.isActiveController() ? [[{}, cluster.liveBrokerIds().length]] : []));
  gauge(registry, 'kafka_topic_partitions', 'Partitions of the topic', ['topic'], () =>
    cluster.isActiveController() ? cluster.topics().map((t): Sample => [{ topic: t.name }, t.partitions.length]) : [],
  );
  const perPartition = (name: string, help: string, value: (l: Led) => number) =>
    gauge(registry, `kafka_topic_partition_${name}`, help, ['topic', 'partition'], function* (): Iterable<Sample> {
      for (const l of ledHere(cluster, logs)) yield [{ topic: l.topic, partition: l.partition }, value(l)];
    });
  perPartition('current_offset', 'High watermark of the partition', (l) => l.log.highWatermark);
  perPartition('oldest_offset', 'Log start offset of the partition', (l) => l.log.logStartOffset);
  perPartition('leader', 'Leader broker id of the partition', (l) => l.state.leader);
  perPartition('replicas', 'Replicas of the partition', (l) => l.state.replicas.length);
  perPartition('in_sync_replica', 'In-sync replicas of the partition', (l) => l.state.isr.length);
  perPartition('leader_is_preferred', '1 when the leader is the preferred replica', (l) => Number(l.state.replicas[0] === l.state.leader));
  perPartition('under_replicated_partition', '1 when the ISR is smaller than the replicas', (l) => Number(l.state.isr.length < l.state.replicas.length));
}
