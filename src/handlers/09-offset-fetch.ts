// OffsetFetch (key 9), v0-9.
// Committed offsets of a group (v0-7) or of several groups (v8+); a null topic list (v2+) means all
// of the group's offsets. Partitions without a commit answer offset -1. With require_stable (v7+) a
// partition with a pending commit (a transaction's not yet completed, or a plain one not yet
// replicated) answers UNSTABLE_OFFSET_COMMIT, which the consumer retries.
// v0-1 have no group error: it goes on every partition asked for.
// A group the principal may not DESCRIBE is GROUP_AUTHORIZATION_FAILED; partitions asked for of a
// topic it may not DESCRIBE are TOPIC_AUTHORIZATION_FAILED (after the others, as Kafka adds them), and
// "all offsets" leaves such topics out.

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation, ResourceType } from '../auth/authorizer';
import { authorized, topicAuthorizer } from './authorize';
import { RequestContext, handler } from './handler';

type Wanted = { name: string; partitionIndexes: number[] }[] | null;
type Fetched = ReturnType<RequestContext['groups']['fetchOffsets']>;

/** One group's offsets, as far as the principal may see them. */
function fetchAuthorized(ctx: RequestContext, describable: (topic: string) => boolean, groupId: string, topics: Wanted, memberId: string | null, memberEpoch: number, requireStable: boolean): Fetched {
  if (!authorized(ctx, AclOperation.DESCRIBE, ResourceType.GROUP, groupId)) return { errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, topics: [] };
  if (topics === null) {
    const all = ctx.groups.fetchOffsets(groupId, null, memberId, memberEpoch, requireStable);
    return { ...all, topics: all.topics.filter((t) => describable(t.name)) };
  }
  const allowed = topics.filter((t) => describable(t.name));
  const result = ctx.groups.fetchOffsets(groupId, allowed, memberId, memberEpoch, requireStable);
  if (allowed.length === topics.length || result.errorCode !== ErrorCode.NONE) return result;
  const refused = topics
    .filter((t) => !describable(t.name))
    .map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((partitionIndex) => ({ partitionIndex, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED })),
    }));
  return { ...result, topics: [...result.topics, ...refused] };
}

export default handler(Apis.OffsetFetch, 0, 9, (req, ctx) => {
  const describable = topicAuthorizer(ctx, AclOperation.DESCRIBE);
  const fetch = (groupId: string, topics: Wanted, memberId: string | null, memberEpoch: number, requireStable: boolean) =>
    fetchAuthorized(ctx, describable, groupId, topics, memberId, memberEpoch, requireStable);
  if (ctx.version >= 8) {
    return {
      throttleTimeMs: 0,
      groups: req.groups.map((g) => {
        const result = fetch(g.groupId, g.topics, g.memberId, g.memberEpoch, req.requireStable);
        return { groupId: g.groupId, errorCode: result.errorCode, topics: result.topics };
      }),
    };
  }
  // v0-1 always list the partitions asked for ("all" arrived with v2) and have no group error: as
  // Kafka, a group error goes on each partition asked for, with offset -1 and no metadata.
  const result = fetch(req.groupId, req.topics, null, -1, ctx.version >= 7 && req.requireStable);
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
