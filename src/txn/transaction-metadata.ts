// One transactional id's state at its coordinator, as Kafka's TransactionMetadata: the producer id
// and epoch it owns, the transaction in progress and its partitions. Every change is first prepared
// (a TxnTransit, the record to write; the metadata remembers the pending state and refuses another
// change meanwhile), then written to __transaction_state, then completed, with Kafka's checks.
import { TransactionStatus } from '../../protocol/internal/transaction-log';

export type TransactionState = keyof typeof TransactionStatus;

export const NO_PRODUCER_ID = -1n;
export const NO_PRODUCER_EPOCH = -1;
const SHORT_MAX = 0x7fff;

/** Kafka's validPreviousStates: which states each state may be reached from. */
const VALID_PREVIOUS: Record<TransactionState, readonly TransactionState[]> = {
  Empty: ['Empty', 'CompleteCommit', 'CompleteAbort'],
  Ongoing: ['Ongoing', 'Empty', 'CompleteCommit', 'CompleteAbort'],
  PrepareCommit: ['Ongoing'],
  PrepareAbort: ['Ongoing', 'PrepareEpochFence'],
  CompleteCommit: ['PrepareCommit'],
  CompleteAbort: ['PrepareAbort'],
  Dead: ['Empty', 'CompleteAbort', 'CompleteCommit'],
  PrepareEpochFence: ['Ongoing'],
};

/** States whose transactional id may expire. */
export function isExpirationAllowed(state: TransactionState): boolean {
  return state === 'Empty' || state === 'CompleteCommit' || state === 'CompleteAbort';
}

export function stateOfId(id: number): TransactionState {
  const state = (Object.keys(TransactionStatus) as TransactionState[]).find((s) => TransactionStatus[s] === id);
  if (!state) throw new Error(`Unknown transaction state id ${id} from the transaction status message`);
  return state;
}

/** Epochs stop one short of Short.MAX_VALUE, so the coordinator can always fence with a bump. */
export function isEpochExhausted(epoch: number): boolean {
  return epoch >= SHORT_MAX - 1;
}

/** A topic-partition as one string, "topic-partition" (the partition is after the last dash). */
export type PartitionKey = string;
export const partitionKeyOf = (topic: string, partition: number): PartitionKey => `${topic}-${partition}`;
export function parsePartitionKey(key: PartitionKey): { topic: string; partition: number } {
  const dash = key.lastIndexOf('-');
  return { topic: key.slice(0, dash), partition: Number(key.slice(dash + 1)) };
}

/** The target of a transition: what is written to the log and, once written, becomes the state. */
export interface TxnTransit {
  producerId: bigint;
  lastProducerId: bigint;
  producerEpoch: number;
  lastProducerEpoch: number;
  txnTimeoutMs: number;
  txnState: TransactionState;
  topicPartitions: ReadonlySet<PartitionKey>;
  txnStartTimestamp: number;
  txnLastUpdateTimestamp: number;
}

export interface TransactionMetadataInit {
  transactionalId: string;
  producerId: bigint;
  lastProducerId?: bigint;
  producerEpoch: number;
  lastProducerEpoch?: number;
  txnTimeoutMs: number;
  state: TransactionState;
  topicPartitions?: Iterable<PartitionKey>;
  txnStartTimestamp?: number;
  txnLastUpdateTimestamp: number;
}

export class TransactionMetadata {
  readonly transactionalId: string;
  producerId: bigint;
  lastProducerId: bigint;
  producerEpoch: number;
  lastProducerEpoch: number;
  txnTimeoutMs: number;
  state: TransactionState;
  readonly topicPartitions: Set<PartitionKey>;
  txnStartTimestamp: number;
  txnLastUpdateTimestamp: number;
  /** The state being written; no other transition may start meanwhile. */
  pendingState: TransactionState | null = null;
  /** A fencing epoch bump whose write failed: the next fence reuses the epoch rather than bumping again. */
  hasFailedEpochFence = false;

  constructor(init: TransactionMetadataInit) {
    this.transactionalId = init.transactionalId;
    this.producerId = init.producerId;
    this.lastProducerId = init.lastProducerId ?? NO_PRODUCER_ID;
    this.producerEpoch = init.producerEpoch;
    this.lastProducerEpoch = init.lastProducerEpoch ?? NO_PRODUCER_EPOCH;
    this.txnTimeoutMs = init.txnTimeoutMs;
    this.state = init.state;
    this.topicPartitions = new Set(init.topicPartitions ?? []);
    this.txnStartTimestamp = init.txnStartTimestamp ?? -1;
    this.txnLastUpdateTimestamp = init.txnLastUpdateTimestamp;
  }

  get pendingTransitionInProgress(): boolean {
    return this.pendingState !== null;
  }

  get isProducerEpochExhausted(): boolean {
    return isEpochExhausted(this.producerEpoch);
  }

  /** Drops a partition whose marker was written (only while the markers of a Prepare* state go out). */
  removePartition(key: PartitionKey): void {
    if (this.state !== 'PrepareCommit' && this.state !== 'PrepareAbort') {
      throw new Error(`Transaction metadata's current state is ${this.state}, and its pending state is ${this.pendingState} while trying to remove partitions whose txn marker has been sent, this is not expected`);
    }
    this.topicPartitions.delete(key);
  }

  /** Bumps the epoch to fence the current producer before aborting its transaction. */
  prepareFenceProducerEpoch(): TxnTransit {
    if (this.producerEpoch === SHORT_MAX) throw new Error('Cannot fence producer with epoch equal to Short.MaxValue since this would overflow');
    const bumped = this.hasFailedEpochFence ? this.producerEpoch : this.producerEpoch + 1;
    return this.prepareTransitionTo('PrepareEpochFence', this.producerId, bumped, NO_PRODUCER_EPOCH, this.txnTimeoutMs, this.topicPartitions, this.txnStartTimestamp, this.txnLastUpdateTimestamp);
  }

  /**
   * InitProducerId's epoch bump. With the producer's expected epoch (KIP-360): its current epoch
   * bumps, its previous one is a retry answered with the current epoch, anything else is fenced.
   */
  prepareIncrementProducerEpoch(newTxnTimeoutMs: number, expectedEpoch: number | null, now: number): TxnTransit | 'PRODUCER_FENCED' {
    if (this.isProducerEpochExhausted) throw new Error(`Cannot allocate any more producer epochs for producerId ${this.producerId}`);
    const bumped = this.producerEpoch + 1;
    let next: [number, number];
    if (expectedEpoch === null) next = [bumped, NO_PRODUCER_EPOCH];
    else if (this.producerEpoch === NO_PRODUCER_EPOCH || expectedEpoch === this.producerEpoch) next = [bumped, this.producerEpoch];
    else if (expectedEpoch === this.lastProducerEpoch) next = [this.producerEpoch, this.lastProducerEpoch];
    else return 'PRODUCER_FENCED';
    return this.prepareTransitionTo('Empty', this.producerId, next[0], next[1], newTxnTimeoutMs, new Set(), -1, now);
  }

  /** A new producer id once the epochs of the current one are exhausted. */
  prepareProducerIdRotation(newProducerId: bigint, newTxnTimeoutMs: number, now: number, recordLastEpoch: boolean): TxnTransit {
    if (this.state === 'Ongoing' || this.state === 'PrepareAbort' || this.state === 'PrepareCommit') {
      throw new Error('Cannot rotate producer ids while a transaction is still pending');
    }
    return this.prepareTransitionTo('Empty', newProducerId, 0, recordLastEpoch ? this.producerEpoch : NO_PRODUCER_EPOCH, newTxnTimeoutMs, new Set(), -1, now);
  }

  prepareAddPartitions(added: Iterable<PartitionKey>, now: number): TxnTransit {
    const starting = this.state === 'Empty' || this.state === 'CompleteAbort' || this.state === 'CompleteCommit';
    const partitions = new Set([...this.topicPartitions, ...added]);
    return this.prepareTransitionTo('Ongoing', this.producerId, this.producerEpoch, this.lastProducerEpoch, this.txnTimeoutMs, partitions, starting ? now : this.txnStartTimestamp, now);
  }

  prepareAbortOrCommit(newState: 'PrepareCommit' | 'PrepareAbort', now: number): TxnTransit {
    return this.prepareTransitionTo(newState, this.producerId, this.producerEpoch, this.lastProducerEpoch, this.txnTimeoutMs, this.topicPartitions, this.txnStartTimestamp, now);
  }

  prepareComplete(now: number): TxnTransit {
    const newState = this.state === 'PrepareCommit' ? 'CompleteCommit' : 'CompleteAbort';
    // The Prepare* state is in the log, so a failed fence no longer matters.
    this.hasFailedEpochFence = false;
    return this.prepareTransitionTo(newState, this.producerId, this.producerEpoch, this.lastProducerEpoch, this.txnTimeoutMs, new Set(), this.txnStartTimestamp, now);
  }

  prepareDead(): TxnTransit {
    return this.prepareTransitionTo('Dead', this.producerId, this.producerEpoch, this.lastProducerEpoch, this.txnTimeoutMs, new Set(), this.txnStartTimestamp, this.txnLastUpdateTimestamp);
  }

  private prepareTransitionTo(
    newState: TransactionState,
    newProducerId: bigint,
    newEpoch: number,
    newLastEpoch: number,
    newTxnTimeoutMs: number,
    newTopicPartitions: ReadonlySet<PartitionKey>,
    newTxnStartTimestamp: number,
    updateTimestamp: number,
  ): TxnTransit {
    if (this.pendingState !== null) throw new Error(`Preparing transaction state transition to ${newState} while it already a pending state ${this.pendingState}`);
    if (newProducerId < 0n) throw new Error(`Illegal new producer id ${newProducerId}`);
    if (newState !== 'Dead' && newEpoch < 0) throw new Error(`Illegal new producer epoch ${newEpoch}`);
    if (!VALID_PREVIOUS[newState].includes(this.state)) {
      throw new Error(`Preparing transaction state transition to ${newState} failed since the target state ${newState} is not a valid previous state of the current state ${this.state}`);
    }
    this.pendingState = newState;
    return {
      producerId: newProducerId,
      lastProducerId: this.producerId,
      producerEpoch: newEpoch,
      lastProducerEpoch: newLastEpoch,
      txnTimeoutMs: newTxnTimeoutMs,
      txnState: newState,
      topicPartitions: new Set(newTopicPartitions),
      txnStartTimestamp: newTxnStartTimestamp,
      txnLastUpdateTimestamp: updateTimestamp,
    };
  }

  /** Applies a transition whose record was written, with Kafka's sanity checks. */
  completeTransitionTo(t: TxnTransit): void {
    const toState = this.pendingState;
    if (toState === null) throw new Error(`TransactionalId ${this.transactionalId} completing transaction state transition while it does not have a pending state`);
    const fail = () => {
      throw new Error(`TransactionalId ${this.transactionalId} failed transition to state ${t.txnState} due to unexpected metadata`);
    };
    if (toState !== t.txnState) fail();
    const sameProducer = t.producerEpoch === this.producerEpoch && t.producerId === this.producerId;
    switch (toState) {
      case 'Empty': {
        const validBump = t.producerEpoch === this.producerEpoch + 1 || (t.producerEpoch === 0 && t.producerId !== this.producerId);
        if ((this.producerEpoch !== t.producerEpoch && !validBump) || t.topicPartitions.size > 0 || t.txnStartTimestamp !== -1) fail();
        this.txnTimeoutMs = t.txnTimeoutMs;
        this.producerEpoch = t.producerEpoch;
        this.lastProducerEpoch = t.lastProducerEpoch;
        this.producerId = t.producerId;
        this.lastProducerId = t.lastProducerId;
        break;
      }
      case 'Ongoing':
        if (!sameProducer || [...this.topicPartitions].some((p) => !t.topicPartitions.has(p)) || this.txnTimeoutMs !== t.txnTimeoutMs) fail();
        this.txnStartTimestamp = t.txnStartTimestamp;
        for (const p of t.topicPartitions) this.topicPartitions.add(p);
        break;
      case 'PrepareAbort':
      case 'PrepareCommit':
        if (!sameProducer || !sameSet(this.topicPartitions, t.topicPartitions) || this.txnTimeoutMs !== t.txnTimeoutMs || this.txnStartTimestamp !== t.txnStartTimestamp) fail();
        break;
      case 'CompleteAbort':
      case 'CompleteCommit':
        if (!sameProducer || this.txnTimeoutMs !== t.txnTimeoutMs || t.txnStartTimestamp === -1) fail();
        this.txnStartTimestamp = t.txnStartTimestamp;
        this.topicPartitions.clear();
        break;
      case 'PrepareEpochFence':
        // Never completed: a fence goes straight on to PrepareAbort.
        fail();
        break;
      case 'Dead':
        throw new Error(`TransactionalId ${this.transactionalId} is trying to complete a transition to Dead: an expired id is removed from the cache, never written as Dead`);
    }
    this.txnLastUpdateTimestamp = t.txnLastUpdateTimestamp;
    this.pendingState = null;
    this.state = toState;
  }
}

function sameSet<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}
