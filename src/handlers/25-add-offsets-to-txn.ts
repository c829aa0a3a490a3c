// AddOffsetsToTxn (key 25), v0-4.
// Adds the group's __consumer_offsets partition to the transaction, so TxnOffsetCommit may write
// there and the markers reach it. PRODUCER_FENCED is INVALID_PRODUCER_EPOCH before v2. Needs WRITE on
// the transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED), then READ on the group (GROUP_AUTHORIZATION_FAILED).

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation, ResourceType } from '../auth/authorizer';
import { authorized } from './authorize';
import { handler } from './handler';
import { fencedForVersion } from './txn-errors';

const FIRST_FENCED_VERSION = 2;

export default handler(Apis.AddOffsetsToTxn, 0, 4, async (req, ctx) => {
  if (!authorized(ctx, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, req.transactionalId)) {
    return { throttleTimeMs: 0, errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED };
  }
  if (!authorized(ctx, AclOperation.READ, ResourceType.GROUP, req.groupId)) return { throttleTimeMs: 0, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED };
  const errorCode = await ctx.transactions.addOffsetsToTxn(req.transactionalId, req.producerId, req.producerEpoch, req.groupId);
  return { throttleTimeMs: 0, errorCode: fencedForVersion(errorCode, ctx.version, FIRST_FENCED_VERSION) };
});
