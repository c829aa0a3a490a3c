// What `kafka-topics.sh --describe` prints, as Kafka 3.9's TopicCommand prints it: per topic a
// line "Topic: t\tTopicId: …\tPartitionCount: n\tReplicationFactor: r\tConfigs: k=v,…" (the
// non-default configs, in the order Kafka's Config map holds them), then one line per partition,
// filtered by the --under-replicated-partitions style reports. ELR travels only in
// DescribeTopicPartitions, which ZooKeeper-mode brokers lack, so Kafka's client prints "N/A" for it.

import { ConfigEntry, PartitionInfo, Reassignment } from './admin-calls';
import { javaHashOrder, stringHash } from '../java-order';

/** Uuid.ZERO_UUID as Kafka prints it: a topic without an id. */
export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

export interface DescribeFilters {
  underReplicated: boolean;
  unavailable: boolean;
  underMinIsr: boolean;
  atMinIsr: boolean;
  withOverrides: boolean;
}

export interface DescribedTopic {
  name: string;
  topicId: string;
  partitions: PartitionInfo[];
  configs: ConfigEntry[];
}

/** Replicas minus those still being added, while a reassignment moves the partition (TopicCommand.getReplicationFactor). */
function replicationFactor(p: PartitionInfo, r: Reassignment | undefined): number {
  const moving = r !== undefined && p.replicas.some((id) => r.adding.includes(id) || r.removing.includes(id));
  return moving ? r.replicas.length - r.adding.length : p.replicas.length;
}

/** The non-default configs as "k=v,…" in the iteration order of Kafka's Config (a HashMap by name). */
export function overriddenConfigs(configs: readonly ConfigEntry[]): string {
  return javaHashOrder(configs, (c) => stringHash(c.name))
    .filter((c) => !c.isDefault)
    .map((c) => `${c.name}=${c.value}`)
    .join(',');
}

export function topicLine(t: DescribedTopic, reassignments: ReadonlyMap<string, Reassignment>): string {
  const first = t.partitions[0];
  const rf = first === undefined ? 0 : replicationFactor(first, reassignments.get(`${t.name}-${first.partition}`));
  const id = t.topicId === ZERO_UUID ? '' : `\tTopicId: ${t.topicId}`;
  return `Topic: ${t.name}${id}\tPartitionCount: ${t.partitions.length}\tReplicationFactor: ${rf}\tConfigs: ${overriddenConfigs(t.configs)}`;
}

export function partitionLine(topic: string, p: PartitionInfo, r: Reassignment | undefined): string {
  const leader = p.leader >= 0 ? String(p.leader) : 'none';
  const moving = r === undefined ? '' : `\tAdding Replicas: ${r.adding.join(',')}\tRemoving Replicas: ${r.removing.join(',')}`;
  return `\tTopic: ${topic}\tPartition: ${p.partition}\tLeader: ${leader}\tReplicas: ${p.replicas.join(',')}\tIsr: ${p.isr.join(',')}${moving}\tElr: N/A\tLastKnownElr: N/A`;
}

/** The lines for these topics, in the order given. */
export function describeLines(topics: readonly DescribedTopic[], reassignments: ReadonlyMap<string, Reassignment>, liveBrokers: ReadonlySet<number>, filters: DescribeFilters): string[] {
  const reporting = filters.underReplicated || filters.unavailable || filters.underMinIsr || filters.atMinIsr;
  const lines: string[] = [];
  for (const t of topics) {
    if (!reporting && (!filters.withOverrides || t.configs.some((c) => !c.isDefault))) lines.push(topicLine(t, reassignments));
    if (filters.withOverrides) continue;
    const minIsr = Number(t.configs.find((c) => c.name === 'min.insync.replicas')?.value ?? 1);
    for (const p of t.partitions) {
      const r = reassignments.get(`${t.name}-${p.partition}`);
      const hasLeader = p.leader >= 0;
      const show =
        !reporting ||
        (filters.underReplicated && replicationFactor(p, r) - p.isr.length > 0) ||
        (filters.unavailable && (!hasLeader || !liveBrokers.has(p.leader))) ||
        (filters.underMinIsr && (!hasLeader || p.isr.length < minIsr)) ||
        (filters.atMinIsr && p.isr.length === minIsr);
      if (show) lines.push(partitionLine(t.name, p, r));
    }
  }
  return lines;
}
