// The broker's side of the controller's requests in ZooKeeper mode (LeaderAndIsr, UpdateMetadata,
// StopReplica): epoch checks and taking the partition states they carry into the cluster view.

import { TopicPartition } from './topic';

export interface ControllerPartitionState {
  topic: string;
  /** Null when the request version carries no topic id. */
  topicId: string | null;
  partition: number;
  controllerEpoch: number;
  leader: number;
  leaderEpoch: number;
  isr: number[];
  /** The state znode version. */
  partitionEpoch: number;
  replicas: number[];
  leaderRecoveryState: number;
}

export interface ControllerRequests {
  /**
   * NONE, STALE_CONTROLLER_EPOCH (older than the newest controller epoch seen) or
   * STALE_BROKER_EPOCH (not this broker's registration; -1 is accepted). Remembers a newer epoch.
   */
  checkEpochs(controllerEpoch: number, brokerEpoch: bigint): number;
  /** Takes each state unless the view has a newer one; an error code per state. Resolves once the broker acted on them. */
  applyStates(states: ControllerPartitionState[]): Promise<number[]>;
  /**
   * UpdateMetadata's live brokers (Kafka's MetadataCache aliveBrokers): when they are not the ones
   * the view holds, the view re-reads them now. Resolves once the broker acted on them.
   */
  applyLiveBrokers(brokerIds: number[]): Promise<void>;
  /** Re-reads the partitions' topics; resolves once local logs follow their current assignment. */
  refreshPartitions(partitions: TopicPartition[]): Promise<void>;
}
