// The offsets an OffsetCommit or TxnOffsetCommit request carries, as the group service takes them:
// both requests name them with the same fields, and both refuse topics the principal may not read.

import { ErrorCode } from '../../protocol';

interface RequestedPartition {
  partitionIndex: number;
  committedOffset: bigint;
  committedLeaderEpoch: number;
  committedMetadata: string | null;
}

export function committedOffsets(topics: { name: string; partitions: RequestedPartition[] }[]) {
  return topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => ({
      partitionIndex: p.partitionIndex,
      offset: Number(p.committedOffset),
      leaderEpoch: p.committedLeaderEpoch,
      metadata: p.committedMetadata,
    })),
  }));
}

interface TopicErrors {
  name: string;
  partitions: { partitionIndex: number; errorCode: number }[];
}

/**
 * Kafka's split of a commit by READ on each topic: partitions of a topic the principal may not read
 * are answered TOPIC_AUTHORIZATION_FAILED (first, as Kafka's response builder adds them) and never
 * reach the group coordinator; the others are committed, unless none is left.
 */
export async function commitReadableTopics<T extends { name: string; partitions: { partitionIndex: number }[] }>(
  readable: (topic: string) => boolean,
  topics: T[],
  commit: (allowed: T[]) => Promise<TopicErrors[]>,
): Promise<TopicErrors[]> {
  const allowed = topics.filter((t) => readable(t.name));
  if (allowed.length === topics.length) return commit(topics);
  const refused = topics
    .filter((t) => !readable(t.name))
    .map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED })) }));
  return [...refused, ...(allowed.length > 0 ? await commit(allowed) : [])];
}
