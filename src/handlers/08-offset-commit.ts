// OffsetCommit (key 8), v0-9.
// Commits are fenced by the group's generation and member (a standalone commit, generation -1 and no
// member, is accepted for groups without members) and stored in __consumer_offsets. Metadata strings
// and (v6+) leader epochs round-trip. v2-4's retention time sets an explicit expire timestamp, as in
// Kafka; v1's per-partition commit timestamp is not used (the broker's clock is). Partitions of
// unknown topics get UNKNOWN_TOPIC_OR_PARTITION. The answer waits until the offsets partition's ISR
// has the commit.

import { Apis } from '../../protocol';
import { committedOffsets } from './committed-offsets';
import { handler } from './handler';

export default handler(Apis.OffsetCommit, 0, 9, async (req, ctx) => ({
  throttleTimeMs: 0,
  topics: await ctx.groups.commitOffsets({
    groupId: req.groupId,
    generationId: req.generationIdOrMemberEpoch,
    memberId: req.memberId,
    groupInstanceId: req.groupInstanceId,
    retentionTimeMs: Number(req.retentionTimeMs),
    topics: committedOffsets(req.topics),
  }),
}));
