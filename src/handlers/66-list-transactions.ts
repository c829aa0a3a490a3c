// ListTransactions (key 66), v0-1.
// The transactional ids this broker coordinates, filtered by state names (unknown names are echoed
// in unknown_state_filters), producer ids, and from v1 by duration (only transactions running
// longer than duration_filter ms; -1 for all). COORDINATOR_LOAD_IN_PROGRESS while a partition loads.
// Only ids the principal may DESCRIBE are listed.

import { Apis } from '../../protocol';
import { AclOperation, ResourceType } from '../auth/authorizer';
import { authorized } from './authorize';
import { handler } from './handler';

export default handler(Apis.ListTransactions, 0, 1, (req, ctx) => {
  const listed = ctx.transactions.listTransactions(req.stateFilters, req.producerIdFilters, Number(req.durationFilter));
  const transactionStates = listed.transactionStates.filter((t) => authorized(ctx, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, t.transactionalId));
  return { throttleTimeMs: 0, ...listed, transactionStates };
});
