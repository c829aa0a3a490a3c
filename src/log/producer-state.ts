// Per-partition state of idempotent and transactional producers (Kafka's ProducerStateManager,
// ProducerStateEntry and ProducerAppendInfo): the last five batches of each producer for sequence checks
// and duplicate detection, open transactions for the last stable offset, and snapshots of it all.
// Only batch headers feed it; control batches add their marker's type and coordinator epoch.
import { ErrorCode, KafkaError } from '../../protocol/errors';
import {
  SnapshotEntry,
  deleteSnapshot,
  listSnapshotOffsets,
  readProducerSnapshot,
  writeProducerSnapshot,
} from './producer-snapshot';

/** 'client': Produce (all checks); 'coordinator': group/transaction coordinators (epochs only); 'replication': followers and log replay (no checks). */
export type AppendOrigin = 'client' | 'coordinator' | 'replication';

export const NUM_BATCHES_TO_RETAIN = 5;
const NO_SEQUENCE = -1;
const NO_EPOCH = -1;
const INT32_MAX = 0x7fffffff;

/** What DescribeProducers shows of a producer. */
export interface ProducerStateEntry {
  producerId: bigint;
  producerEpoch: number;
  lastSequence: number;
  lastTimestamp: number;
  coordinatorEpoch: number;
  /** -1 when no transaction is open */
  currentTxnStartOffset: number;
}

export interface LastRecord {
  /** -1 when the producer has no data batch left in the log. */
  lastDataOffset: number;
  producerEpoch: number;
}

export interface BatchMetadata {
  lastSeq: number;
  lastOffset: number;
  offsetDelta: number;
  timestamp: number;
}

export interface CompletedTxn {
  producerId: bigint;
  firstOffset: number;
  /** Offset of the marker. */
  lastOffset: number;
  aborted: boolean;
}

interface TxnMetadata {
  producerId: bigint;
  firstOffset: number;
  /** Marker offset once completed, -1 while open. */
  lastOffset: number;
}

/** Kafka's DefaultRecordBatch.incrementSequence: sequences wrap from Int32 max to 0. */
export function incrementSequence(sequence: number, increment: number): number {
  return sequence > INT32_MAX - increment ? increment - (INT32_MAX - sequence) - 1 : sequence + increment;
}

export function decrementSequence(sequence: number, decrement: number): number {
  return sequence < decrement ? INT32_MAX - (decrement - sequence) + 1 : sequence - decrement;
}

export function firstSeqOf(b: BatchMetadata): number {
  return decrementSequence(b.lastSeq, b.offsetDelta);
}

function inSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === INT32_MAX);
}

export class ProducerEntry {
  constructor(
    readonly producerId: bigint,
    public producerEpoch = NO_EPOCH,
    public coordinatorEpoch = -1,
    public lastTimestamp = -1,
    public currentTxnFirstOffset = -1,
    /** Oldest first, at most NUM_BATCHES_TO_RETAIN. */
    public batches: BatchMetadata[] = [],
  ) {}

  get lastSeq(): number {
    return this.batches.length === 0 ? NO_SEQUENCE : this.batches[this.batches.length - 1].lastSeq;
  }

  get lastDataOffset(): number {
    return this.batches.length === 0 ? -1 : this.batches[this.batches.length - 1].lastOffset;
  }

  get lastOffsetDelta(): number {
    return this.batches.length === 0 ? 0 : this.batches[this.batches.length - 1].offsetDelta;
  }

  /** A new epoch forgets the old epoch's batches. */
  maybeUpdateProducerEpoch(epoch: number): void {
    if (this.producerEpoch !== epoch) {
      this.batches = [];
      this.producerEpoch = epoch;
    }
  }

  addBatchMetadata(b: BatchMetadata): void {
    if (this.batches.length === NUM_BATCHES_TO_RETAIN) this.batches.shift();
    this.batches.push(b);
  }

  /** The retained batch with exactly this epoch and sequence range, if any. */
  findDuplicate(epoch: number, firstSeq: number, lastSeq: number): BatchMetadata | undefined {
    if (epoch !== this.producerEpoch) return undefined;
    return this.batches.find((b) => b.lastSeq === lastSeq && firstSeqOf(b) === firstSeq);
  }

  toSnapshotEntry(): SnapshotEntry {
    return {
      producerId: this.producerId,
      producerEpoch: this.producerEpoch,
      lastSequence: this.lastSeq,
      lastOffset: this.lastDataOffset,
      offsetDelta: this.lastOffsetDelta,
      timestamp: this.lastTimestamp,
      coordinatorEpoch: this.coordinatorEpoch,
      currentTxnFirstOffset: this.currentTxnFirstOffset,
    };
  }

  static fromSnapshotEntry(e: SnapshotEntry): ProducerEntry {
    const batches =
      e.lastOffset >= 0
        ? [{ lastSeq: e.lastSequence, lastOffset: e.lastOffset, offsetDelta: e.offsetDelta, timestamp: e.timestamp }]
        : [];
    return new ProducerEntry(e.producerId, e.producerEpoch, e.coordinatorEpoch, e.timestamp, e.currentTxnFirstOffset, batches);
  }
}

/**
 * Kafka's VerificationGuard (KIP-890): a produce that would open a transaction in this partition first
 * asks the transaction coordinator whether the partition is in the producer's transaction; the guard,
 * made when the question was asked, must still be the producer's when the answer comes. A marker or
 * the transaction starting here in between replaces it, so a late write cannot open a transaction
 * that was already ended.
 */
export class VerificationGuard {
  constructor(readonly producerId: bigint) {}
}

interface VerificationState {
  guard: VerificationGuard;
  /** When a verification last asked for it: stale ones expire with idle producers. */
  timestamp: number;
}

/**
 * The changes one append makes to one producer, validated batch by batch and applied only once the
 * append is written (Kafka's ProducerAppendInfo). `entry` holds the new batches only.
 */
export class ProducerAppendInfo {
  readonly entry: ProducerEntry;
  readonly startedTxns: TxnMetadata[] = [];
  /** A marker was appended: any verification of the producer is over. */
  endedTxn = false;

  constructor(
    private readonly current: ProducerEntry | undefined,
    readonly producerId: bigint,
    private readonly origin: AppendOrigin,
    private readonly where: string,
  ) {
    const c = current;
    this.entry = new ProducerEntry(producerId, c?.producerEpoch, c?.coordinatorEpoch, c?.lastTimestamp, c?.currentTxnFirstOffset);
  }

  private checkProducerEpoch(epoch: number, offset: number): void {
    if (epoch < this.entry.producerEpoch && this.origin !== 'replication') {
      throw new KafkaError(
        ErrorCode.INVALID_PRODUCER_EPOCH,
        `Epoch of producer ${this.producerId} at offset ${offset} in ${this.where} is ${epoch}, which is smaller than the last seen epoch ${this.entry.producerEpoch}`,
      );
    }
  }

  private checkSequence(epoch: number, firstSeq: number, offset: number): void {
    const updated = this.entry;
    if (epoch !== updated.producerEpoch) {
      if (firstSeq !== 0 && updated.producerEpoch !== NO_EPOCH) {
        throw new KafkaError(
          ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
          `Invalid sequence number for new epoch of producer ${this.producerId} at offset ${offset} in partition ${this.where}: ${epoch} (request epoch), ${firstSeq} (seq. number), ${updated.producerEpoch} (current producer epoch)`,
        );
      }
      return;
    }
    let currentLastSeq = NO_SEQUENCE;
    if (updated.batches.length > 0) currentLastSeq = updated.lastSeq;
    else if (this.current && epoch === this.current.producerEpoch) currentLastSeq = this.current.lastSeq;
    // Without a known epoch (no state, KIP-360) any sequence is accepted.
    const currentEpoch = this.current?.producerEpoch ?? NO_EPOCH;
    if (currentEpoch !== NO_EPOCH && !inSequence(currentLastSeq, firstSeq)) {
      throw new KafkaError(
        ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
        `Out of order sequence number for producer ${this.producerId} at offset ${offset} in partition ${this.where}: ${firstSeq} (incoming seq. number), ${currentLastSeq} (current end sequence number)`,
      );
    }
  }

  appendDataBatch(
    epoch: number,
    firstSeq: number,
    lastSeq: number,
    lastTimestamp: number,
    firstOffset: number,
    lastOffset: number,
    transactional: boolean,
  ): void {
    this.checkProducerEpoch(epoch, firstOffset);
    if (this.origin === 'client') this.checkSequence(epoch, firstSeq, firstOffset);
    const e = this.entry;
    e.maybeUpdateProducerEpoch(epoch);
    e.addBatchMetadata({ lastSeq, lastOffset, offsetDelta: lastOffset - firstOffset, timestamp: lastTimestamp });
    e.lastTimestamp = lastTimestamp;
    if (e.currentTxnFirstOffset >= 0 && !transactional) {
      if (this.origin !== 'replication') {
        throw new KafkaError(
          ErrorCode.INVALID_TXN_STATE,
          `Expected transactional write from producer ${this.producerId} at offset ${firstOffset} in partition ${this.where}`,
        );
      }
    } else if (e.currentTxnFirstOffset < 0 && transactional) {
      e.currentTxnFirstOffset = firstOffset;
      this.startedTxns.push({ producerId: this.producerId, firstOffset, lastOffset: -1 });
    }
  }

  /** Returns the completed transaction, or null for a marker without transactional data before it. */
  appendEndTxnMarker(commit: boolean, coordinatorEpoch: number, epoch: number, offset: number, timestamp: number): CompletedTxn | null {
    this.checkProducerEpoch(epoch, offset);
    const e = this.entry;
    if (e.coordinatorEpoch > coordinatorEpoch && this.origin !== 'replication') {
      throw new KafkaError(
        ErrorCode.TRANSACTION_COORDINATOR_FENCED,
        `Invalid coordinator epoch for ${this.producerId}: ${coordinatorEpoch} (zombie), ${e.coordinatorEpoch} (current)`,
      );
    }
    const completed =
      e.currentTxnFirstOffset >= 0
        ? { producerId: this.producerId, firstOffset: e.currentTxnFirstOffset, lastOffset: offset, aborted: !commit }
        : null;
    e.maybeUpdateProducerEpoch(epoch);
    e.currentTxnFirstOffset = -1;
    this.endedTxn = true;
    e.coordinatorEpoch = coordinatorEpoch;
    e.lastTimestamp = timestamp;
    return completed;
  }
}

export interface ProducerStateOptions {
  /** The partition directory, where snapshots live. */
  dir: string;
  /** `topic-partition`, for messages. */
  name: string;
  producerIdExpirationMs: number;
}

function insertByFirstOffset(list: TxnMetadata[], txn: TxnMetadata): void {
  let i = list.length;
  while (i > 0 && list[i - 1].firstOffset > txn.firstOffset) i--;
  list.splice(i, 0, txn);
}

export class ProducerStateManager {
  private readonly producers = new Map<bigint, ProducerEntry>();
  /** Open transactions by first offset. */
  private ongoing: TxnMetadata[] = [];
  /** Transaction verifications under way, by producer id. */
  private readonly verifications = new Map<bigint, VerificationState>();
  /** Completed transactions the high watermark has not yet passed, by first offset. */
  private unreplicated: TxnMetadata[] = [];
  /** The offset up to which the state reflects the log. */
  mapEndOffset = 0;
  private lastSnapOffset = 0;
  private readonly producerIdExpirationMs: number;

  constructor(private readonly opts: ProducerStateOptions) {
    this.producerIdExpirationMs = opts.producerIdExpirationMs;
  }

  lastEntry(producerId: bigint): ProducerEntry | undefined {
    return this.producers.get(producerId);
  }

  hasOngoingTransaction(producerId: bigint): boolean {
    return (this.producers.get(producerId)?.currentTxnFirstOffset ?? -1) >= 0;
  }

  /** Kafka's maybeCreateVerificationStateEntry: the producer's guard, made now unless a verification is already under way. */
  startVerification(producerId: bigint, now: number): VerificationGuard {
    const state = this.verifications.get(producerId);
    if (state !== undefined) {
      state.timestamp = now;
      return state.guard;
    }
    const guard = new VerificationGuard(producerId);
    this.verifications.set(producerId, { guard, timestamp: now });
    return guard;
  }

  verificationGuard(producerId: bigint): VerificationGuard | undefined {
    return this.verifications.get(producerId)?.guard;
  }

  prepareUpdate(producerId: bigint, origin: AppendOrigin): ProducerAppendInfo {
    return new ProducerAppendInfo(this.producers.get(producerId), producerId, origin, this.opts.name);
  }

  /** Applies a validated append (Kafka's ProducerStateManager.update). */
  update(info: ProducerAppendInfo): void {
    const next = info.entry;
    const current = this.producers.get(info.producerId);
    if (current === undefined) {
      this.producers.set(info.producerId, next);
    } else {
      current.maybeUpdateProducerEpoch(next.producerEpoch);
      current.coordinatorEpoch = next.coordinatorEpoch;
      current.lastTimestamp = next.lastTimestamp;
      for (const b of next.batches) current.addBatchMetadata(b);
      current.currentTxnFirstOffset = next.currentTxnFirstOffset;
    }
    for (const txn of info.startedTxns) insertByFirstOffset(this.ongoing, txn);
    // A transaction that started here needs no verification any more; one that ended voids any under way.
    if (info.startedTxns.length > 0 || info.endedTxn) this.verifications.delete(info.producerId);
  }

  /** The LSO right after `txn` completes: the first other open transaction, or just past its marker. */
  lastStableOffsetAfter(txn: CompletedTxn): number {
    for (const t of this.ongoing) if (t.producerId !== txn.producerId) return t.firstOffset;
    return txn.lastOffset + 1;
  }

  /** The transaction stops being open; it stays unstable until the high watermark passes its marker. */
  completeTxn(txn: CompletedTxn): void {
    const i = this.ongoing.findIndex((t) => t.firstOffset === txn.firstOffset);
    if (i >= 0) this.ongoing.splice(i, 1);
    insertByFirstOffset(this.unreplicated, { producerId: txn.producerId, firstOffset: txn.firstOffset, lastOffset: txn.lastOffset });
  }

  /** First offset of an open transaction or of a completed one whose marker the high watermark has not passed; null if none. */
  firstUnstableOffset(highWatermark: number): number | null {
    if (this.unreplicated.length > 0) this.unreplicated = this.unreplicated.filter((t) => t.lastOffset >= highWatermark);
    const a = this.unreplicated.length > 0 ? this.unreplicated[0].firstOffset : null;
    const b = this.ongoing.length > 0 ? this.ongoing[0].firstOffset : null;
    if (a === null) return b;
    if (b === null) return a;
    return Math.min(a, b);
  }

  get hasTransactions(): boolean {
    return this.ongoing.length > 0 || this.unreplicated.length > 0;
  }

  updateMapEndOffset(offset: number): void {
    this.mapEndOffset = offset;
  }

  /** Writes `<mapEndOffset>.snapshot` unless one exists at or past it. */
  takeSnapshot(sync = true): void {
    if (this.mapEndOffset <= this.lastSnapOffset) return;
    const entries = [...this.producers.values()].map((e) => e.toSnapshotEntry());
    writeProducerSnapshot(this.opts.dir, this.mapEndOffset, entries, sync);
    this.lastSnapOffset = this.mapEndOffset;
  }

  private isExpired(now: number, e: ProducerEntry): boolean {
    return e.currentTxnFirstOffset < 0 && now - e.lastTimestamp >= this.producerIdExpirationMs;
  }

  /** Forgets producers idle past producer.id.expiration.ms without an open transaction, and stale verifications; returns how many producers. */
  removeExpiredProducers(now: number): number {
    for (const [id, v] of this.verifications) if (now - v.timestamp >= this.producerIdExpirationMs) this.verifications.delete(id);
    let removed = 0;
    for (const [id, e] of this.producers) {
      if (this.isExpired(now, e)) {
        this.producers.delete(id);
        removed++;
      }
    }
    return removed;
  }

  private clear(): void {
    this.producers.clear();
    this.verifications.clear();
    this.ongoing = [];
    this.unreplicated = [];
  }

  /**
   * Forgets everything in memory and loads the latest snapshot in (logStartOffset, maxOffset] (the others
   * are deleted, as are corrupt ones), skipping expired producers. Returns the snapshot's offset, or null
   * when there was none (the state then starts at `logStartOffset`).
   */
  loadLatestSnapshot(logStartOffset: number, maxOffset: number, now: number, warn: (msg: string) => void): number | null {
    this.clear();
    const offsets = listSnapshotOffsets(this.opts.dir);
    // As Kafka's truncateAndReload: a snapshot at the log start goes too (nothing before it is kept).
    const inRange = (o: number) => o <= maxOffset && o > logStartOffset;
    for (const o of offsets) if (!inRange(o)) deleteSnapshot(this.opts.dir, o);
    const usable = offsets.filter(inRange);
    while (usable.length > 0) {
      const offset = usable.pop() as number;
      try {
        for (const s of readProducerSnapshot(this.opts.dir, offset)) {
          const e = ProducerEntry.fromSnapshotEntry(s);
          if (this.isExpired(now, e)) continue;
          this.producers.set(e.producerId, e);
          if (e.currentTxnFirstOffset >= 0) {
            insertByFirstOffset(this.ongoing, { producerId: e.producerId, firstOffset: e.currentTxnFirstOffset, lastOffset: -1 });
          }
        }
        this.mapEndOffset = this.lastSnapOffset = offset;
        return offset;
      } catch (e) {
        warn(`${(e as Error).message}; deleting it`);
        this.clear();
        deleteSnapshot(this.opts.dir, offset);
      }
    }
    this.mapEndOffset = this.lastSnapOffset = logStartOffset;
    return null;
  }

  /** Starts over, empty, at `offset`: every snapshot goes. */
  truncateFullyAndStartAt(offset: number): void {
    this.clear();
    for (const o of listSnapshotOffsets(this.opts.dir)) deleteSnapshot(this.opts.dir, o);
    this.mapEndOffset = this.lastSnapOffset = offset;
  }

  /** Data below the new log start is gone: completed transactions there no longer hold the LSO. */
  onLogStartOffsetIncremented(logStartOffset: number): void {
    this.unreplicated = this.unreplicated.filter((t) => t.lastOffset >= logStartOffset);
    if (this.mapEndOffset < logStartOffset) this.mapEndOffset = logStartOffset;
  }

  /**
   * Kafka's removeStraySnapshots: snapshots not at a segment base go, except the newest one when it lies
   * past the last segment's base (the clean-shutdown snapshot at the log end).
   */
  removeStraySnapshots(segmentBaseOffsets: readonly number[]): void {
    const bases = new Set(segmentBaseOffsets);
    const maxBase = segmentBaseOffsets.length > 0 ? Math.max(...segmentBaseOffsets) : null;
    let stray: number | null = null;
    for (const o of listSnapshotOffsets(this.opts.dir)) {
      if (bases.has(o)) continue;
      if (stray !== null) deleteSnapshot(this.opts.dir, stray);
      stray = o;
    }
    if (stray !== null && maxBase !== null && stray < maxBase) deleteSnapshot(this.opts.dir, stray);
  }

  /** Kafka's lastRecordsOfActiveProducers: each producer's last data offset (-1 if none) and epoch, which the cleaner keeps. */
  lastRecordsOfActiveProducers(): Map<bigint, LastRecord> {
    const out = new Map<bigint, LastRecord>();
    for (const e of this.producers.values()) out.set(e.producerId, { lastDataOffset: e.lastDataOffset, producerEpoch: e.producerEpoch });
    return out;
  }

  activeProducers(): ProducerStateEntry[] {
    return [...this.producers.values()].map((e) => ({
      producerId: e.producerId,
      producerEpoch: e.producerEpoch,
      lastSequence: e.lastSeq,
      lastTimestamp: e.lastTimestamp,
      coordinatorEpoch: e.coordinatorEpoch,
      currentTxnStartOffset: e.currentTxnFirstOffset,
    }));
  }
}
