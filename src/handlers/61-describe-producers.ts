// DescribeProducers (key 61), v0.
// The active producers of a partition's replica on this broker, leader or follower, as Kafka answers
// (UnifiedLog.activeProducers; followers build the same state from what they replicate): id,
// epoch, last sequence and timestamp, coordinator epoch, and the first offset of the open
// transaction (-1 when none), as kafka-transactions.sh describe-producers shows them. Errors per
// partition: INVALID_TOPIC_EXCEPTION for an illegal topic name and UNKNOWN_TOPIC_OR_PARTITION for an
// unknown topic (both with a message, as Kafka's topic-level ApiError), UNKNOWN_TOPIC_OR_PARTITION
// for an unknown partition and NOT_LEADER_OR_FOLLOWER where this broker has no replica (no message).
// A topic the principal may not READ is TOPIC_AUTHORIZATION_FAILED (with its message), asked after the
// name's validity and before its existence, as Kafka does.

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import { AclOperation } from '../auth/authorizer';
import { validateTopicName } from '../cluster/topic';
import { authorizationMessage, topicAuthorizer } from './authorize';
import { handler } from './handler';

/** Kafka's default message of UNKNOWN_TOPIC_OR_PARTITION. */
const UNKNOWN_TOPIC_MESSAGE = 'This server does not host this topic-partition.';

export default handler(Apis.DescribeProducers, 0, 0, (req, ctx) => {
  const readable = topicAuthorizer(ctx, AclOperation.READ);
  return {
    throttleTimeMs: 0,
    topics: req.topics.map((t) => {
      let topicError: KafkaError | null = null;
      try {
        validateTopicName(t.name);
        if (!readable(t.name)) topicError = new KafkaError(ErrorCode.TOPIC_AUTHORIZATION_FAILED, authorizationMessage(ErrorCode.TOPIC_AUTHORIZATION_FAILED)!);
        else if (!ctx.metadata.topics.get(t.name)) topicError = new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, UNKNOWN_TOPIC_MESSAGE);
      } catch (err) {
        if (!(err instanceof KafkaError)) throw err;
        topicError = err;
      }
      return {
        name: t.name,
        partitions: t.partitionIndexes.map((partitionIndex) => {
          if (topicError) return failed(partitionIndex, topicError.code, topicError.message);
          try {
            const producers = ctx.partitions.replicaLog(t.name, partitionIndex).activeProducers();
            return {
              partitionIndex,
              errorCode: ErrorCode.NONE,
              errorMessage: null,
              activeProducers: producers.map((p) => ({
                producerId: p.producerId,
                producerEpoch: p.producerEpoch,
                lastSequence: p.lastSequence,
                lastTimestamp: BigInt(p.lastTimestamp),
                coordinatorEpoch: p.coordinatorEpoch,
                currentTxnStartOffset: BigInt(p.currentTxnStartOffset),
              })),
            };
          } catch (err) {
            if (!(err instanceof KafkaError)) throw err;
            return failed(partitionIndex, err.code, null);
          }
        }),
      };
    }),
  };
});

function failed(partitionIndex: number, errorCode: number, errorMessage: string | null) {
  return { partitionIndex, errorCode, errorMessage, activeProducers: [] };
}
