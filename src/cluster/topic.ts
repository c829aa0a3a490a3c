// What the broker knows of a topic: its id, per-partition replicas and leadership, and its config
// overrides. Standalone brokers keep this in the log dir; ZooKeeper-mode brokers take it from znodes.

import { randomBytes } from 'node:crypto';
import { ErrorCode, KafkaError } from '../../protocol';

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface PartitionInfo {
  replicas: number[];
  leader: number;
  leaderEpoch: number;
  isr: number[];
}

export interface TopicInfo {
  name: string;
  /** Kafka Uuid in its base64url text form. */
  id: string;
  partitions: PartitionInfo[];
  /** Topic-level config overrides (Kafka keys, string values). */
  configs: Record<string, string>;
}

export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

/** Kafka's internal topics: hidden from clients' regex subscriptions, flagged in Metadata. */
export const INTERNAL_TOPICS = new Set(['__consumer_offsets', '__transaction_state']);

const LEGAL_NAME = /^[a-zA-Z0-9._-]+$/;
const MAX_NAME_LENGTH = 249;

/** Topic name rules of Kafka's `Topic.validate`. */
export function validateTopicName(name: string): void {
  const invalid = (why: string) => new KafkaError(ErrorCode.INVALID_TOPIC_EXCEPTION, `Topic name "${name}" is illegal, ${why}`);
  if (name.length === 0) throw invalid('it cannot be empty');
  if (name === '.' || name === '..') throw invalid('it cannot be "." or ".."');
  if (name.length > MAX_NAME_LENGTH) throw invalid(`it cannot be longer than ${MAX_NAME_LENGTH} characters`);
  if (!LEGAL_NAME.test(name)) throw invalid("it contains a character other than ASCII alphanumerics, '.', '_' and '-'");
}

/** A random Kafka Uuid, never the zero or the reserved "metadata topic" id, as Uuid.randomUuid. */
export function randomUuid(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (id !== ZERO_UUID && id !== 'AAAAAAAAAAAAAAAAAAAAAQ' && !id.startsWith('-')) return id;
  }
}
