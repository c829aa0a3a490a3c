// OffsetDelete (key 47), v0.
// Deletes committed offsets of partitions the group is not consuming: allowed for Empty groups and
// for topics a Stable consumer group no longer subscribes to (GROUP_SUBSCRIBED_TO_TOPIC otherwise).
// An empty group id is INVALID_GROUP_ID.

import { Apis, ErrorCode } from '../../protocol';
import { handler } from './handler';

export default handler(Apis.OffsetDelete, 0, 0, (req, ctx) => {
  if (req.groupId === '') return { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_GROUP_ID, topics: [] };
  const result = ctx.groups.deleteOffsets(
    req.groupId,
    req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => p.partitionIndex) })),
  );
  return { throttleTimeMs: 0, errorCode: result.errorCode, topics: result.topics };
});
