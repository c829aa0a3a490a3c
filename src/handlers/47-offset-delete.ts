// OffsetDelete (key 47), v0.
// Deletes committed offsets of partitions the group is not consuming: allowed for Empty groups and
// for topics a Stable consumer group no longer subscribes to (GROUP_SUBSCRIBED_TO_TOPIC otherwise).
// An empty group id is INVALID_GROUP_ID. Without DELETE on the group the whole request is
// GROUP_AUTHORIZATION_FAILED; partitions of topics the principal may not READ are
// TOPIC_AUTHORIZATION_FAILED and keep their offsets.

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation, ResourceType } from '../auth/authorizer';
import { authorized, topicAuthorizer } from './authorize';
import { handler } from './handler';

export default handler(Apis.OffsetDelete, 0, 0, (req, ctx) => {
  // As Kafka's error response: the group error alone, no partitions.
  if (!authorized(ctx, AclOperation.DELETE, ResourceType.GROUP, req.groupId)) return { throttleTimeMs: 0, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, topics: [] };
  if (req.groupId === '') return { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_GROUP_ID, topics: [] };
  const readable = topicAuthorizer(ctx, AclOperation.READ);
  const allowed = req.topics.filter((t) => readable(t.name));
  const result = ctx.groups.deleteOffsets(
    req.groupId,
    allowed.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => p.partitionIndex) })),
  );
  if (allowed.length === req.topics.length || result.errorCode !== ErrorCode.NONE) return { throttleTimeMs: 0, errorCode: result.errorCode, topics: result.topics };
  const denied = req.topics
    .filter((t) => !readable(t.name))
    .map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED })) }));
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, topics: [...denied, ...result.topics] };
});
