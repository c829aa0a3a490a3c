// One log segment: `<base>.log` plus its sparse `.index` and `.timeindex`, and a `.txnindex` of aborted
// transactions once one is written (Kafka's LogSegment).
import * as fs from 'node:fs';
import { BatchHeader, decodeBatch, verifyBatchIntegrity } from '../../protocol/records/batch';
import { BatchVisitor, findBatchAsync, lastOffsetOf, scanBatchesSync } from './batch-scanner';
import { FileRecords } from './file-records';
import { fsyncFileAsync } from './atomic-file';
import {
  DELETED_SUFFIX,
  INDEX_SUFFIX,
  LOG_SUFFIX,
  SNAPSHOT_SUFFIX,
  TIME_INDEX_SUFFIX,
  TXN_INDEX_SUFFIX,
  segmentFile,
} from './file-names';
import { CorruptIndexError, IndexFile } from './index-file';
import { LeaderEpochCache } from './leader-epoch-cache';
import { LogLogger } from '../logger';
import { OFFSET_INDEX_ENTRY_SIZE, OffsetIndex } from './offset-index';
import { TIME_INDEX_ENTRY_SIZE, TimeIndex, TimestampOffset } from './time-index';
import { TxnIndex } from './txn-index';

const INT32_MAX = 0x7fffffff;
const MAGIC_OFFSET = 16;
const EMPTY = Buffer.alloc(0);

export interface SegmentSettings {
  indexIntervalBytes: number;
  maxIndexSize: number;
  logger: LogLogger;
}

export interface RecoverResult {
  truncatedBytes: number;
  nextOffset: number;
}

/** A record found by timestamp, with the leader epoch of its batch (-1 if none). */
export interface FoundRecord {
  offset: number;
  timestamp: number;
  leaderEpoch: number;
}

/** The log holds a pre-v2 message format, which this broker does not read. */
export class UnsupportedLogFormatError extends Error {
  constructor(file: string, magic: number) {
    super(`${file} starts with a magic ${magic} message; only v2 record batches are supported`);
    this.name = 'UnsupportedLogFormatError';
  }
}

export class LogSegment {
  private maxTs: TimestampOffset | null = null;
  private rollingBasedTimestamp: number | null | undefined = undefined;
  private bytesSinceLastIndexEntry = 0;
  private indexesChecked = false;
  readonly txnIndex: TxnIndex;

  private constructor(
    readonly dir: string,
    readonly baseOffset: number,
    readonly log: FileRecords,
    readonly offsetIndex: OffsetIndex,
    readonly timeIndex: TimeIndex,
    public created: number,
    public settings: SegmentSettings,
    /** Index files were missing or malformed at open: rebuild before use. */
    public needsRecovery: boolean,
    fileSuffix = '',
  ) {
    this.txnIndex = new TxnIndex(segmentFile(dir, baseOffset, TXN_INDEX_SUFFIX) + fileSuffix);
  }

  /** A new empty segment; `fileSuffix` (`.cleaned`) names the files of a segment the cleaner is writing. */
  static create(dir: string, baseOffset: number, settings: SegmentSettings, now: number, fileSuffix = ''): LogSegment {
    const logPath = segmentFile(dir, baseOffset, LOG_SUFFIX) + fileSuffix;
    fs.writeFileSync(logPath, EMPTY);
    const idxPath = segmentFile(dir, baseOffset, INDEX_SUFFIX) + fileSuffix;
    const timePath = segmentFile(dir, baseOffset, TIME_INDEX_SUFFIX) + fileSuffix;
    fs.writeFileSync(idxPath, EMPTY);
    fs.writeFileSync(timePath, EMPTY);
    const seg = new LogSegment(
      dir,
      baseOffset,
      new FileRecords(logPath, 0),
      new OffsetIndex(idxPath, baseOffset, settings.maxIndexSize, 0),
      new TimeIndex(timePath, baseOffset, settings.maxIndexSize, 0),
      now,
      settings,
      false,
      fileSuffix,
    );
    seg.indexesChecked = true;
    seg.rollingBasedTimestamp = null;
    return seg;
  }

  /** Opens existing files by stat only; nothing is read until the segment is used. */
  static open(dir: string, baseOffset: number, settings: SegmentSettings, now: number): LogSegment {
    const log = FileRecords.open(segmentFile(dir, baseOffset, LOG_SUFFIX));
    let needsRecovery = false;
    const sizeOf = (file: string, entrySize: number): number => {
      try {
        const size = IndexFile.checkedFileSize(file, entrySize);
        if (size < 0) needsRecovery = true;
        return Math.max(size, 0);
      } catch (e) {
        if (!(e instanceof CorruptIndexError)) throw e;
        needsRecovery = true;
        return 0;
      }
    };
    const idxPath = segmentFile(dir, baseOffset, INDEX_SUFFIX);
    const timePath = segmentFile(dir, baseOffset, TIME_INDEX_SUFFIX);
    const offsetIndex = new OffsetIndex(idxPath, baseOffset, settings.maxIndexSize, sizeOf(idxPath, OFFSET_INDEX_ENTRY_SIZE));
    const timeIndex = new TimeIndex(timePath, baseOffset, settings.maxIndexSize, sizeOf(timePath, TIME_INDEX_ENTRY_SIZE));
    return new LogSegment(dir, baseOffset, log, offsetIndex, timeIndex, now, settings, needsRecovery);
  }

  get size(): number {
    return this.log.size;
  }

  /** Renames every file of the segment from `from` to `to` suffix (the cleaner's `.cleaned` → `.swap` → ''). */
  changeFileSuffixes(from: string, to: string): void {
    const swap = (file: string) => file.slice(0, file.length - from.length) + to;
    this.log.renameTo(swap(this.log.path));
    this.offsetIndex.renameTo(swap(this.offsetIndex.path));
    this.timeIndex.renameTo(swap(this.timeIndex.path));
    this.txnIndex.renameTo(swap(this.txnIndex.path));
  }

  /** File position to start reading at for `offset` (the offset index's floor entry). */
  startPosition(offset: number): number {
    return this.lookupPosition(offset);
  }

  /** maxTimestamp of the first batch, or -1 for an empty segment (Kafka's getFirstBatchTimestamp). */
  firstBatchTimestamp(): number {
    if (this.rollingBasedTimestamp === undefined) this.timeWaitedForRoll(0, 0);
    return this.rollingBasedTimestamp ?? -1;
  }

  lastModified(): number {
    return this.log.lastModified();
  }

  setLastModified(ms: number): void {
    const t = ms / 1000;
    fs.utimesSync(this.log.path, t, t);
    fs.utimesSync(this.offsetIndex.path, t, t);
    fs.utimesSync(this.timeIndex.path, t, t);
  }

  /** Loads and checks the indexes on first use, rebuilding them from the log if they are unusable. */
  private ensureIndexes(): void {
    if (this.indexesChecked) return;
    if (!this.needsRecovery) {
      try {
        this.offsetIndex.check();
        this.timeIndex.check();
        const last = this.offsetIndex.lastEntry();
        if (this.offsetIndex.entries > 0 && last.position >= this.log.size) {
          throw new CorruptIndexError(this.offsetIndex.path, `last entry points at ${last.position}, past the log end`);
        }
        if (this.timeIndex.entries > 0 && this.timeIndex.lastEntry().offset < this.baseOffset) {
          throw new CorruptIndexError(this.timeIndex.path, 'last entry precedes the base offset');
        }
        this.indexesChecked = true;
        return;
      } catch (e) {
        if (!(e instanceof CorruptIndexError)) throw e;
        this.settings.logger.warn(`${e.message}; rebuilding the indexes of ${this.log.path}`);
      }
    }
    this.recover();
  }

  private maxTimestampAndOffset(): TimestampOffset {
    if (this.maxTs === null) {
      this.maxTs = this.indexesChecked ? this.timeIndex.lastEntry() : this.timeIndex.peekLastEntry();
    }
    return this.maxTs;
  }

  /** Largest timestamp appended so far (-1 if none). */
  get maxTimestampSoFar(): number {
    return this.maxTimestampAndOffset().timestamp;
  }

  /** Kafka's largestTimestamp: the max record timestamp, or the file's mtime when there is none. */
  largestTimestamp(): number {
    const ts = this.maxTimestampSoFar;
    return ts > 0 ? ts : this.log.lastModified();
  }

  /** Age used for segment.ms: incoming timestamp minus the first batch's, or time since creation if there is none. */
  timeWaitedForRoll(now: number, messageTimestamp: number): number {
    if (this.rollingBasedTimestamp === undefined) {
      this.rollingBasedTimestamp = null;
      const first = this.log.size > 0 ? this.log.readSync(0, 61) : EMPTY;
      if (first.length === 61) this.rollingBasedTimestamp = Number(first.readBigInt64BE(35));
    }
    const t = this.rollingBasedTimestamp;
    return t !== null && t >= 0 ? messageTimestamp - t : now - this.created;
  }

  /** Appends already-offset-assigned batches, indexing them sparsely as Kafka does. */
  append(largestOffset: number, maxTimestamp: number, offsetOfMaxTimestamp: number, records: Buffer): void {
    if (records.length === 0) return;
    this.ensureIndexes();
    if (largestOffset - this.baseOffset > INT32_MAX || largestOffset < this.baseOffset) {
      throw new Error(`offset ${largestOffset} does not fit segment ${this.baseOffset}`);
    }
    const physicalPosition = this.log.size;
    if (physicalPosition === 0) this.rollingBasedTimestamp = maxTimestamp;
    this.log.append(records);
    const current = this.maxTimestampAndOffset();
    if (maxTimestamp > current.timestamp) this.maxTs = { timestamp: maxTimestamp, offset: offsetOfMaxTimestamp };
    if (this.bytesSinceLastIndexEntry > this.settings.indexIntervalBytes) {
      this.offsetIndex.append(largestOffset, physicalPosition);
      const ts = this.maxTimestampAndOffset();
      this.timeIndex.maybeAppend(ts.timestamp, ts.offset);
      this.bytesSinceLastIndexEntry = 0;
    }
    this.bytesSinceLastIndexEntry += records.length;
  }

  get indexFull(): boolean {
    return this.offsetIndex.isFull || this.timeIndex.isFull;
  }

  /** Position to start scanning for `offset` from. */
  private lookupPosition(offset: number): number {
    this.ensureIndexes();
    return this.offsetIndex.lookup(offset).position;
  }

  /**
   * Whole batches starting with the one that contains `startOffset`, as raw file bytes: at most `maxBytes`
   * (but one whole batch anyway when `minOneBatch`), none holding offsets ≥ `maxOffset`.
   * Null when the segment has nothing at or after `startOffset`.
   */
  async read(startOffset: number, maxBytes: number, maxOffset: number, minOneBatch: boolean): Promise<Buffer | null> {
    const end = this.log.size;
    const from = this.lookupPosition(startOffset);
    const first = await findBatchAsync(this.log, from, end, (h) => lastOffsetOf(h) >= startOffset);
    if (first === null) return null;
    if (lastOffsetOf(first.header) >= maxOffset) return EMPTY;
    const want = Math.min(maxBytes, end - first.position);
    const data = want >= first.size ? await this.log.read(first.position, want) : EMPTY;
    let used = 0;
    while (used < data.length) {
      if (data.length - used < 61) break;
      const size = 12 + data.readInt32BE(used + 8);
      if (size < 61 || size > data.length - used) break;
      const lastOffset = Number(data.readBigInt64BE(used)) + data.readInt32BE(used + 23);
      if (lastOffset >= maxOffset) break;
      used += size;
    }
    if (used > 0) return data.subarray(0, used);
    if (!minOneBatch) return EMPTY;
    return this.log.read(first.position, first.size);
  }

  /** The batch holding `offset` (sync; for truncation), or null if the segment ends before it. */
  private translateOffsetSync(offset: number): { position: number; header: BatchHeader } | null {
    let found: { position: number; header: BatchHeader } | null = null;
    scanBatchesSync(this.log, this.lookupPosition(offset), this.log.size, false, (b) => {
      if (lastOffsetOf(b.header) < offset) return true;
      found = { position: b.position, header: b.header };
      return false;
    });
    return found;
  }

  /** Header-only walk over the batches from the one holding `offset` on (sync; producer state replay). */
  scanBatchesFrom(offset: number, visit: BatchVisitor): void {
    scanBatchesSync(this.log, this.lookupPosition(offset), this.log.size, false, visit);
  }

  /** First record with timestamp ≥ `timestamp` and offset ≥ `startingOffset` (Kafka's findOffsetByTimestamp). */
  async findOffsetByTimestamp(timestamp: number, startingOffset: number): Promise<FoundRecord | null> {
    this.ensureIndexes();
    const entry = this.timeIndex.lookup(timestamp);
    let pos = this.offsetIndex.lookup(Math.max(entry.offset, startingOffset)).position;
    const end = this.log.size;
    for (;;) {
      const b = await findBatchAsync(
        this.log,
        pos,
        end,
        (h) => h.maxTimestamp >= timestamp && lastOffsetOf(h) >= startingOffset,
      );
      if (b === null) return null;
      const hit = await this.recordWhere(b.position, b.size, (r) => r.timestamp >= timestamp && r.offset >= startingOffset);
      if (hit) return { ...hit, leaderEpoch: b.header.partitionLeaderEpoch };
      pos = b.position + b.size;
    }
  }

  /** Offset of the first record carrying the segment's largest timestamp (ListOffsets MAX_TIMESTAMP). */
  async maxTimestampRecord(): Promise<FoundRecord | null> {
    this.ensureIndexes();
    const max = this.maxTimestampAndOffset();
    if (max.timestamp < 0) return null;
    const from = this.offsetIndex.lookup(max.offset).position;
    let pos = Math.min(from, this.log.size);
    const end = this.log.size;
    for (;;) {
      const b = await findBatchAsync(this.log, pos, end, (h) => h.maxTimestamp === max.timestamp);
      if (b === null) return pos === 0 ? null : this.rescanFromStart(max.timestamp);
      const hit = await this.recordWhere(b.position, b.size, (r) => r.timestamp === max.timestamp);
      if (hit) return { ...hit, leaderEpoch: b.header.partitionLeaderEpoch };
      pos = b.position + b.size;
    }
  }

  // The indexed offset of the max timestamp can be stale after truncation; fall back to a full scan.
  private async rescanFromStart(timestamp: number): Promise<FoundRecord | null> {
    const b = await findBatchAsync(this.log, 0, this.log.size, (h) => h.maxTimestamp === timestamp);
    if (b === null) return null;
    const hit = await this.recordWhere(b.position, b.size, (r) => r.timestamp === timestamp);
    return hit ? { ...hit, leaderEpoch: b.header.partitionLeaderEpoch } : null;
  }

  private async recordWhere(
    position: number,
    size: number,
    pred: (r: { offset: number; timestamp: number }) => boolean,
  ): Promise<{ offset: number; timestamp: number } | null> {
    const bytes = await this.log.read(position, size);
    for (const r of decodeBatch(bytes, 0).records) {
      if (pred(r)) return { offset: r.offset, timestamp: r.timestamp };
    }
    return null;
  }

  /**
   * Opening the last segment after a clean shutdown: finds the next offset by scanning only the batches after
   * the last index entry. Returns null if that tail is not made of whole batches (then the caller recovers).
   */
  loadTail(): number | null {
    this.ensureIndexes();
    const last = this.offsetIndex.lastEntry();
    let next = this.offsetIndex.entries > 0 ? last.offset + 1 : this.baseOffset;
    let max = this.maxTimestampAndOffset();
    const res = scanBatchesSync(this.log, last.position, this.log.size, false, (b) => {
      next = lastOffsetOf(b.header) + 1;
      if (b.header.maxTimestamp > max.timestamp) max = { timestamp: b.header.maxTimestamp, offset: lastOffsetOf(b.header) };
    });
    if (res.stop !== 'end' || res.position !== this.log.size) return null;
    this.maxTs = max;
    return next;
  }

  /**
   * Re-validates every batch (size, CRC, increasing offsets), rebuilds both indexes, and truncates the file
   * at the first invalid byte. Leader epochs found in the batches are fed to `epochCache` (LogSegment.recover).
   */
  recover(epochCache?: LeaderEpochCache): RecoverResult {
    const head = this.log.size > MAGIC_OFFSET ? this.log.readSync(0, MAGIC_OFFSET + 1) : EMPTY;
    if (head.length > MAGIC_OFFSET && (head[MAGIC_OFFSET] === 0 || head[MAGIC_OFFSET] === 1)) {
      throw new UnsupportedLogFormatError(this.log.path, head[MAGIC_OFFSET]);
    }
    this.offsetIndex.reset();
    this.timeIndex.reset();
    let max: TimestampOffset = { timestamp: -1, offset: this.baseOffset };
    let validBytes = 0;
    let lastIndexEntry = 0;
    let next = this.baseOffset;
    let firstTimestamp: number | null = null;
    const interval = this.settings.indexIntervalBytes;
    scanBatchesSync(this.log, 0, this.log.size, true, (b) => {
      const h = b.header;
      try {
        // Size and CRC only, as Kafka's recover: cleaned batches may be empty or have offset gaps.
        verifyBatchIntegrity(b.buf, b.at, b.size);
      } catch {
        return false;
      }
      const lastOffset = lastOffsetOf(h);
      if (h.baseOffset < next || lastOffset - this.baseOffset > INT32_MAX) return false;
      if (firstTimestamp === null) firstTimestamp = h.maxTimestamp;
      if (h.maxTimestamp > max.timestamp) max = { timestamp: h.maxTimestamp, offset: lastOffset };
      if (validBytes - lastIndexEntry > interval) {
        this.offsetIndex.append(lastOffset, validBytes);
        this.timeIndex.maybeAppend(max.timestamp, max.offset);
        lastIndexEntry = validBytes;
      }
      validBytes += b.size;
      next = lastOffset + 1;
      if (epochCache && h.partitionLeaderEpoch >= 0 && h.partitionLeaderEpoch > epochCache.latestEpoch()) {
        epochCache.assign(h.partitionLeaderEpoch, h.baseOffset);
      }
      return true;
    });
    const truncatedBytes = this.log.size - validBytes;
    if (truncatedBytes > 0) this.log.truncateTo(validBytes);
    this.timeIndex.maybeAppend(max.timestamp, max.offset, true);
    this.maxTs = max;
    this.rollingBasedTimestamp = firstTimestamp;
    this.bytesSinceLastIndexEntry = 0;
    this.needsRecovery = false;
    this.indexesChecked = true;
    return { truncatedBytes, nextOffset: next };
  }

  /**
   * Removes the batch holding `offset` and everything after it. Returns the segment's next offset afterwards,
   * or null if the segment ends before `offset` (nothing removed).
   */
  truncateTo(offset: number, now: number): number | null {
    const found = this.translateOffsetSync(offset);
    this.offsetIndex.truncateTo(offset);
    this.timeIndex.truncateTo(offset);
    this.txnIndex.truncateTo(offset);
    if (found === null) return null;
    this.log.truncateTo(found.position);
    if (this.log.size === 0) {
      this.created = now;
      this.rollingBasedTimestamp = null;
    }
    this.bytesSinceLastIndexEntry = 0;
    this.loadLargestTimestamp();
    return Math.min(found.header.baseOffset, offset);
  }

  // After truncation: the time index's last entry, raised by anything larger after it.
  private loadLargestTimestamp(): void {
    let max = this.timeIndex.lastEntry();
    const from = this.offsetIndex.lookup(max.offset).position;
    scanBatchesSync(this.log, from, this.log.size, false, (b) => {
      if (b.header.maxTimestamp > max.timestamp) max = { timestamp: b.header.maxTimestamp, offset: lastOffsetOf(b.header) };
    });
    this.maxTs = max;
  }

  /** Rolled: record the final max-timestamp entry and release the index write handles. */
  onBecomeInactive(): void {
    if (this.indexesChecked) {
      const max = this.maxTimestampAndOffset();
      this.timeIndex.maybeAppend(max.timestamp, max.offset, true);
    }
    this.offsetIndex.closeHandle();
    this.timeIndex.closeHandle();
  }

  flush(): void {
    this.log.flush();
    this.offsetIndex.flush();
    this.timeIndex.flush();
    this.txnIndex.flush();
  }

  /** Everything written and fsynced without blocking the event loop on the syncs (the cleaner's output before its swap). */
  async flushAsync(): Promise<void> {
    this.log.writePending();
    this.offsetIndex.writePending();
    this.timeIndex.writePending();
    for (const file of [this.log.path, this.offsetIndex.path, this.timeIndex.path, this.txnIndex.path]) await fsyncFileAsync(file);
  }

  /** Final time index entry, indexes synced to disk, files closed. */
  close(): void {
    if (this.indexesChecked) {
      const max = this.maxTimestampAndOffset();
      this.timeIndex.maybeAppend(max.timestamp, max.offset, true);
    }
    this.offsetIndex.flush();
    this.timeIndex.flush();
    this.txnIndex.flush();
    this.offsetIndex.closeHandle();
    this.timeIndex.closeHandle();
    this.log.close();
  }

  private get snapshotFile(): string {
    return segmentFile(this.dir, this.baseOffset, SNAPSHOT_SUFFIX);
  }

  /**
   * First step of deletion: every file of the segment gets the `.deleted` suffix. A segment replaced by a
   * cleaned one of the same base offset keeps its producer snapshot, which still describes that offset.
   */
  renameToDeleted(keepSnapshot = false): void {
    this.offsetIndex.closeHandle();
    this.timeIndex.closeHandle();
    this.log.renameTo(this.log.path + DELETED_SUFFIX);
    this.offsetIndex.renameTo(this.offsetIndex.path + DELETED_SUFFIX);
    this.timeIndex.renameTo(this.timeIndex.path + DELETED_SUFFIX);
    this.txnIndex.renameTo(this.txnIndex.path + DELETED_SUFFIX);
    if (keepSnapshot) return;
    try {
      fs.renameSync(this.snapshotFile, this.snapshotFile + DELETED_SUFFIX);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }

  /** Removes the files (under whatever suffix they have now) and closes the log once readers are done. */
  deleteFiles(): void {
    this.log.close();
    this.offsetIndex.closeHandle();
    this.timeIndex.closeHandle();
    const deleted = this.log.path.endsWith(DELETED_SUFFIX);
    const snapshot = deleted ? this.snapshotFile + DELETED_SUFFIX : this.log.path.endsWith(LOG_SUFFIX) ? this.snapshotFile : null;
    const files = [this.log.path, this.offsetIndex.path, this.timeIndex.path, this.txnIndex.path];
    if (snapshot !== null) files.push(snapshot);
    for (const f of files) fs.rmSync(f, { force: true });
  }
}

/** Index of the segment holding `offset`: the last whose base offset is at or below it (0 when none is). */
export function floorSegment(segments: readonly LogSegment[], offset: number): number {
  let lo = 0;
  let hi = segments.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (segments[mid].baseOffset <= offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

