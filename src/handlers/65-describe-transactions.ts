// DescribeTransactions (key 65), v0.
// Each transactional id's state at this coordinator: producer id and epoch, timeout, start time and
// partitions; NOT_COORDINATOR / COORDINATOR_LOAD_IN_PROGRESS for ids coordinated elsewhere or being
// loaded, TRANSACTIONAL_ID_NOT_FOUND for unknown (or expiring) ids. An id the principal may not DESCRIBE
// is TRANSACTIONAL_ID_AUTHORIZATION_FAILED; topics it may not DESCRIBE are left out of the partitions.

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation, ResourceType } from '../auth/authorizer';
import { authorized, topicAuthorizer } from './authorize';
import { handler } from './handler';
import { failedDescription } from '../txn/transaction-handling';

export default handler(Apis.DescribeTransactions, 0, 0, (req, ctx) => {
  const describable = topicAuthorizer(ctx, AclOperation.DESCRIBE);
  return {
    throttleTimeMs: 0,
    transactionStates: req.transactionalIds.map((transactionalId) => {
      if (!authorized(ctx, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, transactionalId)) {
        return failedDescription(transactionalId, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
      }
      const described = ctx.transactions.describeTransaction(transactionalId);
      return { ...described, topics: described.topics.filter((t) => describable(t.topic)) };
    }),
  };
});

