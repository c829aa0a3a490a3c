// ListTransactions in-process: the filters reach the transaction service (v1 adds the duration
// filter; v0 means none), and its answer is the response.

import { Apis, ErrorCode } from '../../protocol';
import listTransactions from '../../src/handlers/66-list-transactions';
import { TestBroker, call, fakeTransactions, testBroker } from './fake-context';

let b: TestBroker;
let asked: unknown[];
beforeEach(async () => {
  b = await testBroker();
  asked = [];
  b.services.transactions = fakeTransactions({
    listTransactions: (...args) => {
      asked.push(args);
      return { errorCode: ErrorCode.NONE, unknownStateFilters: ['Bogus'], transactionStates: [{ transactionalId: 'tx', producerId: 5n, transactionState: 'Ongoing' }] };
    },
  });
});
afterEach(() => b.close());

test('passes the filters and answers the listing', async () => {
  const res = await call<typeof Apis.ListTransactions>(listTransactions, b.ctx(1), { stateFilters: ['Ongoing', 'Bogus'], producerIdFilters: [5n], durationFilter: 1000n });
  expect(res).toEqual({
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    unknownStateFilters: ['Bogus'],
    transactionStates: [{ transactionalId: 'tx', producerId: 5n, transactionState: 'Ongoing' }],
  });
  await call<typeof Apis.ListTransactions>(listTransactions, b.ctx(0), { stateFilters: [], producerIdFilters: [] });
  expect(asked).toEqual([
    [['Ongoing', 'Bogus'], [5n], 1000],
    [[], [], -1],
  ]);
});
