// OffsetCommit (key 8), v0-9.
// Commits are fenced by the group's generation and member (a standalone commit, generation -1 and no
// member, is accepted for groups without members) and stored in __consumer_offsets. Metadata strings
// and (v6+) leader epochs round-trip. v2-4's retention time sets an explicit expire timestamp, as in
// Kafka; v1's per-partition commit timestamp is not used (the broker's clock is). Partitions of
// unknown topics get UNKNOWN_TOPIC_OR_PARTITION. The answer waits until the offsets partition's ISR
// has the commit. Without READ on the group the whole request is GROUP_AUTHORIZATION_FAILED; partitions
// of topics the principal may not READ get TOPIC_AUTHORIZATION_FAILED and are not committed.

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation, ResourceType } from '../auth/authorizer';
import { authorized, refused, topicAuthorizer } from './authorize';
import { commitReadableTopics, committedOffsets } from './committed-offsets';
import { handler } from './handler';

export default handler(Apis.OffsetCommit, 0, 9, async (req, ctx) => {
  if (!authorized(ctx, AclOperation.READ, ResourceType.GROUP, req.groupId)) return refused(Apis.OffsetCommit, ctx, req, ErrorCode.GROUP_AUTHORIZATION_FAILED);
  const topics = await commitReadableTopics(topicAuthorizer(ctx, AclOperation.READ), req.topics, (allowed) =>
    ctx.groups.commitOffsets({
      groupId: req.groupId,
      generationId: req.generationIdOrMemberEpoch,
      memberId: req.memberId,
      groupInstanceId: req.groupInstanceId,
      retentionTimeMs: Number(req.retentionTimeMs),
      topics: committedOffsets(allowed),
    }),
  );
  return { throttleTimeMs: 0, topics };
});
