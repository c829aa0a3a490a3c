// EndTxn in-process: commit or abort reaches the transaction service; PRODUCER_FENCED is
// INVALID_PRODUCER_EPOCH before v2, other errors pass as they are.

import { Apis, ErrorCode } from '../../protocol';
import endTxn from '../../src/handlers/26-end-txn';
import { TestBroker, call, fakeTransactions, testBroker } from './fake-context';

let b: TestBroker;
let asked: unknown[];
let answer: number;
beforeEach(async () => {
  b = await testBroker();
  asked = [];
  answer = ErrorCode.NONE;
  b.services.transactions = fakeTransactions({
    endTxn: async (...args) => {
      asked.push(args);
      return answer;
    },
  });
});
afterEach(() => b.close());

const end = (version: number, committed: boolean) =>
  call<typeof Apis.EndTxn>(endTxn, b.ctx(version), { transactionalId: 'tx', producerId: 9n, producerEpoch: 2, committed });

test('commits and aborts', async () => {
  expect(await end(0, true)).toEqual({ throttleTimeMs: 0, errorCode: ErrorCode.NONE });
  expect(await end(4, false)).toEqual({ throttleTimeMs: 0, errorCode: ErrorCode.NONE });
  expect(asked).toEqual([['tx', 9n, 2, true], ['tx', 9n, 2, false]]);
});

test('errors per version', async () => {
  answer = ErrorCode.PRODUCER_FENCED;
  expect((await end(1, true))!.errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
  expect((await end(2, true))!.errorCode).toBe(ErrorCode.PRODUCER_FENCED);
  answer = ErrorCode.INVALID_TXN_STATE;
  expect((await end(0, true))!.errorCode).toBe(ErrorCode.INVALID_TXN_STATE);
});
