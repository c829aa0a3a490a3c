// OffsetFetch (key 9), v0-9.
// Committed offsets of a group (v0-7) or of several groups (v8+); a null topic list (v2+) means all
// of the group's offsets. Partitions without a commit answer offset -1. require_stable (v7+) asks to
// wait out pending transactional commits: none exist yet, so it never answers UNSTABLE_OFFSET_COMMIT.

import { Apis, ErrorCode } from '../../protocol';
import { handler } from './handler';

export default handler(Apis.OffsetFetch, 0, 9, (req, ctx) => {
  const { groups } = ctx;
  if (ctx.version >= 8) {
    return {
      throttleTimeMs: 0,
      groups: req.groups.map((g) => {
        const result = groups.fetchOffsets(g.groupId, g.topics, g.memberId, g.memberEpoch);
        return { groupId: g.groupId, errorCode: result.errorCode, topics: result.topics };
      }),
    };
  }
  // v0-1 always list the partitions asked for; "all" arrived with v2.
  const result = groups.fetchOffsets(req.groupId, req.topics, null, -1);
  return {
    throttleTimeMs: 0,
    errorCode: ctx.version >= 2 ? result.errorCode : ErrorCode.NONE,
    topics: result.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ ...p, errorCode: ctx.version < 2 && p.errorCode === ErrorCode.NONE ? result.errorCode : p.errorCode })),
    })),
  };
});
