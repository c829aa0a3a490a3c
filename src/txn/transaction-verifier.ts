// KIP-890's check on the produce path (Kafka's AddPartitionsToTxnManager): before a transactional
// write opens a transaction in a partition, the partition's leader asks the transactional id's
// coordinator whether the partition is in the producer's transaction, with a verify-only
// AddPartitionsToTxn (v4). This broker's own coordinator is asked directly. Answers are mapped as
// Kafka maps them for producers: PRODUCER_FENCED becomes INVALID_PRODUCER_EPOCH, a partition not in
// the transaction (TRANSACTION_ABORTABLE) INVALID_TXN_STATE, an unreachable coordinator
// NETWORK_EXCEPTION, no coordinator yet COORDINATOR_NOT_AVAILABLE.
import { Apis, ErrorCode, Message, MessageInput } from '../../protocol';
import { groupByTopic } from './inter-broker-client';
import type { TopicPartitionRef, TransactionHandling } from './transaction-handling';

/** AddPartitionsToTxn's first version with the batched, verify-only form. */
export const VERIFY_ONLY_VERSION = 4;

type AddPartitionsRequest = MessageInput<(typeof Apis.AddPartitionsToTxn)['request']>;
type AddPartitionsResponse = Message<(typeof Apis.AddPartitionsToTxn)['response']>;

export type VerifyResult = (TopicPartitionRef & { errorCode: number })[];

export interface TransactionVerifierDeps {
  brokerId(): number;
  /** The leader of the transactional id's __transaction_state partition, or null when there is none. */
  coordinatorOf(transactionalId: string): number | null;
  local: Pick<TransactionHandling, 'verifyPartitionsInTxn'>;
  /** Sends the verify-only request to another broker; rejects when it cannot be reached. */
  send(brokerId: number, request: AddPartitionsRequest): Promise<AddPartitionsResponse>;
}

function addPartitionsRequest(req: { transactionalId: string; producerId: bigint; producerEpoch: number; partitions: TopicPartitionRef[] }): AddPartitionsRequest {
  return {
    transactions: [
      {
        transactionalId: req.transactionalId,
        producerId: req.producerId,
        producerEpoch: req.producerEpoch,
        verifyOnly: true,
        topics: groupByTopic(req.partitions).map((t) => ({ name: t.name, partitions: t.partitionIndexes })),
      },
    ],
  };
}

/** How a producer is told a verification failed (AddPartitionsToTxnManager). */
function forProducer(code: number): number {
  if (code === ErrorCode.PRODUCER_FENCED) return ErrorCode.INVALID_PRODUCER_EPOCH;
  if (code === ErrorCode.TRANSACTION_ABORTABLE || code === ErrorCode.CLUSTER_AUTHORIZATION_FAILED) return ErrorCode.INVALID_TXN_STATE;
  return code;
}

export class TransactionVerifier {
  constructor(private readonly deps: TransactionVerifierDeps) {}

  async verify(transactionalId: string, producerId: bigint, producerEpoch: number, partitions: TopicPartitionRef[]): Promise<VerifyResult> {
    const all = (errorCode: number) => partitions.map((p) => ({ ...p, errorCode }));
    const coordinator = this.deps.coordinatorOf(transactionalId);
    if (coordinator === null) return all(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    if (coordinator === this.deps.brokerId()) {
      return this.deps.local.verifyPartitionsInTxn(transactionalId, producerId, producerEpoch, partitions).map((p) => ({ ...p, errorCode: forProducer(p.errorCode) }));
    }
    let response: AddPartitionsResponse;
    try {
      response = await this.deps.send(coordinator, addPartitionsRequest({ transactionalId, producerId, producerEpoch, partitions }));
    } catch {
      return all(ErrorCode.NETWORK_EXCEPTION);
    }
    if (response.errorCode !== ErrorCode.NONE) return all(forProducer(response.errorCode));
    const codes = new Map<string, number>();
    for (const txn of response.resultsByTransaction) {
      for (const t of txn.topicResults) for (const p of t.resultsByPartition) codes.set(`${t.name}\u0000${p.partitionIndex}`, forProducer(p.partitionErrorCode));
    }
    // A partition the answer does not name was not verified.
    return partitions.map((p) => ({ ...p, errorCode: codes.get(`${p.topic}\u0000${p.partition}`) ?? ErrorCode.INVALID_TXN_STATE }));
  }
}
