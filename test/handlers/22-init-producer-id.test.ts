// InitProducerId in-process: what reaches the transaction service, the KIP-360 id/epoch pair (both
// or neither), and PRODUCER_FENCED answered as INVALID_PRODUCER_EPOCH before v4.

import { Apis, ErrorCode } from '../../protocol';
import initProducerId from '../../src/handlers/22-init-producer-id';
import type { InitProducerIdResult } from '../../src/txn/transaction-handling';
import { TestBroker, call, fakeTransactions, testBroker } from './fake-context';

let b: TestBroker;
let asked: unknown[];
let answer: InitProducerIdResult;
beforeEach(async () => {
  b = await testBroker();
  asked = [];
  answer = { errorCode: ErrorCode.NONE, producerId: 4000n, producerEpoch: 3 };
  b.services.transactions = fakeTransactions({
    initProducerId: async (...args) => {
      asked.push(args);
      return answer;
    },
  });
});
afterEach(() => b.close());

const init = (version: number, body: Partial<{ transactionalId: string | null; transactionTimeoutMs: number; producerId: bigint; producerEpoch: number }>) =>
  call<typeof Apis.InitProducerId>(initProducerId, b.ctx(version), { transactionalId: null, transactionTimeoutMs: 60_000, ...body });

test('an idempotent producer gets the id the service hands out', async () => {
  expect(await init(0, {})).toEqual({ throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: 4000n, producerEpoch: 3 });
  expect(asked).toEqual([[null, 60_000, null]]);
});

test('v3+ passes the producer\'s current id and epoch', async () => {
  await init(3, { transactionalId: 'tx', producerId: 4000n, producerEpoch: 2 });
  expect(asked).toEqual([['tx', 60_000, { producerId: 4000n, producerEpoch: 2 }]]);
});

test('an id without an epoch (or the reverse) is an invalid request', async () => {
  expect(await init(4, { transactionalId: 'tx', producerId: 4000n })).toEqual({ throttleTimeMs: 0, errorCode: ErrorCode.INVALID_REQUEST, producerId: -1n, producerEpoch: -1 });
  expect((await init(5, { transactionalId: 'tx', producerEpoch: 1 }))!.errorCode).toBe(ErrorCode.INVALID_REQUEST);
  expect(asked).toEqual([]);
});

test('PRODUCER_FENCED from v4, INVALID_PRODUCER_EPOCH before; other errors as they are', async () => {
  answer = { errorCode: ErrorCode.PRODUCER_FENCED, producerId: -1n, producerEpoch: -1 };
  expect(await init(3, { transactionalId: 'tx' })).toEqual({ throttleTimeMs: 0, errorCode: ErrorCode.INVALID_PRODUCER_EPOCH, producerId: -1n, producerEpoch: -1 });
  expect((await init(4, { transactionalId: 'tx' }))!.errorCode).toBe(ErrorCode.PRODUCER_FENCED);
  answer = { errorCode: ErrorCode.CONCURRENT_TRANSACTIONS, producerId: -1n, producerEpoch: -1 };
  expect((await init(1, { transactionalId: 'tx' }))!.errorCode).toBe(ErrorCode.CONCURRENT_TRANSACTIONS);
});
