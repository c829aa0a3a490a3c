// What changed in the cluster view since the last look: partitions whose leader, leader epoch, ISR
// or replicas moved (with their state before and after), topics created or deleted, topic configs
// changed, brokers up or down. The stores record each topic they replace as it happens, so taking
// a delta costs what changed, not the size of the cluster.

import { PartitionInfo, TopicInfo } from './topic';

export interface PartitionChange {
  topic: string;
  partition: number;
  /** Null: the partition is new (or its topic was recreated). */
  before: PartitionInfo | null;
  /** Null: the partition is gone with its topic. */
  after: PartitionInfo | null;
}

export interface ClusterDelta {
  partitions: PartitionChange[];
  topicsCreated: string[];
  topicsDeleted: string[];
  /** Topics whose config overrides changed (created topics not included). */
  configsChanged: string[];
  /** Other entities whose dynamic configs changed, by entity path ("brokers/<default>", "users/alice"). */
  entityConfigsChanged: string[];
  brokersUp: number[];
  brokersDown: number[];
  /** Brokers still up whose registration (endpoints, rack) changed. */
  brokersChanged: number[];
  controllerChanged: boolean;
}

export type DeltaListener = (delta: ClusterDelta) => void | Promise<void>;

export function isEmptyDelta(d: ClusterDelta): boolean {
  return (
    d.partitions.length + d.topicsCreated.length + d.topicsDeleted.length + d.configsChanged.length + d.entityConfigsChanged.length + d.brokersUp.length + d.brokersDown.length + d.brokersChanged.length === 0 &&
    !d.controllerChanged
  );
}

export class DeltaRecorder {
  /** Per topic changed since the last take: its state then (first seen) and now. */
  private readonly topics = new Map<string, { before: TopicInfo | undefined; after: TopicInfo | undefined }>();
  private readonly brokers = new Map<number, string>();
  private controllerId = -1;

  topicChanged(name: string, before: TopicInfo | undefined, after: TopicInfo | undefined): void {
    const seen = this.topics.get(name);
    if (seen) seen.after = after;
    else this.topics.set(name, { before, after });
  }

  /** Everything recorded since the last take, with the brokers and controller compared to then. */
  take(brokers: readonly { id: number }[], controllerId: number, entityConfigsChanged: string[] = []): ClusterDelta {
    const delta: ClusterDelta = {
      partitions: [],
      topicsCreated: [],
      topicsDeleted: [],
      configsChanged: [],
      entityConfigsChanged,
      brokersUp: [],
      brokersDown: [],
      brokersChanged: [],
      controllerChanged: controllerId !== this.controllerId,
    };
    this.controllerId = controllerId;
    for (const [name, { before, after }] of this.topics) diffTopic(name, before, after, delta);
    this.topics.clear();
    const now = new Map(brokers.map((b) => [b.id, JSON.stringify(b)]));
    for (const [id, registration] of now) {
      const was = this.brokers.get(id);
      if (was === undefined) delta.brokersUp.push(id);
      else if (was !== registration) delta.brokersChanged.push(id);
    }
    for (const id of this.brokers.keys()) if (!now.has(id)) delta.brokersDown.push(id);
    this.brokers.clear();
    for (const [id, registration] of now) this.brokers.set(id, registration);
    return delta;
  }
}

function diffTopic(name: string, before: TopicInfo | undefined, after: TopicInfo | undefined, delta: ClusterDelta): void {
  const recreated = before !== undefined && after !== undefined && before.id !== after.id;
  const old = recreated ? undefined : before;
  if (before && (!after || recreated)) {
    delta.topicsDeleted.push(name);
    before.partitions.forEach((p, partition) => delta.partitions.push({ topic: name, partition, before: p, after: null }));
  }
  if (!after) return;
  if (!old) delta.topicsCreated.push(name);
  else if (JSON.stringify(old.configs) !== JSON.stringify(after.configs)) delta.configsChanged.push(name);
  after.partitions.forEach((p, partition) => {
    const was = old?.partitions[partition] ?? null;
    if (!was || partitionMoved(was, p)) delta.partitions.push({ topic: name, partition, before: was, after: p });
  });
}

function partitionMoved(a: PartitionInfo, b: PartitionInfo): boolean {
  return a.leader !== b.leader || a.leaderEpoch !== b.leaderEpoch || !sameIds(a.isr, b.isr) || !sameIds(a.replicas, b.replicas);
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
