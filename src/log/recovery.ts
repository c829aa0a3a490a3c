// Opening a partition directory (Kafka's LogLoader): clean up leftovers, complete or discard an interrupted
// log cleaner swap, open segments, and after an unclean shutdown re-validate everything from the recovery
// point on, truncating torn or corrupt tails. Recovered segments lose their `.txnindex`: the partition log
// rebuilds it while replaying producer state from there.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CLEANED_SUFFIX,
  DELETED_SUFFIX,
  INDEX_SUFFIX,
  LOG_SUFFIX,
  SNAPSHOT_SUFFIX,
  SWAP_SUFFIX,
  TIME_INDEX_SUFFIX,
  TMP_SUFFIX,
  TXN_INDEX_SUFFIX,
  parseOffsetFileName,
} from './file-names';
import { FileRecords } from './file-records';
import { lastOffsetOf, scanBatchesSync } from './batch-scanner';
import { LeaderEpochCache } from './leader-epoch-cache';
import { LogLogger } from '../logger';
import { LogSegment, SegmentSettings } from './segment';

export interface LoadLogOptions {
  dir: string;
  settings: SegmentSettings;
  hadCleanShutdown: boolean;
  /** From recovery-point-offset-checkpoint; absent means recover from the start. */
  recoveryPointCheckpoint?: number;
  /** From log-start-offset-checkpoint. */
  logStartOffsetCheckpoint?: number;
  epochCache: LeaderEpochCache;
  logger: LogLogger;
  now: number;
}

export interface LoadedLog {
  segments: LogSegment[];
  logEndOffset: number;
  logStartOffset: number;
  recoveryPoint: number;
  /** Base offset of the first segment that was recovered (its transaction index emptied), or null if none was. */
  recoveredFrom: number | null;
}

const INDEX_SUFFIXES = [INDEX_SUFFIX, TIME_INDEX_SUFFIX, TXN_INDEX_SUFFIX];

/** Kafka's offsetFromFileName: the digits before the first dot, or null. */
function offsetOfFile(name: string): number | null {
  const prefix = name.slice(0, name.indexOf('.'));
  return /^\d{1,20}$/.test(prefix) ? Number(prefix) : null;
}

/** Offset after the last batch of a segment's `.log` file (its base offset when it holds none). */
function nextOffsetOfLogFile(file: string, baseOffset: number): number {
  const records = FileRecords.open(file);
  let next = baseOffset;
  try {
    scanBatchesSync(records, 0, records.size, false, (b) => {
      next = lastOffsetOf(b.header) + 1;
    });
  } finally {
    records.close();
  }
  return next;
}

/**
 * Kafka's removeTempFilesAndCollectSwapFiles plus the swap completion of LogLoader.load. `.cleaned` files are
 * an unfinished cleaning and go, along with any `.swap` at or above their lowest offset (an incomplete swap).
 * The remaining `.swap` segments were fully written: the old segments in the offset range they cover are
 * deleted and the swap files take their final names.
 */
function completeInterruptedSwaps(dir: string, logger: LogLogger): void {
  const swaps: string[] = [];
  const cleaned: string[] = [];
  let minCleanedOffset = Infinity;
  for (const name of fs.readdirSync(dir)) {
    if (name.endsWith(CLEANED_SUFFIX)) {
      cleaned.push(name);
      minCleanedOffset = Math.min(minCleanedOffset, offsetOfFile(name) ?? Infinity);
    } else if (name.endsWith(SWAP_SUFFIX)) {
      swaps.push(name);
    }
  }
  const valid: string[] = [];
  for (const name of swaps) {
    const offset = offsetOfFile(name);
    if (offset !== null && offset < minCleanedOffset) {
      valid.push(name);
    } else {
      logger.warn(`deleting ${path.join(dir, name)}, part of an incomplete swap`);
      fs.rmSync(path.join(dir, name), { force: true });
    }
  }
  for (const name of cleaned) fs.rmSync(path.join(dir, name), { force: true });
  if (valid.length === 0) return;

  let minSwapOffset = Infinity;
  let maxSwapOffset = -Infinity;
  for (const name of valid) {
    const base = parseOffsetFileName(name.slice(0, name.length - SWAP_SUFFIX.length), LOG_SUFFIX);
    if (base === null) continue;
    minSwapOffset = Math.min(minSwapOffset, base);
    maxSwapOffset = Math.max(maxSwapOffset, nextOffsetOfLogFile(path.join(dir, name), base));
  }
  for (const name of fs.readdirSync(dir)) {
    if (name.endsWith(SWAP_SUFFIX)) continue;
    const offset = offsetOfFile(name);
    if (offset !== null && offset >= minSwapOffset && offset < maxSwapOffset) {
      logger.info(`deleting ${path.join(dir, name)}, compacted into a swap segment`);
      fs.rmSync(path.join(dir, name), { force: true });
    }
  }
  for (const name of valid) {
    logger.info(`recovering ${path.join(dir, name)} from an interrupted swap by renaming it`);
    fs.renameSync(path.join(dir, name), path.join(dir, name.slice(0, name.length - SWAP_SUFFIX.length)));
  }
}

/** Removes leftovers of interrupted operations and index files whose `.log` is gone; returns segment base offsets. */
function cleanDirectory(dir: string, logger: LogLogger): number[] {
  for (const name of fs.readdirSync(dir)) {
    if (name.endsWith(DELETED_SUFFIX) || name.endsWith(TMP_SUFFIX)) fs.rmSync(path.join(dir, name), { force: true });
  }
  completeInterruptedSwaps(dir, logger);
  const names = fs.readdirSync(dir);
  const bases = new Set<number>();
  for (const name of names) {
    const base = parseOffsetFileName(name, LOG_SUFFIX);
    if (base !== null) bases.add(base);
  }
  for (const name of names) {
    const file = path.join(dir, name);
    for (const suffix of INDEX_SUFFIXES) {
      const base = parseOffsetFileName(name, suffix);
      if (base !== null && !bases.has(base)) fs.rmSync(file, { force: true });
    }
  }
  return [...bases].sort((a, b) => a - b);
}

/** Producer snapshots past the end of the log describe data that no longer exists. */
export function deleteSnapshotsAfter(dir: string, offset: number): void {
  for (const name of fs.readdirSync(dir)) {
    const snap = parseOffsetFileName(name, SNAPSHOT_SUFFIX);
    if (snap !== null && snap > offset) fs.rmSync(path.join(dir, name), { force: true });
  }
}

function floorIndex(segments: LogSegment[], offset: number): number {
  let found = 0;
  for (let i = 0; i < segments.length; i++) {
    if (segments[i].baseOffset <= offset) found = i;
    else break;
  }
  return found;
}

export function loadLog(opts: LoadLogOptions): LoadedLog {
  const { dir, settings, logger, now, epochCache } = opts;
  const bases = cleanDirectory(dir, logger);
  let segments = bases.map((b) => LogSegment.open(dir, b, settings, now));

  // Clean: nothing to re-validate. Unclean: the segment holding the recovery point and everything after it.
  const recoverFrom = opts.hadCleanShutdown
    ? segments.length
    : floorIndex(segments, opts.recoveryPointCheckpoint ?? 0);
  let nextOffset: number | null = null;
  let recoveredFrom: number | null = null;
  const recover = (seg: LogSegment) => {
    recoveredFrom ??= seg.baseOffset;
    seg.txnIndex.reset();
    return seg.recover(epochCache);
  };
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if (i < recoverFrom && !seg.needsRecovery) continue;
    if (seg.needsRecovery) logger.warn(`rebuilding missing or corrupt indexes of ${seg.log.path}`);
    const res = recover(seg);
    if (i === segments.length - 1) nextOffset = res.nextOffset;
    if (res.truncatedBytes > 0) {
      logger.warn(`truncated ${res.truncatedBytes} invalid bytes at the end of ${seg.log.path}`);
      for (const later of segments.slice(i + 1)) {
        logger.warn(`deleting ${later.log.path}, which follows a truncated segment`);
        later.deleteFiles();
      }
      segments = segments.slice(0, i + 1);
      nextOffset = res.nextOffset;
      break;
    }
  }

  if (segments.length > 0 && nextOffset === null) {
    const last = segments[segments.length - 1];
    nextOffset = last.loadTail();
    if (nextOffset === null) {
      logger.warn(`${last.log.path} does not end on a batch boundary; recovering it`);
      nextOffset = recover(last).nextOffset;
    }
  }

  const checkpointStart = opts.logStartOffsetCheckpoint ?? 0;
  if (segments.length === 0 || (nextOffset !== null && nextOffset < checkpointStart)) {
    for (const seg of segments) seg.deleteFiles();
    const start = Math.max(checkpointStart, segments[0]?.baseOffset ?? 0);
    segments = [LogSegment.create(dir, start, settings, now)];
    nextOffset = start;
  }
  const logEndOffset = nextOffset as number;
  const logStartOffset = Math.max(checkpointStart, segments[0].baseOffset);
  const recoveryPoint = opts.hadCleanShutdown
    ? logEndOffset
    : Math.min(opts.recoveryPointCheckpoint ?? 0, logEndOffset);

  epochCache.truncateFromEnd(logEndOffset);
  epochCache.truncateFromStart(logStartOffset);
  deleteSnapshotsAfter(dir, logEndOffset);
  return { segments, logEndOffset, logStartOffset, recoveryPoint, recoveredFrom };
}
