// ZooKeeper mode: the broker registers in ZooKeeper exactly as a ZooKeeper-mode Kafka 3.9 broker
// does, so kafka-ts and Kafka tools see one cluster in Kafka's znodes. Every broker keeps a view of
// the cluster from watches; whichever broker wins the /controller election also acts on it.
// While ZooKeeper is unreachable the broker serves from the last view; after its session expired
// it registers again, re-runs the election and reads (and watches) everything anew.

import { ErrorCode, KafkaError } from '../../protocol';
import type { BrokerConnector } from '../client/broker-connector';
import { Clock, Timer, sleep } from '../clock';
import { BrokerConfig } from '../config';
import {
  BrokerInfo,
  Cluster,
  ElectionResult,
  PartitionReassignment,
  ReassignmentRequest,
  ReassignmentResult,
  StoredIdentity,
  TopicView,
} from '../cluster/cluster';
import { TopicInfo, TopicPartition } from '../cluster/topic';
import { DeltaListener } from '../cluster/cluster-delta';
import { EntityConfigView } from '../cluster/entity-configs';
import { ViewWaiters } from '../cluster/view-waiters';
import { Logger } from '../logger';
import { isZkError, ZkClient, ZooKeeperSession } from '../zookeeper';
import { BrokerRegistration } from './broker-registration';
import { brokerIdOf, clusterIdOf, createTopLevelPaths, ensurePath } from './cluster-identity';
import { ClusterView } from './cluster-view';
import { Controller } from './controller';
import { electController } from './controller-election';
import { ZkControllerRequests } from './zk-controller-requests';
import { ZkProducerIdBlocks } from './producer-id-blocks';
import { CONFIG_CHANGES, CONFIG_CHANGE_PREFIX, ISR_CHANGE_NOTIFICATION, ISR_CHANGE_PREFIX, LOG_DIR_EVENT_NOTIFICATION, LOG_DIR_EVENT_PREFIX, TOPICS, deleteTopicPath, entityConfigPath, partitionStatePath, topicPath } from './zk-paths';
import { ZkFeatures } from './zk-features';
import { ZkDelegationTokens } from './zk-delegation-tokens';
import { ZkAclStore } from './zk-acls';
import { PartitionState, decodeTopicAssignment, encodeConfigChange, encodeEntityConfig, encodeIsrChangeNotification, encodeLogDirEventNotification, encodePartitionState, encodeTopicAssignment } from './znode-payloads';

/** How long DeleteTopics waits for the controller to delete a topic before answering anyway. */
const DELETE_WAIT_MS = 30_000;
/** Pause before retrying an election or registration that ZooKeeper trouble interrupted. */
const RETRY_DELAY_MS = 1000;

export class ZkCluster implements Cluster {
  private readonly registration: BrokerRegistration;
  private readonly controller: Controller;
  private readonly controllerLog: Logger;
  readonly controllerRequests: ZkControllerRequests;
  /** Deletions waiting for their topic to leave the view. */
  private readonly viewWaiters: ViewWaiters;
  private self: BrokerInfo | null = null;
  private epoch = -1n;
  private electing: Promise<void> | null = null;
  private electAgain = false;
  private retryTimer: Timer | null = null;
  private closed = false;
  /** The ZooKeeper session's events (Kafka's SessionExpireListener meters); the cluster exists once the first connection did. */
  readonly sessionEvents = { syncConnects: 1, disconnects: 0, expires: 0 };

  private constructor(
    private readonly zk: ZooKeeperSession,
    private readonly view: ClusterView,
    readonly features: ZkFeatures,
    readonly clusterId: string,
    readonly brokerId: number,
    config: BrokerConfig,
    private readonly clock: Clock,
    private readonly log: Logger,
    connect: BrokerConnector,
  ) {
    this.viewWaiters = new ViewWaiters(clock);
    this.registration = new BrokerRegistration(zk, clock, log);
    this.controllerRequests = new ZkControllerRequests(view, () => this.epoch);
    this.controllerLog = prefixed(log.child('controller'), `[Controller id=${brokerId}] `);
    this.controller = new Controller(zk, view, config, brokerId, clock, this.controllerLog, connect);
    view.onChange(() => this.viewChanged());
    // While disconnected the view stays as it was. On reconnection read everything again: a
    // server that restarted may have missed changes and forgotten watches.
    zk.on('connected', () => {
      this.sessionEvents.syncConnects++;
      view.reloadAll();
      void features.reload().catch((err) => log.warn(`Reading finalized features failed: ${(err as Error).message}`));
    });
    // The session's /controller went with it.
    zk.on('expired', () => {
      this.sessionEvents.expires++;
      this.controller.resign();
    });
    zk.on('disconnected', () => this.sessionEvents.disconnects++);
    zk.on('session', () => void this.newSession());
  }

  /** Connects, settles the cluster and broker ids, and loads the cluster view before the broker opens its logs. */
  static async connect(
    config: BrokerConfig,
    stored: StoredIdentity,
    log: Logger,
    clock: Clock,
    connect: BrokerConnector,
    /** A session of an in-memory ensemble (brokers of one process), instead of zookeeper.connect's. */
    openSession?: () => Promise<ZooKeeperSession>,
  ): Promise<Cluster> {
    const zkLog = log.child('zk');
    const options = { sessionTimeoutMs: config.zookeeperSessionTimeoutMs, connectionTimeoutMs: config.zookeeperConnectionTimeoutMs, log: zkLog };
    const zk = openSession ? await openSession() : await ZkClient.connect(config.zookeeperConnect, options);
    try {
      await createTopLevelPaths(zk);
      const clusterId = await clusterIdOf(zk, stored);
      log.info(`Cluster ID = ${clusterId}`);
      const brokerId = await brokerIdOf(zk, config, stored, log);
      const view = new ClusterView(zk, clock, zkLog);
      await view.load();
      const features = new ZkFeatures(zk, zkLog);
      await features.reload();
      return new ZkCluster(zk, view, features, clusterId, brokerId, config, clock, log, connect);
    } catch (err) {
      await zk.close();
      throw err;
    }
  }

  get topics(): TopicView {
    return this.view.topics;
  }

  async register(self: BrokerInfo): Promise<void> {
    // Known before the node exists, so that a session lost meanwhile registers it again.
    this.self = self;
    this.epoch = await this.registration.register(self);
    await this.view.refreshBrokers();
    await this.elect();
  }

  /** Producer id blocks claimed in /latest_producer_id_block, for the transaction coordinator. */
  producerIdBlocks(): ZkProducerIdBlocks {
    return new ZkProducerIdBlocks(this.zk);
  }

  /** Delegation tokens under /delegation_token, for the token manager. */
  delegationTokenStore(): ZkDelegationTokens {
    return new ZkDelegationTokens(this.zk, this.clock, this.log.child('token-manager'));
  }

  /** ACLs in Kafka's /kafka-acl znodes, for the authorizer. */
  aclStore(log: Logger): ZkAclStore {
    return new ZkAclStore(this.zk, this.clock, log);
  }

  liveBrokers(): BrokerInfo[] {
    return [...this.view.brokers.values()].sort((a, b) => a.id - b.id);
  }

  /** Unclean leader elections while this broker was the controller. */
  get uncleanLeaderElections(): number {
    return this.controller.uncleanLeaderElections;
  }

  controllerId(): number {
    return this.view.controllerId;
  }

  /** AdminZkClient.createTopicWithAssignment: configs first, then the assignment the controller acts on. */
  async createTopic(topic: TopicInfo): Promise<void> {
    const { name } = topic;
    if (await this.zk.exists(deleteTopicPath(name))) throw new KafkaError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${name}' is marked for deletion.`);
    const existing = (await this.zk.getChildren(TOPICS)) ?? [];
    if (existing.includes(name)) throw new KafkaError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${name}' already exists.`);
    const colliding = existing.filter((t) => t.replace(/\./g, '_') === name.replace(/\./g, '_'));
    if (colliding.length > 0) {
      throw new KafkaError(ErrorCode.INVALID_TOPIC_EXCEPTION, `Topic '${name}' collides with existing topics: ${colliding.join(', ')}`);
    }
    await this.writeEntityConfig(`topics/${name}`, topic.configs);
    const assignment = { replicas: topic.partitions.map((p) => p.replicas), topicId: topic.id, addingReplicas: {}, removingReplicas: {} };
    try {
      await this.zk.createRecursive(topicPath(name), encodeTopicAssignment(assignment));
    } catch (err) {
      if (isZkError(err, 'NODE_EXISTS')) throw new KafkaError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${name}' already exists.`);
      throw err;
    }
    await this.view.refreshTopic(name);
    await this.view.flush();
  }

  /** As Kafka's AdminZkClient.createPartitions: the topic znode gets the new replicas; the controller gives them states. */
  async addPartitions(name: string, replicas: number[][]): Promise<void> {
    const node = await this.zk.getData(topicPath(name));
    if (!node) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${name}' does not exist.`);
    const assignment = decodeTopicAssignment(name, node.data);
    assignment.replicas.push(...replicas);
    await this.zk.setData(topicPath(name), encodeTopicAssignment(assignment), -1);
    await this.view.refreshTopic(name);
    await this.view.flush();
  }

  /** As Kafka's AdminZkClient.changeTopicConfig: the overrides, then a change notification every broker watches. */
  async topicExists(name: string): Promise<boolean> {
    if (this.topics.get(name)) return true;
    await this.view.refreshTopic(name);
    return this.topics.get(name) !== undefined;
  }

  async setTopicConfigs(name: string, configs: Record<string, string>): Promise<void> {
    await this.changeEntityConfig(`topics/${name}`, configs);
    await this.view.refreshTopic(name);
    await this.view.flush();
  }

  /** As AdminZkClient.changeEntityConfig for brokers, users, clients and ips. */
  async setEntityConfigs(entityPath: string, configs: Record<string, string>): Promise<void> {
    await this.changeEntityConfig(entityPath, configs);
    await this.view.refreshEntity(entityPath);
    await this.view.flush();
  }

  get entityConfigs(): EntityConfigView {
    return this.view.entityConfigs;
  }

  /** Marks the topic for deletion; the controller deletes it. Resolves once it left this broker's view. */
  async deleteTopic(name: string): Promise<void> {
    // Already marked: this request just waits for the same deletion.
    await ensurePath(this.zk, deleteTopicPath(name));
    const gone = () => this.view.topics.topic(name) === undefined;
    if (gone()) return;
    await this.viewWaiters.waitFor(gone, DELETE_WAIT_MS);
    if (!gone() && !this.closed) this.log.warn(`Topic ${name} is still being deleted after ${DELETE_WAIT_MS} ms; answering now`);
    await this.view.flush();
  }

  brokerEpoch(): bigint {
    return this.epoch;
  }

  /**
   * How a ZooKeeper-mode leader changes its ISR without AlterPartition: a conditional write of the
   * state znode at the version it knows (controller epoch, leader and leader epoch as they are),
   * then an /isr_change_notification/isr_change_<seq> telling the controller which partition changed.
   */
  async updateIsr(topic: string, partition: number, leaderEpoch: number, isr: number[]): Promise<boolean> {
    const current = this.view.topics.topic(topic)?.states[partition];
    if (!current || current.leader !== this.brokerId || current.leaderEpoch !== leaderEpoch) return false;
    const state = { ...current, isr: [...isr] };
    try {
      const stat = await this.zk.setData(partitionStatePath(topic, partition), encodePartitionState(state), current.version);
      this.view.noteState(topic, partition, { ...state, version: stat.version });
    } catch (err) {
      if (isZkError(err, 'BAD_VERSION') || isZkError(err, 'NO_NODE')) return false;
      throw err;
    }
    const notification = `${ISR_CHANGE_NOTIFICATION}/${ISR_CHANGE_PREFIX}`;
    await this.zk.create(notification, encodeIsrChangeNotification([{ topic, partition }]), 'persistent_sequential');
    return true;
  }

  /** KafkaZkClient.propagateLogDirEvent. */
  async propagateLogDirEvent(): Promise<void> {
    await this.zk.create(`${LOG_DIR_EVENT_NOTIFICATION}/${LOG_DIR_EVENT_PREFIX}`, encodeLogDirEventNotification(this.brokerId), 'persistent_sequential');
  }

  controlledShutdown(brokerId: number, brokerEpoch: bigint): Promise<TopicPartition[]> {
    return this.controller.controlledShutdown(brokerId, brokerEpoch);
  }

  electLeaders(type: number, partitions: TopicPartition[] | null): Promise<ElectionResult[]> {
    return this.controller.electLeaders(type, partitions);
  }

  /** A test control for the active controller: see Controller.moveLeader. */
  moveLeader(topic: string, partition: number, brokerId: number): Promise<PartitionState> {
    return this.controller.moveLeader(topic, partition, brokerId);
  }

  /** A test control for the active controller: see Controller.shrinkIsr. */
  shrinkIsr(topic: string, partition: number, isr: readonly number[]): Promise<PartitionState> {
    return this.controller.shrinkIsr(topic, partition, isr);
  }

  alterPartitionReassignments(requests: ReassignmentRequest[]): Promise<ReassignmentResult[]> {
    return this.controller.alterReassignments(requests);
  }

  listPartitionReassignments(partitions: TopicPartition[] | null): Promise<PartitionReassignment[]> {
    return this.controller.listReassignments(partitions);
  }

  onDelta(listener: DeltaListener): void {
    this.view.onDelta((delta) => (this.closed ? undefined : listener(delta)));
  }

  flush(): Promise<void> {
    return this.view.flush();
  }

  /** Closes the session: the broker's node and (if it has it) /controller vanish, another broker takes over. */
  async shutdown(): Promise<void> {
    this.closed = true;
    this.retryTimer?.cancel();
    this.controller.resign();
    this.viewWaiters.close();
    this.view.close();
    await this.zk.close();
  }

  /** The configs, then a sequential notification naming the entity, which every broker's view follows. */
  private async changeEntityConfig(entityPath: string, configs: Record<string, string>): Promise<void> {
    await this.writeEntityConfig(entityPath, configs);
    await ensurePath(this.zk, CONFIG_CHANGES);
    await this.zk.create(`${CONFIG_CHANGES}/${CONFIG_CHANGE_PREFIX}`, encodeConfigChange(entityPath), 'persistent_sequential');
  }

  /** AdminZkClient.setOrCreateEntityConfigs. */
  private async writeEntityConfig(entityPath: string, configs: Record<string, string>): Promise<void> {
    const path = entityConfigPath(entityPath);
    const data = encodeEntityConfig(configs);
    try {
      await this.zk.setData(path, data, -1);
    } catch (err) {
      if (!isZkError(err, 'NO_NODE')) throw err;
      try {
        await this.zk.createRecursive(path, data);
      } catch (createErr) {
        if (!isZkError(createErr, 'NODE_EXISTS')) throw createErr;
        await this.zk.setData(path, data, -1);
      }
    }
  }

  private viewChanged(): void {
    if (this.closed) return;
    this.viewWaiters.changed();
    // No controller, or the view and this broker's role disagree: settle it against ZooKeeper.
    const controllerId = this.view.controllerId;
    if (controllerId === -1 || (controllerId === this.brokerId) !== this.controller.active) void this.elect();
    this.controller.reconcileSoon();
  }

  /** Runs the election, once more if asked again meanwhile. */
  private elect(): Promise<void> {
    if (this.electing) {
      this.electAgain = true;
      return this.electing;
    }
    this.electing = (async () => {
      do {
        this.electAgain = false;
        try {
          await this.runElection();
        } catch (err) {
          if (this.closed) return;
          this.log.warn(`Controller election failed, retrying: ${(err as Error).message}`);
          this.retryLater(() => void this.elect());
        }
      } while (this.electAgain && !this.closed);
    })().finally(() => (this.electing = null));
    return this.electing;
  }

  /** Elects a controller if there is none, and makes this broker's role match /controller. */
  private async runElection(): Promise<void> {
    if (!this.self || this.closed) return;
    const lease = await electController(this.zk, this.brokerId, this.clock, this.controllerLog);
    if (!lease) return this.controller.resign();
    if (this.controller.active) return;
    await this.view.refreshBrokers();
    await this.controller.activate(lease);
  }

  private retryLater(action: () => void): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = null;
      if (!this.closed) action();
    }, RETRY_DELAY_MS);
  }

  /** The old session and its ephemeral nodes are gone: register again, elect, and re-read everything. */
  private async newSession(): Promise<void> {
    if (this.closed) return;
    this.log.info(`New ZooKeeper session 0x${BigInt.asUintN(64, this.zk.sessionId).toString(16)}: registering again`);
    this.view.reloadAll();
    await this.registerAgain();
    await this.view.settled();
    await this.elect();
  }

  /** Retries while ZooKeeper is unreachable; another expiry brings another 'session' event. */
  private async registerAgain(): Promise<void> {
    for (;;) {
      if (!this.self || this.closed) return;
      try {
        this.epoch = await this.registration.register(this.self);
        return;
      } catch (err) {
        if (isZkError(err, 'SESSION_EXPIRED')) return;
        this.log.error('Registering the broker with the new ZooKeeper session failed', err);
        if (!isZkError(err, 'CONNECTION_LOSS')) return;
      }
      await sleep(this.clock, RETRY_DELAY_MS);
    }
  }
}

/** Kafka's controller lines start with "[Controller id=N] ". */
function prefixed(log: Logger, prefix: string): Logger {
  return {
    info: (m) => log.info(prefix + m),
    warn: (m) => log.warn(prefix + m),
    error: (m, cause) => log.error(prefix + m, cause),
    debug: (m) => log.debug(prefix + m),
    child: (component) => prefixed(log.child(component), prefix),
  };
}
