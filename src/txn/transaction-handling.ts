// What the transaction handlers (InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn, EndTxn,
// DescribeTransactions, ListTransactions, FindCoordinator for transactional ids) ask of the broker's
// transaction coordinator. Results carry Kafka's error codes before any per-version mapping.

export interface TopicPartitionRef {
  topic: string;
  partition: number;
}

export interface InitProducerIdResult {
  errorCode: number;
  producerId: bigint;
  producerEpoch: number;
}

export interface DescribedTransaction {
  errorCode: number;
  transactionalId: string;
  transactionState: string;
  transactionTimeoutMs: number;
  transactionStartTimeMs: bigint;
  producerId: bigint;
  producerEpoch: number;
  topics: { topic: string; partitions: number[] }[];
}

/** A transaction described as failed: the error, every other field at its default, as Kafka answers. */
export function failedDescription(transactionalId: string, errorCode: number): DescribedTransaction {
  return { errorCode, transactionalId, transactionState: '', transactionTimeoutMs: 0, transactionStartTimeMs: 0n, producerId: 0n, producerEpoch: 0, topics: [] };
}

export interface ListedTransactions {
  errorCode: number;
  unknownStateFilters: string[];
  transactionStates: { transactionalId: string; producerId: bigint; transactionState: string }[];
}

export interface TransactionHandling {
  /** FindCoordinator: the broker leading the id's __transaction_state partition (created on first use). */
  coordinatorFor(transactionalId: string): Promise<number>;
  /** A producer id and epoch; `expected` is the producer's current id and epoch (v3+, KIP-360). */
  initProducerId(transactionalId: string | null, transactionTimeoutMs: number, expected: { producerId: bigint; producerEpoch: number } | null): Promise<InitProducerIdResult>;
  addPartitionsToTxn(transactionalId: string, producerId: bigint, producerEpoch: number, partitions: TopicPartitionRef[]): Promise<number>;
  /** AddPartitionsToTxn v4+ verify-only: the error of each partition, nothing written. */
  verifyPartitionsInTxn(transactionalId: string, producerId: bigint, producerEpoch: number, partitions: TopicPartitionRef[]): (TopicPartitionRef & { errorCode: number })[];
  /**
   * KIP-890, for Produce: asks the id's coordinator (this broker's or another's) whether the partitions
   * are in the producer's transaction; each partition's error as a producer is to see it.
   */
  verifyTransaction(transactionalId: string, producerId: bigint, producerEpoch: number, partitions: TopicPartitionRef[]): Promise<(TopicPartitionRef & { errorCode: number })[]>;
  addOffsetsToTxn(transactionalId: string, producerId: bigint, producerEpoch: number, groupId: string): Promise<number>;
  endTxn(transactionalId: string, producerId: bigint, producerEpoch: number, commit: boolean): Promise<number>;
  describeTransaction(transactionalId: string): DescribedTransaction;
  listTransactions(stateFilters: string[], producerIdFilters: bigint[], durationFilterMs: number): ListedTransactions;
}
