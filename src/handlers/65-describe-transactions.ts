// DescribeTransactions (key 65), v0.
// Each transactional id's state at this coordinator: producer id and epoch, timeout, start time and
// partitions; NOT_COORDINATOR / COORDINATOR_LOAD_IN_PROGRESS for ids coordinated elsewhere or being
// loaded, TRANSACTIONAL_ID_NOT_FOUND for unknown (or expiring) ids.

import { Apis } from '../../protocol';
import { handler } from './handler';

export default handler(Apis.DescribeTransactions, 0, 0, (req, ctx) => ({
  throttleTimeMs: 0,
  transactionStates: req.transactionalIds.map((id) => ctx.transactions.describeTransaction(id)),
}));
