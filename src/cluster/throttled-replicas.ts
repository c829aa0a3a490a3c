// The replication throttle topic configs, leader.replication.throttled.replicas and
// follower.replication.throttled.replicas: `*` for every replica of the topic, or a list of
// `partition:brokerId`. Validated as Kafka's ThrottledReplicaListValidator does (a LIST config:
// split on commas, trimmed; an empty entry passes), and read as Kafka's
// TopicConfigHandler.parseThrottledPartitions: the partitions listed for one broker.

import { ErrorCode, KafkaError } from '../../protocol';

export const LEADER_THROTTLED_REPLICAS = 'leader.replication.throttled.replicas';
export const FOLLOWER_THROTTLED_REPLICAS = 'follower.replication.throttled.replicas';

/** Every partition of the topic, or the partitions listed for a broker (none when empty). */
export type ThrottledPartitions = 'all' | ReadonlySet<number>;

const REPLICA = /^([0-9]+:[0-9]+)?$/;

/** ConfigDef's LIST parse: empty text is the empty list, else comma-separated, each trimmed. */
const listOf = (value: string): string[] => (value.trim() === '' ? [] : value.trim().split(',').map((s) => s.trim()));

/** Refuses a bad value of either throttled replicas config in `configs` with Kafka's INVALID_CONFIG message. */
export function validateThrottledReplicas(configs: Readonly<Record<string, string | null | undefined>>): void {
  for (const name of [LEADER_THROTTLED_REPLICAS, FOLLOWER_THROTTLED_REPLICAS]) {
    const value = configs[name];
    if (value === null || value === undefined) continue;
    const proposed = listOf(value);
    if (proposed.every((s) => REPLICA.test(s)) || proposed.join('') === '*') continue;
    throw new KafkaError(
      ErrorCode.INVALID_CONFIG,
      `Invalid value [${proposed.join(', ')}] for configuration ${name}: ${name} must be the literal '*' or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],...`,
    );
  }
}

/** The partitions a (valid) value throttles on `brokerId`. */
export function throttledPartitions(value: string, brokerId: number): ThrottledPartitions {
  const entries = listOf(value);
  if (entries.join('') === '*') return 'all';
  const partitions = new Set<number>();
  for (const entry of entries) {
    const [partition, broker] = entry.split(':');
    if (broker !== undefined && Number(broker) === brokerId) partitions.add(Number(partition));
  }
  return partitions;
}
