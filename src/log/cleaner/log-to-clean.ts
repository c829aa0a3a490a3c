// Which part of a compacted log the cleaner may clean and how dirty it is (Kafka's
// LogCleanerManager.cleanableOffsets, maxCompactionDelay and LogToClean). The log is a clean section
// (cleaned before, up to the cleaner-offset-checkpoint) followed by a dirty one; cleaning stops at the
// last stable offset, at the active segment, and at the first segment younger than min.compaction.lag.ms.
import type { PartitionLog } from '../partition-log';
import { LogSegment, floorSegment } from '../segment';

/** Kafka's LogSegments.values(from, to): the segment holding `from` and those after it starting below `to`. */
export function segmentsInRange(segments: readonly LogSegment[], from: number, to: number): LogSegment[] {
  if (from >= to || segments.length === 0) return [];
  const out: LogSegment[] = [];
  for (let i = segments[0].baseOffset <= from ? floorSegment(segments, from) : 0; i < segments.length; i++) {
    if (segments[i].baseOffset >= to) break;
    out.push(segments[i]);
  }
  return out;
}

function activeSegment(segments: readonly LogSegment[]): LogSegment {
  return segments[segments.length - 1];
}

function sizeOf(segments: readonly LogSegment[]): number {
  let total = 0;
  for (const s of segments) total += s.size;
  return total;
}

export interface CleanableOffsets {
  firstDirtyOffset: number;
  firstUncleanableDirtyOffset: number;
  /** The checkpoint was out of range and has been reset to the log start. */
  forceUpdateCheckpoint: boolean;
}

/** `minCompactionLagMs` is the log's min.compaction.lag.ms unless a cleaning on demand waives it (0). */
export function cleanableOffsets(log: PartitionLog, lastCleanOffset: number | undefined, now: number, minCompactionLagMs = log.config.minCompactionLagMs): CleanableOffsets {
  const segments = log.segmentsSnapshot();
  const logStartOffset = log.logStartOffset;
  const checkpoint = lastCleanOffset ?? logStartOffset;
  const outOfRange = checkpoint < logStartOffset || checkpoint > log.logEndOffset;
  const firstDirtyOffset = outOfRange ? logStartOffset : checkpoint;
  const active = activeSegment(segments);
  let uncleanable = Math.min(log.lastStableOffset, active.baseOffset);
  const lagMs = Math.max(minCompactionLagMs, 0);
  if (lagMs > 0) {
    const young = segmentsInRange(segments, firstDirtyOffset, active.baseOffset).find((s) => s.largestTimestamp() > now - lagMs);
    if (young) uncleanable = Math.min(uncleanable, young.baseOffset);
  }
  return { firstDirtyOffset, firstUncleanableDirtyOffset: uncleanable, forceUpdateCheckpoint: outOfRange && lastCleanOffset !== undefined };
}

/** How long past max.compaction.lag.ms the oldest dirty record is; > 0 forces a cleaning. */
export function maxCompactionDelay(log: PartitionLog, firstDirtyOffset: number, now: number): number {
  const segments = log.segmentsSnapshot();
  let earliest = Infinity;
  for (const s of segmentsInRange(segments, firstDirtyOffset, activeSegment(segments).baseOffset)) {
    const ts = s.firstBatchTimestamp();
    if (ts > 0 && ts < earliest) earliest = ts;
  }
  const cleanUntil = now - Math.max(log.config.maxCompactionLagMs, 0);
  return earliest < cleanUntil ? cleanUntil - earliest : 0;
}

export interface LogToClean {
  log: PartitionLog;
  firstDirtyOffset: number;
  /** Base offset of the first segment the cleaning must not touch. */
  firstUncleanableOffset: number;
  cleanBytes: number;
  cleanableBytes: number;
  totalBytes: number;
  cleanableRatio: number;
  needCompactionNow: boolean;
}

export function logToClean(log: PartitionLog, firstDirtyOffset: number, uncleanableOffset: number, needCompactionNow: boolean): LogToClean {
  const segments = log.segmentsSnapshot();
  const active = activeSegment(segments);
  const cleanBytes = sizeOf(segmentsInRange(segments, -1, firstDirtyOffset));
  const firstUncleanable = segmentsInRange(segments, uncleanableOffset, active.baseOffset)[0] ?? active;
  const firstUncleanableOffset = firstUncleanable.baseOffset;
  const cleanableBytes = sizeOf(segmentsInRange(segments, Math.min(firstDirtyOffset, firstUncleanableOffset), firstUncleanableOffset));
  const totalBytes = cleanBytes + cleanableBytes;
  return {
    log,
    firstDirtyOffset,
    firstUncleanableOffset,
    cleanBytes,
    cleanableBytes,
    totalBytes,
    cleanableRatio: totalBytes === 0 ? 0 : cleanableBytes / totalBytes,
    needCompactionNow,
  };
}

/**
 * Kafka's groupSegmentsBySize: consecutive segments whose log and index sizes together fit one segment,
 * and whose offsets stay within an int32 of the group's base, are cleaned into one.
 */
export function groupSegmentsBySize(
  segments: readonly LogSegment[],
  maxSize: number,
  maxIndexSize: number,
  firstUncleanableOffset: number,
): LogSegment[][] {
  const groups: LogSegment[][] = [];
  let i = 0;
  while (i < segments.length) {
    const group = [segments[i]];
    let logSize = segments[i].size;
    let indexSize = segments[i].offsetIndex.entries * segments[i].offsetIndex.entrySize;
    let timeIndexSize = segments[i].timeIndex.entries * segments[i].timeIndex.entrySize;
    i++;
    while (i < segments.length) {
      const next = segments[i];
      const nextIndex = next.offsetIndex.entries * next.offsetIndex.entrySize;
      const nextTimeIndex = next.timeIndex.entries * next.timeIndex.entrySize;
      const lastOffsetOfNext = i + 1 < segments.length ? segments[i + 1].baseOffset - 1 : firstUncleanableOffset - 1;
      const fits =
        logSize + next.size <= maxSize &&
        indexSize + nextIndex <= maxIndexSize &&
        timeIndexSize + nextTimeIndex <= maxIndexSize &&
        (next.size === 0 || lastOffsetOfNext - group[0].baseOffset <= 0x7fffffff);
      if (!fits) break;
      group.push(next);
      logSize += next.size;
      indexSize += nextIndex;
      timeIndexSize += nextTimeIndex;
      i++;
    }
    groups.push(group);
  }
  return groups;
}
