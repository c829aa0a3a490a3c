// The transaction routes of the console API, over kafka-transactions.sh's admin calls: every
// broker's transactions (ListTransactions) and one transactional id's state (DescribeTransactions
// at its coordinator).

import { describeTransaction, listTransactions } from '../tools/transactions/transactions-admin';
import { ApiContext, Route, ok, route } from './routes';

export const transactionRoutes: Route[] = [route('GET', '/api/transactions', list), route('GET', '/api/transactions/:id', describe)];

async function list(ctx: ApiContext) {
  const byBroker = await listTransactions(ctx.client);
  return ok(
    [...byBroker]
      .flatMap(([coordinatorId, txns]) => txns.map((t) => ({ transactionalId: t.transactionalId, state: t.state, producerId: t.producerId, coordinatorId })))
      .sort((a, b) => a.transactionalId.localeCompare(b.transactionalId)),
  );
}

async function describe(ctx: ApiContext) {
  const transactionalId = ctx.params[0];
  const t = await describeTransaction(ctx.client, transactionalId);
  return ok({ transactionalId, ...t });
}
