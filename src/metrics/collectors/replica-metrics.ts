// This broker's replicas, as kafka.server:type=ReplicaManager, kafka.cluster:type=Partition and
// kafka.log:type=Log name them under the JMX exporter's Kafka rules: counts of the partitions
// hosted and led here, per-partition ISR health of those led here, and each hosted log's size and
// offsets. All read from the cluster view and the logs at scrape time.

import { Registry } from 'prom-client';
import { ClusterStateView, LocalLogsView, LogView, PartitionView, ReplicationEventsView } from '../views';
import { Labels, Sample, counter, gauge } from './define';

interface Hosted {
  labels: Labels;
  state: PartitionView;
  /** Undefined when the partition's log dir is offline. */
  log: LogView | undefined;
  leads: boolean;
  minIsr: number;
}

/** The partitions this broker is a replica of, with their log here. */
function* hosted(cluster: ClusterStateView, logs: LocalLogsView): Iterable<Hosted> {
  const self = cluster.brokerId;
  for (const topic of cluster.topics()) {
    const minIsr = cluster.minInsyncReplicas(topic.name);
    for (let partition = 0; partition < topic.partitions.length; partition++) {
      const state = topic.partitions[partition];
      if (!state.replicas.includes(self)) continue;
      const log = logs.log(topic.name, partition);
      if (!log && !logs.isOffline(topic.name, partition)) continue;
      yield { labels: { topic: topic.name, partition }, state, log, leads: state.leader === self && log !== undefined, minIsr };
    }
  }
}

const underReplicated = (h: Hosted) => h.state.isr.length < h.state.replicas.length;
const underMinIsr = (h: Hosted) => h.state.isr.length < h.minIsr;
const atMinIsr = (h: Hosted) => h.state.isr.length === h.minIsr;

export function registerReplicaMetrics(registry: Registry, cluster: ClusterStateView, logs: LocalLogsView, events: ReplicationEventsView): void {
  const count = (name: string, help: string, which: (h: Hosted) => boolean) =>
    gauge(registry, `kafka_server_replicamanager_${name}`, help, [], () => {
      let n = 0;
      for (const h of hosted(cluster, logs)) if (which(h)) n++;
      return [[{}, n]];
    });
  count('partitioncount', 'PartitionCount: partitions hosted on this broker', () => true);
  count('leadercount', 'LeaderCount: partitions this broker leads', (h) => h.leads);
  count('offlinereplicacount', 'OfflineReplicaCount: replicas whose log dir is offline', (h) => h.log === undefined);
  count('underreplicatedpartitions', 'UnderReplicatedPartitions: led here, ISR smaller than the replicas', (h) => h.leads && underReplicated(h));
  count('underminisrpartitioncount', 'UnderMinIsrPartitionCount: led here, ISR below min.insync.replicas', (h) => h.leads && underMinIsr(h));
  count('atminisrpartitioncount', 'AtMinIsrPartitionCount: led here, ISR at min.insync.replicas', (h) => h.leads && atMinIsr(h));
  counter(registry, 'kafka_server_replicamanager_isrshrinks_total', 'IsrShrinksPerSec: ISR shrinks written by this leader', [], () => [[{}, events.isrShrinks()]]);
  counter(registry, 'kafka_server_replicamanager_isrexpands_total', 'IsrExpandsPerSec: ISR expansions written by this leader', [], () => [[{}, events.isrExpands()]]);

  // Kafka's Partition gauges read 0 on followers: only the leader knows the ISR is in danger.
  const perPartition = (name: string, help: string, value: (h: Hosted) => number) =>
    gauge(registry, `kafka_cluster_partition_${name}`, help, ['topic', 'partition'], function* (): Iterable<Sample> {
      for (const h of hosted(cluster, logs)) yield [h.labels, h.leads ? value(h) : 0];
    });
  perPartition('underreplicated', 'UnderReplicated: 1 when the ISR is smaller than the replicas', (h) => Number(underReplicated(h)));
  perPartition('underminisr', 'UnderMinIsr: 1 when the ISR is below min.insync.replicas', (h) => Number(underMinIsr(h)));
  perPartition('atminisr', 'AtMinIsr: 1 when the ISR is at min.insync.replicas', (h) => Number(atMinIsr(h)));
  perPartition('replicascount', 'ReplicasCount: replicas of the partition', (h) => h.state.replicas.length);
  perPartition('insyncreplicascount', 'InSyncReplicasCount: replicas in the ISR', (h) => h.state.isr.length);

  const perLog = (name: string, help: string, value: (log: LogView) => number) =>
    gauge(registry, `kafka_log_log_${name}`, help, ['topic', 'partition'], function* (): Iterable<Sample> {
      for (const h of hosted(cluster, logs)) if (h.log) yield [h.labels, value(h.log)];
    });
  perLog('size', 'Size: bytes of the log on disk', (log) => log.size);
  perLog('logstartoffset', 'LogStartOffset: the first offset of the log', (log) => log.logStartOffset);
  perLog('logendoffset', 'LogEndOffset: the offset after the last record', (log) => log.logEndOffset);
  perLog('numlogsegments', 'NumLogSegments: segments of the log', (log) => log.numberOfSegments);
}
