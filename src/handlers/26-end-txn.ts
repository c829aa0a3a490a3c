// EndTxn (key 26), v0-4.
// Commits or aborts the transaction: answered once PrepareCommit/PrepareAbort is in
// __transaction_state; the markers go out afterwards. CONCURRENT_TRANSACTIONS while a previous end
// is still completing, INVALID_TXN_STATE for an end that does not fit the state. PRODUCER_FENCED is
// INVALID_PRODUCER_EPOCH before v2. Needs WRITE on the transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED).

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation, ResourceType } from '../auth/authorizer';
import { authorized } from './authorize';
import { handler } from './handler';
import { fencedForVersion } from './txn-errors';

const FIRST_FENCED_VERSION = 2;

export default handler(Apis.EndTxn, 0, 4, async (req, ctx) => {
  if (!authorized(ctx, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, req.transactionalId)) {
    return { throttleTimeMs: 0, errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED };
  }
  const errorCode = await ctx.transactions.endTxn(req.transactionalId, req.producerId, req.producerEpoch, req.committed);
  return { throttleTimeMs: 0, errorCode: fencedForVersion(errorCode, ctx.version, FIRST_FENCED_VERSION) };
});
