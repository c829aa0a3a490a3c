// One kafka-ts broker: the partition logs, the cluster view (standalone or ZooKeeper mode),
// replication, long-poll fetch waiters, group coordination, and the socket server that dispatches
// to the handlers. The broker validates requests and keeps its local logs and replica roles in
// step with the cluster's view of topics.

import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { ErrorCode, KafkaError } from '../protocol';
import { realClock } from './clock';
import { BrokerConfig, LONG_MAX, Listener } from './config';
import { BrokerInfo, Cluster, StoredIdentity } from './cluster/cluster';
import { assignReplicas, validateAssignment } from './cluster/replica-assignment';
import { StandaloneCluster } from './cluster/standalone-cluster';
import { PartitionInfo, TopicInfo, randomUuid, validateTopicName } from './cluster/topic';
import { validateTopicConfigs } from './cluster/topic-configs';
import { FetchWaiters } from './fetch/fetch-waiters';
import { GroupService } from './groups/group-service';
import { HANDLERS } from './handlers';
import { DEFAULT_LOG_CONFIG, LogConfig, logConfigOverrides, resolveLogConfig } from './log/log-config';
import { LogManager } from './log/log-manager';
import { readMetaProperties, writeMetaProperties } from './log/meta-properties';
import { flushPendingWrites } from './log/pending-writes';
import type { PartitionLog } from './log/partition-log';
import { Logger } from './logger';
import { requestControlledShutdown } from './replication/controlled-shutdown';
import { ReplicaManager } from './replication/replica-manager';
import { Dispatcher } from './server/dispatcher';
import { SocketServer } from './server/socket-server';
import { ZkCluster } from './zk/zk-cluster';

export interface BrokerEndpoint {
  id: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface NewTopic {
  name: string;
  /** -1: num.partitions. */
  numPartitions: number;
  /** -1: default.replication.factor. */
  replicationFactor: number;
  assignments: { partitionIndex: number; brokerIds: number[] }[];
  configs: Record<string, string>;
}

export class Broker {
  readonly fetchWaiters = new FetchWaiters();
  readonly groups: GroupService;
  readonly replicas: ReplicaManager;
  stopping = false;
  private server!: SocketServer;
  private readonly defaultLogConfig: LogConfig;
  /** Woken after each change of the cluster view. */
  private changeWaiters: (() => void)[] = [];

  private constructor(
    readonly config: BrokerConfig,
    readonly log: Logger,
    readonly cluster: Cluster,
    readonly logs: LogManager,
  ) {
    this.defaultLogConfig = brokerLogConfig(config);
    this.replicas = new ReplicaManager({ config, cluster, logs, log });
    this.groups = new GroupService({
      brokerId: () => this.brokerId,
      topic: (name) => this.topics.get(name),
      leaderLog: (topic, partition) => this.leaderLog(topic, partition),
      localLog: (topic, partition) => this.logs.get(topic, partition),
      leaderEpoch: (topic, partition) => this.leaderEpoch(topic, partition),
      waitForReplication: (topic, partition, endOffset, timeoutMs) => this.replicas.waitForReplication(topic, partition, endOffset, timeoutMs),
      createTopic: async (topic) => void (await this.createTopic({ ...topic, assignments: [] }, false)),
      liveBrokerCount: () => this.liveBrokerIds().length,
      config,
      log,
      clock: realClock,
    });
  }

  get brokerId(): number {
    return this.cluster.brokerId;
  }

  get clusterId(): string {
    return this.cluster.clusterId;
  }

  get topics() {
    return this.cluster.topics;
  }

  static async start(config: BrokerConfig, log: Logger): Promise<Broker> {
    const started = Date.now();
    for (const dir of config.logDirs) mkdirSync(dir, { recursive: true });
    const stored = storedIdentity(config);
    const cluster: Cluster = config.zookeeperConnect
      ? await ZkCluster.connect(config, stored, log)
      : new StandaloneCluster(config, stored);
    for (const dir of config.logDirs) {
      if (!readMetaProperties(dir)) writeMetaProperties(dir, { brokerId: cluster.brokerId, clusterId: cluster.clusterId });
    }
    const logs = await LogManager.open({
      logDirs: config.logDirs,
      defaultConfig: brokerLogConfig(config),
      topicConfig: (topic) => logConfigOverrides(cluster.topics.get(topic)?.configs ?? {}),
      logger: log,
      tasks: {
        retentionCheckIntervalMs: config.logRetentionCheckIntervalMs,
        flushCheckIntervalMs: Math.min(config.logFlushSchedulerIntervalMs, 1000),
        checkpointIntervalMs: config.logFlushOffsetCheckpointIntervalMs,
      },
    });
    const broker = new Broker(config, log, cluster, logs);
    for (const partitionLog of logs.all()) broker.wakeFetches(partitionLog);
    if (cluster instanceof StandaloneCluster) broker.adoptOrphanLogs(cluster);
    cluster.onChange(() => void broker.syncLocalLogs());
    await broker.syncLocalLogs();
    broker.server = new SocketServer(new Dispatcher(HANDLERS, broker), config.socketRequestMaxBytes, log, flushPendingWrites);
    await broker.server.start(config.listeners);
    await cluster.register(broker.registration());
    await broker.groups.start();
    log.info(`[KafkaServer id=${cluster.brokerId}] started (cluster ${cluster.clusterId}) in ${Date.now() - started} ms`);
    return broker;
  }

  /**
   * Moves leadership away (controlled shutdown, ZooKeeper mode), stops accepting, answers what is
   * in flight, then flushes logs, checkpoints and marks a clean shutdown.
   */
  async shutdown(): Promise<void> {
    this.log.info(`[KafkaServer id=${this.brokerId}] shutting down`);
    if (this.config.zookeeperConnect && this.config.controlledShutdownEnable) await this.controlledShutdown();
    this.stopping = true;
    this.fetchWaiters.wakeAll();
    this.groups.shutdown();
    await this.replicas.shutdown();
    await this.server.shutdown();
    await this.cluster.shutdown();
    await this.logs.close();
    this.log.info(`[KafkaServer id=${this.brokerId}] shut down completed`);
  }

  /** Listeners as bound (an ephemeral port 0 replaced by the real one). */
  get boundListeners(): readonly Listener[] {
    return this.server.bound.map((l) => ({ ...l, port: l.boundPort }));
  }

  /** This broker's advertised endpoint for a listener, as clients must reach it. */
  endpoint(listenerName: string): { host: string; port: number } {
    const advertised = this.config.advertisedListeners.find((l) => l.name === listenerName) ?? this.config.advertisedListeners[0];
    const bound = this.server.bound.find((l) => l.name === listenerName);
    const port = advertised.port === 0 && bound ? bound.boundPort : advertised.port;
    return { host: advertised.host || hostname(), port };
  }

  /** What this broker registers: its advertised endpoints, ports as bound. */
  private registration(): BrokerInfo {
    return {
      id: this.brokerId,
      endpoints: this.config.advertisedListeners.map((l) => ({ listener: l.name, securityProtocol: l.securityProtocol, ...this.endpoint(l.name) })),
      rack: this.config.brokerRack,
    };
  }

  liveBrokerIds(): number[] {
    return this.cluster.liveBrokers().map((b) => b.id);
  }

  /** Live brokers with their endpoint on the given listener (brokers without it are left out, as Kafka does). */
  liveBrokers(listenerName: string): BrokerEndpoint[] {
    return this.cluster.liveBrokers().flatMap((b) => {
      const e = b.endpoints.find((x) => x.listener === listenerName);
      return e ? [{ id: b.id, host: e.host, port: e.port, rack: b.rack }] : [];
    });
  }

  controllerId(): number {
    return this.cluster.controllerId();
  }

  logConfig(topic: string): LogConfig {
    const info = this.topics.get(topic);
    return info ? resolveLogConfig(this.defaultLogConfig, logConfigOverrides(info.configs)) : this.defaultLogConfig;
  }

  /** The log of a partition this broker leads, or UNKNOWN_TOPIC_OR_PARTITION / NOT_LEADER_OR_FOLLOWER. */
  leaderLog(topic: string, partition: number): PartitionLog {
    const info = this.topics.get(topic);
    const p = info?.partitions[partition];
    if (!p) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'This server does not host this topic-partition.');
    if (p.leader !== this.brokerId) throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, 'This server is not the leader for that topic-partition.');
    const log = this.logs.get(topic, partition);
    if (!log) throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, 'This server has no log for that topic-partition.');
    return log;
  }

  leaderEpoch(topic: string, partition: number): number {
    return this.topics.get(topic)?.partitions[partition]?.leaderEpoch ?? -1;
  }

  /** KIP-320 fencing: a client's view of the leader epoch must match ours (-1 skips the check). */
  checkLeaderEpoch(topic: string, partition: number, clientEpoch: number): void {
    if (clientEpoch < 0) return;
    const ours = this.leaderEpoch(topic, partition);
    if (clientEpoch < ours) throw new KafkaError(ErrorCode.FENCED_LEADER_EPOCH, `Leader epoch ${clientEpoch} is older than ${ours}.`);
    if (clientEpoch > ours) throw new KafkaError(ErrorCode.UNKNOWN_LEADER_EPOCH, `Leader epoch ${clientEpoch} is newer than ${ours}.`);
  }

  /** Appends wake the followers' long-poll fetches; a moving high watermark wakes the consumers'. */
  private wakeFetches(log: PartitionLog): void {
    const replicaKey = FetchWaiters.replicaKey(log.topic, log.partition);
    const key = FetchWaiters.key(log.topic, log.partition);
    log.onAppend((info) => this.fetchWaiters.appended(replicaKey, info.sizeInBytes));
    log.onHighWatermark(() => this.fetchWaiters.wake(key));
  }

  /** Whether this broker is the cluster's controller (a standalone broker always is). */
  isController(): boolean {
    return this.cluster.controllerId() === this.brokerId;
  }

  autoCreateTopic(name: string): Promise<TopicInfo> {
    return this.createTopic({ name, numPartitions: -1, replicationFactor: -1, assignments: [], configs: {} }, false);
  }

  /** Validates and (unless validateOnly) creates a topic; its local logs follow from the cluster view. */
  async createTopic(req: NewTopic, validateOnly: boolean): Promise<TopicInfo> {
    validateTopicName(req.name);
    if (this.topics.get(req.name)) throw new KafkaError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${req.name}' already exists.`);
    const brokers = this.liveBrokerIds();
    let replicas: number[][];
    if (req.assignments.length > 0) {
      if (req.numPartitions !== -1 || req.replicationFactor !== -1) {
        throw new KafkaError(ErrorCode.INVALID_REQUEST, 'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.');
      }
      replicas = validateAssignment(req.assignments, brokers);
    } else {
      const partitions = req.numPartitions === -1 ? this.config.numPartitions : req.numPartitions;
      const rf = req.replicationFactor === -1 ? this.config.defaultReplicationFactor : req.replicationFactor;
      if (partitions <= 0) throw new KafkaError(ErrorCode.INVALID_PARTITIONS, 'Number of partitions was set to an invalid non-positive value.');
      if (rf <= 0) throw new KafkaError(ErrorCode.INVALID_REPLICATION_FACTOR, 'Replication factor must be larger than 0.');
      replicas = assignReplicas(brokers, partitions, rf);
    }
    validateTopicConfigs(req.configs);
    const partitions: PartitionInfo[] = replicas.map((r) => ({ replicas: r, leader: r[0], leaderEpoch: 0, isr: [...r] }));
    const topic: TopicInfo = { name: req.name, id: randomUuid(), partitions, configs: { ...req.configs } };
    if (validateOnly) return topic;
    await this.cluster.createTopic(topic);
    await this.syncLocalLogs();
    this.log.info(`Created topic ${topic.name} with ${partitions.length} partitions (id ${topic.id})`);
    return this.topics.get(topic.name) ?? topic;
  }

  /** Resolves once every partition of the topic has a leader, or after `timeoutMs` (Kafka's DelayedCreatePartitions). */
  waitForLeaders(name: string, timeoutMs: number): Promise<void> {
    return this.waitForView(() => this.topics.get(name)?.partitions.every((p) => p.leader >= 0) ?? true, timeoutMs);
  }

  /**
   * Once the controller moved leadership away, waits (bounded) until this broker's own view shows
   * it, so requests still arriving are answered NOT_LEADER_OR_FOLLOWER rather than cut off.
   */
  private async controlledShutdown(): Promise<void> {
    if (!(await requestControlledShutdown(this.cluster, this.config, this.log))) return;
    const leadsReplicated = () =>
      this.topics.list().some((t) => t.partitions.some((p) => p.leader === this.brokerId && p.replicas.length > 1));
    await this.waitForView(() => !leadsReplicated(), this.config.replicaSocketTimeoutMs);
  }

  /** Resolves once `ready()` holds after a change of the cluster view, or after `timeoutMs`. */
  private async waitForView(ready: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready() && Date.now() < deadline && !this.stopping) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(100, deadline - Date.now()));
        this.changeWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async deleteTopic(name: string): Promise<void> {
    await this.cluster.deleteTopic(name);
    await this.syncLocalLogs();
    this.log.info(`Deleted topic ${name}`);
  }

  /**
   * Brings local logs in line with the cluster view: a log for every partition this broker is a
   * replica of, leading or following it as the view says, none for topics that are gone or
   * partitions reassigned away from it, and each log's config from its topic's.
   */
  private syncing: Promise<void> = Promise.resolve();
  syncLocalLogs(): Promise<void> {
    this.syncing = this.syncing.then(async () => {
      const wanted = new Set<string>();
      for (const topic of this.topics.list()) {
        const logConfig = resolveLogConfig(this.defaultLogConfig, logConfigOverrides(topic.configs));
        topic.partitions.forEach((p, i) => {
          if (!p.replicas.includes(this.brokerId)) return;
          wanted.add(`${topic.name}-${i}`);
          const existing = this.logs.get(topic.name, i);
          if (existing) existing.config = logConfig;
          else this.wakeFetches(this.logs.createPartition(topic.name, i, topic.id, logConfig));
        });
      }
      this.replicas.sync();
      const gone = new Set<string>();
      for (const log of this.logs.all()) {
        if (wanted.has(`${log.topic}-${log.partition}`)) continue;
        const topic = this.topics.get(log.topic);
        if (topic && !topic.partitions[log.partition]) continue;
        if (topic) this.log.info(`Deleting the log of ${log.topic}-${log.partition}: this broker is no longer one of its replicas`);
        else gone.add(log.topic);
        await this.logs.deletePartition(log.topic, log.partition);
      }
      for (const topic of gone) this.groups.topicDeleted(topic);
      await this.groups.leadershipChanged();
      // Leadership may have moved: waiting fetches re-check where they read from.
      this.fetchWaiters.wakeAll();
      for (const wake of this.changeWaiters.splice(0)) wake();
    });
    return this.syncing;
  }

  /** Standalone: partition directories without topic metadata (e.g. copied from a Kafka broker) become topics. */
  private adoptOrphanLogs(cluster: StandaloneCluster): void {
    const found = new Map<string, { id: string; count: number }>();
    for (const log of this.logs.all()) {
      if (this.topics.get(log.topic)) continue;
      const seen = found.get(log.topic) ?? { id: log.topicId ?? randomUuid(), count: 0 };
      seen.count = Math.max(seen.count, log.partition + 1);
      found.set(log.topic, seen);
    }
    for (const [name, { id, count }] of found) {
      const partitions = Array.from({ length: count }, (): PartitionInfo => ({ replicas: [this.brokerId], leader: this.brokerId, leaderEpoch: 0, isr: [this.brokerId] }));
      cluster.topics.put({ name, id, partitions, configs: {} });
      this.log.info(`Adopted topic ${name} (${count} partitions) found in the log dirs`);
    }
  }
}



/** Broker id and cluster id as the log dirs remember them; they must agree with each other and the config. */
function storedIdentity(config: BrokerConfig): StoredIdentity {
  const metas = config.logDirs.map((dir) => ({ dir, meta: readMetaProperties(dir) }));
  const known = metas.find((m) => m.meta !== null)?.meta ?? null;
  for (const { dir, meta } of metas) {
    if (!meta || !known) continue;
    if (meta.clusterId !== known.clusterId) throw new Error(`Log dir ${dir} belongs to cluster ${meta.clusterId}, not ${known.clusterId}`);
    if (config.brokerId >= 0 && meta.brokerId !== config.brokerId) {
      throw new Error(`Configured broker.id ${config.brokerId} doesn't match stored broker.id ${meta.brokerId} in meta.properties of ${dir}.`);
    }
  }
  return { brokerId: known?.brokerId, clusterId: known?.clusterId };
}

/** Kafka's Long.MAX_VALUE means "never"; the log layer spells that Infinity. */
function never(ms: number): number {
  return ms >= LONG_MAX ? Infinity : ms;
}

/** Topic defaults from server.properties (log.segment.bytes, log.retention.*, message.max.bytes, …). */
function brokerLogConfig(c: BrokerConfig): LogConfig {
  return resolveLogConfig(DEFAULT_LOG_CONFIG, {
    segmentBytes: c.logSegmentBytes,
    segmentMs: never(c.logRollMs),
    segmentIndexBytes: c.logIndexSizeMaxBytes,
    indexIntervalBytes: c.logIndexIntervalBytes,
    retentionMs: c.logRetentionMs,
    retentionBytes: c.logRetentionBytes,
    flushIntervalMessages: never(c.logFlushIntervalMessages),
    flushIntervalMs: never(c.logFlushIntervalMs),
    messageTimestampType: c.logMessageTimestampType,
    maxMessageBytes: c.messageMaxBytes,
    cleanupPolicy: c.logCleanupPolicy,
  });
}
