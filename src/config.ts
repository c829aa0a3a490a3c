// Broker configuration: Kafka's server.properties (Java Properties syntax), the keys kafka-ts acts
// on with Kafka 3.9's defaults and validation, and a list of Kafka keys accepted but not acted on.
import { readFileSync } from 'fs';
import { hostname } from 'os';
import { BROKER_CONFIG_DEFS, LISTENER_MECHANISM_CONFIGS } from './cluster/kafka-config-defs/broker-config-defs';
import { listenerBaseName } from './cluster/kafka-config-defs/broker-synonyms';
import { CleanupPolicy, TimestampTypeName } from './log/log-config';
import { PropertiesSyntaxError, parseProperties } from './properties';
import { REPLICA_SELECTORS } from './replication/replica-selector';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export type SecurityProtocol = 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';

export interface Listener {
  /** Upper-cased, as Kafka normalises listener names. */
  name: string;
  /** '' means all interfaces (listeners only; advertised listeners always carry a host). */
  host: string;
  port: number;
  securityProtocol: SecurityProtocol;
}

/** Java's Long.MAX_VALUE, Kafka's "never" for flush settings. Too large for setTimeout: guard it. */
export const LONG_MAX = Number(0x7fff_ffff_ffff_ffffn);

/** Millisecond and byte settings that Kafka holds as longs are plain numbers here. */
export interface BrokerConfig {
  brokerId: number;
  brokerIdGenerationEnable: boolean;
  reservedBrokerMaxId: number;
  brokerRack: string | null;
  listeners: Listener[];
  advertisedListeners: Listener[];
  listenerSecurityProtocolMap: ReadonlyMap<string, SecurityProtocol>;
  logDirs: string[];
  numPartitions: number;
  defaultReplicationFactor: number;
  autoCreateTopicsEnable: boolean;
  deleteTopicEnable: boolean;
  logSegmentBytes: number;
  logRollMs: number;
  logIndexIntervalBytes: number;
  logIndexSizeMaxBytes: number;
  /** -1: keep forever. */
  logRetentionMs: number;
  /** -1: no size limit. */
  logRetentionBytes: number;
  logRetentionCheckIntervalMs: number;
  logFlushIntervalMessages: number;
  logFlushIntervalMs: number;
  logFlushSchedulerIntervalMs: number;
  logFlushOffsetCheckpointIntervalMs: number;
  logMessageTimestampType: TimestampTypeName;
  logCleanupPolicy: CleanupPolicy[];
  logCleanerEnable: boolean;
  logCleanerThreads: number;
  logCleanerDedupeBufferSize: number;
  logCleanerIoBufferSize: number;
  logCleanerDeleteRetentionMs: number;
  logCleanerMinCleanableRatio: number;
  logCleanerMinCompactionLagMs: number;
  logCleanerMaxCompactionLagMs: number;
  logCleanerBackoffMs: number;
  messageMaxBytes: number;
  socketRequestMaxBytes: number;
  /** Samples kept by client quota sensors (quota.window.num). */
  quotaWindowNum: number;
  quotaWindowSizeSeconds: number;
  /** Samples kept by the replication throttle sensors (replication.quota.window.num). */
  replicationQuotaWindowNum: number;
  replicationQuotaWindowSizeSeconds: number;
  offsetsTopicNumPartitions: number;
  offsetsTopicReplicationFactor: number;
  offsetsRetentionMinutes: number;
  transactionStateLogNumPartitions: number;
  transactionStateLogReplicationFactor: number;
  transactionStateLogMinIsr: number;
  transactionStateLogSegmentBytes: number;
  transactionMaxTimeoutMs: number;
  /** KIP-890: a transactional produce opening a transaction in a partition is first checked with the coordinator. */
  transactionPartitionVerificationEnable: boolean;
  transactionalIdExpirationMs: number;
  transactionAbortTimedOutTransactionCleanupIntervalMs: number;
  transactionRemoveExpiredTransactionCleanupIntervalMs: number;
  producerIdExpirationMs: number;
  producerIdExpirationCheckIntervalMs: number;
  groupInitialRebalanceDelayMs: number;
  groupMinSessionTimeoutMs: number;
  groupMaxSessionTimeoutMs: number;
  groupMaxSize: number;
  /** '' means standalone: no ZooKeeper. */
  zookeeperConnect: string;
  zookeeperSessionTimeoutMs: number;
  zookeeperConnectionTimeoutMs: number;
  /** The listener followers fetch through: inter.broker.listener.name, else the one named by security.inter.broker.protocol. */
  interBrokerListenerName: string;
  /** The default of the topic config min.insync.replicas. */
  minInsyncReplicas: number;
  replicaLagTimeMaxMs: number;
  replicaFetchWaitMaxMs: number;
  replicaFetchMinBytes: number;
  replicaFetchMaxBytes: number;
  replicaFetchResponseMaxBytes: number;
  replicaFetchBackoffMs: number;
  /** replica.selector.class: the preferred read replica a leader names to consumers (KIP-392); null names none. */
  replicaSelectorClass: string | null;
  /** max.incremental.fetch.session.cache.slots: fetch sessions (KIP-227) the broker keeps, over 8 shards. */
  maxIncrementalFetchSessionCacheSlots: number;
  replicaSocketTimeoutMs: number;
  controlledShutdownEnable: boolean;
  controlledShutdownMaxRetries: number;
  controlledShutdownRetryBackoffMs: number;
  /** The default of the topic config unclean.leader.election.enable. */
  uncleanLeaderElectionEnable: boolean;
  autoLeaderRebalanceEnable: boolean;
  leaderImbalanceCheckIntervalSeconds: number;
  leaderImbalancePerBrokerPercentage: number;
  /** kafkats.metrics.listener (kafka-ts's own key): host:port of the Prometheus /metrics endpoint, '' for none. */
  metricsListener: string;
  /** kafkats.console.listener (kafka-ts's own key): host:port of the web console, '' for none. */
  consoleListener: string;
  /** kafkats.control.listener (kafka-ts's own key): loopback host:port of the HTTP control plane, '' for none. */
  controlListener: string;
  /** kafkats.control.clock: 'controllable' starts the broker on a clock the control plane can advance. */
  controlClock: 'system' | 'controllable';
  /** kafkats.control.request.log.size: how many requests the control plane's request log keeps. */
  controlRequestLogSize: number;
  /** Every key given, from the file and the overrides, before defaults. */
  props: ReadonlyMap<string, string>;
}

export type Kind = 'int' | 'short' | 'long' | 'double' | 'boolean' | 'string' | 'list';

export interface KeySpec {
  kind: Kind;
  /** In Kafka's string form; absent means no default (null in Kafka). */
  default?: string;
  min?: number;
  /** Upper bound, for doubles (ConfigDef.Range.between). */
  max?: number;
  oneOf?: readonly string[];
}

const SECURITY_PROTOCOLS: readonly SecurityProtocol[] = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'];

/** Keys kafka-ts reads into BrokerConfig, with Kafka 3.9's types, defaults and validators. */
export const BROKER_KEYS: Readonly<Record<string, KeySpec>> = {
  'broker.id': { kind: 'int', default: '-1' },
  'node.id': { kind: 'int' },
  'broker.id.generation.enable': { kind: 'boolean', default: 'true' },
  'reserved.broker.max.id': { kind: 'int', default: '1000', min: 0 },
  'broker.rack': { kind: 'string' },
  // Kafka loads any ReplicaSelector class; kafka-ts has Kafka's two and refuses other names at startup.
  'replica.selector.class': { kind: 'string', oneOf: REPLICA_SELECTORS },
  listeners: { kind: 'string', default: 'PLAINTEXT://:9092' },
  'advertised.listeners': { kind: 'string' },
  'listener.security.protocol.map': {
    kind: 'string',
    default: 'SASL_SSL:SASL_SSL,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT',
  },
  'log.dirs': { kind: 'list' },
  'log.dir': { kind: 'list', default: '/tmp/kafka-logs' },
  'num.partitions': { kind: 'int', default: '1', min: 1 },
  'default.replication.factor': { kind: 'int', default: '1' },
  'auto.create.topics.enable': { kind: 'boolean', default: 'true' },
  'delete.topic.enable': { kind: 'boolean', default: 'true' },
  'log.segment.bytes': { kind: 'int', default: '1073741824', min: 14 },
  'log.roll.ms': { kind: 'long', min: 1 },
  'log.roll.hours': { kind: 'int', default: '168', min: 1 },
  'log.index.interval.bytes': { kind: 'int', default: '4096', min: 0 },
  'log.index.size.max.bytes': { kind: 'int', default: '10485760', min: 4 },
  'log.retention.ms': { kind: 'long' },
  'log.retention.minutes': { kind: 'int' },
  'log.retention.hours': { kind: 'int', default: '168' },
  'log.retention.bytes': { kind: 'long', default: '-1' },
  'log.retention.check.interval.ms': { kind: 'long', default: '300000', min: 1 },
  'log.flush.interval.messages': { kind: 'long', default: '9223372036854775807', min: 1 },
  'log.flush.interval.ms': { kind: 'long' },
  'log.flush.scheduler.interval.ms': { kind: 'long', default: '9223372036854775807' },
  'log.flush.offset.checkpoint.interval.ms': { kind: 'int', default: '60000', min: 0 },
  'log.message.timestamp.type': { kind: 'string', default: 'CreateTime', oneOf: ['CreateTime', 'LogAppendTime'] },
  'log.cleanup.policy': { kind: 'list', default: 'delete', oneOf: ['compact', 'delete'] },
  'log.cleaner.enable': { kind: 'boolean', default: 'true' },
  'log.cleaner.threads': { kind: 'int', default: '1', min: 0 },
  'log.cleaner.dedupe.buffer.size': { kind: 'long', default: '134217728' },
  'log.cleaner.io.buffer.size': { kind: 'int', default: '524288', min: 0 },
  'log.cleaner.delete.retention.ms': { kind: 'long', default: '86400000', min: 0 },
  'log.cleaner.min.cleanable.ratio': { kind: 'double', default: '0.5', min: 0, max: 1 },
  'log.cleaner.min.compaction.lag.ms': { kind: 'long', default: '0', min: 0 },
  'log.cleaner.max.compaction.lag.ms': { kind: 'long', default: '9223372036854775807', min: 1 },
  'log.cleaner.backoff.ms': { kind: 'long', default: '15000', min: 0 },
  'message.max.bytes': { kind: 'int', default: '1048588', min: 0 },
  'socket.request.max.bytes': { kind: 'int', default: '104857600', min: 1 },
  'quota.window.num': { kind: 'int', default: '11', min: 1 },
  'quota.window.size.seconds': { kind: 'int', default: '1', min: 1 },
  'replication.quota.window.num': { kind: 'int', default: '11', min: 1 },
  'replication.quota.window.size.seconds': { kind: 'int', default: '1', min: 1 },
  'offsets.topic.num.partitions': { kind: 'int', default: '50', min: 1 },
  'offsets.topic.replication.factor': { kind: 'short', default: '3', min: 1 },
  'offsets.retention.minutes': { kind: 'int', default: '10080', min: 1 },
  'transaction.state.log.num.partitions': { kind: 'int', default: '50', min: 1 },
  'transaction.state.log.replication.factor': { kind: 'short', default: '3', min: 1 },
  'transaction.state.log.min.isr': { kind: 'int', default: '2', min: 1 },
  'transaction.state.log.segment.bytes': { kind: 'int', default: '104857600', min: 1 },
  'transaction.max.timeout.ms': { kind: 'int', default: '900000', min: 1 },
  'transaction.partition.verification.enable': { kind: 'boolean', default: 'true' },
  'transactional.id.expiration.ms': { kind: 'int', default: '604800000', min: 1 },
  'transaction.abort.timed.out.transaction.cleanup.interval.ms': { kind: 'int', default: '10000', min: 1 },
  'transaction.remove.expired.transaction.cleanup.interval.ms': { kind: 'int', default: '3600000', min: 1 },
  'producer.id.expiration.ms': { kind: 'int', default: '86400000', min: 1 },
  'producer.id.expiration.check.interval.ms': { kind: 'int', default: '600000', min: 1 },
  'group.initial.rebalance.delay.ms': { kind: 'int', default: '3000' },
  'group.min.session.timeout.ms': { kind: 'int', default: '6000' },
  'group.max.session.timeout.ms': { kind: 'int', default: '1800000' },
  'group.max.size': { kind: 'int', default: '2147483647', min: 1 },
  'zookeeper.connect': { kind: 'string', default: '' },
  'zookeeper.session.timeout.ms': { kind: 'int', default: '18000' },
  'zookeeper.connection.timeout.ms': { kind: 'int' },
  'inter.broker.listener.name': { kind: 'string' },
  'security.inter.broker.protocol': { kind: 'string', default: 'PLAINTEXT', oneOf: SECURITY_PROTOCOLS },
  'min.insync.replicas': { kind: 'int', default: '1', min: 1 },
  'replica.lag.time.max.ms': { kind: 'long', default: '30000' },
  'replica.fetch.wait.max.ms': { kind: 'int', default: '500' },
  'replica.fetch.min.bytes': { kind: 'int', default: '1' },
  'replica.fetch.max.bytes': { kind: 'int', default: '1048576', min: 0 },
  'replica.fetch.response.max.bytes': { kind: 'int', default: '10485760', min: 0 },
  'replica.fetch.backoff.ms': { kind: 'int', default: '1000', min: 0 },
  'replica.socket.timeout.ms': { kind: 'int', default: '30000' },
  'max.incremental.fetch.session.cache.slots': { kind: 'int', default: '1000', min: 0 },
  'controlled.shutdown.enable': { kind: 'boolean', default: 'true' },
  'controlled.shutdown.max.retries': { kind: 'int', default: '3' },
  'controlled.shutdown.retry.backoff.ms': { kind: 'long', default: '5000' },
  'unclean.leader.election.enable': { kind: 'boolean', default: 'false' },
  'auto.leader.rebalance.enable': { kind: 'boolean', default: 'true' },
  'leader.imbalance.check.interval.seconds': { kind: 'long', default: '300', min: 1 },
  'leader.imbalance.per.broker.percentage': { kind: 'int', default: '10' },
  // kafka-ts's own: where Prometheus scrapes the broker's metrics (host:port), unset for nowhere.
  'kafkats.metrics.listener': { kind: 'string', default: '' },
  // kafka-ts's own: where the web console serves (host:port, port 0 for a free one), unset for nowhere.
  'kafkats.console.listener': { kind: 'string', default: '' },
  // kafka-ts's own: the HTTP control plane for tests (faults, versions, request log, clock), on a
  // loopback host:port; unset for none.
  'kafkats.control.listener': { kind: 'string', default: '' },
  'kafkats.control.clock': { kind: 'string', default: 'system', oneOf: ['system', 'controllable'] },
  'kafkats.control.request.log.size': { kind: 'int', default: '1000', min: 0 },
};

/**
 * Kafka keys that kafka-ts accepts without acting on them, so Kafka's own sample files load
 * without warnings. Values are still validated, as Kafka would.
 */
export const ACCEPTED_KEYS: Readonly<Record<string, KeySpec>> = {
  'num.network.threads': { kind: 'int', min: 1 },
  'num.io.threads': { kind: 'int', min: 1 },
  'num.recovery.threads.per.data.dir': { kind: 'int', min: 1 },
  'num.replica.fetchers': { kind: 'int' },
  'socket.send.buffer.bytes': { kind: 'int' },
  'socket.receive.buffer.bytes': { kind: 'int' },
  'queued.max.requests': { kind: 'int', min: 1 },
  'connections.max.idle.ms': { kind: 'long' },
  'max.connections': { kind: 'int', min: 0 },
  'max.connections.per.ip': { kind: 'int', min: 0 },
  'control.plane.listener.name': { kind: 'string' },
  'inter.broker.protocol.version': { kind: 'string' },
  'process.roles': { kind: 'list' },
  'controller.quorum.voters': { kind: 'list' },
  'controller.listener.names': { kind: 'string' },
  'offsets.topic.segment.bytes': { kind: 'int', min: 1 },
  'offsets.commit.timeout.ms': { kind: 'int', min: 1 },
  'offsets.load.buffer.size': { kind: 'int', min: 1 },
  'offsets.retention.check.interval.ms': { kind: 'long', min: 1 },
  'log.roll.jitter.ms': { kind: 'long' },
  'log.roll.jitter.hours': { kind: 'int', min: 0 },
  'log.preallocate': { kind: 'boolean' },
  'log.segment.delete.delay.ms': { kind: 'long', min: 0 },
  'log.flush.start.offset.checkpoint.interval.ms': { kind: 'int', min: 0 },
  'log.message.format.version': { kind: 'string' },
  'log.message.timestamp.difference.max.ms': { kind: 'long' },
  'log.message.timestamp.before.max.ms': { kind: 'long', min: 0 },
  'log.message.timestamp.after.max.ms': { kind: 'long', min: 0 },
  'log.message.downconversion.enable': { kind: 'boolean' },
  'compression.type': { kind: 'string' },
  'zookeeper.set.acl': { kind: 'boolean' },
  'zookeeper.max.in.flight.requests': { kind: 'int', min: 1 },
  'metric.reporters': { kind: 'list' },
  'authorizer.class.name': { kind: 'string' },
  // AclAuthorizer's own keys, read from props by src/auth/acl/authorizer-config.ts.
  'super.users': { kind: 'string' },
  'allow.everyone.if.no.acl.found': { kind: 'boolean' },
};

// ---- Typed values ----

function invalid(key: string, value: string, reason: string): ConfigError {
  return new ConfigError(`Invalid value ${value} for configuration ${key}: ${reason}`);
}

const INTEGER_RANGES: Record<'int' | 'short' | 'long', [bigint, bigint]> = {
  short: [-(2n ** 15n), 2n ** 15n - 1n],
  int: [-(2n ** 31n), 2n ** 31n - 1n],
  long: [-(2n ** 63n), 2n ** 63n - 1n],
};

type Value = number | boolean | string | string[];

/** Converts and validates one value as Kafka's ConfigDef does: values are trimmed first. */
function convert(key: string, raw: string, spec: KeySpec): Value {
  const text = raw.trim();
  let value: Value;
  switch (spec.kind) {
    case 'int':
    case 'short':
    case 'long': {
      const [lo, hi] = INTEGER_RANGES[spec.kind];
      const n = /^[+-]?\d+$/.test(text) ? BigInt(text) : undefined;
      if (n === undefined || n < lo || n > hi) {
        throw invalid(key, raw, `Not a number of type ${spec.kind.toUpperCase()}`);
      }
      value = Number(n);
      if (spec.min !== undefined && value < spec.min) throw invalid(key, raw, `Value must be at least ${spec.min}`);
      return value;
    }
    case 'double': {
      const n = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
      if (Number.isNaN(n)) throw invalid(key, raw, 'Not a number of type DOUBLE');
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
        throw invalid(key, raw, `Value must be between ${spec.min} and ${spec.max}`);
      }
      return n;
    }
    case 'boolean':
      if (!/^(true|false)$/i.test(text)) throw invalid(key, raw, 'Expected value to be either true or false');
      return text.toLowerCase() === 'true';
    case 'string':
      value = text;
      break;
    case 'list':
      value = text === '' ? [] : text.split(/\s*,\s*/);
      break;
  }
  for (const item of typeof value === 'string' ? [value] : value) {
    if (spec.oneOf && !spec.oneOf.includes(item)) {
      throw invalid(key, raw, `String must be one of: ${spec.oneOf.join(', ')}`);
    }
  }
  return value;
}

/**
 * Checks one broker config value as Kafka's ConfigDef parses it (ConfigError with Kafka's message):
 * by kafka-ts's own spec of the key, else by the kind Kafka gives it.
 */
/** Keys that exist only as dynamic broker configs (Kafka's DynamicConfig.Broker), with their bounds. */
const DYNAMIC_ONLY_KEYS: Readonly<Record<string, KeySpec>> = {
  'leader.replication.throttled.rate': { kind: 'long', min: 0 },
  'follower.replication.throttled.rate': { kind: 'long', min: 0 },
  'replica.alter.log.dirs.io.max.bytes.per.second': { kind: 'long', min: 0 },
};

export function validateBrokerValue(key: string, raw: string, kafkaKind: Kind | undefined): void {
  const spec = BROKER_KEYS[key] ?? ACCEPTED_KEYS[key] ?? DYNAMIC_ONLY_KEYS[key] ?? (kafkaKind && { kind: kafkaKind });
  if (spec) convert(key, raw, spec);
}

/** Reads BROKER_KEYS from the given props, falling back to Kafka's defaults. */
class Settings {
  constructor(private readonly props: ReadonlyMap<string, string>) {}

  has(key: string): boolean {
    return this.props.has(key);
  }

  raw(key: string): string {
    return this.props.get(key) ?? BROKER_KEYS[key].default ?? '';
  }

  private optional(key: string): Value | undefined {
    const raw = this.props.get(key) ?? BROKER_KEYS[key].default;
    return raw === undefined ? undefined : convert(key, raw, BROKER_KEYS[key]);
  }

  optNumber(key: string): number | undefined {
    return this.optional(key) as number | undefined;
  }

  number(key: string): number {
    return this.optional(key) as number;
  }

  boolean(key: string): boolean {
    return this.optional(key) as boolean;
  }

  optString(key: string): string | undefined {
    return this.optional(key) as string | undefined;
  }

  string(key: string): string {
    return this.optional(key) as string;
  }

  optList(key: string): string[] | undefined {
    return this.optional(key) as string[] | undefined;
  }
}

// ---- Listeners ----

function parseProtocolMap(settings: Settings): Map<string, SecurityProtocol> {
  const key = 'listener.security.protocol.map';
  const map = new Map<string, SecurityProtocol>();
  for (const entry of settings.string(key).split(/\s*,\s*/).filter((e) => e !== '')) {
    const m = /^([^:]+?)\s*:\s*(\S+)$/.exec(entry);
    const protocol = m?.[2].toUpperCase() as SecurityProtocol | undefined;
    if (!m || !protocol || !SECURITY_PROTOCOLS.includes(protocol)) {
      const expected = `expected NAME:PROTOCOL entries with PROTOCOL one of ${SECURITY_PROTOCOLS.join(', ')}`;
      throw invalid(key, settings.raw(key), expected);
    }
    map.set(m[1].toUpperCase(), protocol);
  }
  return map;
}

const LISTENER = /^(.*):\/\/\[?([0-9a-zA-Z\-%._:]*)\]?:(-?[0-9]+)$/;

function parseListeners(
  key: string,
  settings: Settings,
  protocols: ReadonlyMap<string, SecurityProtocol>,
  requireDistinctPorts: boolean,
): Listener[] {
  const raw = settings.raw(key);
  const listeners: Listener[] = [];
  for (const spec of settings.string(key).split(/\s*,\s*/).filter((s) => s !== '')) {
    const m = LISTENER.exec(spec);
    if (!m) throw invalid(key, raw, `Unable to parse ${spec} to a broker endpoint (expected NAME://host:port)`);
    const name = m[1].toUpperCase();
    const port = Number(m[3]);
    const securityProtocol = protocols.get(name);
    if (!securityProtocol) throw invalid(key, raw, `No security protocol defined for listener ${name}`);
    if (port < 0 || port > 65535) throw invalid(key, raw, `port ${port} is out of range`);
    if (listeners.some((l) => l.name === name)) throw invalid(key, raw, 'Each listener must have a different name');
    if (requireDistinctPorts && port !== 0 && listeners.some((l) => l.port === port)) {
      throw invalid(key, raw, 'Each listener must have a different port');
    }
    listeners.push({ name, host: m[2], port, securityProtocol });
  }
  if (listeners.length === 0) throw invalid(key, raw, 'at least one listener is required');
  return listeners;
}

/** Advertised listeners default to the listeners; an empty host advertises this machine's name, as Kafka does. */
function parseAdvertisedListeners(
  settings: Settings,
  listeners: Listener[],
  protocols: ReadonlyMap<string, SecurityProtocol>,
): Listener[] {
  const key = settings.has('advertised.listeners') ? 'advertised.listeners' : 'listeners';
  const advertised = key === 'listeners' ? listeners : parseListeners(key, settings, protocols, false);
  for (const l of advertised) {
    if (!listeners.some((b) => b.name === l.name)) {
      throw invalid(key, settings.raw(key), `listener ${l.name} is not defined in listeners`);
    }
    if (l.host === '0.0.0.0') {
      const reason = 'cannot use the nonroutable meta-address 0.0.0.0';
      const hint = `advertised.listeners defaults to listeners and ${reason}: set advertised.listeners`;
      throw invalid(key, settings.raw(key), key === 'listeners' ? hint : reason);
    }
  }
  return advertised.map((l) => (l.host === '' ? { ...l, host: hostname() } : l));
}

// ---- BrokerConfig ----

/** Kafka's security configs, which the listeners, SASL and delegation tokens read and validate where they use them. */
const SECURITY_KEY = /^(ssl\.|sasl\.|delegation\.token\.|connections\.max\.reauth\.ms$|connection\.failed\.authentication\.delay\.ms$|principal\.builder\.class$)/;

/** A security config of Kafka's, plain or for one listener (listener.name.<l>.<config>, listener.name.<l>.<mechanism>.sasl.jaas.config). */
function isSecurityKey(key: string): boolean {
  const base = listenerBaseName(key) ?? key;
  const name = LISTENER_MECHANISM_CONFIGS.find((c) => base.endsWith(`.${c}`)) ?? base;
  return SECURITY_KEY.test(name) && name in BROKER_CONFIG_DEFS;
}

/** Validates every known key given, warns once per unknown key, and applies Kafka's defaults and precedence. */
export function parseConfig(props: Map<string, string>, warn: (line: string) => void): BrokerConfig {
  for (const [key, raw] of props) {
    const spec = BROKER_KEYS[key] ?? ACCEPTED_KEYS[key];
    if (spec) convert(key, raw, spec);
    else if (!isSecurityKey(key)) warn(`WARN unknown config key ${key} ignored`);
  }
  const s = new Settings(props);

  // KRaft-style files name the broker with node.id; Kafka takes it as broker.id.
  const idKey = s.has('node.id') && !s.has('broker.id') ? 'node.id' : 'broker.id';
  const brokerId = s.number(idKey);
  const brokerIdGenerationEnable = s.boolean('broker.id.generation.enable');
  const reservedBrokerMaxId = s.number('reserved.broker.max.id');
  if (brokerIdGenerationEnable && (brokerId < -1 || brokerId > reservedBrokerMaxId)) {
    const range = `must be at least -1 and at most reserved.broker.max.id (${reservedBrokerMaxId})`;
    throw invalid(idKey, s.raw(idKey), range);
  }
  if (!brokerIdGenerationEnable && brokerId < 0) {
    throw invalid(idKey, s.raw(idKey), 'must be at least 0 when broker.id.generation.enable is false');
  }

  const protocols = parseProtocolMap(s);
  const listeners = parseListeners('listeners', s, protocols, true);
  const logDirs = s.optList('log.dirs') ?? s.optList('log.dir') ?? [];
  if (logDirs.length === 0) {
    const key = s.has('log.dirs') ? 'log.dirs' : 'log.dir';
    throw invalid(key, s.raw(key), 'at least one log directory must be defined via log.dirs or log.dir');
  }

  const minutes = 60_000;
  const hours = 60 * minutes;
  const retentionMs =
    s.optNumber('log.retention.ms') ??
    (s.optNumber('log.retention.minutes') ?? s.number('log.retention.hours') * 60) * minutes;
  const flushSchedulerIntervalMs = s.number('log.flush.scheduler.interval.ms');
  const sessionTimeoutMs = s.number('zookeeper.session.timeout.ms');
  const replicaFetchWaitMaxMs = s.number('replica.fetch.wait.max.ms');
  const replicaSocketTimeoutMs = s.number('replica.socket.timeout.ms');
  const replicaLagTimeMaxMs = s.number('replica.lag.time.max.ms');
  if (replicaFetchWaitMaxMs > replicaSocketTimeoutMs) {
    throw new ConfigError('replica.socket.timeout.ms should always be at least replica.fetch.wait.max.ms to prevent unnecessary socket timeouts');
  }
  if (replicaFetchWaitMaxMs > replicaLagTimeMaxMs) {
    throw new ConfigError('replica.fetch.wait.max.ms should always be less than or equal to replica.lag.time.max.ms to prevent frequent changes in ISR');
  }

  return {
    brokerId,
    brokerIdGenerationEnable,
    reservedBrokerMaxId,
    brokerRack: s.optString('broker.rack') || null,
    listeners,
    advertisedListeners: parseAdvertisedListeners(s, listeners, protocols),
    listenerSecurityProtocolMap: protocols,
    logDirs,
    numPartitions: s.number('num.partitions'),
    defaultReplicationFactor: s.number('default.replication.factor'),
    autoCreateTopicsEnable: s.boolean('auto.create.topics.enable'),
    deleteTopicEnable: s.boolean('delete.topic.enable'),
    logSegmentBytes: s.number('log.segment.bytes'),
    logRollMs: s.optNumber('log.roll.ms') ?? s.number('log.roll.hours') * hours,
    logIndexIntervalBytes: s.number('log.index.interval.bytes'),
    logIndexSizeMaxBytes: s.number('log.index.size.max.bytes'),
    // Kafka reads any negative retention as "forever".
    logRetentionMs: retentionMs < 0 ? -1 : retentionMs,
    logRetentionBytes: s.number('log.retention.bytes'),
    logRetentionCheckIntervalMs: s.number('log.retention.check.interval.ms'),
    logFlushIntervalMessages: s.number('log.flush.interval.messages'),
    logFlushIntervalMs: s.optNumber('log.flush.interval.ms') ?? flushSchedulerIntervalMs,
    logFlushSchedulerIntervalMs: flushSchedulerIntervalMs,
    logFlushOffsetCheckpointIntervalMs: s.number('log.flush.offset.checkpoint.interval.ms'),
    logMessageTimestampType: s.string('log.message.timestamp.type') as TimestampTypeName,
    logCleanupPolicy: s.optList('log.cleanup.policy') as CleanupPolicy[],
    logCleanerEnable: s.boolean('log.cleaner.enable'),
    logCleanerThreads: s.number('log.cleaner.threads'),
    logCleanerDedupeBufferSize: s.number('log.cleaner.dedupe.buffer.size'),
    logCleanerIoBufferSize: s.number('log.cleaner.io.buffer.size'),
    logCleanerDeleteRetentionMs: s.number('log.cleaner.delete.retention.ms'),
    logCleanerMinCleanableRatio: s.number('log.cleaner.min.cleanable.ratio'),
    logCleanerMinCompactionLagMs: s.number('log.cleaner.min.compaction.lag.ms'),
    logCleanerMaxCompactionLagMs: s.number('log.cleaner.max.compaction.lag.ms'),
    logCleanerBackoffMs: s.number('log.cleaner.backoff.ms'),
    messageMaxBytes: s.number('message.max.bytes'),
    socketRequestMaxBytes: s.number('socket.request.max.bytes'),
    quotaWindowNum: s.number('quota.window.num'),
    quotaWindowSizeSeconds: s.number('quota.window.size.seconds'),
    replicationQuotaWindowNum: s.number('replication.quota.window.num'),
    replicationQuotaWindowSizeSeconds: s.number('replication.quota.window.size.seconds'),
    offsetsTopicNumPartitions: s.number('offsets.topic.num.partitions'),
    offsetsTopicReplicationFactor: s.number('offsets.topic.replication.factor'),
    offsetsRetentionMinutes: s.number('offsets.retention.minutes'),
    transactionStateLogNumPartitions: s.number('transaction.state.log.num.partitions'),
    transactionStateLogReplicationFactor: s.number('transaction.state.log.replication.factor'),
    transactionStateLogMinIsr: s.number('transaction.state.log.min.isr'),
    transactionStateLogSegmentBytes: s.number('transaction.state.log.segment.bytes'),
    transactionMaxTimeoutMs: s.number('transaction.max.timeout.ms'),
    transactionPartitionVerificationEnable: s.boolean('transaction.partition.verification.enable'),
    transactionalIdExpirationMs: s.number('transactional.id.expiration.ms'),
    transactionAbortTimedOutTransactionCleanupIntervalMs: s.number('transaction.abort.timed.out.transaction.cleanup.interval.ms'),
    transactionRemoveExpiredTransactionCleanupIntervalMs: s.number('transaction.remove.expired.transaction.cleanup.interval.ms'),
    producerIdExpirationMs: s.number('producer.id.expiration.ms'),
    producerIdExpirationCheckIntervalMs: s.number('producer.id.expiration.check.interval.ms'),
    groupInitialRebalanceDelayMs: s.number('group.initial.rebalance.delay.ms'),
    groupMinSessionTimeoutMs: s.number('group.min.session.timeout.ms'),
    groupMaxSessionTimeoutMs: s.number('group.max.session.timeout.ms'),
    groupMaxSize: s.number('group.max.size'),
    zookeeperConnect: s.string('zookeeper.connect'),
    zookeeperSessionTimeoutMs: sessionTimeoutMs,
    zookeeperConnectionTimeoutMs: s.optNumber('zookeeper.connection.timeout.ms') ?? sessionTimeoutMs,
    interBrokerListenerName: (s.optString('inter.broker.listener.name') || s.string('security.inter.broker.protocol')).toUpperCase(),
    minInsyncReplicas: s.number('min.insync.replicas'),
    replicaLagTimeMaxMs,
    replicaFetchWaitMaxMs,
    replicaFetchMinBytes: s.number('replica.fetch.min.bytes'),
    replicaFetchMaxBytes: s.number('replica.fetch.max.bytes'),
    replicaFetchResponseMaxBytes: s.number('replica.fetch.response.max.bytes'),
    replicaFetchBackoffMs: s.number('replica.fetch.backoff.ms'),
    replicaSelectorClass: s.optString('replica.selector.class') || null,
    maxIncrementalFetchSessionCacheSlots: s.number('max.incremental.fetch.session.cache.slots'),
    replicaSocketTimeoutMs,
    controlledShutdownEnable: s.boolean('controlled.shutdown.enable'),
    controlledShutdownMaxRetries: s.number('controlled.shutdown.max.retries'),
    controlledShutdownRetryBackoffMs: s.number('controlled.shutdown.retry.backoff.ms'),
    uncleanLeaderElectionEnable: s.boolean('unclean.leader.election.enable'),
    autoLeaderRebalanceEnable: s.boolean('auto.leader.rebalance.enable'),
    leaderImbalanceCheckIntervalSeconds: s.number('leader.imbalance.check.interval.seconds'),
    leaderImbalancePerBrokerPercentage: s.number('leader.imbalance.per.broker.percentage'),
    metricsListener: s.string('kafkats.metrics.listener').trim(),
    consoleListener: s.string('kafkats.console.listener').trim(),
    controlListener: loopbackAddress('kafkats.control.listener', s.string('kafkats.control.listener').trim()),
    controlClock: s.string('kafkats.control.clock') as 'system' | 'controllable',
    controlRequestLogSize: s.number('kafkats.control.request.log.size'),
    props,
  };
}

/** The control plane answers only the machine it runs on: its address must be a loopback one. */
function loopbackAddress(key: string, value: string): string {
  if (value === '') return value;
  const host = /^(?:\[([^\]]+)\]|([^:]*)):\d+$/.exec(value)?.slice(1).find((h) => h !== undefined);
  if (host === undefined) throw invalid(key, value, 'Expected host:port');
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) throw invalid(key, value, 'The control plane listens on a loopback address only (127.0.0.1, localhost or [::1])');
  return value;
}

/** Loads a server.properties file; each "key=value" override beats the file, as with Kafka's --override. */
export function loadConfig(path: string, overrides: string[], warn: (line: string) => void): BrokerConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`Cannot read config file ${path}: ${(err as Error).message}`);
  }
  let props: Map<string, string>;
  try {
    props = parseProperties(text);
  } catch (err) {
    if (err instanceof PropertiesSyntaxError) throw new ConfigError(`${path}: ${err.message}`);
    throw err;
  }
  for (const override of overrides) {
    const eq = override.indexOf('=');
    if (eq <= 0) throw new ConfigError(`Invalid override ${override}: expected key=value`);
    props.set(override.slice(0, eq).trim(), override.slice(eq + 1));
  }
  return parseConfig(props, warn);
}
