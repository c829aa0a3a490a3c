// The group coordinator's kafka.coordinator.group:type=GroupMetadataManager gauges (group counts by
// state, committed offsets), and consumer lag under kafka_exporter's names for the groups this
// broker coordinates: kafka_consumergroup_current_offset, _lag, _lag_sum, _members. Lag is the high
// watermark minus the committed offset, for partitions with a replica on this broker.

import { Registry } from 'prom-client';
import { GroupsView, LocalLogsView } from '../views';
import { Sample, gauge } from './define';

const STATES: readonly [string, string][] = [
  ['numgroupsstable', 'Stable'],
  ['numgroupsempty', 'Empty'],
  ['numgroupspreparingrebalance', 'PreparingRebalance'],
  ['numgroupscompletingrebalance', 'CompletingRebalance'],
  ['numgroupsdead', 'Dead'],
];

const PREFIX = 'kafka_coordinator_group_groupmetadatamanager_';

export function registerGroupMetrics(registry: Registry, groups: GroupsView, logs: LocalLogsView): void {
  gauge(registry, `${PREFIX}numgroups`, 'NumGroups: groups this broker coordinates', [], () => [[{}, groups.groups().length]]);
  for (const [name, state] of STATES) {
    gauge(registry, `${PREFIX}${name}`, `${name}: groups in state ${state}`, [], () => [[{}, groups.groups().filter((g) => g.state === state).length]]);
  }
  gauge(registry, `${PREFIX}numoffsets`, 'NumOffsets: committed offsets of the groups coordinated here', [], () => [
    [{}, groups.groups().reduce((sum, g) => sum + groups.committedOffsets(g.groupId).length, 0)],
  ]);

  gauge(registry, 'kafka_consumergroup_members', 'Members of the consumer group', ['consumergroup'], () =>
    groups.groups().map((g): Sample => [{ consumergroup: g.groupId }, g.members]),
  );
  gauge(registry, 'kafka_consumergroup_current_offset', 'Committed offset of the consumer group in the partition', ['consumergroup', 'topic', 'partition'], function* () {
    for (const g of groups.groups()) {
      for (const o of groups.committedOffsets(g.groupId)) yield [{ consumergroup: g.groupId, topic: o.topic, partition: o.partition }, o.offset] as Sample;
    }
  });
  const lags = function* () {
    for (const g of groups.groups()) {
      for (const o of groups.committedOffsets(g.groupId)) {
        const log = logs.log(o.topic, o.partition);
        if (log) yield { group: g.groupId, topic: o.topic, partition: o.partition, lag: Math.max(0, log.highWatermark - o.offset) };
      }
    }
  };
  gauge(registry, 'kafka_consumergroup_lag', 'High watermark minus the committed offset', ['consumergroup', 'topic', 'partition'], function* () {
    for (const l of lags()) yield [{ consumergroup: l.group, topic: l.topic, partition: l.partition }, l.lag] as Sample;
  });
  gauge(registry, 'kafka_consumergroup_lag_sum', 'Lag of the consumer group summed over the partitions of the topic', ['consumergroup', 'topic'], () => {
    const sums = new Map<string, { consumergroup: string; topic: string; lag: number }>();
    for (const l of lags()) {
      const key = `${l.group}\0${l.topic}`;
      const sum = sums.get(key) ?? { consumergroup: l.group, topic: l.topic, lag: 0 };
      sum.lag += l.lag;
      sums.set(key, sum);
    }
    return [...sums.values()].map(({ consumergroup, topic, lag }): Sample => [{ consumergroup, topic }, lag]);
  });
}
