// The active controller's duties, derived from the cluster view each time it changes, so whatever
// the previous controller left half done is finished too: partition states for new partitions,
// leaders for partitions whose leader died or came back, topic ids for topics written without one,
// deletion of topics marked under /admin/delete_topics, and clearing the ISR change notifications
// leaders leave (the view already follows the partition states they name). It also serves
// controlled shutdown (leadership moves off a stopping broker first), log dir failures (a broker's
// /log_dir_event_notification: it is asked which replicas are offline, and those lose leadership and
// leave the ISR as if their broker were gone), preferred and unclean leader
// elections on request (ElectLeaders, /admin/preferred_replica_election), the periodic
// preferred-leader rebalance, and partition reassignment (AlterPartitionReassignments,
// /admin/reassign_partitions), finished once every target replica is in the ISR, and two test
// controls: moving a partition's leader and shrinking its ISR. Every write is fenced
// as Kafka fences it: a multi-op that first checks /controller_epoch is still at the version this
// controller set; the leader and ISR changes of one pass go in multi-ops of up to STATE_BATCH
// partitions. After each pass it tells brokers what changed (LeaderAndIsr, UpdateMetadata,
// StopReplica; see controller-propagation.ts).

import { ErrorCode, KafkaError } from '../../protocol';
import type { BrokerConnector } from '../client/broker-connector';
import { Clock, Timer } from '../clock';
import {
  ElectionResult,
  PREFERRED_ELECTION,
  PartitionReassignment,
  ReassignmentRequest,
  ReassignmentResult,
  UNCLEAN_ELECTION,
} from '../cluster/cluster';
import { TopicPartition, randomUuid } from '../cluster/topic';
import { BrokerConfig } from '../config';
import { Logger } from '../logger';
import { ZooKeeperSession, ZkError, ZkOp } from '../zookeeper';
import { ClusterView } from './cluster-view';
import { ControllerChannel } from './controller-channel';
import { ControllerLease } from './controller-election';
import { ControllerPropagation } from './controller-propagation';
import { Candidates, LeaderAndIsr, NO_LEADER, ineligibleLeader, initialLeaderAndIsr, invalidIsrShrink, nextLeaderAndIsr, preferredLeaderAndIsr } from './partition-leadership';
import { PartitionAssignment, isReassigning, leaderAndIsrFor, originalReplicas, partitionAssignment, reassignTo, settledAt, targetReplicas, withPartition } from './reassignment';
import { CONTROLLER_EPOCH, FEATURE, PREFERRED_REPLICA_ELECTION, REASSIGN_PARTITIONS, ISR_CHANGE_NOTIFICATION, ISR_CHANGE_PREFIX, LOG_DIR_EVENT_NOTIFICATION, LOG_DIR_EVENT_PREFIX, deleteTopicPath, partitionPath, partitionStatePath, partitionsPath, topicConfigPath, topicPath } from './zk-paths';
import { VersionedPartitionState, ZkTopic } from './zk-topic-store';
import { LEADER_RECOVERY_RECOVERED, PartitionState, decodeLogDirEventNotification, encodePartitionState, encodeTopicAssignment } from './znode-payloads';
import { enableFeatureVersioning } from './zk-features';

const RETRY_DELAY_MS = 1000;
/** Partition state writes per ZooKeeper multi: well under jute.maxbuffer (1 MiB) at ~200 bytes each. */
const STATE_BATCH = 500;

/** A partition whose leader or ISR the controller changes. */
interface StateMove {
  topic: string;
  partition: number;
  current: VersionedPartitionState;
  next: LeaderAndIsr;
}


/** The /controller_epoch check failed: another broker is controller now. */
class ControllerMovedError extends Error {}

export class Controller {
  private lease: ControllerLease | null = null;
  /** Connections to the brokers and what they were told, for this lease. */
  private channel: ControllerChannel | null = null;
  private propagation: ControllerPropagation | null = null;
  private running: Promise<void> | null = null;
  private rerun = false;
  /** Callers of exclusively() waiting for the running reconciliation. */
  private exclusiveWaiting = 0;
  private retryTimer: Timer | null = null;
  private rebalanceTimer: Timer | null = null;
  /** Brokers in controlled shutdown, with the epoch they had, until they leave /brokers/ids or register anew. */
  private readonly shuttingDown = new Map<number, bigint>();
  /** Replicas each broker answered KAFKA_STORAGE_ERROR for, at the broker epoch it answered with (Kafka's replicasOnOfflineDirs). */
  private readonly offlineReplicas = new Map<number, { epoch: bigint | undefined; partitions: Set<string> }>();
  /** Leaders this controller elected from outside the ISR (Kafka's UncleanLeaderElectionsPerSec). */
  uncleanLeaderElections = 0;

  constructor(
    private readonly zk: ZooKeeperSession,
    private readonly view: ClusterView,
    private readonly config: BrokerConfig,
    private readonly brokerId: number,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly connect: BrokerConnector,
  ) {}

  get active(): boolean {
    return this.lease !== null;
  }

  /** Takes over after winning the election: re-reads everything, then reconciles it all. */
  async activate(lease: ControllerLease): Promise<void> {
    this.lease = lease;
    await enableFeatureVersioning(this.zk, this.log).catch((err) => this.log.warn(`Could not enable feature versioning in ${FEATURE}: ${(err as Error).message}`));
    this.view.reloadAll();
    await this.view.settled();
    this.shuttingDown.clear();
    this.channel = new ControllerChannel(this.view, this.config, this.brokerId, this.clock, this.log, this.connect);
    this.propagation = new ControllerPropagation(this.view, this.channel, this.brokerId, lease.epoch);
    this.offlineReplicas.clear();
    this.reconcileSoon();
    void this.logDirEvents();
    if (this.config.autoLeaderRebalanceEnable) {
      this.rebalanceTimer = this.clock.setInterval(() => void this.rebalanceLeaders(), this.config.leaderImbalanceCheckIntervalSeconds * 1000);
    }
  }

  resign(): void {
    if (!this.lease) return;
    this.log.info(`Resigning as the controller (epoch ${this.lease.epoch})`);
    this.lease = null;
    this.channel?.close();
    this.channel = null;
    this.propagation = null;
    this.retryTimer?.cancel();
    this.retryTimer = null;
    this.rebalanceTimer?.cancel();
    this.rebalanceTimer = null;
  }

  /**
   * KafkaController.doControlledShutdown: the broker is marked shutting down; it is told to stop
   * fetching (StopReplica without delete) the partitions it follows, then one reconciliation moves
   * leadership off it (ControlledShutdownPartitionLeaderElectionStrategy) and takes it out of every
   * ISR, each with a leader epoch bump, written in batches and announced in one request per broker.
   * Returns the replicated partitions it still leads (no other ISR member could take them).
   */
  async controlledShutdown(brokerId: number, brokerEpoch: bigint): Promise<TopicPartition[]> {
    this.checkActive();
    const epoch = this.view.brokerEpochs.get(brokerId);
    if (epoch === undefined) throw new KafkaError(ErrorCode.BROKER_NOT_AVAILABLE, `Broker id ${brokerId} does not exist.`);
    if (brokerEpoch !== -1n && brokerEpoch < epoch) {
      throw new KafkaError(ErrorCode.STALE_BROKER_EPOCH, `Received controlled shutdown request from an old broker epoch ${brokerEpoch} for broker ${brokerId}`);
    }
    return this.exclusively(async () => {
      this.log.info(`Shutting down broker ${brokerId}`);
      this.shuttingDown.set(brokerId, epoch);
      const followed = this.replicatedPartitionsOf(brokerId).filter((p) => p.leader !== brokerId);
      this.propagation?.stopReplicas(brokerId, followed, false);
      await this.reconcile();
      return this.replicatedPartitionsOf(brokerId)
        .filter((p) => p.leader === brokerId)
        .map(({ topic, partition }) => ({ topic, partition }));
    });
  }

  /** The partitions with more than one replica that have `brokerId` as one, with their leader and epoch (topics being deleted left out). */
  private replicatedPartitionsOf(brokerId: number): { topic: string; partition: number; leader: number; leaderEpoch: number }[] {
    const found: { topic: string; partition: number; leader: number; leaderEpoch: number }[] = [];
    for (const topic of this.view.topics.all()) {
      if (this.view.pendingDeletes.has(topic.name)) continue;
      topic.states.forEach((s, partition) => {
        const replicas = topic.assignment.replicas[partition];
        if (s && replicas.length > 1 && replicas.includes(brokerId)) found.push({ topic: topic.name, partition, leader: s.leader, leaderEpoch: s.leaderEpoch });
      });
    }
    return found;
  }

  /** ElectLeaders: preferred or unclean election for the partitions named, or all of them. */
  async electLeaders(type: number, partitions: TopicPartition[] | null): Promise<ElectionResult[]> {
    this.checkActive();
    await this.reconciled();
    const wanted = partitions ?? this.view.topics.all().flatMap((t) => t.states.map((_, partition) => ({ topic: t.name, partition })));
    return Promise.all(wanted.map((tp) => this.electOne(type, tp)));
  }

  private async electOne(type: number, { topic: name, partition }: TopicPartition): Promise<ElectionResult> {
    const result = (errorCode: number, errorMessage: string | null = null) => ({ topic: name, partition, errorCode, errorMessage });
    const topic = this.view.topics.topic(name);
    const current = topic?.states[partition];
    if (!topic || !current || this.view.pendingDeletes.has(name)) {
      return result(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'The partition does not exist.');
    }
    const replicas = topic.assignment.replicas[partition];
    const c = this.candidates(name);
    let next: LeaderAndIsr | null;
    if (type === UNCLEAN_ELECTION) {
      if (current.leader !== NO_LEADER && c.live.has(current.leader)) return result(ErrorCode.ELECTION_NOT_NEEDED, 'Leader election not needed for topic partition.');
      next = nextLeaderAndIsr(replicas, current, { ...c, unclean: true });
      if (!next || next.leader === NO_LEADER) {
        return result(ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE, `Failed to elect leader for partition ${name}-${partition} under strategy OfflinePartitionLeaderElectionStrategy(true)`);
      }
    } else {
      if (current.leader === replicas[0]) return result(ErrorCode.ELECTION_NOT_NEEDED, 'Leader election not needed for topic partition.');
      next = preferredLeaderAndIsr(replicas, current, c);
      if (!next) {
        return result(ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE, `Failed to elect leader for partition ${name}-${partition} under strategy PreferredReplicaPartitionLeaderElectionStrategy`);
      }
    }
    if (!(await this.writeState(name, partition, current, next))) {
      return result(ErrorCode.NOT_CONTROLLER, 'The partition state changed during the election; try again.');
    }
    return result(ErrorCode.NONE);
  }

  /**
   * A test control: leadership of one partition moves to `brokerId`, which the preferred election's
   * rule must allow (an assigned replica, alive, not shutting down, in the ISR). As in every
   * election the ISR stays, the leader epoch goes up by one and the controller epoch is this one's;
   * LeaderAndIsr and UpdateMetadata go out at once. Answers the partition state (as it was when
   * `brokerId` already leads).
   */
  async moveLeader(topic: string, partition: number, brokerId: number): Promise<PartitionState> {
    return this.changeState(topic, partition, (replicas, current, c) => {
      if (current.leader === brokerId) return null;
      const why = ineligibleLeader(brokerId, replicas, current, c);
      if (why !== null) throw new KafkaError(ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE, `Cannot move the leader of ${topic}-${partition}: ${why}`);
      return { leader: brokerId, isr: current.isr };
    });
  }

  /**
   * A test control: replicas leave a partition's ISR as ReplicaStateMachine.removeReplicasFromIsr
   * takes an offline replica out: the leader stays and the leader epoch goes up by one
   * (LeaderAndIsr.newLeaderAndIsr). The leader takes a removed follower back as soon as it fetches
   * up to the high watermark, as Kafka's leaders do (hold it back with a follower lag to keep it
   * out). Answers the partition state (as it was when the ISR is already `isr`).
   */
  async shrinkIsr(topic: string, partition: number, isr: readonly number[]): Promise<PartitionState> {
    return this.changeState(topic, partition, (_replicas, current) => {
      const why = invalidIsrShrink(current, isr);
      if (why !== null) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Cannot shrink the ISR of ${topic}-${partition}: ${why}`);
      if (isr.length === current.isr.length) return null;
      return { leader: current.leader, isr: current.isr.filter((r) => isr.includes(r)) };
    });
  }

  /**
   * One partition's state to what `decide` answers (null: as it is), written with the next leader
   * epoch between reconciliations, then announced. `decide` throws a KafkaError saying why not.
   */
  private async changeState(
    name: string,
    partition: number,
    decide: (replicas: readonly number[], current: VersionedPartitionState, c: Candidates) => LeaderAndIsr | null,
  ): Promise<PartitionState> {
    this.checkActive();
    // A refusal is the caller's error, not a failed pass: it comes back as a value, so exclusively() does not retry it.
    const outcome = await this.exclusively(async (): Promise<PartitionState | KafkaError> => {
      const topic = this.view.topics.topic(name);
      const current = topic?.states[partition];
      if (!topic || !current || this.view.pendingDeletes.has(name)) return new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Partition ${name}-${partition} does not exist.`);
      let next: LeaderAndIsr | null;
      try {
        next = decide(topic.assignment.replicas[partition], current, this.withoutOfflineReplicas(this.candidates(name), name, partition));
      } catch (err) {
        if (err instanceof KafkaError) return err;
        throw err;
      }
      if (next === null) return current;
      if (!(await this.writeState(name, partition, current, next))) {
        return new KafkaError(ErrorCode.NOT_CONTROLLER, `The state of ${name}-${partition} changed meanwhile; try again.`);
      }
      this.propagation?.propagate();
      return this.view.topics.topic(name)?.states[partition] ?? current;
    });
    if (outcome instanceof KafkaError) throw outcome;
    return outcome;
  }

  /**
   * checkAndTriggerAutoLeaderRebalance: per preferred broker, when more than
   * leader.imbalance.per.broker.percentage of the partitions it should lead are led elsewhere, they
   * move back to it where it is in the ISR.
   */
  private async rebalanceLeaders(): Promise<void> {
    if (!this.lease) return;
    const byPreferred = new Map<number, { total: number; moved: TopicPartition[] }>();
    for (const topic of this.view.topics.all()) {
      if (this.view.pendingDeletes.has(topic.name)) continue;
      topic.states.forEach((s, partition) => {
        if (!s) return;
        const preferred = topic.assignment.replicas[partition][0];
        const entry = byPreferred.get(preferred) ?? { total: 0, moved: [] };
        entry.total++;
        if (s.leader !== preferred) entry.moved.push({ topic: topic.name, partition });
        byPreferred.set(preferred, entry);
      });
    }
    for (const [broker, { total, moved }] of byPreferred) {
      const ratio = moved.length / total;
      if (ratio * 100 <= this.config.leaderImbalancePerBrokerPercentage || !this.view.brokers.has(broker) || this.shuttingDown.has(broker)) continue;
      this.log.info(`Leader imbalance ratio for broker ${broker} is ${ratio}: moving preferred leadership back`);
      await Promise.all(moved.map((tp) => this.electOne(PREFERRED_ELECTION, tp))).catch((err) => this.failed(err));
    }
  }

  /** PreferredReplicaElectionHandler: elect what /admin/preferred_replica_election names, then remove it. */
  private async requestedPreferredElection(partitions: TopicPartition[]): Promise<void> {
    this.log.info(`Starting preferred replica leader election for partitions ${partitions.map((p) => `${p.topic}-${p.partition}`).join(',')}`);
    const results = await Promise.all(partitions.map((tp) => this.electOne(PREFERRED_ELECTION, tp)));
    const failed = results.filter((r) => r.errorCode !== ErrorCode.NONE && r.errorCode !== ErrorCode.ELECTION_NOT_NEEDED);
    if (failed.length > 0) this.log.warn(`Preferred replica election failed for ${failed.map((r) => `${r.topic}-${r.partition}`).join(',')}`);
    await this.fenced({ type: 'delete', path: PREFERRED_REPLICA_ELECTION, version: -1 });
  }

  /** AlterPartitionReassignments: each partition starts moving to its target, or (null) back to its origin. */
  async alterReassignments(requests: ReassignmentRequest[]): Promise<ReassignmentResult[]> {
    this.checkActive();
    await this.reconciled();
    const results: ReassignmentResult[] = [];
    // One at a time: partitions of a topic share its znode, written compare-and-set.
    for (const request of requests) results.push(await this.reassignOne(request));
    return results;
  }

  /** ListPartitionReassignments: the partitions named (null: all) that are being reassigned. */
  async listReassignments(partitions: TopicPartition[] | null): Promise<PartitionReassignment[]> {
    this.checkActive();
    const wanted = partitions ?? this.view.topics.all().flatMap((t) => t.assignment.replicas.map((_, partition) => ({ topic: t.name, partition })));
    return wanted.flatMap(({ topic: name, partition }) => {
      const topic = this.view.topics.topic(name);
      if (!topic || partition < 0 || partition >= topic.assignment.replicas.length) return [];
      const p = partitionAssignment(topic.assignment, partition);
      return isReassigning(p) ? [{ topic: name, partition, replicas: p.replicas, addingReplicas: p.adding, removingReplicas: p.removing }] : [];
    });
  }

  /** KafkaController.maybeTriggerPartitionReassignment with validateReplicas. */
  private async reassignOne({ topic: name, partition, replicas: target }: ReassignmentRequest): Promise<ReassignmentResult> {
    const result = (errorCode: number, errorMessage: string | null = null) => ({ topic: name, partition, errorCode, errorMessage });
    const invalid = (message: string) => result(ErrorCode.INVALID_REPLICA_ASSIGNMENT, message);
    const topic = this.view.topics.topic(name);
    if (!topic || partition < 0 || partition >= topic.assignment.replicas.length || this.view.pendingDeletes.has(name)) {
      return result(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'The partition does not exist.');
    }
    const current = partitionAssignment(topic.assignment, partition);
    let next: PartitionAssignment;
    if (target === null) {
      if (!isReassigning(current)) return result(ErrorCode.NO_REASSIGNMENT_IN_PROGRESS, 'No partition reassignment is in progress for this topic-partition.');
      next = settledAt(originalReplicas(current));
    } else {
      if (target.length === 0) return invalid('Empty replica list specified in partition reassignment.');
      if (new Set(target).size !== target.length) return invalid(`Duplicate replica ids in partition reassignment replica list: [${target}]`);
      if (target.some((r) => r < 0)) return invalid(`Invalid broker id in replica list: [${target}]`);
      next = reassignTo(current, target);
      const dead = next.adding.filter((r) => !this.view.brokers.has(r));
      if (dead.length > 0) {
        return invalid(`Replica assignment has brokers that are not alive. Replica list: [${next.adding}], live broker list: [${[...this.view.brokers.keys()]}]`);
      }
    }
    if (!(await this.applyAssignment(topic, partition, next))) {
      return result(ErrorCode.NOT_CONTROLLER, 'The partition changed during the reassignment; try again.');
    }
    return result(ErrorCode.NONE);
  }

  /**
   * Writes a partition's new assignment and, in the same multi-op, the next leader epoch with the
   * leader and ISR it implies (replicas that leave, leave the ISR; a leader that leaves hands over).
   * The epoch moves even when leader and ISR stay, as Kafka's onPartitionReassignment bumps it
   * (updateLeaderEpochAndSendRequest) when a reassignment starts and when it completes.
   * Compare-and-set on both.
   */
  private async applyAssignment(topic: ZkTopic, partition: number, next: PartitionAssignment): Promise<boolean> {
    const ops: ZkOp[] = [{ type: 'setData', path: topicPath(topic.name), data: encodeTopicAssignment(withPartition(topic.assignment, partition, next)), version: topic.version }];
    const current = topic.states[partition];
    let state: PartitionState | null = null;
    if (current) {
      const leaderAndIsr = leaderAndIsrFor(next, current, this.candidates(topic.name)) ?? { leader: current.leader, isr: current.isr };
      state = this.nextState(current, leaderAndIsr);
      ops.push({ type: 'setData', path: partitionStatePath(topic.name, partition), data: encodePartitionState(state), version: current.version });
    }
    if (!(await this.fenced(...ops))) return false;
    const adding = next.adding.length > 0 ? `, adding [${next.adding}], removing [${next.removing}]` : '';
    this.log.info(`Partition ${topic.name}-${partition}: replicas [${topic.assignment.replicas[partition]}] -> [${next.replicas}]${adding}`);
    if (current && state) this.noteWritten(topic.name, partition, current, state);
    await this.view.refreshTopic(topic.name);
    return true;
  }

  /** KafkaController.onPartitionReassignment's last steps: once every target replica is in the ISR, the others go. */
  private async completeReassignments(name: string): Promise<void> {
    const partitions = this.view.topics.topic(name)?.assignment.replicas.length ?? 0;
    for (let partition = 0; partition < partitions; partition++) {
      const topic = this.view.topics.topic(name);
      if (!topic) return;
      const p = partitionAssignment(topic.assignment, partition);
      const state = topic.states[partition];
      if (!isReassigning(p) || !state) continue;
      const target = targetReplicas(p);
      if (target.every((r) => state.isr.includes(r))) await this.applyAssignment(topic, partition, settledAt(target));
    }
  }

  /** PartitionReassignmentHandler: start what /admin/reassign_partitions names, then remove it. */
  private async requestedReassignments(requests: ReassignmentRequest[]): Promise<void> {
    for (const request of requests) {
      const r = await this.reassignOne(request);
      if (r.errorCode !== ErrorCode.NONE) this.log.warn(`Reassignment of ${r.topic}-${r.partition} failed: ${r.errorMessage}`);
    }
    await this.fenced({ type: 'delete', path: REASSIGN_PARTITIONS, version: -1 });
  }

  private checkActive(): void {
    if (!this.lease) throw new KafkaError(ErrorCode.NOT_CONTROLLER, 'This is not the correct controller for this cluster.');
  }

  /** Resolves once no reconciliation is running or queued. */
  private async reconciled(): Promise<void> {
    while (this.running) await this.running;
  }

  private candidates(topic: string): Candidates {
    const live = new Set(this.view.brokers.keys());
    const own = this.view.topics.get(topic)?.configs['unclean.leader.election.enable'];
    const unclean = own === undefined ? this.config.uncleanLeaderElectionEnable : own === 'true';
    return { live, shuttingDown: this.shuttingDown, unclean };
  }

  /** Compare-and-set of a partition's state to a new leader and ISR, with the next leader epoch. */
  private async writeState(topic: string, partition: number, current: VersionedPartitionState, next: LeaderAndIsr): Promise<boolean> {
    const state = this.nextState(current, next);
    const path = partitionStatePath(topic, partition);
    if (!(await this.fenced({ type: 'setData', path, data: encodePartitionState(state), version: current.version }))) return false;
    this.noteWritten(topic, partition, current, state);
    return true;
  }

  /** Runs a reconciliation, or one more after the running one. */
  reconcileSoon(): void {
    if (!this.lease) return;
    if (this.running || this.exclusiveWaiting > 0) {
      this.rerun = true;
      return;
    }
    this.running = this.reconcile()
      .catch((err) => this.failed(err))
      .finally(() => {
        this.running = null;
        if (this.rerun) {
          this.rerun = false;
          this.reconcileSoon();
        }
      });
  }

  /**
   * Runs `work` once the running reconciliation is done, with reconciliations held back until it
   * is (so a stream of view changes cannot keep it waiting).
   */
  private async exclusively<T>(work: () => Promise<T>): Promise<T> {
    this.exclusiveWaiting++;
    try {
      while (this.running) await this.running;
    } finally {
      this.exclusiveWaiting--;
    }
    const result = work();
    this.running = result
      .then(
        () => undefined,
        (err) => this.failed(err),
      )
      .finally(() => {
        this.running = null;
        if (this.rerun) {
          this.rerun = false;
          this.reconcileSoon();
        }
      });
    return result;
  }

  private failed(err: unknown): void {
    if (err instanceof ControllerMovedError) {
      this.log.info(err.message);
      this.resign();
      return;
    }
    if (!this.lease) return;
    this.log.warn(`Controller reconciliation failed, retrying: ${(err as Error).message}`);
    this.retryTimer ??= this.clock.setTimeout(() => {
      this.retryTimer = null;
      this.reconcileSoon();
    }, RETRY_DELAY_MS);
  }

  private async reconcile(): Promise<void> {
    await this.clearIsrChangeNotifications();
    for (const name of [...this.view.pendingDeletes]) await this.deleteTopic(name);
    if (this.view.preferredElection) await this.requestedPreferredElection(this.view.preferredElection);
    if (this.view.requestedReassignments) await this.requestedReassignments(this.view.requestedReassignments);
    for (const topic of this.view.topics.all()) if (!this.view.pendingDeletes.has(topic.name)) await this.completeReassignments(topic.name);
    // Gone, or back with a new epoch (restarted before any reconciliation saw it gone): no longer shutting down.
    for (const [id, epoch] of this.shuttingDown) if (this.view.brokerEpochs.get(id) !== epoch) this.shuttingDown.delete(id);
    const moves: StateMove[] = [];
    for (const topic of this.view.topics.all()) {
      if (this.view.pendingDeletes.has(topic.name)) continue;
      if (topic.assignment.topicId === null) await this.assignTopicId(topic);
      const c = this.candidates(topic.name);
      await Promise.all(
        topic.states.map(async (current, partition) => {
          const candidates = this.withoutOfflineReplicas(c, topic.name, partition);
          if (current === null) return this.createState(topic, partition, candidates);
          const next = current && nextLeaderAndIsr(topic.assignment.replicas[partition], current, candidates);
          if (current && next) moves.push({ topic: topic.name, partition, current, next });
        }),
      );
    }
    await this.writeStates(moves);
    this.propagation?.propagate();
  }

  /** PartitionStateMachine NewPartition -> OnlinePartition: the first state znode. */
  private async createState(topic: ZkTopic, partition: number, c: Candidates): Promise<void> {
    const initial = initialLeaderAndIsr(topic.assignment.replicas[partition], c.live);
    if (!initial) return;
    const state: PartitionState = { ...initial, leaderEpoch: 0, controllerEpoch: this.lease!.epoch, leaderRecoveryState: LEADER_RECOVERY_RECOVERED };
    await this.createPartitionParents(topic.name, partition);
    const path = partitionStatePath(topic.name, partition);
    if (await this.fenced({ type: 'create', path, data: encodePartitionState(state), mode: 'persistent' })) {
      this.view.noteState(topic.name, partition, { ...state, version: 0 });
      this.log.info(`Partition ${topic.name}-${partition}: leader ${state.leader}, isr [${state.isr}] (new partition)`);
    }
  }

  /**
   * Compare-and-set of many partition states, each with the next leader epoch, STATE_BATCH per
   * ZooKeeper multi (Kafka's updateLeaderAndIsr). A batch where some state moved meanwhile is
   * written partition by partition, so only the partitions that moved are left to the next pass.
   */
  private async writeStates(moves: StateMove[]): Promise<void> {
    for (let i = 0; i < moves.length; i += STATE_BATCH) {
      const batch = moves.slice(i, i + STATE_BATCH);
      const states = batch.map((m) => this.nextState(m.current, m.next));
      const ops: ZkOp[] = batch.map((m, j) => ({ type: 'setData', path: partitionStatePath(m.topic, m.partition), data: encodePartitionState(states[j]), version: m.current.version }));
      if (await this.fenced(...ops)) batch.forEach((m, j) => this.noteWritten(m.topic, m.partition, m.current, states[j]));
      else for (const m of batch) await this.writeState(m.topic, m.partition, m.current, m.next);
    }
  }

  private nextState(current: VersionedPartitionState, next: LeaderAndIsr): PartitionState {
    return { ...current, ...next, leaderEpoch: current.leaderEpoch + 1, controllerEpoch: this.lease!.epoch };
  }

  private noteWritten(topic: string, partition: number, current: VersionedPartitionState, state: PartitionState): void {
    this.view.noteState(topic, partition, { ...state, version: current.version + 1 });
    if (state.leader !== NO_LEADER && state.leader !== current.leader && !current.isr.includes(state.leader)) this.uncleanLeaderElections++;
    this.log.info(`Partition ${topic}-${partition}: leader ${current.leader} -> ${state.leader}, isr [${current.isr}] -> [${state.isr}], leader epoch ${state.leaderEpoch}`);
  }

  /** A replica in an offline log dir counts as not live for its partition (KafkaController.isReplicaOnline). */
  private withoutOfflineReplicas(c: Candidates, topic: string, partition: number): Candidates {
    const offline = [...this.offlineReplicas].filter(([id, o]) => o.epoch === this.view.brokerEpochs.get(id) && o.partitions.has(`${topic}:${partition}`));
    if (offline.length === 0) return c;
    const live = new Set(c.live);
    for (const [id] of offline) live.delete(id);
    return { ...c, live };
  }

  /**
   * KafkaController.processLogDirEventNotification: reads and deletes the notifications (watching
   * for more), then asks the brokers they name which of their replicas are offline.
   */
  private async logDirEvents(): Promise<void> {
    if (!this.lease) return;
    try {
      const children = ((await this.zk.getChildren(LOG_DIR_EVENT_NOTIFICATION, () => void this.logDirEvents())) ?? []).filter((c) => c.startsWith(LOG_DIR_EVENT_PREFIX));
      const brokers = new Set<number>();
      for (const child of children) {
        const path = `${LOG_DIR_EVENT_NOTIFICATION}/${child}`;
        const node = await this.zk.getData(path);
        try {
          if (node) brokers.add(decodeLogDirEventNotification(node.data));
        } catch (err) {
          this.log.warn(`Ignoring ${path}: ${(err as Error).message}`);
        }
        await this.fenced({ type: 'delete', path, version: -1 });
      }
      if (brokers.size === 0 || !this.propagation) return;
      this.log.info(`Handling log directory failure for brokers ${[...brokers].join(',')}`);
      this.propagation.askReplicasOnline([...brokers], (id, errors) => this.replicasAnswered(id, errors));
    } catch (err) {
      this.failed(err);
    }
  }

  /** KafkaController.processLeaderAndIsrResponseReceived: new offline replicas lose leadership and leave the ISR. */
  private replicasAnswered(brokerId: number, errors: { topic: string; partition: number; errorCode: number }[]): void {
    const epoch = this.view.brokerEpochs.get(brokerId);
    const previous = this.offlineReplicas.get(brokerId);
    const partitions = new Set(previous && previous.epoch === epoch ? previous.partitions : []);
    const added: string[] = [];
    for (const e of errors) {
      const key = `${e.topic}:${e.partition}`;
      if (e.errorCode === ErrorCode.KAFKA_STORAGE_ERROR && !partitions.has(key)) {
        partitions.add(key);
        added.push(`${e.topic}-${e.partition}`);
      } else if (e.errorCode === ErrorCode.NONE) partitions.delete(key);
    }
    this.offlineReplicas.set(brokerId, { epoch, partitions });
    if (added.length === 0) return;
    this.log.info(`Mark replicas ${added.join(',')} on broker ${brokerId} as offline`);
    this.reconcileSoon();
  }

  private async clearIsrChangeNotifications(): Promise<void> {
    const children = ((await this.zk.getChildren(ISR_CHANGE_NOTIFICATION)) ?? []).filter((c) => c.startsWith(ISR_CHANGE_PREFIX));
    for (let i = 0; i < children.length; i += STATE_BATCH) {
      const ops: ZkOp[] = children.slice(i, i + STATE_BATCH).map((child) => ({ type: 'delete', path: `${ISR_CHANGE_NOTIFICATION}/${child}`, version: -1 }));
      // A notification gone meanwhile fails the batch: those left are deleted one by one.
      if (!(await this.fenced(...ops))) for (const op of ops) await this.fenced(op);
    }
  }

  private async createPartitionParents(topic: string, partition: number): Promise<void> {
    for (const path of [partitionsPath(topic), partitionPath(topic, partition)]) {
      await this.fenced({ type: 'create', path, data: null, mode: 'persistent' });
    }
  }

  /** Topics written by pre-2.8 tools have no topic_id: give them one (KafkaController.setTopicIds). */
  private async assignTopicId(topic: ZkTopic): Promise<void> {
    const id = randomUuid();
    const data = encodeTopicAssignment({ ...topic.assignment, topicId: id });
    if (await this.fenced({ type: 'setData', path: topicPath(topic.name), data, version: topic.version })) {
      this.log.info(`Assigned topic id ${id} to topic ${topic.name}`);
    }
  }

  /** TopicDeletionManager.completeDeleteTopic: the topic's znodes, its configs, then the marker. */
  private async deleteTopic(name: string): Promise<void> {
    if (!this.config.deleteTopicEnable) {
      this.log.info(`Removing ${name} from ${deleteTopicPath('')} since delete topic is disabled`);
      await this.fenced({ type: 'delete', path: deleteTopicPath(name), version: -1 });
      return;
    }
    this.log.info(`Handling deletion for topic ${name}`);
    await this.fencedDeleteRecursive(topicPath(name));
    await this.fenced({ type: 'delete', path: topicConfigPath(name), version: -1 });
    await this.fenced({ type: 'delete', path: deleteTopicPath(name), version: -1 });
    this.log.info(`Deletion of topic ${name} successfully completed`);
  }

  private async fencedDeleteRecursive(path: string): Promise<void> {
    for (;;) {
      const children = await this.zk.getChildren(path);
      if (children === null) return;
      for (const child of children) await this.fencedDeleteRecursive(`${path}/${child}`);
      // False when a child appeared meanwhile: go again.
      if (await this.fenced({ type: 'delete', path, version: -1 })) return;
    }
  }

  /**
   * Writes ops behind the controller epoch check, all or none. Returns false when an op lost a race
   * (the node changed, exists or is gone: the view catches up through its watches).
   */
  private async fenced(...ops: ZkOp[]): Promise<boolean> {
    const lease = this.lease;
    if (!lease) throw new ControllerMovedError('No longer the controller');
    try {
      await this.zk.multi([{ type: 'check', path: CONTROLLER_EPOCH, version: lease.epochZkVersion }, ...ops]);
      return true;
    } catch (err) {
      if (!(err instanceof ZkError)) throw err;
      if (err.code === 'BAD_VERSION' || err.code === 'NO_NODE') {
        const epoch = await this.zk.exists(CONTROLLER_EPOCH);
        if (epoch?.version !== lease.epochZkVersion) {
          throw new ControllerMovedError(`Controller epoch zkVersion check fails. Expected zkVersion = ${lease.epochZkVersion}`);
        }
      }
      if (err.code === 'BAD_VERSION' || err.code === 'NODE_EXISTS' || err.code === 'NO_NODE' || err.code === 'NOT_EMPTY') return false;
      throw err;
    }
  }
}
