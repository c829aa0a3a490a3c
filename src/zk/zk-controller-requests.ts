// ZooKeeper mode's ControllerRequests: the controller epoch this broker has seen (Kafka's
// ReplicaManager.controllerEpoch) and partition states taken into the cluster view at once, so roles
// change without waiting for the watches (which stay the fallback). A state for a topic or
// assignment the view does not know yet first re-reads that topic; live brokers other than the
// view's re-read /brokers/ids (the view keeps the broker epochs UpdateMetadata does not carry).

import { ErrorCode } from '../../protocol';
import { TopicPartition } from '../cluster/topic';
import { ControllerPartitionState, ControllerRequests } from '../cluster/controller-requests';
import { ClusterView } from './cluster-view';

export class ZkControllerRequests implements ControllerRequests {
  private controllerEpoch = 0;

  constructor(
    private readonly view: ClusterView,
    private readonly brokerEpoch: () => bigint,
  ) {}

  checkEpochs(controllerEpoch: number, brokerEpoch: bigint): number {
    if (controllerEpoch < this.controllerEpoch) return ErrorCode.STALE_CONTROLLER_EPOCH;
    if (brokerEpoch !== -1n && brokerEpoch !== this.brokerEpoch()) return ErrorCode.STALE_BROKER_EPOCH;
    this.controllerEpoch = controllerEpoch;
    return ErrorCode.NONE;
  }

  async applyStates(states: ControllerPartitionState[]): Promise<number[]> {
    const unknown = new Set(states.filter((s) => !this.knows(s)).map((s) => s.topic));
    await Promise.all([...unknown].map((t) => this.view.refreshTopic(t)));
    const errors = states.map((s) => {
      const topic = this.view.topics.topic(s.topic);
      if (!topic || s.partition >= topic.states.length) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      if (s.topicId !== null && topic.assignment.topicId !== null && s.topicId !== topic.assignment.topicId) return ErrorCode.INCONSISTENT_TOPIC_ID;
      const { leader, leaderEpoch, isr, controllerEpoch, leaderRecoveryState } = s;
      const outcome = this.view.applyState(s.topic, s.partition, { leader, leaderEpoch, isr, controllerEpoch, leaderRecoveryState, version: s.partitionEpoch });
      if (outcome === 'stale') return ErrorCode.FENCED_LEADER_EPOCH;
      return outcome === 'unknown' ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.NONE;
    });
    // The broker acts on the new states (leads, follows) before the controller hears back.
    await this.view.flush();
    return errors;
  }

  async applyLiveBrokers(brokerIds: number[]): Promise<void> {
    const known = this.view.brokers;
    if (brokerIds.length === known.size && brokerIds.every((id) => known.has(id))) return;
    await this.view.refreshBrokers();
    await this.view.flush();
  }

  async refreshPartitions(partitions: TopicPartition[]): Promise<void> {
    await Promise.all([...new Set(partitions.map((p) => p.topic))].map((t) => this.view.refreshTopic(t)));
    await this.view.flush();
  }

  /** The view has the topic, with this assignment, and the partition's state read. */
  private knows(s: ControllerPartitionState): boolean {
    const topic = this.view.topics.topic(s.topic);
    const replicas = topic?.assignment.replicas[s.partition];
    return replicas !== undefined && topic!.states[s.partition] !== undefined && JSON.stringify(replicas) === JSON.stringify(s.replicas);
  }
}
