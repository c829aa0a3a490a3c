// Sends a finished transaction's markers to the leaders of its partitions, as Kafka's
// TransactionMarkerChannelManager: per leader broker one queue, drained into one WriteTxnMarkers
// request at a time. A partition is done once its leader wrote the marker; leader moves and
// transient errors send it again (after retry.backoff.ms) to whoever leads then; a partition the
// cluster no longer has is given up, as Kafka does. When every partition is done the transaction's
// Complete* state is written. Stale coordinator epochs, fenced producers and unloaded partitions stop
// the sending.
import { ErrorCode } from '../../protocol/errors';
import type { Clock, Timer } from '../clock';
import type { CoordinatorLogger } from '../coordinator/coordinator-services';
import { PartitionKey, TransactionMetadata, TxnTransit, parsePartitionKey } from './transaction-metadata';
import type { StateLookup } from './transaction-state-manager';

/** Kafka's retry.backoff.ms default, between attempts at a partition. */
export const MARKER_RETRY_BACKOFF_MS = 100;

export interface TxnMarker {
  producerId: bigint;
  producerEpoch: number;
  coordinatorEpoch: number;
  commit: boolean;
  partitions: { topic: string; partition: number }[];
}

/** Error codes of a WriteTxnMarkers response, by producer id then topic and partition. */
export type MarkerResults = { producerId: bigint; topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[] }[];

export interface MarkerSender {
  /** Sends one WriteTxnMarkers request to a broker; rejects when the broker could not be reached. */
  send(brokerId: number, markers: TxnMarker[]): Promise<MarkerResults>;
}

/** What the channel needs of the transaction state: lookups and the log append of Complete*. */
export interface MarkerStateAccess {
  getTransactionState(transactionalId: string): StateLookup;
  appendTransactionToLog(transactionalId: string, coordinatorEpoch: number, transit: TxnTransit, retryOnError?: (errorCode: number) => boolean): Promise<number>;
  partitionFor(transactionalId: string): number;
}

export interface MarkerChannelDeps {
  sender: MarkerSender;
  state: MarkerStateAccess;
  /** The partition's leader; -1 when it has none now; undefined when the cluster has no such partition. */
  leaderOf(topic: string, partition: number): number | undefined;
  clock: Clock;
  log: CoordinatorLogger;
  retryBackoffMs?: number;
}

interface PendingTxn {
  transactionalId: string;
  txnPartition: number;
  coordinatorEpoch: number;
  commit: boolean;
  metadata: TransactionMetadata;
  complete: TxnTransit;
}

interface QueuedMarker {
  txn: PendingTxn;
  partitions: PartitionKey[];
}

interface BrokerQueue {
  entries: QueuedMarker[];
  sending: boolean;
  /** The last failure to reach the broker, warned about once until a request gets through. */
  lastFailure: string | null;
}

const RETRIABLE = new Set<number>([
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.NOT_ENOUGH_REPLICAS,
  ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND,
  ErrorCode.REQUEST_TIMED_OUT,
  ErrorCode.KAFKA_STORAGE_ERROR,
]);

export class TransactionMarkerChannel {
  /** Transactions whose markers are going out, by transactional id. */
  private readonly pending = new Map<string, PendingTxn>();
  private readonly queues = new Map<number, BrokerQueue>();
  private readonly timers = new Set<Timer>();
  private closed = false;
  private readonly backoffMs: number;

  constructor(private readonly deps: MarkerChannelDeps) {
    this.backoffMs = deps.retryBackoffMs ?? MARKER_RETRY_BACKOFF_MS;
  }

  /** Transactions whose markers are still going out. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Starts sending a transaction's markers; `complete` is the Complete* transition to write afterwards. */
  addTxnMarkersToSend(coordinatorEpoch: number, commit: boolean, metadata: TransactionMetadata, complete: TxnTransit): void {
    const transactionalId = metadata.transactionalId;
    const txn = { transactionalId, txnPartition: this.deps.state.partitionFor(transactionalId), coordinatorEpoch, commit, metadata, complete };
    this.pending.set(transactionalId, txn);
    this.enqueue(txn, [...metadata.topicPartitions]);
  }

  /** Stops the markers of the transactions of a partition this broker no longer coordinates. */
  removeMarkersForTxnTopicPartition(txnPartition: number): void {
    for (const [id, txn] of this.pending) if (txn.txnPartition === txnPartition) this.pending.delete(id);
  }

  shutdown(): void {
    this.closed = true;
    this.pending.clear();
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }

  private isPending(txn: PendingTxn): boolean {
    return !this.closed && this.pending.get(txn.transactionalId) === txn;
  }

  /** Queues the partitions at their leaders; gone partitions are dropped, leaderless ones tried again later. */
  private enqueue(txn: PendingTxn, partitions: PartitionKey[]): void {
    if (!this.isPending(txn)) return;
    const byLeader = new Map<number, PartitionKey[]>();
    const leaderless: PartitionKey[] = [];
    for (const key of partitions) {
      const { topic, partition } = parsePartitionKey(key);
      const leader = this.deps.leaderOf(topic, partition);
      if (leader === undefined) {
        this.deps.log.info(`Partition ${key} of transactional id ${txn.transactionalId} no longer exists; its marker is not sent`);
        txn.metadata.removePartition(key);
      } else if (leader < 0) leaderless.push(key);
      else byLeader.set(leader, [...(byLeader.get(leader) ?? []), key]);
    }
    for (const [brokerId, keys] of byLeader) {
      const queue = this.queues.get(brokerId) ?? { entries: [], sending: false, lastFailure: null };
      this.queues.set(brokerId, queue);
      queue.entries.push({ txn, partitions: keys });
      void this.drain(brokerId, queue);
    }
    if (leaderless.length > 0) this.later(() => this.enqueue(txn, leaderless));
    else if (byLeader.size === 0) void this.maybeWriteTxnCompletion(txn);
  }

  private later(fn: () => void): void {
    if (this.closed) return;
    const timer = this.deps.clock.setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, this.backoffMs);
    this.timers.add(timer);
  }

  private async drain(brokerId: number, queue: BrokerQueue): Promise<void> {
    if (queue.sending) return;
    queue.sending = true;
    try {
      while (!this.closed && queue.entries.length > 0) {
        const entries = queue.entries.splice(0).filter((e) => this.isPending(e.txn));
        if (entries.length === 0) continue;
        const markers = entries.map(({ txn, partitions }) => ({
          producerId: txn.metadata.producerId,
          producerEpoch: txn.metadata.producerEpoch,
          coordinatorEpoch: txn.coordinatorEpoch,
          commit: txn.commit,
          partitions: partitions.map(parsePartitionKey),
        }));
        let results: MarkerResults;
        try {
          results = await this.deps.sender.send(brokerId, markers);
        } catch (err) {
          const failure = `Sending transaction markers to broker ${brokerId} failed: ${(err as Error).message}; retrying`;
          if (failure !== queue.lastFailure) this.deps.log.warn(failure);
          queue.lastFailure = failure;
          for (const e of entries) this.later(() => this.enqueue(e.txn, e.partitions));
          continue;
        }
        queue.lastFailure = null;
        for (const e of entries) this.handleResults(e, results);
      }
    } finally {
      queue.sending = false;
    }
  }

  private handleResults({ txn, partitions }: QueuedMarker, results: MarkerResults): void {
    if (!this.isPending(txn)) return;
    const lookup = this.deps.state.getTransactionState(txn.transactionalId);
    const found = 'found' in lookup ? lookup.found : undefined;
    if (!found || found.coordinatorEpoch !== txn.coordinatorEpoch || found.metadata !== txn.metadata) {
      this.deps.log.info(`No longer the coordinator of ${txn.transactionalId} at epoch ${txn.coordinatorEpoch}; cancel sending its transaction markers`);
      this.pending.delete(txn.transactionalId);
      return;
    }
    const errors = new Map<PartitionKey, number>();
    for (const m of results) {
      if (m.producerId !== txn.metadata.producerId) continue;
      for (const t of m.topics) for (const p of t.partitions) errors.set(`${t.name}-${p.partitionIndex}`, p.errorCode);
    }
    const retry: PartitionKey[] = [];
    for (const key of partitions) {
      const errorCode = errors.get(key);
      if (errorCode === ErrorCode.NONE) txn.metadata.removePartition(key);
      else if (errorCode === undefined || RETRIABLE.has(errorCode)) retry.push(key);
      else if (errorCode === ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT || errorCode === ErrorCode.UNSUPPORTED_VERSION) {
        // The producer could not have written there: nothing to mark.
        txn.metadata.removePartition(key);
      } else {
        // INVALID_PRODUCER_EPOCH, TRANSACTION_COORDINATOR_FENCED: a newer producer or coordinator took over.
        const level = errorCode === ErrorCode.INVALID_PRODUCER_EPOCH || errorCode === ErrorCode.TRANSACTION_COORDINATOR_FENCED ? 'info' : 'error';
        this.deps.log[level](`Sending the transaction marker of ${txn.transactionalId} to ${key} failed with error ${errorCode}; cancel sending its transaction markers`);
        this.pending.delete(txn.transactionalId);
        return;
      }
    }
    if (retry.length > 0) this.later(() => this.enqueue(txn, retry));
    else void this.maybeWriteTxnCompletion(txn);
  }

  /** Once every marker is written: the Complete* state, retried while the log is unavailable. */
  private async maybeWriteTxnCompletion(txn: PendingTxn): Promise<void> {
    if (!this.isPending(txn) || txn.metadata.topicPartitions.size > 0) return;
    const errorCode = await this.deps.state.appendTransactionToLog(
      txn.transactionalId,
      txn.coordinatorEpoch,
      txn.complete,
      (code) => code === ErrorCode.COORDINATOR_NOT_AVAILABLE,
    );
    if (!this.isPending(txn)) return;
    if (errorCode === ErrorCode.COORDINATOR_NOT_AVAILABLE) {
      this.later(() => void this.maybeWriteTxnCompletion(txn));
      return;
    }
    this.pending.delete(txn.transactionalId);
    if (errorCode === ErrorCode.NONE) this.deps.log.info(`Completed transaction of ${txn.transactionalId} as ${txn.complete.txnState}`);
    else this.deps.log.warn(`Writing ${txn.complete.txnState} for ${txn.transactionalId} failed with error ${errorCode}; no longer its coordinator`);
  }
}
