// A partition's log: `<logDir>/<topic>-<partition>/` holding segments in Kafka's on-disk format.
// Appends are synchronous and ordered; reads are asynchronous and work on a snapshot of the segment list,
// so they stay safe while appends, rolls and retention go on. Batches with a producer id also feed the
// producer state (sequence checks, duplicates, transactions, the last stable offset: producer-batches.ts),
// which is snapshotted on roll and clean close and rebuilt from the latest snapshot plus the log tail at
// open and after truncation.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorCode, KafkaError } from '../../protocol/errors';
import {
  BatchHeader,
  RECORD_BATCH_OVERHEAD,
  batchSizeAt,
  isTransactional,
  readBatchHeader,
  setBaseOffset,
  setLogAppendTime,
  setPartitionLeaderEpoch,
  verifyBatchIntegrity,
} from '../../protocol/records/batch';
import { Clock, Timer, realClock } from '../clock';
import { CLEANED_SUFFIX, FUTURE_DIR_SUFFIX, LEADER_EPOCH_CHECKPOINT, SWAP_SUFFIX, partitionDirName } from './file-names';
import { fsyncDirSync } from './atomic-file';
import { AbortedTxnEntry } from './txn-index';
import { CorruptCheckpointError } from './checkpoint-file';
import { LeaderEpochCache } from './leader-epoch-cache';
import { LogConfig } from './log-config';
import { LogLogger, silentLogger } from '../logger';
import { readPartitionMetadata, writePartitionMetadata } from './partition-metadata';
import { deleteSnapshotsAfter, loadLog } from './recovery';
import { FoundRecord, LogSegment, SegmentSettings, floorSegment } from './segment';
import {
  EndTxnMarker,
  PendingProducerState,
  analyzeBatch,
  commitProducerState,
  endTxnMarkerBatch,
  lastSequenceOf,
  loadProducerState,
  noPendingChanges,
  replayProducerState,
} from './producer-batches';
import {
  BatchMetadata,
  LastRecord,
  ProducerStateEntry,
  ProducerStateManager,
  VerificationGuard,
} from './producer-state';

export type { ProducerStateEntry, VerificationGuard } from './producer-state';
export type { EndTxnMarker } from './producer-batches';

/** Kafka's producer.id.expiration.ms default: one day. */
export const DEFAULT_PRODUCER_ID_EXPIRATION_MS = 86_400_000;

const INT32_MAX = 0x7fffffff;
const EMPTY = Buffer.alloc(0);

export interface AppendOptions {
  /** Written into every batch's partitionLeaderEpoch. */
  leaderEpoch: number;
  /** 0 = CreateTime, 1 = LogAppendTime; defaults to the config's message.timestamp.type. */
  timestampType?: 0 | 1;
  /** Wall clock in ms: the LogAppendTime and the reference for time-based rolling. */
  now: number;
  /** 'client' (Produce: full sequence checks) or 'coordinator' (group/txn coordinators: epoch checks only). Default 'client'. */
  origin?: 'client' | 'coordinator';
  /**
   * Produce with transaction verification on (KIP-890): a transactional batch that would open a
   * transaction here must carry its producer's current guard (maybeStartTransactionVerification);
   * absent, nothing is checked.
   */
  verificationGuards?: ReadonlyMap<bigint, VerificationGuard>;
}

export interface AppendInfo {
  firstOffset: number;
  lastOffset: number;
  /** The broker's timestamp when LogAppendTime applies, otherwise -1. */
  logAppendTime: number;
  maxTimestamp: number;
  offsetOfMaxTimestamp: number;
  logStartOffset: number;
  recordCount: number;
  batchCount: number;
  sizeInBytes: number;
  /** The batch repeats one of its producer's last 5: offsets are the original's and nothing was written. */
  duplicate: boolean;
}

export interface AbortedTxn {
  producerId: bigint;
  firstOffset: number;
}

export interface ReadOptions {
  /** Return the first batch whole even when it is larger than maxBytes (Fetch's behaviour for the first partition). */
  minOneBatch: boolean;
  /** Exclusive upper bound, e.g. the high watermark or last stable offset; defaults to the log end. */
  maxOffset?: number;
}

export interface ReadResult {
  /** Raw file bytes: whole batches, the first holding the requested offset. Empty at the log end. */
  records: Buffer;
  logStartOffset: number;
  logEndOffset: number;
  highWatermark: number;
}

export interface PartitionLogOptions {
  logDir: string;
  topic: string;
  partition: number;
  config: LogConfig;
  logger?: LogLogger;
  /** Time for truncation, flushes and delayed file deletion (default: the real clock). */
  clock?: Clock;
  now: number;
  /** producer.id.expiration.ms: idle producers are forgotten after this (default one day). */
  producerIdExpirationMs?: number;
  /** The partition dir's name when not `<topic>-<partition>` (a future replica's `…-future`). */
  dirName?: string;
  /** Told of an I/O error writing, rolling or flushing (Kafka's LogDirFailureChannel); the operation then fails with KAFKA_STORAGE_ERROR. */
  onIoError?: (error: Error) => void;
}

export interface OpenPartitionLogOptions extends PartitionLogOptions {
  hadCleanShutdown: boolean;
  recoveryPointCheckpoint?: number;
  logStartOffsetCheckpoint?: number;
}

interface LogState {
  segments: LogSegment[];
  logEndOffset: number;
  logStartOffset: number;
  recoveryPoint: number;
  epochCache: LeaderEpochCache;
  topicId: string | undefined;
}

function segmentSettings(config: LogConfig, logger: LogLogger): SegmentSettings {
  return { indexIntervalBytes: config.indexIntervalBytes, maxIndexSize: config.segmentIndexBytes, logger };
}

function partitionDir(opts: PartitionLogOptions): string {
  return path.join(opts.logDir, opts.dirName ?? partitionDirName(opts.topic, opts.partition));
}

function isMissingFile(e: unknown): boolean {
  return (e as NodeJS.ErrnoException)?.code === 'ENOENT';
}

export class PartitionLog {
  readonly topic: string;
  readonly partition: number;
  readonly dir: string;
  /** The log dir (parent of `dir`) this partition lives in. */
  readonly logDir: string;
  readonly leaderEpochCache: LeaderEpochCache;
  /** High watermark from replication-offset-checkpoint at open, if any. */
  checkpointHighWatermark: number | undefined;

  private _config: LogConfig;
  private settings: SegmentSettings;
  private segments: readonly LogSegment[];
  private leo: number;
  private _logStartOffset: number;
  private _recoveryPoint: number;
  private hw: number | undefined;
  private _topicId: string | undefined;
  private unflushedMessages = 0;
  private _lastFlushTime: number;
  private closed = false;
  private readonly logger: LogLogger;
  private readonly clock: Clock;
  private readonly listeners = new Set<(info: AppendInfo) => void>();
  private readonly hwListeners = new Set<(highWatermark: number) => void>();
  private readonly pendingDeletes = new Map<LogSegment, Timer>();
  private readonly producerState: ProducerStateManager;
  private readonly onIoError: ((error: Error) => void) | undefined;
  private truncations = 0;

  private constructor(opts: PartitionLogOptions, state: LogState, settings: SegmentSettings) {
    this.topic = opts.topic;
    this.partition = opts.partition;
    this.logDir = opts.logDir;
    this.dir = partitionDir(opts);
    this.onIoError = opts.onIoError;
    this._config = opts.config;
    this.logger = opts.logger ?? silentLogger;
    this.clock = opts.clock ?? realClock;
    this.settings = settings;
    this.segments = state.segments;
    this.leo = state.logEndOffset;
    this._logStartOffset = state.logStartOffset;
    this._recoveryPoint = state.recoveryPoint;
    this.leaderEpochCache = state.epochCache;
    this._topicId = state.topicId;
    this._lastFlushTime = opts.now;
    this.producerState = new ProducerStateManager({
      dir: this.dir,
      name: `${this.topic}-${this.partition}`,
      producerIdExpirationMs: opts.producerIdExpirationMs ?? DEFAULT_PRODUCER_ID_EXPIRATION_MS,
    });
  }

  /** A new, empty partition directory. */
  static create(opts: PartitionLogOptions & { topicId?: string }): PartitionLog {
    const dir = partitionDir(opts);
    fs.mkdirSync(dir, { recursive: true });
    const logger = opts.logger ?? silentLogger;
    const settings = segmentSettings(opts.config, logger);
    if (opts.topicId) writePartitionMetadata(dir, opts.topicId);
    const state: LogState = {
      segments: [LogSegment.create(dir, 0, settings, opts.now)],
      logEndOffset: 0,
      logStartOffset: 0,
      recoveryPoint: 0,
      epochCache: LeaderEpochCache.empty(path.join(dir, LEADER_EPOCH_CHECKPOINT)),
      topicId: opts.topicId,
    };
    return new PartitionLog(opts, state, settings);
  }

  /** Opens an existing partition directory, recovering it if the broker did not shut down cleanly. */
  static open(opts: OpenPartitionLogOptions): PartitionLog {
    const dir = partitionDir(opts);
    const logger = opts.logger ?? silentLogger;
    const settings = segmentSettings(opts.config, logger);
    const epochFile = path.join(dir, LEADER_EPOCH_CHECKPOINT);
    let epochCache: LeaderEpochCache;
    try {
      epochCache = LeaderEpochCache.load(epochFile);
    } catch (e) {
      if (!(e instanceof CorruptCheckpointError)) throw e;
      logger.warn(`${e.message}; starting with an empty leader epoch cache`);
      epochCache = LeaderEpochCache.empty(epochFile);
    }
    const loaded = loadLog({
      dir,
      settings,
      hadCleanShutdown: opts.hadCleanShutdown,
      recoveryPointCheckpoint: opts.recoveryPointCheckpoint,
      logStartOffsetCheckpoint: opts.logStartOffsetCheckpoint,
      epochCache,
      logger,
      now: opts.now,
    });
    const log = new PartitionLog(opts, { ...loaded, epochCache, topicId: readPartitionMetadata(dir) }, settings);
    loadProducerState(log.producerState, log.replayed(), opts.hadCleanShutdown, loaded.recoveredFrom, opts.now);
    return log;
  }

  /** What producer state is rebuilt from: the segments up to the log end. */
  private replayed() {
    return { segments: this.segments, logStartOffset: this._logStartOffset, logEndOffset: this.leo, logger: this.logger };
  }

  /** Writes the producer state's snapshot at `offset`; a failure is logged, never fatal to a roll or a close. */
  private snapshotProducerState(offset: number, sync: boolean): void {
    this.producerState.updateMapEndOffset(offset);
    try {
      this.producerState.takeSnapshot(sync);
    } catch (e) {
      this.logger.error(`producer state snapshot of ${this.topic}-${this.partition} failed: ${(e as Error).message}`);
    }
  }

  private duplicateOf(h: BatchHeader): BatchMetadata | undefined {
    return this.producerState.lastEntry(h.producerId)?.findDuplicate(h.producerEpoch, h.baseSequence, lastSequenceOf(h));
  }

  get config(): LogConfig {
    return this._config;
  }

  /** New settings apply to later appends and rolls; index sizes of existing segments stay as they are. */
  set config(config: LogConfig) {
    this._config = config;
    this.settings = segmentSettings(config, this.logger);
    for (const seg of this.segments) seg.settings = this.settings;
  }

  get topicId(): string | undefined {
    return this._topicId;
  }

  setTopicId(topicId: string): void {
    if (this._topicId === topicId) return;
    writePartitionMetadata(this.dir, topicId);
    this._topicId = topicId;
  }

  get logStartOffset(): number {
    return this._logStartOffset;
  }

  get logEndOffset(): number {
    return this.leo;
  }

  get recoveryPoint(): number {
    return this._recoveryPoint;
  }

  /** The log end offset unless set: a single replica has no followers to wait for. */
  get highWatermark(): number {
    return this.hw === undefined ? this.leo : Math.min(this.hw, this.leo);
  }

  set highWatermark(offset: number) {
    const before = this.highWatermark;
    this.hw = Math.max(this._logStartOffset, Math.min(offset, this.leo));
    if (this.hw > before) this.highWatermarkMoved();
  }

  get lastFlushTime(): number {
    return this._lastFlushTime;
  }

  get unflushedMessageCount(): number {
    return this.unflushedMessages;
  }

  get size(): number {
    let total = 0;
    for (const seg of this.segments) total += seg.size;
    return total;
  }

  get numberOfSegments(): number {
    return this.segments.length;
  }

  segmentBaseOffsets(): number[] {
    return this.segments.map((s) => s.baseOffset);
  }

  private get activeSegment(): LogSegment {
    return this.segments[this.segments.length - 1];
  }

  private ensureOpen(): void {
    if (this.closed) throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, `log of ${this.topic}-${this.partition} is closed`);
  }

  /** Called after every append; returns a function that unsubscribes. */
  onAppend(listener: (info: AppendInfo) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called when the high watermark moves up (with the log end while it is not tracked); returns a function that unsubscribes. */
  onHighWatermark(listener: (highWatermark: number) => void): () => void {
    this.hwListeners.add(listener);
    return () => this.hwListeners.delete(listener);
  }

  /**
   * From here on the high watermark is tracked, not the log end: a replicated log starts from the
   * checkpointed one, or 0 without one, as Kafka loads it.
   */
  initHighWatermark(): void {
    if (this.hw === undefined) this.highWatermark = this.checkpointHighWatermark ?? 0;
  }

  /**
   * Appends validated v2 batches: assigns offsets (and leader epoch, and LogAppendTime when configured) in
   * place, rolls first if needed, then writes the bytes unchanged.
   */
  append(records: Buffer, opts: AppendOptions): AppendInfo {
    this.ensureOpen();
    this.checkBatchSizes(records);
    const origin = opts.origin ?? 'client';
    let pending: PendingProducerState | null = null;
    const logAppendTime = (opts.timestampType ?? (this._config.messageTimestampType === 'LogAppendTime' ? 1 : 0)) === 1;
    const firstOffset = this.leo;
    let next = firstOffset;
    let maxTimestamp = -1;
    let offsetOfMaxTimestamp = -1;
    let recordCount = 0;
    let batchCount = 0;
    for (let pos = 0; pos < records.length; ) {
      const size = batchSizeAt(records, pos);
      const h = readBatchHeader(records, pos);
      setBaseOffset(records, pos, next);
      setPartitionLeaderEpoch(records, pos, opts.leaderEpoch);
      if (logAppendTime) setLogAppendTime(records, pos, opts.now);
      const lastOffset = next + h.lastOffsetDelta;
      const ts = logAppendTime ? opts.now : h.maxTimestamp;
      if (h.producerId >= 0n) {
        if (origin === 'client') {
          const dup = this.duplicateOf(h);
          if (dup) return this.duplicateInfo(dup);
          if (opts.verificationGuards) this.checkVerified(h, opts.verificationGuards);
        }
        pending ??= noPendingChanges();
        analyzeBatch(this.producerState, records, pos, h, next, lastOffset, ts, origin, pending);
      }
      if (ts > maxTimestamp) {
        maxTimestamp = ts;
        offsetOfMaxTimestamp = lastOffset;
      }
      next = lastOffset + 1;
      recordCount += h.recordCount;
      batchCount++;
      pos += size;
    }
    const info: AppendInfo = {
      firstOffset,
      lastOffset: next - 1,
      logAppendTime: logAppendTime ? opts.now : -1,
      maxTimestamp,
      offsetOfMaxTimestamp,
      logStartOffset: this._logStartOffset,
      recordCount,
      batchCount,
      sizeInBytes: records.length,
      duplicate: false,
    };
    this.write(records, info, opts.now);
    if (pending !== null) commitProducerState(this.producerState, pending, this.activeSegment);
    this.producerState.updateMapEndOffset(this.leo);
    if (opts.leaderEpoch >= 0) this.leaderEpochCache.assign(opts.leaderEpoch, firstOffset);
    this.appended(info, opts.now);
    return info;
  }

  /** Kafka's batchMissingRequiredVerification: a transactional batch opening a transaction needs the producer's current guard. */
  private checkVerified(h: BatchHeader, guards: ReadonlyMap<bigint, VerificationGuard>): void {
    if (!isTransactional(h.attributes) || this.producerState.hasOngoingTransaction(h.producerId)) return;
    const current = this.producerState.verificationGuard(h.producerId);
    if (current === undefined || guards.get(h.producerId) !== current) {
      throw new KafkaError(ErrorCode.INVALID_TXN_STATE, 'Record was not part of an ongoing transaction');
    }
  }

  /**
   * Before a transactional produce that would open a transaction here: the guard to verify it with, or
   * null when the producer's transaction is already open in this partition (nothing to verify).
   */
  maybeStartTransactionVerification(producerId: bigint): VerificationGuard | null {
    this.ensureOpen();
    if (this.producerState.hasOngoingTransaction(producerId)) return null;
    return this.producerState.startVerification(producerId, this.clock.now());
  }

  /** A retried batch: the original's offsets, nothing written (Kafka answers with the original, LogAppendTime its timestamp). */
  private duplicateInfo(dup: BatchMetadata): AppendInfo {
    return {
      firstOffset: dup.lastOffset - dup.offsetDelta,
      lastOffset: dup.lastOffset,
      logAppendTime: dup.timestamp,
      maxTimestamp: dup.timestamp,
      offsetOfMaxTimestamp: dup.lastOffset,
      logStartOffset: this._logStartOffset,
      recordCount: 0,
      batchCount: 0,
      sizeInBytes: 0,
      duplicate: true,
    };
  }

  /** Writes a COMMIT/ABORT control batch for the producer (Kafka's control batch format). */
  appendEndTxnMarker(marker: EndTxnMarker, opts: { leaderEpoch: number; now: number }): AppendInfo {
    return this.append(endTxnMarkerBatch(marker, opts.leaderEpoch, opts.now), { ...opts, origin: 'coordinator' });
  }

  /** min(first offset of open or not-yet-replicated completed transactions, high watermark). */
  get lastStableOffset(): number {
    const hw = this.highWatermark;
    const ps = this.producerState;
    if (!ps.hasTransactions) return hw;
    const unstable = ps.firstUnstableOffset(hw);
    return unstable === null ? hw : Math.min(Math.max(unstable, this._logStartOffset), hw);
  }

  /** Aborted transactions overlapping [fetchOffset, upperBoundOffset), from the .txnindex files (Kafka's collectAbortedTransactions). */
  async abortedTransactions(fetchOffset: number, upperBoundOffset: number): Promise<AbortedTxn[]> {
    this.ensureOpen();
    return this.collectAbortedTxns(fetchOffset, upperBoundOffset).map((e) => ({ producerId: e.producerId, firstOffset: e.firstOffset }));
  }

  /** The `.txnindex` entries overlapping [startOffset, upperBoundOffset), whole (the cleaner rebuilds indexes from them). */
  collectAbortedTxns(startOffset: number, upperBoundOffset: number): AbortedTxnEntry[] {
    const out: AbortedTxnEntry[] = [];
    const segments = this.segments;
    for (let i = floorSegment(segments, startOffset); i < segments.length; i++) {
      const found = segments[i].txnIndex.collect(startOffset, upperBoundOffset);
      out.push(...found.aborted);
      if (found.complete) break;
    }
    return out;
  }

  /** The segment list as it is now; it is replaced, never changed in place, so the cleaner can walk it. */
  segmentsSnapshot(): readonly LogSegment[] {
    return this.segments;
  }

  /** Counts truncations: a cleaning that began before one must not swap its output in. */
  get truncationCount(): number {
    return this.truncations;
  }

  lastRecordsOfActiveProducers(): Map<bigint, LastRecord> {
    return this.producerState.lastRecordsOfActiveProducers();
  }

  /** An empty `.cleaned` segment for the cleaner to write into (Kafka's createNewCleanedSegment). */
  createCleanedSegment(baseOffset: number): LogSegment {
    this.ensureOpen();
    return LogSegment.create(this.dir, baseOffset, this.settings, this.clock.now(), CLEANED_SUFFIX);
  }

  /**
   * Swaps a cleaned segment in for the contiguous `old` segments (Kafka's replaceSegments), crash-safe in two
   * phases: `.cleaned` → `.swap`, the old segments renamed `.deleted` (removed after file.delete.delay.ms, so
   * reads in flight finish), then `.swap` → final names. A crash in between is completed by recovery.
   * Returns false, deleting the cleaned files, when the log changed underneath (closed, truncated, old
   * segments gone): the cleaning is then abandoned.
   */
  replaceSegments(cleaned: LogSegment, old: readonly LogSegment[], truncationCount: number): boolean {
    const current = this.segments;
    const at = current.indexOf(old[0]);
    const intact =
      !this.closed &&
      truncationCount === this.truncations &&
      at >= 0 &&
      at + old.length < current.length &&
      old.every((seg, i) => current[at + i] === seg);
    if (!intact) {
      cleaned.deleteFiles();
      return false;
    }
    cleaned.changeFileSuffixes(CLEANED_SUFFIX, SWAP_SUFFIX);
    this.segments = [...current.slice(0, at), cleaned, ...current.slice(at + old.length)];
    for (const seg of old) this.scheduleDelete(seg, seg.baseOffset === cleaned.baseOffset);
    cleaned.changeFileSuffixes(SWAP_SUFFIX, '');
    fsyncDirSync(this.dir);
    return true;
  }

  activeProducers(): ProducerStateEntry[] {
    return this.producerState.activeProducers();
  }

  /** Forgets producers idle past producer.id.expiration.ms (the log manager's periodic check); returns how many. */
  removeExpiredProducers(now: number): number {
    if (this.closed) return 0;
    return this.producerState.removeExpiredProducers(now);
  }

  /**
   * Appends batches replicated from the leader as they are: their offsets and leader epochs stay the
   * leader's. Each batch must be intact (CRC) and start at or after the log end. Batches are written
   * one by one, so segments roll and get index entries where the leader's did.
   */
  appendAsFollower(records: Buffer, now: number): AppendInfo {
    this.ensureOpen();
    this.checkBatchSizes(records, false);
    const batches: { pos: number; size: number; header: BatchHeader }[] = [];
    let next = this.leo;
    for (let pos = 0; pos < records.length; ) {
      const size = batchSizeAt(records, pos);
      verifyBatchIntegrity(records, pos, size);
      const header = readBatchHeader(records, pos);
      if (header.baseOffset < next) {
        throw new KafkaError(
          ErrorCode.CORRUPT_MESSAGE,
          `batch at offset ${header.baseOffset} does not follow offset ${next - 1} of ${this.topic}-${this.partition}`,
        );
      }
      next = header.baseOffset + header.lastOffsetDelta + 1;
      batches.push({ pos, size, header });
      pos += size;
    }
    const first = batches[0].header;
    const total: AppendInfo = {
      firstOffset: first.baseOffset,
      lastOffset: next - 1,
      logAppendTime: -1,
      maxTimestamp: -1,
      offsetOfMaxTimestamp: -1,
      logStartOffset: this._logStartOffset,
      recordCount: 0,
      batchCount: batches.length,
      sizeInBytes: records.length,
      duplicate: false,
    };
    for (const { pos, size, header: h } of batches) {
      const lastOffset = h.baseOffset + h.lastOffsetDelta;
      let pending: PendingProducerState | null = null;
      if (h.producerId >= 0n) {
        pending = noPendingChanges();
        analyzeBatch(this.producerState, records, pos, h, h.baseOffset, lastOffset, h.maxTimestamp, 'replication', pending);
      }
      this.write(records.subarray(pos, pos + size), { lastOffset, maxTimestamp: h.maxTimestamp, offsetOfMaxTimestamp: lastOffset }, now);
      if (pending !== null) commitProducerState(this.producerState, pending, this.activeSegment);
      this.producerState.updateMapEndOffset(this.leo);
      this.leaderEpochCache.assign(h.partitionLeaderEpoch, h.baseOffset);
      total.recordCount += h.recordCount;
      if (h.maxTimestamp > total.maxTimestamp) {
        total.maxTimestamp = h.maxTimestamp;
        total.offsetOfMaxTimestamp = lastOffset;
      }
    }
    this.appended(total, now);
    return total;
  }

  /** Whole batches within max.message.bytes; what one write puts into a segment must fit segment.bytes. */
  private checkBatchSizes(records: Buffer, writtenWhole = true): void {
    const config = this._config;
    if (records.length === 0) throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, 'no record batches to append');
    const tooLarge = (bytes: number) =>
      new KafkaError(ErrorCode.RECORD_LIST_TOO_LARGE, `${bytes} bytes of records exceed segment.bytes ${config.segmentBytes}`);
    if (writtenWhole && records.length > config.segmentBytes) throw tooLarge(records.length);
    for (let pos = 0; pos < records.length; ) {
      const size = batchSizeAt(records, pos);
      if (size < RECORD_BATCH_OVERHEAD || size > records.length - pos) {
        throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, `incomplete record batch at position ${pos}`);
      }
      if (size > config.segmentBytes) throw tooLarge(size);
      if (size > config.maxMessageBytes) {
        throw new KafkaError(
          ErrorCode.MESSAGE_TOO_LARGE,
          `record batch of ${size} bytes exceeds max.message.bytes ${config.maxMessageBytes}`,
        );
      }
      pos += size;
    }
  }

  /** Writes batches whose offsets are final to the active segment, rolling first if needed; moves the log end past them. */
  private write(records: Buffer, info: Pick<AppendInfo, 'lastOffset' | 'maxTimestamp' | 'offsetOfMaxTimestamp'>, now: number): void {
    let segment = this.activeSegment;
    if (this.shouldRoll(segment, records.length, info.maxTimestamp, info.lastOffset, now)) segment = this.roll(now);
    const sizeBefore = segment.size;
    try {
      segment.append(info.lastOffset, info.maxTimestamp, info.offsetOfMaxTimestamp, records);
    } catch (e) {
      this.undoPartialWrite(segment, sizeBefore);
      throw this.storageError(`append to ${segment.log.path}`, e);
    }
    this.leo = info.lastOffset + 1;
  }

  /** Flush policy and listeners, once per append call. */
  private appended(info: AppendInfo, now: number): void {
    this.unflushedMessages += info.recordCount;
    if (this.unflushedMessages >= this._config.flushIntervalMessages) this.flush(now);
    for (const listener of this.listeners) {
      try {
        listener(info);
      } catch (e) {
        this.logger.error(`append listener of ${this.topic}-${this.partition} threw: ${(e as Error).message}`);
      }
    }
    if (this.hw === undefined) this.highWatermarkMoved();
  }

  private highWatermarkMoved(): void {
    const hw = this.highWatermark;
    for (const listener of this.hwListeners) {
      try {
        listener(hw);
      } catch (e) {
        this.logger.error(`high watermark listener of ${this.topic}-${this.partition} threw: ${(e as Error).message}`);
      }
    }
  }

  // Leaves the file as it was before a failed write, so later appends do not follow garbage.
  private undoPartialWrite(segment: LogSegment, size: number): void {
    try {
      segment.log.truncateTo(size);
    } catch (e) {
      this.logger.error(`cannot undo a partial write to ${segment.log.path}: ${(e as Error).message}`);
    }
  }

  private shouldRoll(segment: LogSegment, size: number, maxTimestamp: number, lastOffset: number, now: number): boolean {
    if (segment.size === 0) return false;
    const config = this._config;
    return (
      segment.size + size > config.segmentBytes ||
      segment.timeWaitedForRoll(now, maxTimestamp) > config.segmentMs ||
      segment.indexFull ||
      lastOffset - segment.baseOffset > INT32_MAX
    );
  }

  /** Starts a new active segment at the log end offset; the previous one is flushed in the background. */
  roll(now: number): LogSegment {
    this.ensureOpen();
    const active = this.activeSegment;
    if (active.baseOffset === this.leo) return active;
    let segment: LogSegment;
    try {
      active.onBecomeInactive();
      segment = LogSegment.create(this.dir, this.leo, this.settings, now);
    } catch (e) {
      throw this.storageError(`rolling ${this.topic}-${this.partition}`, e);
    }
    this.segments = [...this.segments, segment];
    // A snapshot at the new base lets recovery of that segment start from it.
    this.snapshotProducerState(segment.baseOffset, false);
    const upTo = segment.baseOffset;
    setImmediate(() => {
      if (this.closed) return;
      try {
        this.flushUpTo(upTo, now);
      } catch (e) {
        this.logger.error(`flushing ${this.topic}-${this.partition} after a roll failed: ${(e as Error).message}`);
      }
    }).unref();
    return segment;
  }

  /**
   * Whole batches from the one containing `offset`, as stored in the file. `offset` equal to the log end
   * gives empty records; outside [logStartOffset, logEndOffset] is OFFSET_OUT_OF_RANGE.
   */
  async read(offset: number, maxBytes: number, opts: ReadOptions = { minOneBatch: true }): Promise<ReadResult> {
    this.ensureOpen();
    const leo = this.leo;
    const result: ReadResult = {
      records: EMPTY,
      logStartOffset: this._logStartOffset,
      logEndOffset: leo,
      highWatermark: this.highWatermark,
    };
    if (offset < this._logStartOffset || offset > leo) {
      throw new KafkaError(
        ErrorCode.OFFSET_OUT_OF_RANGE,
        `offset ${offset} is outside [${this._logStartOffset}, ${leo}] of ${this.topic}-${this.partition}`,
      );
    }
    const limit = Math.min(opts.maxOffset ?? leo, leo);
    if (offset >= limit) return result;
    const segments = this.segments;
    for (let i = floorSegment(segments, offset); i < segments.length && segments[i].baseOffset < limit; i++) {
      let records: Buffer | null;
      try {
        records = await segments[i].read(Math.max(offset, segments[i].baseOffset), maxBytes, limit, opts.minOneBatch);
      } catch (e) {
        if (!isMissingFile(e)) throw e;
        throw new KafkaError(ErrorCode.OFFSET_OUT_OF_RANGE, `offset ${offset} was deleted while being read`);
      }
      if (records !== null) return { ...result, records };
    }
    return result;
  }

  /** First record with timestamp ≥ `timestamp` at or after the log start (ListOffsets by time), or null. */
  async offsetForTimestamp(timestamp: number): Promise<FoundRecord | null> {
    this.ensureOpen();
    const start = this._logStartOffset;
    for (const seg of this.segments) {
      if (seg.maxTimestampSoFar < timestamp) continue;
      const found = await seg.findOffsetByTimestamp(timestamp, start);
      if (found) return found;
    }
    return null;
  }

  /** The record with the largest timestamp (ListOffsets MAX_TIMESTAMP, -3), or null for an empty log. */
  async maxTimestampOffset(): Promise<FoundRecord | null> {
    this.ensureOpen();
    let best: LogSegment | null = null;
    for (const seg of this.segments) {
      if (seg.size > 0 && (best === null || seg.maxTimestampSoFar > best.maxTimestampSoFar)) best = seg;
    }
    return best ? best.maxTimestampRecord() : null;
  }

  /** DeleteRecords: moves the log start offset up (never past the high watermark). Returns the new low watermark. */
  deleteRecordsBefore(offset: number): number {
    this.ensureOpen();
    if (offset < 0) throw new KafkaError(ErrorCode.OFFSET_OUT_OF_RANGE, `The offset ${offset} for partition ${this.topic}-${this.partition} is not valid`);
    if (offset > this.highWatermark) {
      throw new KafkaError(
        ErrorCode.OFFSET_OUT_OF_RANGE,
        `Cannot increment the log start offset to ${offset} of partition ${this.topic}-${this.partition} since it is larger than the high watermark ${this.highWatermark}`,
      );
    }
    if (offset > this._logStartOffset) {
      this._logStartOffset = offset;
      this.leaderEpochCache.truncateFromStart(offset);
      this.producerState.onLogStartOffsetIncremented(offset);
      this.deleteSegmentsWhile((_seg, next) => next !== undefined && next.baseOffset <= this._logStartOffset);
    }
    return this._logStartOffset;
  }

  /** Retention: segments before the log start offset, then by retention.bytes, then by retention.ms. Returns how many went. */
  deleteOldSegments(now: number): number {
    if (this.closed) return 0;
    let deleted = this.deleteSegmentsWhile((_seg, next) => next !== undefined && next.baseOffset <= this._logStartOffset, now);
    const config = this._config;
    if (!config.cleanupPolicy.includes('delete')) return deleted;
    if (config.retentionBytes >= 0) {
      let excess = this.size - config.retentionBytes;
      deleted += this.deleteSegmentsWhile((seg) => {
        if (excess - seg.size < 0) return false;
        excess -= seg.size;
        return true;
      }, now);
    }
    if (config.retentionMs >= 0) {
      deleted += this.deleteSegmentsWhile((seg) => now - seg.largestTimestamp() > config.retentionMs, now);
    }
    return deleted;
  }

  /**
   * Oldest-first run of segments matching `predicate`, never data above the high watermark. As Kafka's
   * deletableSegments, the active segment goes too when it is not empty and wholly below the high
   * watermark; a new active segment is rolled first, so the log keeps one.
   */
  private deleteSegmentsWhile(predicate: (seg: LogSegment, next: LogSegment | undefined) => boolean, now: number = this.clock.now()): number {
    const segments = this.segments;
    const hw = this.highWatermark;
    let n = 0;
    while (n < segments.length) {
      const next = segments[n + 1] as LogSegment | undefined;
      const upperBound = next ? next.baseOffset : this.leo;
      if (hw < upperBound || (!next && segments[n].size === 0) || !predicate(segments[n], next)) break;
      n++;
    }
    if (n === 0) return 0;
    if (n === segments.length) this.roll(now);
    const doomed = this.segments.slice(0, n);
    this.segments = this.segments.slice(n);
    if (this.segments[0].baseOffset > this._logStartOffset) {
      this._logStartOffset = this.segments[0].baseOffset;
      this.leaderEpochCache.truncateFromStart(this._logStartOffset);
      this.producerState.onLogStartOffsetIncremented(this._logStartOffset);
    }
    this._recoveryPoint = Math.max(this._recoveryPoint, this._logStartOffset);
    for (const seg of doomed) this.scheduleDelete(seg);
    return n;
  }

  // Kafka renames to `.deleted` right away and removes the files after file.delete.delay.ms, letting reads finish.
  private scheduleDelete(seg: LogSegment, keepSnapshot = false): void {
    seg.renameToDeleted(keepSnapshot);
    const delay = this._config.fileDeleteDelayMs;
    if (delay <= 0) {
      seg.deleteFiles();
      return;
    }
    this.pendingDeletes.set(seg, this.clock.setTimeout(() => this.finishDelete(seg), delay));
  }

  private finishDelete(seg: LogSegment): void {
    this.pendingDeletes.get(seg)?.cancel();
    this.pendingDeletes.delete(seg);
    try {
      seg.deleteFiles();
    } catch (e) {
      this.logger.error(`deleting ${seg.log.path} failed: ${(e as Error).message}`);
    }
  }

  /** Removes everything from `offset` on (follower truncation); below the log start the log is emptied and restarts there. */
  truncateTo(offset: number, now: number = this.clock.now()): void {
    this.ensureOpen();
    if (offset < 0) throw new KafkaError(ErrorCode.OFFSET_OUT_OF_RANGE, `cannot truncate to ${offset}`);
    if (offset >= this.leo) return;
    this.truncations++;
    if (offset < this._logStartOffset) {
      this.truncateFullyAndStartAt(offset, now);
      return;
    }
    const keep = this.segments.filter((s) => s.baseOffset <= offset);
    const doomed = this.segments.filter((s) => s.baseOffset > offset);
    this.segments = keep;
    for (const seg of doomed) this.scheduleDelete(seg);
    const active = this.activeSegment;
    const next = active.truncateTo(offset, now);
    this.leo = next ?? offset;
    this.afterTruncation();
    this.producerState.loadLatestSnapshot(this._logStartOffset, this.leo, now, (m) => this.logger.warn(m));
    replayProducerState(this.producerState, this.replayed(), Infinity);
  }

  /** Drops every segment and restarts the log, empty, at `offset`. */
  truncateFullyAndStartAt(offset: number, now: number = this.clock.now()): void {
    this.ensureOpen();
    this.truncations++;
    const doomed = this.segments;
    for (const seg of doomed) this.scheduleDelete(seg);
    this.segments = [LogSegment.create(this.dir, offset, this.settings, now)];
    this.leo = offset;
    this._logStartOffset = offset;
    this.leaderEpochCache.clear();
    this.afterTruncation();
    this.producerState.truncateFullyAndStartAt(offset);
  }

  private afterTruncation(): void {
    this.leaderEpochCache.truncateFromEnd(this.leo);
    if (this.hw !== undefined) this.hw = Math.min(this.hw, this.leo);
    this._recoveryPoint = Math.min(this._recoveryPoint, this.leo);
    this.unflushedMessages = 0;
    deleteSnapshotsAfter(this.dir, this.leo);
  }

  /** fsyncs everything up to the log end and moves the recovery point there. */
  flush(now: number = this.clock.now()): void {
    this.ensureOpen();
    this.flushUpTo(this.leo, now);
  }

  private flushUpTo(offset: number, now: number): void {
    if (offset <= this._recoveryPoint) return;
    try {
      for (const seg of this.segments) {
        if (seg.baseOffset >= offset) break;
        seg.flush();
      }
    } catch (e) {
      throw this.storageError(`flushing ${this.topic}-${this.partition}`, e);
    }
    this._recoveryPoint = offset;
    if (offset >= this.leo) this.unflushedMessages = 0;
    this._lastFlushTime = now;
  }

  /** Flushes if flush.ms has passed since the last flush (the manager's periodic check). */
  flushIfDue(now: number): void {
    if (this.closed || this.unflushedMessages === 0) return;
    if (now - this._lastFlushTime >= this._config.flushIntervalMs) this.flush(now);
  }

  /** Flushes, writes final time index entries, trims and closes files. */
  close(): void {
    if (this.closed) return;
    // A failed flush (the dir failing) still closes the files, then reports the failure.
    let flushError: unknown = null;
    try {
      this.flushUpTo(this.leo, this._lastFlushTime);
    } catch (e) {
      flushError = e;
    }
    // At the log end, so the next open needs no replay.
    if (flushError === null) this.snapshotProducerState(this.leo, true);
    this.closed = true;
    for (const seg of this.segments) seg.close();
    for (const seg of [...this.pendingDeletes.keys()]) this.finishDelete(seg);
    this.listeners.clear();
    this.hwListeners.clear();
    if (flushError !== null) throw flushError;
  }

  /** Closes the files and writes nothing more (no flush, no snapshot): the log of a killed broker. */
  abandon(): void {
    if (this.closed) return;
    this.closed = true;
    for (const seg of this.segments) seg.close();
    this.listeners.clear();
    this.hwListeners.clear();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** A replica growing in another log dir, to replace the current one once caught up. */
  get isFuture(): boolean {
    return this.dir.endsWith(FUTURE_DIR_SUFFIX);
  }

  /** Reports an I/O error to the log dir's failure handler; the caller throws what this returns. */
  private storageError(what: string, e: unknown): KafkaError {
    if (e instanceof KafkaError) return e;
    this.onIoError?.(e as Error);
    return new KafkaError(ErrorCode.KAFKA_STORAGE_ERROR, `${what} failed: ${(e as Error).message}`);
  }
}
