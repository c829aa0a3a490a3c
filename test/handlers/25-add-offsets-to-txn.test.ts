// AddOffsetsToTxn in-process: the group goes to the transaction service; PRODUCER_FENCED is
// INVALID_PRODUCER_EPOCH before v2.

import { Apis, ErrorCode } from '../../protocol';
import addOffsetsToTxn from '../../src/handlers/25-add-offsets-to-txn';
import { TestBroker, call, fakeTransactions, testBroker } from './fake-context';

let b: TestBroker;
let asked: unknown[];
let answer: number;
beforeEach(async () => {
  b = await testBroker();
  asked = [];
  answer = ErrorCode.NONE;
  b.services.transactions = fakeTransactions({
    addOffsetsToTxn: async (...args) => {
      asked.push(args);
      return answer;
    },
  });
});
afterEach(() => b.close());

const add = (version: number) =>
  call<typeof Apis.AddOffsetsToTxn>(addOffsetsToTxn, b.ctx(version), { transactionalId: 'tx', producerId: 9n, producerEpoch: 2, groupId: 'g' });

test('adds the group\'s offsets to the transaction', async () => {
  expect(await add(3)).toEqual({ throttleTimeMs: 0, errorCode: ErrorCode.NONE });
  expect(asked).toEqual([['tx', 9n, 2, 'g']]);
});

test('PRODUCER_FENCED is INVALID_PRODUCER_EPOCH before v2', async () => {
  answer = ErrorCode.PRODUCER_FENCED;
  expect((await add(0))!.errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
  expect((await add(1))!.errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
  expect((await add(2))!.errorCode).toBe(ErrorCode.PRODUCER_FENCED);
  expect((await add(4))!.errorCode).toBe(ErrorCode.PRODUCER_FENCED);
});
