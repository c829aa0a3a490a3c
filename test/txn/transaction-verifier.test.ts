// The produce path's transaction verification (KIP-890) with fake coordinators: this broker's own
// coordinator asked directly, another broker's through a verify-only AddPartitionsToTxn v4, and the
// answers mapped as Kafka's AddPartitionsToTxnManager maps them for producers.
import { ErrorCode } from '../../protocol/errors';
import { TransactionVerifier, TransactionVerifierDeps } from '../../src/txn/transaction-verifier';

const ME = 1;
const PARTS = [
  { topic: 'a', partition: 0 },
  { topic: 'a', partition: 1 },
  { topic: 'b', partition: 0 },
];

function verifier(over: Partial<TransactionVerifierDeps>) {
  const sent: unknown[] = [];
  const deps: TransactionVerifierDeps = {
    brokerId: () => ME,
    coordinatorOf: () => 2,
    local: { verifyPartitionsInTxn: () => [] },
    send: async (brokerId, request) => {
      sent.push([brokerId, request]);
      throw new Error('unreachable');
    },
    ...over,
  };
  return { v: new TransactionVerifier(deps), sent };
}

const codes = (r: { errorCode: number }[]) => r.map((p) => p.errorCode);

test('no coordinator for the id yet: COORDINATOR_NOT_AVAILABLE for every partition', async () => {
  const { v } = verifier({ coordinatorOf: () => null });
  expect(codes(await v.verify('tx', 5n, 0, PARTS))).toEqual([ErrorCode.COORDINATOR_NOT_AVAILABLE, ErrorCode.COORDINATOR_NOT_AVAILABLE, ErrorCode.COORDINATOR_NOT_AVAILABLE]);
});

test("this broker's coordinator is asked directly; PRODUCER_FENCED and TRANSACTION_ABORTABLE reach producers as INVALID_PRODUCER_EPOCH and INVALID_TXN_STATE", async () => {
  const answers = [ErrorCode.NONE, ErrorCode.TRANSACTION_ABORTABLE, ErrorCode.PRODUCER_FENCED];
  const { v, sent } = verifier({
    coordinatorOf: () => ME,
    local: { verifyPartitionsInTxn: (_id, _pid, _epoch, partitions) => partitions.map((p, i) => ({ ...p, errorCode: answers[i] })) },
  });
  const res = await v.verify('tx', 5n, 0, PARTS);
  expect(res).toEqual([
    { topic: 'a', partition: 0, errorCode: ErrorCode.NONE },
    { topic: 'a', partition: 1, errorCode: ErrorCode.INVALID_TXN_STATE },
    { topic: 'b', partition: 0, errorCode: ErrorCode.INVALID_PRODUCER_EPOCH },
  ]);
  expect(sent).toEqual([]);
});

test("another broker's coordinator gets one verify-only request; its answer is mapped per partition, one it leaves out is unverified", async () => {
  const { v, sent } = verifier({
    send: async (brokerId, request) => {
      sent.push([brokerId, request]);
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        resultsByTopicV3AndBelow: [],
        resultsByTransaction: [
          {
            transactionalId: 'tx',
            topicResults: [{ name: 'a', resultsByPartition: [
              { partitionIndex: 0, partitionErrorCode: ErrorCode.NONE },
              { partitionIndex: 1, partitionErrorCode: ErrorCode.CONCURRENT_TRANSACTIONS },
            ] }],
          },
        ],
      };
    },
  });
  expect(codes(await v.verify('tx', 5n, 3, PARTS))).toEqual([ErrorCode.NONE, ErrorCode.CONCURRENT_TRANSACTIONS, ErrorCode.INVALID_TXN_STATE]);
  expect(sent).toEqual([
    [
      2,
      {
        transactions: [
          {
            transactionalId: 'tx',
            producerId: 5n,
            producerEpoch: 3,
            verifyOnly: true,
            topics: [
              { name: 'a', partitions: [0, 1] },
              { name: 'b', partitions: [0] },
            ],
          },
        ],
      },
    ],
  ]);
});

test('an unreachable coordinator is NETWORK_EXCEPTION; a refused request gives its error (CLUSTER_AUTHORIZATION_FAILED as INVALID_TXN_STATE)', async () => {
  expect(codes(await verifier({}).v.verify('tx', 5n, 0, PARTS.slice(0, 1)))).toEqual([ErrorCode.NETWORK_EXCEPTION]);
  const refused = (errorCode: number) =>
    verifier({ send: async () => ({ throttleTimeMs: 0, errorCode, resultsByTopicV3AndBelow: [], resultsByTransaction: [] }) }).v.verify('tx', 5n, 0, PARTS.slice(0, 1));
  expect(codes(await refused(ErrorCode.CLUSTER_AUTHORIZATION_FAILED))).toEqual([ErrorCode.INVALID_TXN_STATE]);
  expect(codes(await refused(ErrorCode.NOT_COORDINATOR))).toEqual([ErrorCode.NOT_COORDINATOR]);
});
