// The active controller's duties, derived from the cluster view each time it changes, so whatever
// the previous controller left half done is finished too: partition states for new partitions,
// leaders for partitions whose leader died or came back, topic ids for topics written without one,
// deletion of topics marked under /admin/delete_topics, and clearing the ISR change notifications
// leaders leave (the view already follows the partition states they name). Every write is fenced
// as Kafka fences it: a multi-op that first checks /controller_epoch is still at the version this
// controller set.

import { randomUuid } from '../cluster/topic';
import { Logger } from '../logger';
import { ClusterView } from './cluster-view';
import { ControllerLease } from './controller-election';
import { initialLeaderAndIsr, nextLeaderAndIsr } from './partition-leadership';
import { ZkClient, ZkError, ZkOp } from './zk-client';
import { isZkError } from './zk-error';
import { CONTROLLER_EPOCH, FEATURE, ISR_CHANGE_NOTIFICATION, ISR_CHANGE_PREFIX, deleteTopicPath, partitionPath, partitionStatePath, partitionsPath, topicConfigPath, topicPath } from './zk-paths';
import { ZkTopic } from './zk-topic-store';
import { LEADER_RECOVERY_RECOVERED, PartitionState, encodeEmptyFeatures, encodePartitionState, encodeTopicAssignment } from './znode-payloads';

const RETRY_DELAY_MS = 1000;

/** The /controller_epoch check failed: another broker is controller now. */
class ControllerMovedError extends Error {}

export class Controller {
  private lease: ControllerLease | null = null;
  private running: Promise<void> | null = null;
  private rerun = false;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly zk: ZkClient,
    private readonly view: ClusterView,
    private readonly deleteTopicEnable: boolean,
    private readonly log: Logger,
  ) {}

  get active(): boolean {
    return this.lease !== null;
  }

  /** Takes over after winning the election: re-reads everything, then reconciles it all. */
  async activate(lease: ControllerLease): Promise<void> {
    this.lease = lease;
    await this.ensureFeatureZNode().catch((err) => this.log.warn(`Could not create ${FEATURE}: ${(err as Error).message}`));
    this.view.reloadAll();
    await this.view.settled();
    this.reconcileSoon();
  }

  resign(): void {
    if (!this.lease) return;
    this.log.info(`Resigning as the controller (epoch ${this.lease.epoch})`);
    this.lease = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /** Runs a reconciliation, or one more after the running one. */
  reconcileSoon(): void {
    if (!this.lease) return;
    if (this.running) {
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

  private failed(err: unknown): void {
    if (err instanceof ControllerMovedError) {
      this.log.info(err.message);
      this.resign();
      return;
    }
    if (!this.lease) return;
    this.log.warn(`Controller reconciliation failed, retrying: ${(err as Error).message}`);
    this.retryTimer ??= setTimeout(() => {
      this.retryTimer = null;
      this.reconcileSoon();
    }, RETRY_DELAY_MS);
  }

  private async reconcile(): Promise<void> {
    await this.clearIsrChangeNotifications();
    for (const name of [...this.view.pendingDeletes]) await this.deleteTopic(name);
    const live = new Set(this.view.brokers.keys());
    for (const topic of this.view.topics.all()) {
      if (this.view.pendingDeletes.has(topic.name)) continue;
      if (topic.assignment.topicId === null) await this.assignTopicId(topic);
      await Promise.all(topic.states.map((_, p) => this.electLeader(topic, p, live)));
    }
  }

  private async electLeader(topic: ZkTopic, partition: number, live: ReadonlySet<number>): Promise<void> {
    const replicas = topic.assignment.replicas[partition];
    const current = topic.states[partition];
    if (current === undefined) return;
    const epoch = this.lease!.epoch;
    if (current === null) {
      const initial = initialLeaderAndIsr(replicas, live);
      if (!initial) return;
      const state: PartitionState = { ...initial, leaderEpoch: 0, controllerEpoch: epoch, leaderRecoveryState: LEADER_RECOVERY_RECOVERED };
      await this.createPartitionParents(topic.name, partition);
      const path = partitionStatePath(topic.name, partition);
      if (await this.fenced({ type: 'create', path, data: encodePartitionState(state), mode: 'persistent' })) {
        this.view.noteState(topic.name, partition, { ...state, version: 0 });
        this.log.info(`Partition ${topic.name}-${partition}: leader ${state.leader}, isr [${state.isr}] (new partition)`);
      }
      return;
    }
    const next = nextLeaderAndIsr(replicas, current, live);
    if (!next) return;
    const state: PartitionState = { ...current, ...next, leaderEpoch: current.leaderEpoch + 1, controllerEpoch: epoch };
    const path = partitionStatePath(topic.name, partition);
    if (await this.fenced({ type: 'setData', path, data: encodePartitionState(state), version: current.version })) {
      this.view.noteState(topic.name, partition, { ...state, version: current.version + 1 });
      this.log.info(
        `Partition ${topic.name}-${partition}: leader ${current.leader} -> ${state.leader}, isr [${current.isr}] -> [${state.isr}], leader epoch ${state.leaderEpoch}`,
      );
    }
  }

  private async clearIsrChangeNotifications(): Promise<void> {
    const children = (await this.zk.getChildren(ISR_CHANGE_NOTIFICATION)) ?? [];
    for (const child of children.filter((c) => c.startsWith(ISR_CHANGE_PREFIX))) {
      await this.fenced({ type: 'delete', path: `${ISR_CHANGE_NOTIFICATION}/${child}`, version: -1 });
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
    if (!this.deleteTopicEnable) {
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
   * Writes one op behind the controller epoch check. Returns false when the op itself lost a race
   * (the node changed, exists or is gone: the view catches up through its watches).
   */
  private async fenced(op: ZkOp): Promise<boolean> {
    const lease = this.lease;
    if (!lease) throw new ControllerMovedError('No longer the controller');
    try {
      await this.zk.multi([{ type: 'check', path: CONTROLLER_EPOCH, version: lease.epochZkVersion }, op]);
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

  /** A 3.9 controller finalizes no features in ZooKeeper mode but marks versioning enabled (enableFeatureVersioning). */
  private async ensureFeatureZNode(): Promise<void> {
    if (await this.zk.exists(FEATURE)) return;
    try {
      await this.zk.create(FEATURE, encodeEmptyFeatures(), 'persistent');
    } catch (err) {
      if (!isZkError(err, 'NODE_EXISTS')) throw err;
    }
  }
}
