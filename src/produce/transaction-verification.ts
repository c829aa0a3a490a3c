// KIP-890 on the produce path, as Kafka 3.9's ReplicaManager does it with
// transaction.partition.verification.enable: a transactional write that would open a transaction in
// a partition waits until the transaction coordinator confirms the partition is in the producer's
// transaction, then appends with the guard its verification started with (the log refuses it if a
// marker came in between). Verification errors reach producers as Kafka sends them.
import { ErrorCode, KafkaError, errorName } from '../../protocol/errors';
import { isTransactional, readBatchHeader } from '../../protocol/records/batch';
import type { PartitionLog, VerificationGuard } from '../log/partition-log';

export interface PendingVerification {
  producerId: bigint;
  producerEpoch: number;
  guard: VerificationGuard;
}

/** The verification a partition's batches need before they are appended, or null when they need none. */
export function startVerification(log: PartitionLog, batches: Buffer): PendingVerification | null {
  const h = readBatchHeader(batches, 0);
  if (h.producerId < 0n || !isTransactional(h.attributes)) return null;
  const guard = log.maybeStartTransactionVerification(h.producerId);
  return guard === null ? null : { producerId: h.producerId, producerEpoch: h.producerEpoch, guard };
}

/**
 * What a producer is told when verification failed. Retriable coordinator errors become
 * NOT_ENOUGH_REPLICAS, which every producer retries without refreshing metadata; older clients
 * would not retry the coordinator's own codes on a produce.
 */
export function verificationFailure(code: number): KafkaError {
  switch (code) {
    case ErrorCode.INVALID_TXN_STATE:
      return new KafkaError(code, 'Partition was not added to the transaction');
    case ErrorCode.CONCURRENT_TRANSACTIONS:
    case ErrorCode.NETWORK_EXCEPTION:
    case ErrorCode.COORDINATOR_LOAD_IN_PROGRESS:
    case ErrorCode.COORDINATOR_NOT_AVAILABLE:
    case ErrorCode.NOT_COORDINATOR:
      return new KafkaError(
        ErrorCode.NOT_ENOUGH_REPLICAS,
        `Unable to verify the partition has been added to the transaction. Underlying error: ${errorName(code)}`,
      );
    default:
      return new KafkaError(code, `Transaction verification failed: ${errorName(code)}`);
  }
}
