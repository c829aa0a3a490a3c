// The "consumer" protocol type's payloads that group members exchange through JoinGroup and
// SyncGroup (Kafka's ConsumerProtocolSubscription and ConsumerProtocolAssignment, written at
// version 0, which every later version extends), and Kafka's RangeAssignor, which the leader runs.

import {
  ConsumerProtocolAssignment,
  ConsumerProtocolSubscription,
  decodeConsumerProtocol,
  encodeConsumerProtocol,
} from '../../protocol/internal/consumer-protocol';

export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

/** A member's JoinGroup metadata: the topics it subscribes to. */
export function encodeSubscription(topics: readonly string[]): Buffer {
  return encodeConsumerProtocol(ConsumerProtocolSubscription, 0, { topics: [...topics], userData: null });
}

/** The topics of a member's JoinGroup metadata. */
export function decodeSubscription(metadata: Buffer): string[] {
  return decodeConsumerProtocol(ConsumerProtocolSubscription, metadata).value.topics;
}

export function encodeAssignment(assigned: readonly TopicPartitions[]): Buffer {
  return encodeConsumerProtocol(ConsumerProtocolAssignment, 0, { assignedPartitions: assigned.map((a) => ({ topic: a.topic, partitions: [...a.partitions] })), userData: null });
}

/** The partitions a SyncGroup answer assigns; an empty payload (no assignment) is none. */
export function decodeAssignment(assignment: Buffer): TopicPartitions[] {
  if (assignment.length === 0) return [];
  return decodeConsumerProtocol(ConsumerProtocolAssignment, assignment).value.assignedPartitions.map((a) => ({ topic: a.topic, partitions: a.partitions }));
}

/**
 * Kafka's RangeAssignor: per topic, its subscribers sorted by member id each take a contiguous range
 * of partitions, the first (partitions mod subscribers) of them one more.
 */
export function rangeAssign(
  members: readonly { memberId: string; topics: readonly string[] }[],
  partitionCounts: ReadonlyMap<string, number>,
): Map<string, TopicPartitions[]> {
  const result = new Map<string, TopicPartitions[]>(members.map((m) => [m.memberId, []]));
  const topics = [...new Set(members.flatMap((m) => m.topics))].sort();
  for (const topic of topics) {
    const count = partitionCounts.get(topic);
    if (count === undefined) continue;
    const subscribers = members
      .filter((m) => m.topics.includes(topic))
      .map((m) => m.memberId)
      .sort();
    const per = Math.floor(count / subscribers.length);
    const extra = count % subscribers.length;
    subscribers.forEach((memberId, i) => {
      const start = per * i + Math.min(i, extra);
      const length = per + (i < extra ? 1 : 0);
      if (length === 0) return;
      result.get(memberId)!.push({ topic, partitions: Array.from({ length }, (_, k) => start + k) });
    });
  }
  return result;
}
