// OffsetForLeaderEpoch (key 23), v0-4.
// For each partition: the largest leader epoch at or below the one asked for, and the offset where
// it ends (the log end for the latest epoch), from the leader's epoch cache; -1/-1 when no such
// epoch is known. Followers ask their leader before fetching, to find where their histories part.
// Only the leader answers, whoever asks (as Kafka 3.x does), fencing by current_leader_epoch (v2+).
// Followers hold CLUSTER_ACTION on the cluster; without it, consumers (KIP-320) need DESCRIBE on each
// topic, the others' partitions TOPIC_AUTHORIZATION_FAILED, listed after the answered ones as by Kafka.

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import { AclOperation } from '../auth/authorizer';
import { clusterAuthorized, topicAuthorizer } from './authorize';
import { handler } from './handler';

export default handler(Apis.OffsetForLeaderEpoch, 0, 4, (req, ctx) => {
  const describable = clusterAuthorized(ctx, AclOperation.CLUSTER_ACTION, false) ? () => true : topicAuthorizer(ctx, AclOperation.DESCRIBE);
  const allowed = req.topics.filter((t) => describable(t.topic));
  const refused = req.topics
    .filter((t) => !describable(t.topic))
    .map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => ({ errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED, partition: p.partition, leaderEpoch: -1, endOffset: -1n })),
    }));
  const answered = allowed.map((t) => ({
    topic: t.topic,
    partitions: t.partitions.map((p) => {
      const answer = { errorCode: ErrorCode.NONE, partition: p.partition, leaderEpoch: -1, endOffset: -1n };
      try {
        const log = ctx.partitions.leaderLog(t.topic, p.partition);
        ctx.partitions.checkLeaderEpoch(t.topic, p.partition, p.currentLeaderEpoch);
        const end = log.leaderEpochCache.endOffsetFor(p.leaderEpoch, log.logEndOffset);
        answer.leaderEpoch = end.epoch;
        answer.endOffset = BigInt(end.endOffset);
      } catch (err) {
        if (!(err instanceof KafkaError)) throw err;
        answer.errorCode = err.code;
      }
      return answer;
    }),
  }));
  return { throttleTimeMs: 0, topics: [...answered, ...refused] };
});
