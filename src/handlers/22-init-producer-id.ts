// InitProducerId (key 22), v0-5.
// Without a transactional id: a fresh producer id at epoch 0 (idempotent producers). With one: the
// transaction coordinator bumps the id's epoch (aborting an ongoing transaction first, answered
// CONCURRENT_TRANSACTIONS), or fences; v3+ may pass the producer's current id and epoch (KIP-360),
// both or neither (INVALID_REQUEST). PRODUCER_FENCED is INVALID_PRODUCER_EPOCH before v4.
// A transactional id needs WRITE on it (TRANSACTIONAL_ID_AUTHORIZATION_FAILED); an idempotent producer
// IDEMPOTENT_WRITE on the cluster or WRITE on some topic (KIP-679), else CLUSTER_AUTHORIZATION_FAILED.

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation, ResourceType } from '../auth/authorizer';
import { authorized, clusterAuthorized } from './authorize';
import { handler } from './handler';
import { fencedForVersion } from './txn-errors';

/** PRODUCER_FENCED exists from InitProducerId v4. */
const FIRST_FENCED_VERSION = 4;

export default handler(Apis.InitProducerId, 0, 5, async (req, ctx) => {
  const failed = (errorCode: number) => ({ throttleTimeMs: 0, errorCode, producerId: -1n, producerEpoch: -1 });
  // Kafka's order: the transactional id, else (KIP-679) idempotence on the cluster or writing to some topic.
  if (req.transactionalId !== null) {
    if (!authorized(ctx, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, req.transactionalId)) return failed(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
  } else if (
    !clusterAuthorized(ctx, AclOperation.IDEMPOTENT_WRITE, false) &&
    !ctx.authorizer.authorizeByResourceType(ctx.session, AclOperation.WRITE, ResourceType.TOPIC)
  ) {
    return failed(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
  }
  const noId = req.producerId === -1n;
  const noEpoch = req.producerEpoch === -1;
  if (noId !== noEpoch) return failed(ErrorCode.INVALID_REQUEST);
  const expected = noId ? null : { producerId: req.producerId, producerEpoch: req.producerEpoch };
  const result = await ctx.transactions.initProducerId(req.transactionalId, req.transactionTimeoutMs, expected);
  if (result.errorCode !== ErrorCode.NONE) return failed(fencedForVersion(result.errorCode, ctx.version, FIRST_FENCED_VERSION));
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: result.producerId, producerEpoch: result.producerEpoch };
});
