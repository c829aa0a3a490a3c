// The offsets an OffsetCommit or TxnOffsetCommit request carries, as the group service takes them:
// both requests name them with the same fields.

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
