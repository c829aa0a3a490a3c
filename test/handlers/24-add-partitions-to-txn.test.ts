// AddPartitionsToTxn in-process: the v0-3 single transaction and the v4+ batch (with verify-only),
// unknown partitions (UNKNOWN_TOPIC_OR_PARTITION, the rest OPERATION_NOT_ATTEMPTED, nothing asked of
// the coordinator), and PRODUCER_FENCED as INVALID_PRODUCER_EPOCH before v2.

import { Apis, ErrorCode } from '../../protocol';
import addPartitionsToTxn from '../../src/handlers/24-add-partitions-to-txn';
import { TestBroker, addTopic, call, fakeTransactions, testBroker, topicInfo } from './fake-context';

let b: TestBroker;
let asked: string[];
let answer: number;
beforeEach(async () => {
  b = await testBroker();
  addTopic(b.metadata, b.logs, topicInfo('t', 2));
  asked = [];
  answer = ErrorCode.NONE;
  b.services.transactions = fakeTransactions({
    addPartitionsToTxn: async (id, pid, epoch, partitions) => {
      asked.push(`add ${id} ${pid}/${epoch} ${partitions.map((p) => `${p.topic}-${p.partition}`).join(',')}`);
      return answer;
    },
    verifyPartitionsInTxn: (id, _pid, _epoch, partitions) => {
      asked.push(`verify ${id}`);
      return partitions.map((p) => ({ ...p, errorCode: p.partition === 0 ? ErrorCode.NONE : ErrorCode.TRANSACTION_ABORTABLE }));
    },
  });
});
afterEach(() => b.close());

const v3 = (version: number, topics: { name: string; partitions: number[] }[]) =>
  call<typeof Apis.AddPartitionsToTxn>(addPartitionsToTxn, b.ctx(version), {
    v3AndBelowTransactionalId: 'tx',
    v3AndBelowProducerId: 7n,
    v3AndBelowProducerEpoch: 1,
    v3AndBelowTopics: topics,
  });

test('v0-3 add one transaction\'s partitions, each answered with the coordinator\'s error', async () => {
  expect(await v3(3, [{ name: 't', partitions: [0, 1] }])).toEqual({
    throttleTimeMs: 0,
    errorCode: 0,
    resultsByTransaction: [],
    resultsByTopicV3AndBelow: [{ name: 't', resultsByPartition: [{ partitionIndex: 0, partitionErrorCode: 0 }, { partitionIndex: 1, partitionErrorCode: 0 }] }],
  });
  expect(asked).toEqual(['add tx 7/1 t-0,t-1']);
});

test('unknown partitions fail the request without asking the coordinator', async () => {
  const res = await v3(0, [{ name: 't', partitions: [0, 5] }, { name: 'nope', partitions: [0] }]);
  expect(res!.resultsByTopicV3AndBelow).toEqual([
    { name: 't', resultsByPartition: [{ partitionIndex: 0, partitionErrorCode: ErrorCode.OPERATION_NOT_ATTEMPTED }, { partitionIndex: 5, partitionErrorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }] },
    { name: 'nope', resultsByPartition: [{ partitionIndex: 0, partitionErrorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }] },
  ]);
  expect(asked).toEqual([]);
});

test('PRODUCER_FENCED is INVALID_PRODUCER_EPOCH before v2', async () => {
  answer = ErrorCode.PRODUCER_FENCED;
  expect((await v3(1, [{ name: 't', partitions: [0] }]))!.resultsByTopicV3AndBelow[0].resultsByPartition[0].partitionErrorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
  expect((await v3(2, [{ name: 't', partitions: [0] }]))!.resultsByTopicV3AndBelow[0].resultsByPartition[0].partitionErrorCode).toBe(ErrorCode.PRODUCER_FENCED);
});

test('v4+ batches transactions, adding or only verifying each', async () => {
  const res = await call<typeof Apis.AddPartitionsToTxn>(addPartitionsToTxn, b.ctx(5), {
    transactions: [
      { transactionalId: 'a', producerId: 1n, producerEpoch: 0, verifyOnly: false, topics: [{ name: 't', partitions: [1] }] },
      { transactionalId: 'b', producerId: 2n, producerEpoch: 0, verifyOnly: true, topics: [{ name: 't', partitions: [0, 1] }] },
      { transactionalId: 'c', producerId: 3n, producerEpoch: 0, verifyOnly: true, topics: [{ name: 'gone', partitions: [0] }] },
    ],
  });
  expect(res!.errorCode).toBe(ErrorCode.NONE);
  expect(res!.resultsByTransaction).toEqual([
    { transactionalId: 'a', topicResults: [{ name: 't', resultsByPartition: [{ partitionIndex: 1, partitionErrorCode: 0 }] }] },
    {
      transactionalId: 'b',
      topicResults: [{ name: 't', resultsByPartition: [{ partitionIndex: 0, partitionErrorCode: 0 }, { partitionIndex: 1, partitionErrorCode: ErrorCode.TRANSACTION_ABORTABLE }] }],
    },
    { transactionalId: 'c', topicResults: [{ name: 'gone', resultsByPartition: [{ partitionIndex: 0, partitionErrorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }] }] },
  ]);
  expect(asked).toEqual(['add a 1/0 t-1', 'verify b']);
});
