// The consumer's settings, with the Java consumer's defaults, and how Kafka's consumer properties
// (group.id, isolation.level, auto.offset.reset, ...) set them.

export type OffsetReset = 'earliest' | 'latest' | 'none';

export interface ConsumerConfig {
  groupId: string | null;
  /** 0 read_uncommitted, 1 read_committed. */
  isolationLevel: 0 | 1;
  autoOffsetReset: OffsetReset;
  enableAutoCommit: boolean;
  autoCommitIntervalMs: number;
  sessionTimeoutMs: number;
  /** max.poll.interval.ms: the rebalance timeout sent with JoinGroup. */
  rebalanceTimeoutMs: number;
  heartbeatIntervalMs: number;
  fetchMaxWaitMs: number;
  fetchMinBytes: number;
  fetchMaxBytes: number;
  maxPartitionFetchBytes: number;
  maxPollRecords: number;
  retryBackoffMs: number;
  excludeInternalTopics: boolean;
  /** Metadata requests for subscribed or assigned topics may create them (allow.auto.create.topics). */
  allowAutoCreateTopics: boolean;
  /** How often a pattern subscription looks for new matching topics (metadata.max.age.ms). */
  metadataMaxAgeMs: number;
}

export const DEFAULT_CONSUMER_CONFIG: ConsumerConfig = {
  groupId: null,
  isolationLevel: 0,
  autoOffsetReset: 'latest',
  enableAutoCommit: true,
  autoCommitIntervalMs: 5000,
  sessionTimeoutMs: 45_000,
  rebalanceTimeoutMs: 300_000,
  heartbeatIntervalMs: 3000,
  fetchMaxWaitMs: 500,
  fetchMinBytes: 1,
  fetchMaxBytes: 52_428_800,
  maxPartitionFetchBytes: 1_048_576,
  maxPollRecords: 500,
  retryBackoffMs: 100,
  excludeInternalTopics: true,
  allowAutoCreateTopics: true,
  metadataMaxAgeMs: 300_000,
};

/** The consumer settings among Kafka's consumer properties (group.id, isolation.level, auto.offset.reset, ...). */
export function consumerConfigFromProps(props: ReadonlyMap<string, string>): ConsumerConfig {
  const config = { ...DEFAULT_CONSUMER_CONFIG };
  const int = (name: string, current: number): number => {
    const v = props.get(name);
    if (v === undefined) return current;
    if (!/^-?\d+$/.test(v.trim())) throw new Error(`Invalid value ${v} for configuration ${name}: Not a number of type INT`);
    return Number(v);
  };
  const bool = (name: string, current: boolean): boolean => {
    const v = props.get(name)?.trim().toLowerCase();
    if (v === undefined) return current;
    if (v !== 'true' && v !== 'false') throw new Error(`Invalid value ${v} for configuration ${name}: Expected value to be either true or false`);
    return v === 'true';
  };
  config.groupId = props.get('group.id') ?? null;
  const isolation = props.get('isolation.level');
  if (isolation !== undefined) {
    if (isolation !== 'read_committed' && isolation !== 'read_uncommitted') {
      throw new Error(`Invalid value ${isolation} for configuration isolation.level: String must be one of: read_committed, read_uncommitted`);
    }
    config.isolationLevel = isolation === 'read_committed' ? 1 : 0;
  }
  const reset = props.get('auto.offset.reset');
  if (reset !== undefined) {
    if (reset !== 'earliest' && reset !== 'latest' && reset !== 'none') {
      throw new Error(`Invalid value ${reset} for configuration auto.offset.reset: Invalid value ${reset} for configuration auto.offset.reset: String must be one of: latest, earliest, none`);
    }
    config.autoOffsetReset = reset;
  }
  config.enableAutoCommit = bool('enable.auto.commit', config.enableAutoCommit);
  config.excludeInternalTopics = bool('exclude.internal.topics', config.excludeInternalTopics);
  config.allowAutoCreateTopics = bool('allow.auto.create.topics', config.allowAutoCreateTopics);
  config.metadataMaxAgeMs = int('metadata.max.age.ms', config.metadataMaxAgeMs);
  config.autoCommitIntervalMs = int('auto.commit.interval.ms', config.autoCommitIntervalMs);
  config.sessionTimeoutMs = int('session.timeout.ms', config.sessionTimeoutMs);
  config.rebalanceTimeoutMs = int('max.poll.interval.ms', config.rebalanceTimeoutMs);
  config.heartbeatIntervalMs = int('heartbeat.interval.ms', config.heartbeatIntervalMs);
  config.fetchMaxWaitMs = int('fetch.max.wait.ms', config.fetchMaxWaitMs);
  config.fetchMinBytes = int('fetch.min.bytes', config.fetchMinBytes);
  config.fetchMaxBytes = int('fetch.max.bytes', config.fetchMaxBytes);
  config.maxPartitionFetchBytes = int('max.partition.fetch.bytes', config.maxPartitionFetchBytes);
  config.maxPollRecords = int('max.poll.records', config.maxPollRecords);
  config.retryBackoffMs = int('retry.backoff.ms', config.retryBackoffMs);
  return config;
}
