// Shapes shared by the group coordinator (membership), the offset store and the
// __consumer_offsets log that persists both.

export type GroupStateName = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

/** A member as persisted in __consumer_offsets (GroupMetadataValue.MemberMetadata). */
export interface MemberSnapshot {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  /** Metadata of the member for the group's selected protocol. */
  subscription: Buffer;
  assignment: Buffer;
}

/** A group as persisted after each completed rebalance (GroupMetadataValue). */
export interface GroupSnapshot {
  groupId: string;
  protocolType: string;
  generationId: number;
  protocolName: string | null;
  leaderId: string | null;
  currentStateTimestamp: number;
  members: MemberSnapshot[];
}

/** One committed offset (OffsetCommitValue). */
export interface CommittedOffset {
  offset: number;
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
  /** Only set by v1 commits that carried a retention time; -1 otherwise. */
  expireTimestamp: number;
}

export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  committed: CommittedOffset;
}

/**
 * An offset as the coordinator holds it: `order` places the write that stored it in the log (the
 * batch offset when read back), so a transaction committed later does not replace a plain commit
 * written after the transaction's offsets, as in Kafka (CommitRecordMetadataAndOffset.olderThan).
 */
export interface StoredOffset extends TopicPartitionOffset {
  order: number;
}
