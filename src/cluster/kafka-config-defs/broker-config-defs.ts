// TEMPORARY STUB (replaced by the generated table on merge).
export type ConfigTypeName = 'BOOLEAN' | 'STRING' | 'INT' | 'SHORT' | 'LONG' | 'DOUBLE' | 'LIST' | 'CLASS' | 'PASSWORD';
export interface BrokerConfigDef {
  type: ConfigTypeName;
  default: string | null;
  doc: string;
  dynamic: 'read-only' | 'per-broker' | 'cluster-wide';
  sensitive?: boolean;
}
export const BROKER_CONFIG_DEFS: Readonly<Record<string, BrokerConfigDef>> = {
  'broker.id': { type: 'INT', default: '-1', doc: 'The broker id', dynamic: 'read-only' },
  'log.retention.ms': { type: 'LONG', default: null, doc: 'ms', dynamic: 'cluster-wide' },
  'log.retention.minutes': { type: 'INT', default: null, doc: 'min', dynamic: 'read-only' },
  'log.retention.hours': { type: 'INT', default: '168', doc: 'h', dynamic: 'read-only' },
  'log.retention.bytes': { type: 'LONG', default: '-1', doc: 'b', dynamic: 'cluster-wide' },
  'log.segment.bytes': { type: 'INT', default: '1073741824', doc: 'b', dynamic: 'cluster-wide' },
  'message.max.bytes': { type: 'INT', default: '1048588', doc: 'b', dynamic: 'cluster-wide' },
  'min.insync.replicas': { type: 'INT', default: '1', doc: 'b', dynamic: 'cluster-wide' },
  'unclean.leader.election.enable': { type: 'BOOLEAN', default: 'false', doc: 'b', dynamic: 'cluster-wide' },
  'log.cleanup.policy': { type: 'LIST', default: 'delete', doc: 'b', dynamic: 'cluster-wide' },
  'listeners': { type: 'STRING', default: 'PLAINTEXT://:9092', doc: 'b', dynamic: 'per-broker' },
  'inter.broker.protocol.version': { type: 'STRING', default: '3.9-IV0', doc: 'b', dynamic: 'read-only' },
  'log.message.format.version': { type: 'STRING', default: '3.0-IV1', doc: 'b', dynamic: 'read-only' },
  'log.flush.interval.ms': { type: 'LONG', default: null, doc: 'b', dynamic: 'cluster-wide' },
  'ssl.key.password': { type: 'PASSWORD', default: null, doc: 'b', dynamic: 'per-broker', sensitive: true },
};
