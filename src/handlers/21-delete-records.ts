// DeleteRecords (key 21), v0-2.
// Moves each partition's log start offset up to the given offset (-1: the high watermark), as the
// partition's leader: whole segments below it are deleted, the new log start is checkpointed, and
// followers move theirs when their next fetch hears it. The answer for a partition waits until
// every live replica's log start reached the offset (Kafka's DelayedDeleteRecords), up to
// timeout_ms (REQUEST_TIMED_OUT), and gives the low watermark. Per partition:
// UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER, OFFSET_OUT_OF_RANGE (past the high watermark or
// negative), POLICY_VIOLATION (a compact-only topic); TOPIC_AUTHORIZATION_FAILED for a topic the principal
// may not DELETE, before anything else.

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import { AclOperation } from '../auth/authorizer';
import { topicAuthorizer } from './authorize';
import { handler } from './handler';

export default handler(Apis.DeleteRecords, 0, 2, async (req, ctx) => {
  const deletable = topicAuthorizer(ctx, AclOperation.DELETE);
  return {
    throttleTimeMs: 0,
    topics: await Promise.all(
      req.topics.map(async (t) => ({
        name: t.name,
        partitions: await Promise.all(
          t.partitions.map(async (p) => {
            if (!deletable(t.name)) return { partitionIndex: p.partitionIndex, lowWatermark: -1n, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED };
            try {
              ctx.partitions.leaderLog(t.name, p.partitionIndex);
              const lowWatermark = await ctx.replication.deleteRecords(t.name, p.partitionIndex, Number(p.offset), req.timeoutMs);
              return { partitionIndex: p.partitionIndex, lowWatermark: BigInt(lowWatermark), errorCode: ErrorCode.NONE };
            } catch (err) {
              if (!(err instanceof KafkaError)) throw err;
              return { partitionIndex: p.partitionIndex, lowWatermark: -1n, errorCode: err.code };
            }
          }),
        ),
      })),
    ),
  };
});
