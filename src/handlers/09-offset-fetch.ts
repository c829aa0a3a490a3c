// OffsetFetch (key 9), v0-9.
// Committed offsets of a group (v0-7) or of several groups (v8+); a null topic list (v2+) means all
// of the group's offsets. Partitions without a commit answer offset -1. With require_stable (v7+) a
// partition with a pending commit (a transaction's not yet completed, or a plain one not yet
// replicated) answers UNSTABLE_OFFSET_COMMIT, which the consumer retries.
// v0-1 have no group error: it goes on every partition asked for.

import { Apis, ErrorCode } from '../../protocol';
import { handler } from './handler';

export default handler(Apis.OffsetFetch, 0, 9, (req, ctx) => {
  const { groups } = ctx;
  if (ctx.version >= 8) {
    return {
      throttleTimeMs: 0,
      groups: req.groups.map((g) => {
        const result = groups.fetchOffsets(g.groupId, g.topics, g.memberId, g.memberEpoch, req.requireStable);
        return { groupId: g.groupId, errorCode: result.errorCode, topics: result.topics };
      }),
    };
  }
  // v0-1 always list the partitions asked for ("all" arrived with v2) and have no group error: as
  // Kafka, a group error goes on each partition asked for, with offset -1 and no metadata.
  const result = groups.fetchOffsets(req.groupId, req.topics, null, -1, ctx.version >= 7 && req.requireStable);
  if (ctx.version < 2 && result.errorCode !== ErrorCode.NONE) {
    const failed = (partitionIndex: number) => ({ partitionIndex, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: result.errorCode });
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, topics: (req.topics ?? []).map((t) => ({ name: t.name, partitions: t.partitionIndexes.map(failed) })) };
  }
  return {
    throttleTimeMs: 0,
    errorCode: ctx.version >= 2 ? result.errorCode : ErrorCode.NONE,
    topics: result.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ ...p, errorCode: ctx.version < 2 && p.errorCode === ErrorCode.NONE ? result.errorCode : p.errorCode })),
    })),
  };
});
