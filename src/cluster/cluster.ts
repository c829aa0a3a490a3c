// What a broker needs to know of its cluster, whichever way the cluster is kept: standalone (this
// broker alone, metadata in its log dir) or ZooKeeper mode (Kafka's znodes). The broker validates
// requests and keeps its local logs in step with this view; the cluster persists and shares it.

import type { DeltaListener } from './cluster-delta';
import type { ControllerRequests } from './controller-requests';
import type { EntityConfigView } from './entity-configs';
import type { FeatureHandling } from './features';
import { TopicInfo, TopicPartition } from './topic';

export interface BrokerEndpointInfo {
  listener: string;
  host: string;
  port: number;
  securityProtocol: string;
}

export interface BrokerInfo {
  id: number;
  endpoints: BrokerEndpointInfo[];
  rack: string | null;
}

export interface TopicView {
  list(): TopicInfo[];
  get(name: string): TopicInfo | undefined;
  getById(id: string): TopicInfo | undefined;
}

/** ElectLeaders' election types. */
export const PREFERRED_ELECTION = 0;
export const UNCLEAN_ELECTION = 1;

export interface ElectionResult extends TopicPartition {
  errorCode: number;
  errorMessage: string | null;
}

/** A requested reassignment of a partition to `replicas` (null: cancel the one in progress). */
export interface ReassignmentRequest extends TopicPartition {
  replicas: number[] | null;
}

export interface ReassignmentResult extends TopicPartition {
  errorCode: number;
  errorMessage: string | null;
}

/** A reassignment in progress: all replicas (target first), those being added and those being removed. */
export interface PartitionReassignment extends TopicPartition {
  replicas: number[];
  addingReplicas: number[];
  removingReplicas: number[];
}

/** Identity a log dir remembers (meta.properties), if any. */
export interface StoredIdentity {
  brokerId?: number;
  clusterId?: string;
}

export interface Cluster {
  readonly clusterId: string;
  readonly brokerId: number;
  readonly topics: TopicView;
  /** Dynamic configs of brokers, users, clients and ips (ZooKeeper: /config/<type>/<name>). */
  readonly entityConfigs: EntityConfigView;
  /** Joins the cluster with this broker's advertised endpoints (ZooKeeper: /brokers/ids/<id>, controller election). */
  register(self: BrokerInfo): Promise<void>;
  liveBrokers(): BrokerInfo[];
  /** Id of the active controller, -1 when there is none. */
  controllerId(): number;
  /** Persists a new, validated topic; its partitions get leaders from the controller. */
  createTopic(topic: TopicInfo): Promise<void>;
  /** Deletes a topic everywhere; resolves once it is gone from this broker's view. */
  deleteTopic(name: string): Promise<void>;
  /**
   * Replaces a topic's config overrides (ZooKeeper: /config/topics/<t> and a change notification, so
   * every broker applies them); resolves once this broker's view has them.
   */
  setTopicConfigs(name: string, configs: Record<string, string>): Promise<void>;
  /**
   * Whether the topic exists where the cluster keeps topics, not only in this broker's view (in
   * ZooKeeper mode a topic just created through another broker may not have reached the view yet;
   * Kafka's AdminZkClient reads ZooKeeper for the topic configs APIs).
   */
  topicExists(name: string): Promise<boolean>;
  /**
   * Replaces an entity's dynamic configs (ZooKeeper: /config/<entity path> and a change
   * notification, so every broker applies them; standalone: a file in the log dir); resolves once
   * this broker's view has them.
   */
  setEntityConfigs(entityPath: string, configs: Record<string, string>): Promise<void>;
  /**
   * Adds partitions with these replicas after the topic's last one (ZooKeeper: the topic znode, the
   * controller then gives them states); resolves once this broker's view has them.
   */
  addPartitions(name: string, replicas: number[][]): Promise<void>;
  /** This broker's epoch (ZooKeeper: the czxid of its registration), -1 when it has none. */
  brokerEpoch(): bigint;
  /**
   * The partition leader's ISR change: compare-and-set of the partition state against the version
   * this broker last saw, keeping leader and leader epoch. Resolves false when the state moved on
   * meanwhile (or this broker no longer leads at that epoch); the view then catches up.
   */
  updateIsr(topic: string, partition: number, leaderEpoch: number, isr: number[]): Promise<boolean>;
  /**
   * A log dir of this broker went offline (ZooKeeper: a /log_dir_event_notification/log_dir_event_<seq>,
   * so the controller asks which replicas are offline and moves their leadership; standalone: nothing).
   */
  propagateLogDirEvent(): Promise<void>;
  /**
   * The controller's side of ControlledShutdown: moves leadership off the broker and drops it from
   * every ISR; returns the partitions it still leads. KafkaError NOT_CONTROLLER / STALE_BROKER_EPOCH.
   */
  controlledShutdown(brokerId: number, brokerEpoch: bigint): Promise<TopicPartition[]>;
  /** The controller's side of ElectLeaders (null: every partition). KafkaError NOT_CONTROLLER. */
  electLeaders(type: number, partitions: TopicPartition[] | null): Promise<ElectionResult[]>;
  /** The controller's side of AlterPartitionReassignments. KafkaError NOT_CONTROLLER. */
  alterPartitionReassignments(requests: ReassignmentRequest[]): Promise<ReassignmentResult[]>;
  /** The controller's side of ListPartitionReassignments (null: every partition). KafkaError NOT_CONTROLLER. */
  listPartitionReassignments(partitions: TopicPartition[] | null): Promise<PartitionReassignment[]>;
  /** Finalized features (ZooKeeper: /feature, watched; standalone: a file in the log dir) and UpdateFeatures. */
  readonly features: FeatureHandling;
  /** ZooKeeper mode only: what the controller's LeaderAndIsr, UpdateMetadata and StopReplica act on. */
  readonly controllerRequests?: ControllerRequests;
  /** Hears what changed after any change of brokers, topics, partition states or configs. */
  onDelta(listener: DeltaListener): void;
  /** Reports what changed so far now, rather than after the view settles; resolves once listeners applied it. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** What the controller-facing handlers (ControlledShutdown, ElectLeaders, reassignments, controller requests) use. */
export type ClusterAdmin = Pick<Cluster, 'controlledShutdown' | 'electLeaders' | 'alterPartitionReassignments' | 'listPartitionReassignments' | 'controllerRequests'>;
