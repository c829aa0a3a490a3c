// One kafka-ts broker: identity (broker id, cluster id in meta.properties), the partition logs,
// topic metadata, long-poll fetch waiters, and the socket server that dispatches to the handlers.
// Standalone (no zookeeper.connect): this broker is the whole cluster, leader of every partition.

import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { ErrorCode, KafkaError } from '../protocol';
import { BrokerConfig, LONG_MAX, Listener } from './config';
import { assignReplicas, validateAssignment } from './cluster/replica-assignment';
import { PartitionInfo, TopicInfo, randomUuid, validateTopicName } from './cluster/topic';
import { TOPIC_CONFIGS, validateTopicConfigs } from './cluster/topic-configs';
import { StandaloneTopicStore, TopicStore } from './cluster/topic-store';
import { FetchWaiters } from './fetch/fetch-waiters';
import { GroupService } from './groups/group-service';
import { HANDLERS } from './handlers';
import { DEFAULT_LOG_CONFIG, LogConfig, logConfigOverrides, resolveLogConfig } from './log/log-config';
import { LogManager } from './log/log-manager';
import { readMetaProperties, writeMetaProperties } from './log/meta-properties';
import type { PartitionLog } from './log/partition-log';
import { Logger } from './logger';
import { Dispatcher } from './server/dispatcher';
import { SocketServer } from './server/socket-server';

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

// DescribeConfigs ConfigSource values.
const DYNAMIC_TOPIC_CONFIG = 1;
const STATIC_BROKER_CONFIG = 4;
const DEFAULT_CONFIG = 5;

export class Broker {
  readonly fetchWaiters = new FetchWaiters();
  readonly groups: GroupService;
  stopping = false;
  private server!: SocketServer;
  private readonly defaultLogConfig: LogConfig;

  private constructor(
    readonly config: BrokerConfig,
    readonly log: Logger,
    readonly brokerId: number,
    readonly clusterId: string,
    readonly logs: LogManager,
    readonly topics: TopicStore,
  ) {
    this.defaultLogConfig = brokerLogConfig(config);
    this.groups = new GroupService(this);
  }

  static async start(config: BrokerConfig, log: Logger): Promise<Broker> {
    const started = Date.now();
    for (const dir of config.logDirs) mkdirSync(dir, { recursive: true });
    const { brokerId, clusterId } = identity(config);
    const topics = new StandaloneTopicStore(config.logDirs[0]);
    const logs = await LogManager.open({
      logDirs: config.logDirs,
      defaultConfig: brokerLogConfig(config),
      topicConfig: (topic) => logConfigOverrides(topics.get(topic)?.configs ?? {}),
      logger: log,
      tasks: {
        retentionCheckIntervalMs: config.logRetentionCheckIntervalMs,
        flushCheckIntervalMs: Math.min(config.logFlushSchedulerIntervalMs, 1000),
        checkpointIntervalMs: config.logFlushOffsetCheckpointIntervalMs,
      },
    });
    const broker = new Broker(config, log, brokerId, clusterId, logs, topics);
    for (const partitionLog of logs.all()) broker.wakeFetchesOnAppend(partitionLog);
    broker.adoptOrphanLogs();
    await broker.groups.start();
    broker.server = new SocketServer(new Dispatcher(HANDLERS, broker), config.socketRequestMaxBytes, log);
    await broker.server.start(config.listeners);
    log.info(`[KafkaServer id=${brokerId}] started (cluster ${clusterId}) in ${Date.now() - started} ms`);
    return broker;
  }

  /** Stops accepting, answers what is in flight, then flushes logs, checkpoints and marks a clean shutdown. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    this.log.info(`[KafkaServer id=${this.brokerId}] shutting down`);
    this.fetchWaiters.wakeAll();
    this.groups.shutdown();
    await this.server.shutdown();
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

  liveBrokerIds(): number[] {
    return [this.brokerId];
  }

  liveBrokers(listenerName: string): BrokerEndpoint[] {
    return [{ id: this.brokerId, ...this.endpoint(listenerName), rack: this.config.brokerRack ?? null }];
  }

  controllerId(): number {
    return this.brokerId;
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

  /** Every append to the log, whatever its source, wakes the long-poll fetches waiting on it. */
  private wakeFetchesOnAppend(log: PartitionLog): void {
    const key = FetchWaiters.key(log.topic, log.partition);
    log.onAppend((info) => this.fetchWaiters.appended(key, info.sizeInBytes));
  }

  autoCreateTopic(name: string): TopicInfo {
    return this.createTopic({ name, numPartitions: -1, replicationFactor: -1, assignments: [], configs: {} }, false);
  }

  /** Validates and (unless validateOnly) creates a topic and its local partition logs. */
  createTopic(req: NewTopic, validateOnly: boolean): TopicInfo {
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
    const logConfig = resolveLogConfig(this.defaultLogConfig, logConfigOverrides(topic.configs));
    partitions.forEach((p, i) => {
      if (p.replicas.includes(this.brokerId)) this.wakeFetchesOnAppend(this.logs.createPartition(topic.name, i, topic.id, logConfig));
    });
    this.topics.put(topic);
    this.log.info(`Created topic ${topic.name} with ${partitions.length} partitions (id ${topic.id})`);
    return topic;
  }

  async deleteTopic(name: string): Promise<void> {
    const topic = this.topics.get(name);
    if (!topic) return;
    this.topics.remove(name);
    await Promise.all(topic.partitions.map((_, i) => this.logs.deletePartition(name, i)));
    this.groups.topicDeleted(name);
    this.log.info(`Deleted topic ${name}`);
  }

  /** A topic's effective configs as CreateTopics v5+ and DescribeConfigs list them. */
  describeTopicConfigs(overrides: Record<string, string>) {
    return Object.entries(TOPIC_CONFIGS).map(([name, def]) => {
      const own = overrides[name];
      const fromBroker = def.brokerKey ? this.config.props.get(def.brokerKey) : undefined;
      return {
        name,
        value: own ?? fromBroker ?? def.defaultValue,
        readOnly: false,
        configSource: own !== undefined ? DYNAMIC_TOPIC_CONFIG : fromBroker !== undefined ? STATIC_BROKER_CONFIG : DEFAULT_CONFIG,
        isSensitive: false,
      };
    });
  }

  /** Partition directories without topic metadata (e.g. copied from a Kafka broker) become topics. */
  private adoptOrphanLogs(): void {
    const found = new Map<string, { id: string; count: number }>();
    for (const log of this.logs.all()) {
      if (this.topics.get(log.topic)) continue;
      const seen = found.get(log.topic) ?? { id: log.topicId ?? randomUuid(), count: 0 };
      seen.count = Math.max(seen.count, log.partition + 1);
      found.set(log.topic, seen);
    }
    for (const [name, { id, count }] of found) {
      const partitions = Array.from({ length: count }, (): PartitionInfo => ({ replicas: [this.brokerId], leader: this.brokerId, leaderEpoch: 0, isr: [this.brokerId] }));
      this.topics.put({ name, id, partitions, configs: {} });
      this.log.info(`Adopted topic ${name} (${count} partitions) found in the log dirs`);
    }
  }
}

/** Broker id and cluster id: from config and meta.properties, generated on first start. */
function identity(config: BrokerConfig): { brokerId: number; clusterId: string } {
  const metas = config.logDirs.map((dir) => ({ dir, meta: readMetaProperties(dir) }));
  const known = metas.find((m) => m.meta !== null)?.meta ?? null;
  for (const { dir, meta } of metas) {
    if (!meta || !known) continue;
    if (meta.clusterId !== known.clusterId) throw new Error(`Log dir ${dir} belongs to cluster ${meta.clusterId}, not ${known.clusterId}`);
    if (config.brokerId >= 0 && meta.brokerId !== config.brokerId) {
      throw new Error(`Configured broker.id ${config.brokerId} doesn't match stored broker.id ${meta.brokerId} in meta.properties of ${dir}.`);
    }
  }
  const brokerId = config.brokerId >= 0 ? config.brokerId : known?.brokerId ?? config.reservedBrokerMaxId + 1;
  const clusterId = known?.clusterId ?? randomUuid();
  for (const { dir, meta } of metas) if (!meta) writeMetaProperties(dir, { brokerId, clusterId });
  return { brokerId, clusterId };
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
