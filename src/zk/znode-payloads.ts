// Kafka 3.9's znode payloads (ZkData.scala), written with the same keys and JSON types as Kafka's
// Jackson output: several numbers are JSON strings (cluster id version, timestamps) and must stay
// so. Readers accept what any Kafka 2.x/3.x broker or tool wrote (older versions, optional keys).

import { BrokerEndpointInfo, BrokerInfo } from '../cluster/cluster';

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');

function parse(data: Buffer | null, what: string): Record<string, unknown> {
  const text = data?.toString('utf8') ?? '';
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below with the offending text
  }
  throw new Error(`Failed to parse ZooKeeper ${what}: ${text}`);
}

const int = (v: unknown, what: string): number => {
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new Error(`Bad ${what}: ${JSON.stringify(v)}`);
  return n;
};

const intList = (v: unknown, what: string): number[] => {
  if (!Array.isArray(v)) throw new Error(`Bad ${what}: ${JSON.stringify(v)}`);
  return v.map((x) => int(x, what));
};

// ---- /cluster/id ----

export const encodeClusterId = (id: string): Buffer => json({ version: '1', id });

export function decodeClusterId(data: Buffer | null): string {
  const id = parse(data, 'cluster id').id;
  if (typeof id !== 'string') throw new Error(`Failed to parse the cluster id json ${data?.toString('utf8')}`);
  return id;
}

// ---- /brokers/ids/<id> ----

/** Security protocol of each Kafka protocol-named listener, used when a registration carries no map (v1-v3). */
const DEFAULT_PROTOCOL_MAP: Record<string, string> = { PLAINTEXT: 'PLAINTEXT', SSL: 'SSL', SASL_PLAINTEXT: 'SASL_PLAINTEXT', SASL_SSL: 'SASL_SSL' };

/** EndPoint.connectionString: LISTENER://host:port, IPv6 hosts in brackets. */
export function endpointString(e: Pick<BrokerEndpointInfo, 'listener' | 'host' | 'port'>): string {
  const host = e.host.includes(':') ? `[${e.host}]` : e.host;
  return `${e.listener}://${host}:${e.port}`;
}

const ENDPOINT = /^(.*):\/\/\[?([0-9a-zA-Z\-%._:]*)\]?:(-?[0-9]+)$/;

/** Kafka's v5 registration (IBP >= 2.7); host/port are the first PLAINTEXT endpoint, for old clients. */
export function encodeBrokerRegistration(broker: BrokerInfo, timestamp: number): Buffer {
  const plaintext = broker.endpoints.find((e) => e.securityProtocol === 'PLAINTEXT');
  const protocolMap: Record<string, string> = {};
  for (const e of broker.endpoints) protocolMap[e.listener] = e.securityProtocol;
  return json({
    features: {},
    listener_security_protocol_map: protocolMap,
    endpoints: broker.endpoints.map(endpointString),
    jmx_port: -1,
    port: plaintext?.port ?? -1,
    host: plaintext?.host ?? null,
    ...(broker.rack !== null ? { rack: broker.rack } : {}),
    version: 5,
    timestamp: String(timestamp),
  });
}

/** Any registration version (1-5), as BrokerIdZNode.decode reads it. */
export function decodeBrokerRegistration(id: number, data: Buffer | null): BrokerInfo {
  const r = parse(data, `registration for broker ${id}`);
  const version = int(r.version, 'registration version');
  const rack = typeof r.rack === 'string' ? r.rack : null;
  if (version < 1) throw new Error(`Unsupported version of broker registration: ${data?.toString('utf8')}`);
  if (version === 1) {
    return { id, rack, endpoints: [{ listener: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: String(r.host), port: int(r.port, 'port') }] };
  }
  const protocols = (r.listener_security_protocol_map as Record<string, string> | undefined) ?? DEFAULT_PROTOCOL_MAP;
  const endpoints = (r.endpoints as unknown[]).map((text): BrokerEndpointInfo => {
    const m = ENDPOINT.exec(String(text));
    if (!m) throw new Error(`Unable to parse ${String(text)} to a broker endpoint`);
    const listener = m[1].toUpperCase();
    const securityProtocol = protocols[listener] ?? protocols[m[1]];
    if (!securityProtocol) throw new Error(`No security protocol defined for listener ${listener}`);
    return { listener, securityProtocol, host: m[2], port: Number(m[3]) };
  });
  return { id, rack, endpoints };
}

// ---- /controller, /controller_epoch ----

export const encodeController = (brokerId: number, timestamp: number): Buffer =>
  json({ version: 2, brokerid: brokerId, timestamp: String(timestamp), kraftControllerEpoch: -1 });

export const decodeControllerId = (data: Buffer | null): number => int(parse(data, 'controller').brokerid, 'controller brokerid');

export const encodeControllerEpoch = (epoch: number): Buffer => Buffer.from(String(epoch), 'utf8');

export const decodeControllerEpoch = (data: Buffer | null): number => int(data?.toString('utf8').trim(), 'controller epoch');

// ---- /brokers/topics/<t> ----

export interface TopicAssignment {
  /** Replicas of partition i at index i. */
  replicas: number[][];
  /** Absent when written by a pre-2.8 tool; the controller back-fills it. */
  topicId: string | null;
  /** Reassignment bookkeeping, kept as read. */
  addingReplicas: Record<string, number[]>;
  removingReplicas: Record<string, number[]>;
}

export function encodeTopicAssignment(a: TopicAssignment): Buffer {
  const partitions: Record<string, number[]> = {};
  a.replicas.forEach((r, p) => (partitions[String(p)] = r));
  return json({
    version: 3,
    partitions,
    adding_replicas: a.addingReplicas,
    removing_replicas: a.removingReplicas,
    ...(a.topicId !== null ? { topic_id: a.topicId } : {}),
  });
}

export function decodeTopicAssignment(topic: string, data: Buffer | null): TopicAssignment {
  const t = parse(data, `assignment of topic ${topic}`);
  const partitions = (t.partitions ?? {}) as Record<string, unknown>;
  const replicas: number[][] = [];
  for (const [p, r] of Object.entries(partitions)) replicas[int(p, 'partition')] = intList(r, `replicas of ${topic}-${p}`);
  for (let p = 0; p < replicas.length; p++) if (!replicas[p]) throw new Error(`Topic ${topic} has no assignment for partition ${p}`);
  return {
    replicas,
    topicId: typeof t.topic_id === 'string' ? t.topic_id : null,
    addingReplicas: (t.adding_replicas ?? {}) as Record<string, number[]>,
    removingReplicas: (t.removing_replicas ?? {}) as Record<string, number[]>,
  };
}

// ---- /brokers/topics/<t>/partitions/<p>/state ----

export const LEADER_RECOVERY_RECOVERED = 0;

export interface PartitionState {
  leader: number;
  leaderEpoch: number;
  isr: number[];
  controllerEpoch: number;
  leaderRecoveryState: number;
}

export function encodePartitionState(s: PartitionState): Buffer {
  return json({
    controller_epoch: s.controllerEpoch,
    leader: s.leader,
    version: 1,
    leader_epoch: s.leaderEpoch,
    isr: s.isr,
    ...(s.leaderRecoveryState !== LEADER_RECOVERY_RECOVERED ? { leader_recovery_state: s.leaderRecoveryState } : {}),
  });
}

export function decodePartitionState(data: Buffer | null): PartitionState {
  const s = parse(data, 'partition state');
  return {
    leader: int(s.leader, 'leader'),
    leaderEpoch: int(s.leader_epoch, 'leader_epoch'),
    isr: intList(s.isr, 'isr'),
    controllerEpoch: int(s.controller_epoch, 'controller_epoch'),
    leaderRecoveryState: s.leader_recovery_state === undefined ? LEADER_RECOVERY_RECOVERED : int(s.leader_recovery_state, 'leader_recovery_state'),
  };
}

// ---- /admin/preferred_replica_election ----

/** The partitions a preferred replica election was asked for (kafka-preferred-replica-election.sh, v1). */
export function decodePartitionList(data: Buffer | null): { topic: string; partition: number }[] {
  const partitions = parse(data, 'partition list').partitions;
  if (!Array.isArray(partitions)) throw new Error(`Bad partition list: ${data?.toString('utf8')}`);
  return partitions.map((p: { topic?: unknown; partition?: unknown }) => {
    if (typeof p.topic !== 'string') throw new Error(`Bad topic in partition list: ${JSON.stringify(p)}`);
    return { topic: p.topic, partition: int(p.partition, 'partition') };
  });
}

// ---- /admin/reassign_partitions ----

/** The reassignments the deprecated znode asks for (kafka-reassign-partitions.sh --zookeeper, v1). */
export function decodeReassignmentList(data: Buffer | null): { topic: string; partition: number; replicas: number[] }[] {
  const partitions = parse(data, 'partition reassignment').partitions;
  if (!Array.isArray(partitions)) throw new Error(`Bad partition reassignment: ${data?.toString('utf8')}`);
  return partitions.map((p: { topic?: unknown; partition?: unknown; replicas?: unknown }) => {
    if (typeof p.topic !== 'string') throw new Error(`Bad topic in partition reassignment: ${JSON.stringify(p)}`);
    return { topic: p.topic, partition: int(p.partition, 'partition'), replicas: intList(p.replicas, 'replicas') };
  });
}

// ---- /isr_change_notification/isr_change_<seq> ----

export const encodeIsrChangeNotification = (partitions: { topic: string; partition: number }[]): Buffer =>
  json({ version: 1, partitions: partitions.map((p) => ({ topic: p.topic, partition: p.partition })) });

// ---- /log_dir_event_notification/log_dir_event_<seq> ----

/** LogDirEventNotificationZNode: event 1 is LogDirFailure, the only one. */
export const LOG_DIR_FAILURE_EVENT = 1;

export const encodeLogDirEventNotification = (brokerId: number): Buffer => json({ version: 1, broker: brokerId, event: LOG_DIR_FAILURE_EVENT });

/** The broker a log dir event names (ZkData's LogDirEventNotificationSequenceZNode.decode). */
export function decodeLogDirEventNotification(data: Buffer | null): number {
  const parsed = JSON.parse((data ?? Buffer.alloc(0)).toString('utf8')) as { broker?: unknown };
  return int(parsed.broker, 'broker');
}

// ---- /config/<type>/<name>, /config/changes/config_change_<seq> ----

export const encodeEntityConfig = (config: Record<string, string>): Buffer => json({ version: 1, config });

export function decodeEntityConfig(data: Buffer | null): Record<string, string> {
  if (data === null || data.length === 0) return {};
  const config = parse(data, 'entity config').config;
  const out: Record<string, string> = {};
  if (config && typeof config === 'object') for (const [k, v] of Object.entries(config)) out[k] = String(v);
  return out;
}

/** A config change notification as Kafka 3.9 writes it (version 2, the entity's path, e.g. "topics/<t>"). */
export const encodeConfigChange = (entityPath: string): Buffer => json({ version: 2, entity_path: entityPath });

/** The changed entity's path ("topics/<t>"); version 1 notifications name type and entity apart. */
export function decodeConfigChange(data: Buffer | null): string {
  const n = parse(data, 'config change notification');
  if (typeof n.entity_path === 'string') return n.entity_path;
  if (typeof n.entity_type === 'string' && typeof n.entity_name === 'string') return `${n.entity_type}/${n.entity_name}`;
  throw new Error(`Failed to parse config change notification ${data?.toString('utf8')}`);
}

// ---- /feature ----

export const FEATURES_ENABLED = 1;

export interface FeatureZNode {
  /** 1 (levels with min_version_level) or 2. */
  version: number;
  /** 0 disabled, 1 enabled. */
  status: number;
  features: Map<string, number>;
}

/** FeatureZNode.encode at IBP 3.3+: version 2, each feature's max_version_level alone. */
export function encodeFeatures(levels: ReadonlyMap<string, number>): Buffer {
  const features: Record<string, { max_version_level: number }> = {};
  for (const [name, level] of levels) features[name] = { max_version_level: level };
  return json({ features, version: 2, status: FEATURES_ENABLED });
}

/** FeatureZNode.decode: versions 1 and 2, with Kafka's checks. */
export function decodeFeatures(data: Buffer | null): FeatureZNode {
  const f = parse(data, 'feature information');
  const version = int(f.version, 'feature znode version');
  if (version < 1 || version > 2) throw new Error(`Unsupported version: ${version} of feature information: ${data?.toString('utf8')}`);
  const status = int(f.status, 'feature znode status');
  if (status !== 0 && status !== FEATURES_ENABLED) throw new Error(`Malformed status: ${status} found in feature information: ${data?.toString('utf8')}`);
  if (f.features === null || typeof f.features !== 'object') throw new Error(`Features map can not be absent in: ${data?.toString('utf8')}`);
  const features = new Map<string, number>();
  for (const [name, info] of Object.entries(f.features as Record<string, Record<string, unknown>>)) {
    const max = int(info?.max_version_level, 'max_version_level');
    if (version === 1) {
      const min = int(info.min_version_level, 'min_version_level');
      if (min < 1 || max < min) throw new Error(`Expected minValue >= 1, maxValue >= 1 and maxValue >= minValue, but received minValue: ${min}, maxValue: ${max}`);
    }
    if (max < 1) throw new Error(`Expected maxValue >= 1, but received maxValue: ${max}`);
    features.set(name, max);
  }
  return { version, status, features };
}
