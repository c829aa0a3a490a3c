// ListOffsets (key 2), v0-9.
// Special timestamps: -1 latest (high watermark, or last stable offset for read_committed, v2+; the
// log end for a replica or debug request, replica_id other than -1, as Kafka answers a follower), -2
// earliest (log start), -3 the record with the largest timestamp (v7+), -4 earliest local (v8+;
// no tiered storage, so the log start), -5 latest tiered (v9+; nothing is tiered: offset -1).
// Otherwise the first offset whose timestamp is at or after the one asked for, found through the
// time index; none, or one at or past the last offset a consumer may read (high watermark, or last
// stable offset for read_committed; the log end for a replica), gives offset -1. v0 answers with a list of offsets
// (old_style_offsets). A found record carries the leader epoch of its batch, earliest the epoch of
// the log start, latest the current one. Topics the principal may not DESCRIBE are answered
// TOPIC_AUTHORIZATION_FAILED for each partition, after the others, as Kafka orders them.

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import { AclOperation } from '../auth/authorizer';
import { topicAuthorizer } from './authorize';
import { handler } from './handler';

const LATEST = -1n;
const EARLIEST = -2n;
const MAX_TIMESTAMP = -3n;
const EARLIEST_LOCAL = -4n;
const LATEST_TIERED = -5n;

interface Found {
  offset: number;
  timestamp: number;
  leaderEpoch: number;
}

const NONE: Found = { offset: -1, timestamp: -1, leaderEpoch: -1 };
const READ_COMMITTED = 1;
/** ListOffsetsRequest.CONSUMER_REPLICA_ID: a client, whose isolation level applies. */
const CONSUMER_REPLICA_ID = -1;
const NOT_FOUND_ANSWER = { partitionIndex: -1, errorCode: ErrorCode.NONE as number, oldStyleOffsets: [] as bigint[], timestamp: -1n, offset: -1n, leaderEpoch: -1 };

export default handler(Apis.ListOffsets, 0, 9, async (req, ctx) => {
  const { version } = ctx;
  const readCommitted = version >= 2 && req.isolationLevel === READ_COMMITTED;
  const fromClient = req.replicaId === CONSUMER_REPLICA_ID;
  const describable = topicAuthorizer(ctx, AclOperation.DESCRIBE);
  const topics = [];
  const refused = [];
  for (const topic of req.topics) {
    if (!describable(topic.name)) {
      const failed = (p: { partitionIndex: number }) => ({ ...NOT_FOUND_ANSWER, partitionIndex: p.partitionIndex, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED });
      refused.push({ name: topic.name, partitions: topic.partitions.map(failed) });
      continue;
    }
    const partitions = [];
    for (const p of topic.partitions) {
      const answer = { ...NOT_FOUND_ANSWER, partitionIndex: p.partitionIndex, oldStyleOffsets: [] as bigint[] };
      try {
        const log = ctx.partitions.leaderLog(topic.name, p.partitionIndex);
        ctx.partitions.checkLeaderEpoch(topic.name, p.partitionIndex, p.currentLeaderEpoch);
        const epoch = ctx.partitions.leaderEpoch(topic.name, p.partitionIndex);
        const at = (offset: number): Found => ({ offset, timestamp: -1, leaderEpoch: epoch });
        // Kafka's fetchOffsetForTimestamp: a replica or debug request has no isolation level and reads to the log end.
        const lastFetchable = !fromClient ? log.logEndOffset : readCommitted ? log.lastStableOffset : log.highWatermark;
        let found: Found;
        switch (p.timestamp) {
          case LATEST:
            found = at(lastFetchable);
            break;
          case EARLIEST:
          case EARLIEST_LOCAL: {
            // As Kafka: the epoch of the earliest epoch entry, if it covers the log start.
            const first = log.leaderEpochCache.entries()[0];
            found = { offset: log.logStartOffset, timestamp: -1, leaderEpoch: first && first.startOffset <= log.logStartOffset ? first.epoch : -1 };
            break;
          }
          case LATEST_TIERED:
            found = NONE;
            break;
          case MAX_TIMESTAMP: {
            const max = await log.maxTimestampOffset();
            found = max ?? NONE;
            break;
          }
          default: {
            if (p.timestamp < 0n) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Invalid timestamp ${p.timestamp}`);
            const hit = await log.offsetForTimestamp(Number(p.timestamp));
            found = hit && hit.offset < lastFetchable ? hit : NONE;
          }
        }
        answer.offset = BigInt(found.offset);
        answer.timestamp = BigInt(found.timestamp);
        answer.leaderEpoch = found.leaderEpoch;
        if (version === 0) answer.oldStyleOffsets = found.offset >= 0 ? [BigInt(found.offset)] : [];
      } catch (err) {
        if (!(err instanceof KafkaError)) throw err;
        answer.errorCode = err.code;
      }
      partitions.push(answer);
    }
    topics.push({ name: topic.name, partitions });
  }
  return { throttleTimeMs: 0, topics: [...topics, ...refused] };
});
