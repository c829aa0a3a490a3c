// The read-only views of the broker that the collectors read at scrape time. The broker builds
// them from its own state; tests hand in fakes.

export interface PartitionView {
  replicas: readonly number[];
  leader: number;
  isr: readonly number[];
}

export interface TopicPartitionsView {
  name: string;
  partitions: readonly PartitionView[];
}

/** A partition's log on this broker. */
export interface LogView {
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly highWatermark: number;
  readonly size: number;
  readonly numberOfSegments: number;
}

export interface ClusterStateView {
  brokerId: number;
  /** Every topic of the cluster view, with each partition's replicas, leader and ISR. */
  topics(): readonly TopicPartitionsView[];
  liveBrokerIds(): readonly number[];
  /** min.insync.replicas of the topic (its override, else the broker's). */
  minInsyncReplicas(topic: string): number;
  isActiveController(): boolean;
}

export interface LocalLogsView {
  log(topic: string, partition: number): LogView | undefined;
  /** The partition's log dir went offline. */
  isOffline(topic: string, partition: number): boolean;
}

/** Counts of events kept where they happen, read as counters. */
export interface ReplicationEventsView {
  isrShrinks(): number;
  isrExpands(): number;
  uncleanLeaderElections(): number;
}

export interface GroupView {
  groupId: string;
  state: string;
  members: number;
}

export interface CommittedOffset {
  topic: string;
  partition: number;
  offset: number;
}

/** The groups this broker coordinates. */
export interface GroupsView {
  groups(): readonly GroupView[];
  committedOffsets(groupId: string): readonly CommittedOffset[];
}

export interface ListenerConnections {
  listener: string;
  open: number;
  /** Connections accepted since startup. */
  created: number;
}

export interface ConnectionsView {
  connections(): readonly ListenerConnections[];
}

/** ZooKeeper mode: the session's connections, disconnections and expiries so far. */
export interface ZookeeperSessionView {
  syncConnects(): number;
  disconnects(): number;
  expires(): number;
}

export interface BrokerViews {
  cluster: ClusterStateView;
  /** Absent in standalone mode. */
  zookeeper?: ZookeeperSessionView;
  logs: LocalLogsView;
  events: ReplicationEventsView;
  groups: GroupsView;
  connections: ConnectionsView;
}
