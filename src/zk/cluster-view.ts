// The cluster as ZooKeeper holds it, kept current on every broker by watches: live brokers
// (/brokers/ids), the active controller (/controller), topics with their partition states and
// configs, the dynamic configs of brokers, users, clients and ips, config change notifications, topics marked for deletion, a requested preferred
// replica election and requested reassignments (/admin/reassign_partitions). A watch event names a
// znode; the znode is re-read (setting the next one-shot watch) by a keyed task, so bursts of
// events on one znode cost one read. Listeners hear of changes once the reads have settled.

import { Clock, Timer } from '../clock';
import { BrokerInfo, ReassignmentRequest } from '../cluster/cluster';
import { TopicPartition } from '../cluster/topic';
import { DeltaListener } from '../cluster/cluster-delta';
import { EntityConfigStore } from '../cluster/entity-configs';
import { Logger } from '../logger';
import { isZkError, ZooKeeperSession, ZkWatchEvent } from '../zookeeper';
import {
  BROKER_IDS,
  CONFIG_CHANGES,
  CONFIG_CHANGE_PREFIX,
  CONTROLLER,
  DELETE_TOPICS,
  PREFERRED_REPLICA_ELECTION,
  NON_TOPIC_ENTITY_TYPES,
  REASSIGN_PARTITIONS,
  TOPICS,
  brokerPath,
  entityConfigPath,
  partitionStatePath,
  topicConfigPath,
  topicPath,
} from './zk-paths';
import { VersionedPartitionState, ZkTopicStore } from './zk-topic-store';
import {
  decodeBrokerRegistration,
  decodeConfigChange,
  decodeControllerId,
  decodeEntityConfig,
  decodePartitionList,
  decodePartitionState,
  decodeReassignmentList,
  decodeTopicAssignment,
} from './znode-payloads';

/** Kafka's ZkNodeChangeNotificationListener default: notifications older than this are purged. */
const CONFIG_CHANGE_EXPIRATION_MS = 15 * 60_000;
/** Bursts of changes reach listeners as one call. */
const NOTIFY_DELAY_MS = 20;
const RETRY_DELAY_MS = 1000;

const TOPIC_NODE = /^\/brokers\/topics\/([^/]+)(?:\/partitions\/(\d+)\/state)?$/;

export class ClusterView {
  readonly brokers = new Map<number, BrokerInfo>();
  /** Each live broker's epoch: the czxid of its registration. */
  readonly brokerEpochs = new Map<number, bigint>();
  readonly topics = new ZkTopicStore();
  /** Configs of brokers, users, clients and ips; read at load and when a change notification names them. */
  readonly entityConfigs = new EntityConfigStore();
  /** Topics with a /admin/delete_topics/<t> marker. */
  readonly pendingDeletes = new Set<string>();
  controllerId = -1;
  /** The partitions /admin/preferred_replica_election names, null without the node ([] when unreadable). */
  preferredElection: TopicPartition[] | null = null;
  /** The reassignments /admin/reassign_partitions names, null without the node ([] when unreadable). */
  requestedReassignments: ReassignmentRequest[] | null = null;

  private readonly queued = new Set<string>();
  private draining: Promise<void> | null = null;
  private changed = false;
  private notifyTimer: Timer | null = null;
  private readonly retryTimers = new Set<Timer>();
  private readonly listeners: (() => void)[] = [];
  private readonly deltaListeners: DeltaListener[] = [];
  private lastConfigChange = -1;
  private closed = false;
  private readonly watch = (event: ZkWatchEvent): void => this.onWatch(event);

  constructor(
    private readonly zk: ZooKeeperSession,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Reads everything (setting watches) and resolves once the view is complete. */
  async load(): Promise<void> {
    this.reloadAll();
    await this.settled();
  }

  /**
   * Re-reads every znode of the view. After a new session (watches die with the old one) or a
   * reconnection (a restarted server has forgotten them), this is what sets them again.
   */
  reloadAll(): void {
    for (const key of ['brokers', 'controller', 'topics', 'deletes', 'configChanges', 'preferredElection', 'reassignments', 'entities']) this.enqueue(key);
    for (const id of this.brokers.keys()) this.enqueue(`broker:${id}`);
    for (const t of this.topics.all()) {
      this.enqueue(`topic:${t.name}`);
      this.enqueue(`config:${t.name}`);
      t.states.forEach((_, p) => this.enqueue(`state:${t.name}:${p}`));
    }
  }

  /** Re-reads a topic now (e.g. right after creating it); resolves when the view has it. */
  refreshTopic(name: string): Promise<void> {
    this.enqueue(`topic:${name}`);
    this.enqueue(`config:${name}`);
    return this.settled();
  }

  /** Re-reads an entity's configs now (e.g. right after changing them); resolves when the view has them. */
  refreshEntity(entityPath: string): Promise<void> {
    this.enqueue(`entity:${entityPath}`);
    return this.settled();
  }

  /** Re-reads the live brokers and the controller now (e.g. right after registering). */
  refreshBrokers(): Promise<void> {
    this.enqueue('brokers');
    this.enqueue('controller');
    return this.settled();
  }

  /** A partition state this broker just wrote as controller, known before its watch fires. */
  noteState(topic: string, partition: number, state: VersionedPartitionState): void {
    if (!this.topics.setState(topic, partition, state)) return;
    this.changed = true;
    if (!this.draining) this.scheduleNotify();
  }

  /**
   * A partition state the controller sent (LeaderAndIsr, UpdateMetadata), taken when newer than the
   * view's: 'stale' when its leader epoch is older, 'current' when the view has it or something newer.
   */
  applyState(topic: string, partition: number, state: VersionedPartitionState): 'applied' | 'current' | 'stale' | 'unknown' {
    const current = this.topics.topic(topic)?.states[partition];
    if (current === undefined) return 'unknown';
    if (current && state.leaderEpoch < current.leaderEpoch) return 'stale';
    if (current && !isNewer(state, current)) return 'current';
    this.noteState(topic, partition, state);
    return 'applied';
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Hears what changed, once per burst of changes (or at each flush). */
  onDelta(listener: DeltaListener): void {
    this.deltaListeners.push(listener);
  }

  /** Reports what changed so far now; resolves once the delta listeners applied it. */
  async flush(): Promise<void> {
    this.notifyTimer?.cancel();
    this.notifyTimer = null;
    await this.notify();
  }

  /** Resolves when no read is queued or running. */
  async settled(): Promise<void> {
    while (this.draining) await this.draining;
  }

  close(): void {
    this.closed = true;
    this.queued.clear();
    this.notifyTimer?.cancel();
    for (const t of this.retryTimers) t.cancel();
  }

  private onWatch(event: ZkWatchEvent): void {
    const key = keyOf(event.path);
    if (key) this.enqueue(key);
  }

  private enqueue(key: string): void {
    if (this.closed) return;
    this.queued.add(key);
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
      if (this.queued.size > 0) this.enqueue([...this.queued][0]);
    });
  }

  private async drain(): Promise<void> {
    while (this.queued.size > 0) {
      const keys = [...this.queued];
      this.queued.clear();
      await Promise.all(keys.map((key) => this.run(key)));
    }
    if (this.changed) this.scheduleNotify();
  }

  private scheduleNotify(): void {
    this.changed = false;
    this.notifyTimer ??= this.clock.setTimeout(() => {
      this.notifyTimer = null;
      void this.notify();
    }, NOTIFY_DELAY_MS);
  }

  private async notify(): Promise<void> {
    if (this.closed) return;
    for (const l of this.listeners) l();
    // Until someone listens, changes keep adding up: the first listener hears everything.
    if (this.deltaListeners.length === 0) return;
    const delta = this.topics.changes.take([...this.brokers.values()], this.controllerId, this.entityConfigs.takeChanged());
    await Promise.all(this.deltaListeners.map((l) => l(delta)));
  }

  private async run(key: string): Promise<void> {
    try {
      if (await this.read(key)) this.changed = true;
    } catch (err) {
      if (this.closed) return;
      // Lost connection or session: reloadAll() on reconnection reads everything again.
      if (isZkError(err, 'CONNECTION_LOSS') || isZkError(err, 'SESSION_EXPIRED')) return;
      this.log.warn(`Reading ${key} from ZooKeeper failed, retrying: ${(err as Error).message}`);
      const timer = this.clock.setTimeout(() => {
        this.retryTimers.delete(timer);
        this.enqueue(key);
      }, RETRY_DELAY_MS);
      this.retryTimers.add(timer);
    }
  }

  /** Reads the znode(s) behind a key; returns whether the view changed. */
  private read(key: string): Promise<boolean> {
    const [kind, a, b] = key.split(':');
    switch (kind) {
      case 'entities':
        return this.readEntityNames();
      case 'entity':
        // Entity paths may hold colons themselves (an IPv6 address).
        return this.readEntity(key.slice('entity:'.length));
      case 'brokers':
        return this.readBrokerIds();
      case 'broker':
        return this.readBroker(Number(a));
      case 'controller':
        return this.readController();
      case 'topics':
        return this.readTopicNames();
      case 'topic':
        return this.readTopic(a);
      case 'state':
        return this.readState(a, Number(b));
      case 'config':
        return this.readConfig(a);
      case 'configChanges':
        return this.readConfigChanges();
      case 'deletes':
        return this.readDeletes();
      case 'preferredElection':
        return this.readPreferredElection();
      case 'reassignments':
        return this.readReassignments();
      default:
        throw new Error(`unknown view key ${key}`);
    }
  }

  private async readBrokerIds(): Promise<boolean> {
    const ids = new Set((await this.zk.getChildren(BROKER_IDS, this.watch)) ?? []);
    let changed = false;
    for (const id of this.brokers.keys()) {
      if (ids.has(String(id))) continue;
      this.brokerEpochs.delete(id);
      changed = this.brokers.delete(id) || changed;
    }
    for (const id of ids) if (!this.brokers.has(Number(id))) this.enqueue(`broker:${id}`);
    return changed;
  }

  private async readBroker(id: number): Promise<boolean> {
    const node = await this.zk.getData(brokerPath(id), this.watch);
    if (!node) {
      this.brokerEpochs.delete(id);
      return this.brokers.delete(id);
    }
    this.brokerEpochs.set(id, node.stat.czxid);
    let broker: BrokerInfo;
    try {
      broker = decodeBrokerRegistration(id, node.data);
    } catch (err) {
      this.log.warn(`Ignoring broker ${id}: ${(err as Error).message}`);
      return this.brokers.delete(id);
    }
    const changed = JSON.stringify(this.brokers.get(id)) !== JSON.stringify(broker);
    this.brokers.set(id, broker);
    return changed;
  }

  private async readController(): Promise<boolean> {
    // Without a node, the watch is for its creation.
    const node = await this.zk.getData(CONTROLLER, this.watch);
    const id = node ? decodeControllerId(node.data) : -1;
    const changed = id !== this.controllerId;
    this.controllerId = id;
    return changed;
  }

  private async readTopicNames(): Promise<boolean> {
    const names = new Set((await this.zk.getChildren(TOPICS, this.watch)) ?? []);
    let changed = false;
    for (const t of this.topics.all()) {
      if (!names.has(t.name)) changed = this.topics.remove(t.name) || changed;
    }
    for (const name of names) {
      if (this.topics.topic(name)) continue;
      this.enqueue(`topic:${name}`);
      this.enqueue(`config:${name}`);
    }
    return changed;
  }

  private async readTopic(name: string): Promise<boolean> {
    const node = await this.zk.getData(topicPath(name), this.watch);
    if (!node) return this.topics.remove(name);
    let assignment;
    try {
      assignment = decodeTopicAssignment(name, node.data);
    } catch (err) {
      this.log.warn(`Ignoring topic ${name}: ${(err as Error).message}`);
      return this.topics.remove(name);
    }
    const changed = this.topics.setAssignment(name, assignment, node.stat.version);
    this.topics.topic(name)!.states.forEach((s, p) => {
      if (s === undefined) this.enqueue(`state:${name}:${p}`);
    });
    return changed;
  }

  private async readState(name: string, partition: number): Promise<boolean> {
    if (!this.topics.topic(name)) return false;
    const node = await this.zk.getData(partitionStatePath(name, partition), this.watch);
    if (node) {
      try {
        const state = { ...decodePartitionState(node.data), version: node.stat.version };
        // The controller's requests may have brought a newer state than this read.
        const current = this.topics.topic(name)?.states[partition];
        if (current && isNewer(current, state)) return false;
        return this.topics.setState(name, partition, state);
      } catch (err) {
        this.log.warn(`Ignoring state of ${name}-${partition}: ${(err as Error).message}`);
        return false;
      }
    }
    return this.topics.setState(name, partition, null);
  }

  private async readConfig(name: string): Promise<boolean> {
    const node = await this.zk.getData(topicConfigPath(name), this.watch);
    return this.topics.setConfigs(name, decodeEntityConfig(node?.data ?? null));
  }

  /** Config change notifications (AdminZkClient writes one per config update): re-read the entity named. */
  private async readConfigChanges(): Promise<boolean> {
    const children = (await this.zk.getChildren(CONFIG_CHANGES, this.watch)) ?? [];
    const sequenced = children
      .filter((c) => c.startsWith(CONFIG_CHANGE_PREFIX))
      .map((c) => ({ child: c, seq: Number(c.slice(CONFIG_CHANGE_PREFIX.length)) }))
      .sort((x, y) => x.seq - y.seq);
    for (const { child, seq } of sequenced) {
      if (seq <= this.lastConfigChange) continue;
      const path = `${CONFIG_CHANGES}/${child}`;
      const node = await this.zk.getData(path);
      this.lastConfigChange = seq;
      if (!node) continue;
      try {
        const entity = decodeConfigChange(node.data);
        if (entity.startsWith('topics/')) this.enqueue(`config:${entity.slice('topics/'.length)}`);
        else this.enqueue(`entity:${entity}`);
      } catch (err) {
        this.log.warn(`Ignoring config change notification ${path}: ${(err as Error).message}`);
      }
      if (node.stat.ctime < this.clock.now() - CONFIG_CHANGE_EXPIRATION_MS) await this.zk.delete(path, -1).catch(() => undefined);
    }
    return false;
  }

  /**
   * Every entity with a config znode, as Kafka's DynamicConfigManager reads them at startup (users'
   * client entities included); entities gone since are emptied. The znodes carry no watch: change
   * notifications say what to re-read.
   */
  private async readEntityNames(): Promise<boolean> {
    const found = new Set<string>();
    for (const type of NON_TOPIC_ENTITY_TYPES) {
      for (const name of (await this.zk.getChildren(`/config/${type}`)) ?? []) {
        found.add(`${type}/${name}`);
        if (type !== 'users') continue;
        for (const client of (await this.zk.getChildren(entityConfigPath(`users/${name}/clients`))) ?? []) found.add(`users/${name}/clients/${client}`);
      }
    }
    let changed = false;
    for (const path of this.entityConfigs.list()) if (!found.has(path)) changed = this.entityConfigs.set(path, {}) || changed;
    for (const path of found) this.enqueue(`entity:${path}`);
    return changed;
  }

  private async readEntity(entityPath: string): Promise<boolean> {
    const node = await this.zk.getData(entityConfigPath(entityPath));
    return this.entityConfigs.set(entityPath, decodeEntityConfig(node?.data ?? null));
  }

  private async readDeletes(): Promise<boolean> {
    const names = (await this.zk.getChildren(DELETE_TOPICS, this.watch)) ?? [];
    const changed = names.length !== this.pendingDeletes.size || names.some((n) => !this.pendingDeletes.has(n));
    this.pendingDeletes.clear();
    for (const n of names) this.pendingDeletes.add(n);
    return changed;
  }

  private async readPreferredElection(): Promise<boolean> {
    const node = await this.zk.getData(PREFERRED_REPLICA_ELECTION, this.watch);
    let partitions: TopicPartition[] | null = null;
    if (node) {
      try {
        partitions = decodePartitionList(node.data);
      } catch (err) {
        this.log.warn(`Ignoring the preferred replica election request: ${(err as Error).message}`);
        partitions = [];
      }
    }
    const changed = JSON.stringify(partitions) !== JSON.stringify(this.preferredElection);
    this.preferredElection = partitions;
    return changed;
  }

  private async readReassignments(): Promise<boolean> {
    const node = await this.zk.getData(REASSIGN_PARTITIONS, this.watch);
    let requests: ReassignmentRequest[] | null = null;
    if (node) {
      try {
        requests = decodeReassignmentList(node.data);
      } catch (err) {
        this.log.warn(`Ignoring the partition reassignment request: ${(err as Error).message}`);
        requests = [];
      }
    }
    const changed = JSON.stringify(requests) !== JSON.stringify(this.requestedReassignments);
    this.requestedReassignments = requests;
    return changed;
  }
}

/** Leader epoch first, then the partition epoch (state znode version). */
function isNewer(a: VersionedPartitionState, b: VersionedPartitionState): boolean {
  return a.leaderEpoch > b.leaderEpoch || (a.leaderEpoch === b.leaderEpoch && a.version > b.version);
}

/** The view key whose task re-reads the znode a watch event names. */
function keyOf(path: string): string | null {
  if (path === BROKER_IDS) return 'brokers';
  if (path.startsWith(`${BROKER_IDS}/`)) return `broker:${path.slice(BROKER_IDS.length + 1)}`;
  if (path === CONTROLLER) return 'controller';
  if (path === TOPICS) return 'topics';
  if (path === CONFIG_CHANGES) return 'configChanges';
  if (path === DELETE_TOPICS) return 'deletes';
  if (path === PREFERRED_REPLICA_ELECTION) return 'preferredElection';
  if (path === REASSIGN_PARTITIONS) return 'reassignments';
  if (path.startsWith(topicConfigPath(''))) return `config:${path.slice(topicConfigPath('').length)}`;
  const m = TOPIC_NODE.exec(path);
  if (m) return m[2] === undefined ? `topic:${m[1]}` : `state:${m[1]}:${m[2]}`;
  return null;
}
