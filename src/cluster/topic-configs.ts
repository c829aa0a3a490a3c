// The topic-level configs Kafka 3.9 knows, with their defaults and the broker setting each one
// defaults from. Used to refuse unknown names, validate values and describe a topic's configs.

import { ErrorCode, KafkaError } from '../../protocol';
import { logConfigOverrides } from '../log/log-config';
import { BrokerConfigLayers, ConfigSource, ConfigSynonym, configSynonyms, layeredValue } from './config-synonyms';
import { TOPIC_CONFIG_SYNONYMS } from './kafka-config-defs/broker-synonyms';
import { TOPIC_CONFIG_DOCS } from './kafka-config-defs/topic-config-docs';
import { validateThrottledReplicas } from './throttled-replicas';

/** DescribeConfigs config types (Kafka's ConfigEntry.ConfigType). */
export const ConfigType = { UNKNOWN: 0, BOOLEAN: 1, STRING: 2, INT: 3, SHORT: 4, LONG: 5, DOUBLE: 6, LIST: 7, CLASS: 8, PASSWORD: 9 } as const;

export interface TopicConfigDef {
  type: number;
  /** Kafka's default when neither the topic nor the broker sets it. */
  defaultValue: string | null;
  /** The server.properties key that sets the default for every topic, if any. */
  brokerKey?: string;
}

const DAY = 86400000;

export const TOPIC_CONFIGS: Readonly<Record<string, TopicConfigDef>> = {
  'cleanup.policy': { type: ConfigType.LIST, defaultValue: 'delete', brokerKey: 'log.cleanup.policy' },
  'compression.type': { type: ConfigType.STRING, defaultValue: 'producer', brokerKey: 'compression.type' },
  'compression.gzip.level': { type: ConfigType.INT, defaultValue: '-1', brokerKey: 'compression.gzip.level' },
  'compression.lz4.level': { type: ConfigType.INT, defaultValue: '9', brokerKey: 'compression.lz4.level' },
  'compression.zstd.level': { type: ConfigType.INT, defaultValue: '3', brokerKey: 'compression.zstd.level' },
  'delete.retention.ms': { type: ConfigType.LONG, defaultValue: String(DAY), brokerKey: 'log.cleaner.delete.retention.ms' },
  'file.delete.delay.ms': { type: ConfigType.LONG, defaultValue: '60000', brokerKey: 'log.segment.delete.delay.ms' },
  'flush.messages': { type: ConfigType.LONG, defaultValue: '9223372036854775807', brokerKey: 'log.flush.interval.messages' },
  'flush.ms': { type: ConfigType.LONG, defaultValue: '9223372036854775807', brokerKey: 'log.flush.interval.ms' },
  'follower.replication.throttled.replicas': { type: ConfigType.LIST, defaultValue: '' },
  'index.interval.bytes': { type: ConfigType.INT, defaultValue: '4096', brokerKey: 'log.index.interval.bytes' },
  'leader.replication.throttled.replicas': { type: ConfigType.LIST, defaultValue: '' },
  'local.retention.bytes': { type: ConfigType.LONG, defaultValue: '-2', brokerKey: 'log.local.retention.bytes' },
  'local.retention.ms': { type: ConfigType.LONG, defaultValue: '-2', brokerKey: 'log.local.retention.ms' },
  'max.compaction.lag.ms': { type: ConfigType.LONG, defaultValue: '9223372036854775807', brokerKey: 'log.cleaner.max.compaction.lag.ms' },
  'max.message.bytes': { type: ConfigType.INT, defaultValue: '1048588', brokerKey: 'message.max.bytes' },
  'message.downconversion.enable': { type: ConfigType.BOOLEAN, defaultValue: 'true', brokerKey: 'log.message.downconversion.enable' },
  'message.format.version': { type: ConfigType.STRING, defaultValue: '3.0-IV1', brokerKey: 'log.message.format.version' },
  'message.timestamp.after.max.ms': { type: ConfigType.LONG, defaultValue: '9223372036854775807', brokerKey: 'log.message.timestamp.after.max.ms' },
  'message.timestamp.before.max.ms': { type: ConfigType.LONG, defaultValue: '9223372036854775807', brokerKey: 'log.message.timestamp.before.max.ms' },
  'message.timestamp.difference.max.ms': { type: ConfigType.LONG, defaultValue: '9223372036854775807', brokerKey: 'log.message.timestamp.difference.max.ms' },
  'message.timestamp.type': { type: ConfigType.STRING, defaultValue: 'CreateTime', brokerKey: 'log.message.timestamp.type' },
  'min.cleanable.dirty.ratio': { type: ConfigType.DOUBLE, defaultValue: '0.5', brokerKey: 'log.cleaner.min.cleanable.ratio' },
  'min.compaction.lag.ms': { type: ConfigType.LONG, defaultValue: '0', brokerKey: 'log.cleaner.min.compaction.lag.ms' },
  'min.insync.replicas': { type: ConfigType.INT, defaultValue: '1', brokerKey: 'min.insync.replicas' },
  preallocate: { type: ConfigType.BOOLEAN, defaultValue: 'false', brokerKey: 'log.preallocate' },
  'remote.log.copy.disable': { type: ConfigType.BOOLEAN, defaultValue: 'false' },
  'remote.log.delete.on.disable': { type: ConfigType.BOOLEAN, defaultValue: 'false' },
  'remote.storage.enable': { type: ConfigType.BOOLEAN, defaultValue: 'false' },
  'retention.bytes': { type: ConfigType.LONG, defaultValue: '-1', brokerKey: 'log.retention.bytes' },
  'retention.ms': { type: ConfigType.LONG, defaultValue: String(7 * DAY), brokerKey: 'log.retention.ms' },
  'segment.bytes': { type: ConfigType.INT, defaultValue: '1073741824', brokerKey: 'log.segment.bytes' },
  'segment.index.bytes': { type: ConfigType.INT, defaultValue: '10485760', brokerKey: 'log.index.size.max.bytes' },
  'segment.jitter.ms': { type: ConfigType.LONG, defaultValue: '0', brokerKey: 'log.roll.jitter.ms' },
  'segment.ms': { type: ConfigType.LONG, defaultValue: String(7 * DAY), brokerKey: 'log.roll.ms' },
  'unclean.leader.election.enable': { type: ConfigType.BOOLEAN, defaultValue: 'false', brokerKey: 'unclean.leader.election.enable' },
};

/** Refuses unknown names and bad values of topic configs (INVALID_CONFIG), as CreateTopics does. */
export function validateTopicConfigs(configs: Record<string, string>): void {
  for (const name of Object.keys(configs)) {
    if (!(name in TOPIC_CONFIGS)) throw new KafkaError(ErrorCode.INVALID_CONFIG, `Unknown topic config name: ${name}`);
  }
  logConfigOverrides(configs);
  validateThrottledReplicas(configs);
}

export interface DescribedConfig {
  name: string;
  value: string | null;
  readOnly: boolean;
  configSource: number;
  isSensitive: boolean;
  configType: number;
  /** Where the value could come from, most specific first (DescribeConfigs include_synonyms). */
  synonyms: ConfigSynonym[];
  /** Kafka's documentation of the key (DescribeConfigs v3+ include_documentation). */
  documentation?: string | null;
}

/** The value every topic gets from the broker: its most specific synonym key set, in milliseconds, else Kafka's default. */
function brokerValue(name: string, def: TopicConfigDef, layers: BrokerConfigLayers): string | null {
  for (const { name: key, msPerUnit } of TOPIC_CONFIG_SYNONYMS[name] ?? []) {
    const value = layeredValue(layers, key);
    if (value !== undefined) return msPerUnit ? String(BigInt(value.trim()) * BigInt(msPerUnit)) : value;
  }
  return def.defaultValue;
}

/**
 * A topic's effective configs, as Kafka's ConfigHelper.createTopicConfigEntry describes them: the
 * value is the topic's override, else what the broker sets, else Kafka's default; the synonyms are the
 * override, then the broker synonyms above; the source is the first synonym's, DEFAULT_CONFIG when
 * there is none.
 */
export function describeTopicConfigs(overrides: Record<string, string>, layers: BrokerConfigLayers): DescribedConfig[] {
  return Object.entries(TOPIC_CONFIGS).map(([name, def]) => {
    const synonyms = def.brokerKey ? configSynonyms(def.brokerKey, layers) : [];
    const override = overrides[name];
    if (override !== undefined) synonyms.unshift({ name, value: override, source: ConfigSource.DYNAMIC_TOPIC_CONFIG });
    return {
      name,
      value: override ?? brokerValue(name, def, layers),
      readOnly: false,
      configSource: synonyms.length > 0 ? synonyms[0].source : ConfigSource.DEFAULT_CONFIG,
      isSensitive: false,
      configType: def.type,
      synonyms,
      documentation: TOPIC_CONFIG_DOCS[name] ?? null,
    };
  });
}
