// A transactional producer's side of Kafka's transaction protocol, as the Java client's
// TransactionManager runs it: InitProducerId at the transaction coordinator (the producer id and
// epoch that fence older instances), AddPartitionsToTxn before a partition's first batch of each
// transaction, a sequence number per partition for the batches, EndTxn to commit or abort.

import { Apis, ErrorCode, KafkaError, errorName, isRetriable } from '../../protocol';
import { ClusterClient } from './cluster-client';
import { sleep } from './topic-metadata';

/** Errors of a coordinator that is moving, loading or finishing the previous transaction: try again. */
const TRY_AGAIN = new Set<number>([ErrorCode.CONCURRENT_TRANSACTIONS, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, ErrorCode.COORDINATOR_NOT_AVAILABLE, ErrorCode.NOT_COORDINATOR]);

export class TransactionManager {
  producerId = -1n;
  producerEpoch = -1;
  private coordinator = -1;
  private inTransaction = false;
  private readonly added = new Set<string>();
  private readonly sequences = new Map<string, number>();

  constructor(
    private readonly client: ClusterClient,
    readonly transactionalId: string,
    private readonly transactionTimeoutMs: number,
    private readonly retryBackoffMs: number,
    private readonly maxWaitMs: number,
  ) {}

  /** Gets the producer id and epoch for the transactional id (initTransactions). */
  async init(): Promise<void> {
    const res = await this.retrying('InitProducerId', async () => {
      const r = await this.client.request(Apis.InitProducerId, { transactionalId: this.transactionalId, transactionTimeoutMs: this.transactionTimeoutMs }, { to: await this.findCoordinator() });
      return { errorCode: r.errorCode, value: r };
    });
    this.producerId = res.producerId;
    this.producerEpoch = res.producerEpoch;
  }

  begin(): void {
    if (this.producerId < 0n) throw new Error('Cannot begin a transaction before initTransactions');
    if (this.inTransaction) throw new Error('Transaction already in progress');
    this.inTransaction = true;
  }

  get active(): boolean {
    return this.inTransaction;
  }

  /** The first sequence of the next batch of the partition, counting its records in. */
  nextSequence(topic: string, partition: number, count: number): number {
    const key = `${topic}\u0000${partition}`;
    const sequence = this.sequences.get(key) ?? 0;
    this.sequences.set(key, (sequence + count) % 0x80000000);
    return sequence;
  }

  /** Adds the partitions the transaction has not yet written to. */
  async addPartitions(partitions: readonly { topic: string; partition: number }[]): Promise<void> {
    if (!this.inTransaction) throw new Error('Cannot send transactional records outside a transaction: call beginTransaction first');
    const fresh = partitions.filter((p) => !this.added.has(`${p.topic}\u0000${p.partition}`));
    if (fresh.length === 0) return;
    const topics = new Map<string, number[]>();
    for (const p of fresh) topics.set(p.topic, [...(topics.get(p.topic) ?? []), p.partition]);
    await this.retrying('AddPartitionsToTxn', async () => {
      const r = await this.client.request(
        Apis.AddPartitionsToTxn,
        {
          v3AndBelowTransactionalId: this.transactionalId,
          v3AndBelowProducerId: this.producerId,
          v3AndBelowProducerEpoch: this.producerEpoch,
          v3AndBelowTopics: [...topics].map(([name, ps]) => ({ name, partitions: ps })),
        },
        { to: await this.findCoordinator(), maxVersion: 3 },
      );
      const codes = r.resultsByTopicV3AndBelow.flatMap((t) => t.resultsByPartition.map((p) => p.partitionErrorCode));
      return { errorCode: codes.find((c) => c !== ErrorCode.NONE) ?? ErrorCode.NONE, value: r };
    });
    for (const p of fresh) this.added.add(`${p.topic}\u0000${p.partition}`);
  }

  /** Commits or aborts; the caller has flushed the transaction's records first. */
  async end(commit: boolean): Promise<void> {
    if (!this.inTransaction) throw new Error('No transaction in progress');
    if (this.added.size > 0) {
      await this.retrying('EndTxn', async () => {
        const r = await this.client.request(
          Apis.EndTxn,
          { transactionalId: this.transactionalId, producerId: this.producerId, producerEpoch: this.producerEpoch, committed: commit },
          { to: await this.findCoordinator() },
        );
        return { errorCode: r.errorCode, value: r };
      });
    }
    this.added.clear();
    this.inTransaction = false;
  }

  private async findCoordinator(): Promise<number> {
    if (this.coordinator < 0) this.coordinator = await this.client.coordinator(this.transactionalId, 1);
    return this.coordinator;
  }

  private async retrying<T>(what: string, attempt: () => Promise<{ errorCode: number; value: T }>): Promise<T> {
    const deadline = Date.now() + this.maxWaitMs;
    for (;;) {
      let code: number;
      try {
        const { errorCode, value } = await attempt();
        if (errorCode === ErrorCode.NONE) return value;
        code = errorCode;
      } catch (err) {
        if (!(err instanceof KafkaError) || !isRetriable(err.code) || Date.now() > deadline) throw err;
        code = err.code;
      }
      if (!TRY_AGAIN.has(code) || Date.now() > deadline) throw new KafkaError(code, `${what} failed: ${errorName(code)}`);
      if (code === ErrorCode.NOT_COORDINATOR || code === ErrorCode.COORDINATOR_NOT_AVAILABLE) this.coordinator = -1;
      await sleep(this.retryBackoffMs);
    }
  }
}
