// DescribeTransactions in-process, on a real coordinator over fake storage: a transaction in
// progress with its partitions, and the errors of unknown ids.

import { Apis, ErrorCode } from '../../protocol';
import describeTransactions from '../../src/handlers/65-describe-transactions';
import { clusterFakes, coordinatorOn } from '../txn/harness';
import { TestBroker, call, testBroker } from './fake-context';

let b: TestBroker;
afterEach(() => b.close());

test('describes each id', async () => {
  b = await testBroker();
  const fakes = clusterFakes();
  const { coordinator } = coordinatorOn(fakes);
  await coordinator.start();
  b.services.transactions = coordinator;
  await coordinator.initProducerId('tx', 30_000, null);
  await coordinator.addPartitionsToTxn('tx', 0n, 0, [{ topic: 'orders', partition: 2 }]);
  const res = await call<typeof Apis.DescribeTransactions>(describeTransactions, b.ctx(0), { transactionalIds: ['tx', 'unknown'] });
  expect(res).toEqual({
    throttleTimeMs: 0,
    transactionStates: [
      {
        errorCode: ErrorCode.NONE,
        transactionalId: 'tx',
        transactionState: 'Ongoing',
        transactionTimeoutMs: 30_000,
        transactionStartTimeMs: BigInt(fakes.clock.now()),
        producerId: 0n,
        producerEpoch: 0,
        topics: [{ topic: 'orders', partitions: [2] }],
      },
      { errorCode: ErrorCode.TRANSACTIONAL_ID_NOT_FOUND, transactionalId: 'unknown', transactionState: '', transactionTimeoutMs: 0, transactionStartTimeMs: 0n, producerId: 0n, producerEpoch: 0, topics: [] },
    ],
  });
  coordinator.shutdown();
});
