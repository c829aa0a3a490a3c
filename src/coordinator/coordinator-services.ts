// What a coordinator over an internal topic needs from the broker it runs in, and nothing more:
// the topic view, this broker's id, partition logs and leader epochs, waiting for the ISR, topic
// creation, the live broker count, a logger and the clock. The broker passes an object of functions,
// so coordinators never depend on the broker itself and are tested with fakes.
import type { KafkaError } from '../../protocol/errors';
import type { Clock } from '../clock';
import type { TopicInfo } from '../cluster/topic';
import type { PartitionLog } from '../log/partition-log';

/** An internal topic as a coordinator creates it on first use. */
export interface InternalTopicSpec {
  name: string;
  numPartitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
}

export interface CoordinatorLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, cause?: unknown): void;
}

export interface CoordinatorServices {
  brokerId(): number;
  /** The cluster's current view of a topic. */
  topic(name: string): TopicInfo | undefined;
  /** The log of a partition this broker leads; throws UNKNOWN_TOPIC_OR_PARTITION or NOT_LEADER_OR_FOLLOWER. */
  leaderLog(topic: string, partition: number): PartitionLog;
  /** This broker's replica of a partition, leader or follower. */
  localLog(topic: string, partition: number): PartitionLog | undefined;
  leaderEpoch(topic: string, partition: number): number;
  /** acks=all: resolves once the high watermark reached `endOffset` (exclusive), or with the partition's error. */
  waitForReplication(topic: string, partition: number, endOffset: number, timeoutMs: number): Promise<KafkaError | null>;
  createTopic(topic: InternalTopicSpec): Promise<void>;
  liveBrokerCount(): number;
  log: CoordinatorLogger;
  clock: Clock;
}
