// Kafka 3.9's rules for broker config names: which keys set one setting (synonyms), which broker
// keys a topic config defaults from, and how a name's type and sensitivity are found.

import { BROKER_CONFIG_DEFS, ConfigTypeName, DYNAMIC_ONLY_BROKER_CONFIGS, LISTENER_MECHANISM_CONFIGS } from './broker-config-defs';

/** Kafka's DynamicBrokerConfig.ListenerConfigRegex: the base name of listener.name.<listener>.<config>. */
const LISTENER_CONFIG = /^listener\.name\.[^.]*\.(.*)$/;

/** The base config of a listener-prefixed name, undefined for other names. */
export function listenerBaseName(name: string): string | undefined {
  return LISTENER_CONFIG.exec(name)?.[1];
}

const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['log.roll.ms', 'log.roll.hours'],
  ['log.roll.jitter.ms', 'log.roll.jitter.hours'],
  ['log.retention.ms', 'log.retention.minutes', 'log.retention.hours'],
];

/**
 * Kafka's DynamicBrokerConfig.brokerConfigSynonyms: the keys that set the same setting as name,
 * most specific first. log.flush.interval.ms falls back to log.flush.scheduler.interval.ms (only
 * that way round). A listener-prefixed name is followed by its base config; for the per-mechanism
 * configs (listener.name.<l>.<mechanism>.sasl.jaas.config) the base is the config without the mechanism.
 */
export function brokerConfigSynonyms(name: string, matchListenerOverride: boolean): string[] {
  const group = SYNONYM_GROUPS.find((g) => g.includes(name));
  if (group) return [...group];
  if (name === 'log.flush.interval.ms') return [name, 'log.flush.scheduler.interval.ms'];
  const base = matchListenerOverride ? listenerBaseName(name) : undefined;
  if (base !== undefined) return [name, LISTENER_MECHANISM_CONFIGS.find((c) => base.endsWith(c)) ?? base];
  return [name];
}

/** One broker key a topic config defaults from; msPerUnit converts a key in hours or minutes to milliseconds. */
export interface ServerSynonym {
  name: string;
  msPerUnit?: number;
}

const HOURS = 3_600_000;
const MINUTES = 60_000;

/**
 * Kafka 3.9's ServerTopicConfigSynonyms.ALL_TOPIC_CONFIG_SYNONYMS: the broker keys each topic config
 * defaults from, the first set one winning. Topic configs absent here have no broker default.
 */
export const TOPIC_CONFIG_SYNONYMS: Readonly<Record<string, readonly ServerSynonym[]>> = {
  'segment.bytes': [{ name: 'log.segment.bytes' }],
  'segment.ms': [{ name: 'log.roll.ms' }, { name: 'log.roll.hours', msPerUnit: HOURS }],
  'segment.jitter.ms': [{ name: 'log.roll.jitter.ms' }, { name: 'log.roll.jitter.hours', msPerUnit: HOURS }],
  'segment.index.bytes': [{ name: 'log.index.size.max.bytes' }],
  'flush.messages': [{ name: 'log.flush.interval.messages' }],
  'flush.ms': [{ name: 'log.flush.interval.ms' }, { name: 'log.flush.scheduler.interval.ms' }],
  'retention.bytes': [{ name: 'log.retention.bytes' }],
  'retention.ms': [{ name: 'log.retention.ms' }, { name: 'log.retention.minutes', msPerUnit: MINUTES }, { name: 'log.retention.hours', msPerUnit: HOURS }],
  'max.message.bytes': [{ name: 'message.max.bytes' }],
  'index.interval.bytes': [{ name: 'log.index.interval.bytes' }],
  'delete.retention.ms': [{ name: 'log.cleaner.delete.retention.ms' }],
  'min.compaction.lag.ms': [{ name: 'log.cleaner.min.compaction.lag.ms' }],
  'max.compaction.lag.ms': [{ name: 'log.cleaner.max.compaction.lag.ms' }],
  'file.delete.delay.ms': [{ name: 'log.segment.delete.delay.ms' }],
  'min.cleanable.dirty.ratio': [{ name: 'log.cleaner.min.cleanable.ratio' }],
  'cleanup.policy': [{ name: 'log.cleanup.policy' }],
  'unclean.leader.election.enable': [{ name: 'unclean.leader.election.enable' }],
  'min.insync.replicas': [{ name: 'min.insync.replicas' }],
  'compression.type': [{ name: 'compression.type' }],
  'compression.gzip.level': [{ name: 'compression.gzip.level' }],
  'compression.lz4.level': [{ name: 'compression.lz4.level' }],
  'compression.zstd.level': [{ name: 'compression.zstd.level' }],
  preallocate: [{ name: 'log.preallocate' }],
  'message.format.version': [{ name: 'log.message.format.version' }],
  'message.timestamp.type': [{ name: 'log.message.timestamp.type' }],
  'message.timestamp.difference.max.ms': [{ name: 'log.message.timestamp.difference.max.ms' }],
  'message.timestamp.before.max.ms': [{ name: 'log.message.timestamp.before.max.ms' }],
  'message.timestamp.after.max.ms': [{ name: 'log.message.timestamp.after.max.ms' }],
  'message.downconversion.enable': [{ name: 'log.message.downconversion.enable' }],
  'local.retention.ms': [{ name: 'log.local.retention.ms' }],
  'local.retention.bytes': [{ name: 'log.local.retention.bytes' }],
};

function typeOf(name: string): ConfigTypeName | undefined {
  return BROKER_CONFIG_DEFS[name]?.type;
}

/**
 * Kafka's KafkaConfig.configType: the name's own type (the dynamic-only configs included), else
 * the type of its first typed synonym, so listener.name.<l>.ssl.keystore.password is a PASSWORD.
 */
export function brokerConfigType(name: string): ConfigTypeName | undefined {
  const exact = typeOf(name) ?? DYNAMIC_ONLY_BROKER_CONFIGS[name]?.type;
  if (exact !== undefined) return exact;
  return brokerConfigSynonyms(name, true).map(typeOf).find((t) => t !== undefined);
}

/** Kafka's KafkaConfig.maybeSensitive: passwords, and any name whose type is unknown, to be safe. */
export function isSensitiveBrokerConfig(name: string): boolean {
  const type = brokerConfigType(name);
  return type === undefined || type === 'PASSWORD';
}
