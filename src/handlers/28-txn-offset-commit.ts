// TxnOffsetCommit (key 28), v0-4.
// Offsets a transactional producer commits for a consumer group inside its transaction (sent after
// AddOffsetsToTxn). The group coordinator writes them to __consumer_offsets as a transactional
// batch of the producer and keeps them pending: OffsetFetch sees them only once the transaction's
// COMMIT marker reaches the offsets partition (WriteTxnMarkers); an ABORT drops them. Partitions of
// unknown topics get UNKNOWN_TOPIC_OR_PARTITION; the group's errors (INVALID_GROUP_ID for an empty id,
// NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, and from v3 the generation and member checks:
// ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID) go on every other partition. As Kafka,
// v0-1 get COORDINATOR_NOT_AVAILABLE instead of COORDINATOR_LOAD_IN_PROGRESS, which producers
// before 2.0 do not expect. The transaction is not verified with its coordinator (no KIP-890).
// Authorization as Kafka's: WRITE on the transactional id, READ on the group (each failing the whole
// request), READ on each topic (TOPIC_AUTHORIZATION_FAILED for its partitions, not committed).

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation, ResourceType } from '../auth/authorizer';
import { authorized, refused, topicAuthorizer } from './authorize';
import { commitReadableTopics, committedOffsets } from './committed-offsets';
import { handler } from './handler';

export default handler(Apis.TxnOffsetCommit, 0, 4, async (req, ctx) => {
  if (!authorized(ctx, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, req.transactionalId)) {
    return refused(Apis.TxnOffsetCommit, ctx, req, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
  }
  if (!authorized(ctx, AclOperation.READ, ResourceType.GROUP, req.groupId)) return refused(Apis.TxnOffsetCommit, ctx, req, ErrorCode.GROUP_AUTHORIZATION_FAILED);
  const topics = await commitReadableTopics(topicAuthorizer(ctx, AclOperation.READ), req.topics, (allowed) => ctx.groups.commitTransactionalOffsets({
    transactionalId: req.transactionalId,
    groupId: req.groupId,
    producerId: req.producerId,
    producerEpoch: req.producerEpoch,
    generationId: req.generationId,
    memberId: req.memberId,
    groupInstanceId: req.groupInstanceId,
    topics: committedOffsets(allowed),
  }));
  if (ctx.version < 2) {
    for (const p of topics.flatMap((t) => t.partitions)) {
      if (p.errorCode === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) p.errorCode = ErrorCode.COORDINATOR_NOT_AVAILABLE;
    }
  }
  return { throttleTimeMs: 0, topics };
});
