// The topic-level configs Kafka 3.9 knows, with their defaults and the broker setting each one
// defaults from. Used to refuse unknown names, validate values and describe a topic's configs.

import { ErrorCode, KafkaError } from '../../protocol';
import { logConfigOverrides } from '../log/log-config';

export interface TopicConfigDef {
  /** Kafka's default when neither the topic nor the broker sets it. */
  defaultValue: string | null;
  /** The server.properties key that sets the default for every topic, if any. */
  brokerKey?: string;
}

const DAY = 86400000;

export const TOPIC_CONFIGS: Readonly<Record<string, TopicConfigDef>> = {
  'cleanup.policy': { defaultValue: 'delete', brokerKey: 'log.cleanup.policy' },
  'compression.type': { defaultValue: 'producer', brokerKey: 'compression.type' },
  'compression.gzip.level': { defaultValue: '-1', brokerKey: 'compression.gzip.level' },
  'compression.lz4.level': { defaultValue: '9', brokerKey: 'compression.lz4.level' },
  'compression.zstd.level': { defaultValue: '3', brokerKey: 'compression.zstd.level' },
  'delete.retention.ms': { defaultValue: String(DAY), brokerKey: 'log.cleaner.delete.retention.ms' },
  'file.delete.delay.ms': { defaultValue: '60000', brokerKey: 'log.segment.delete.delay.ms' },
  'flush.messages': { defaultValue: '9223372036854775807', brokerKey: 'log.flush.interval.messages' },
  'flush.ms': { defaultValue: '9223372036854775807', brokerKey: 'log.flush.interval.ms' },
  'follower.replication.throttled.replicas': { defaultValue: '' },
  'index.interval.bytes': { defaultValue: '4096', brokerKey: 'log.index.interval.bytes' },
  'leader.replication.throttled.replicas': { defaultValue: '' },
  'local.retention.bytes': { defaultValue: '-2', brokerKey: 'log.local.retention.bytes' },
  'local.retention.ms': { defaultValue: '-2', brokerKey: 'log.local.retention.ms' },
  'max.compaction.lag.ms': { defaultValue: '9223372036854775807', brokerKey: 'log.cleaner.max.compaction.lag.ms' },
  'max.message.bytes': { defaultValue: '1048588', brokerKey: 'message.max.bytes' },
  'message.downconversion.enable': { defaultValue: 'true', brokerKey: 'log.message.downconversion.enable' },
  'message.format.version': { defaultValue: '3.0-IV1', brokerKey: 'log.message.format.version' },
  'message.timestamp.after.max.ms': { defaultValue: '9223372036854775807', brokerKey: 'log.message.timestamp.after.max.ms' },
  'message.timestamp.before.max.ms': { defaultValue: '9223372036854775807', brokerKey: 'log.message.timestamp.before.max.ms' },
  'message.timestamp.difference.max.ms': { defaultValue: '9223372036854775807', brokerKey: 'log.message.timestamp.difference.max.ms' },
  'message.timestamp.type': { defaultValue: 'CreateTime', brokerKey: 'log.message.timestamp.type' },
  'min.cleanable.dirty.ratio': { defaultValue: '0.5', brokerKey: 'log.cleaner.min.cleanable.ratio' },
  'min.compaction.lag.ms': { defaultValue: '0', brokerKey: 'log.cleaner.min.compaction.lag.ms' },
  'min.insync.replicas': { defaultValue: '1', brokerKey: 'min.insync.replicas' },
  preallocate: { defaultValue: 'false', brokerKey: 'log.preallocate' },
  'remote.log.copy.disable': { defaultValue: 'false' },
  'remote.log.delete.on.disable': { defaultValue: 'false' },
  'remote.storage.enable': { defaultValue: 'false' },
  'retention.bytes': { defaultValue: '-1', brokerKey: 'log.retention.bytes' },
  'retention.ms': { defaultValue: String(7 * DAY), brokerKey: 'log.retention.ms' },
  'segment.bytes': { defaultValue: '1073741824', brokerKey: 'log.segment.bytes' },
  'segment.index.bytes': { defaultValue: '10485760', brokerKey: 'log.index.size.max.bytes' },
  'segment.jitter.ms': { defaultValue: '0', brokerKey: 'log.roll.jitter.ms' },
  'segment.ms': { defaultValue: String(7 * DAY), brokerKey: 'log.roll.ms' },
  'unclean.leader.election.enable': { defaultValue: 'false', brokerKey: 'unclean.leader.election.enable' },
};

/** Refuses unknown names and bad values of topic configs (INVALID_CONFIG), as CreateTopics does. */
export function validateTopicConfigs(configs: Record<string, string>): void {
  for (const name of Object.keys(configs)) {
    if (!(name in TOPIC_CONFIGS)) throw new KafkaError(ErrorCode.INVALID_CONFIG, `Unknown topic config name: ${name}`);
  }
  logConfigOverrides(configs);
}
