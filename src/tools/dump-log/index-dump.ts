// DumpLogSegments' `.index` and `.timeindex` dumps: every entry (Kafka opens the files read-only, so a
// preallocated active index shows its zero slots until the first repeat of the base offset), checked
// against the segment's `.log`, and the broker's startup sanity check for --index-sanity-check.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DumpBatch, readFileBatches } from './file-batches';

const OFFSET_ENTRY_SIZE = 8;
const TIME_ENTRY_SIZE = 12;
const NO_TIMESTAMP = -1;

/** Kafka's CorruptIndexException, which the tool lets escape. */
export class CorruptIndexError extends Error {}

interface OffsetEntry {
  offset: number;
  position: number;
}

interface TimeEntry {
  timestamp: number;
  offset: number;
}

/** Pairs reported after all files are dumped, per file (absolute path), in Kafka's order. */
export class DumpErrors {
  readonly indexMismatches = new Map<string, [number, number][]>();
  readonly timeMismatches = new Map<string, [number, number][]>();
  readonly outOfOrderTimestamps = new Map<string, [number, number][]>();
  readonly shallowOffsetsNotFound = new Map<string, [number, number][]>();
  readonly nonConsecutiveOffsets = new Map<string, [number, number][]>();

  static add(map: Map<string, [number, number][]>, file: string, pair: [number, number], prepend = false): void {
    const list = map.get(file) ?? [];
    // Kafka prepends to a Scala List for the index and log checks, so those print newest first.
    if (prepend) list.unshift(pair);
    else list.push(pair);
    map.set(file, list);
  }

  /** DumpLogSegments' closing reports, on stderr. */
  lines(): string[] {
    const out: string[] = [];
    for (const [file, pairs] of this.indexMismatches) {
      out.push(`Mismatches in :${file}`);
      for (const [index, log] of pairs) out.push(`  Index offset: ${index}, log offset: ${log}`);
    }
    for (const [file, pairs] of this.timeMismatches) {
      out.push(`Found timestamp mismatch in :${file}`);
      for (const [index, log] of pairs) out.push(`  Index timestamp: ${index}, log timestamp: ${log}`);
    }
    for (const [file, pairs] of this.outOfOrderTimestamps) {
      out.push(`Found out of order timestamp in :${file}`);
      for (const [index, prev] of pairs) out.push(`  Index timestamp: ${index}, Previously indexed timestamp: ${prev}`);
    }
    for (const pairs of this.shallowOffsetsNotFound.values()) {
      out.push('The following indexed offsets are not found in the log.');
      for (const [indexed, log] of pairs) out.push(`Indexed offset: ${indexed}, found log offset: ${log}`);
    }
    for (const [file, pairs] of this.nonConsecutiveOffsets) {
      out.push(`Non-consecutive offsets in ${file}`);
      for (const [first, second] of pairs) out.push(`  ${first} is followed by ${second}`);
    }
    return out;
  }
}

function baseOffsetOf(file: string): number {
  return Number(basename(file).split('.')[0]);
}

function siblingFile(file: string, suffix: string): string {
  return join(dirname(resolve(file)), basename(file).split('.')[0] + suffix);
}

function readIndexFile(file: string): Buffer {
  return existsSync(file) ? readFileSync(file) : Buffer.alloc(0);
}

function offsetEntries(buf: Buffer, baseOffset: number): OffsetEntry[] {
  const out: OffsetEntry[] = [];
  for (let i = 0; i + OFFSET_ENTRY_SIZE <= buf.length; i += OFFSET_ENTRY_SIZE) {
    out.push({ offset: baseOffset + buf.readInt32BE(i), position: buf.readInt32BE(i + 4) });
  }
  return out;
}

function timeEntries(buf: Buffer, baseOffset: number): TimeEntry[] {
  const out: TimeEntry[] = [];
  for (let i = 0; i + TIME_ENTRY_SIZE <= buf.length; i += TIME_ENTRY_SIZE) {
    out.push({ timestamp: Number(buf.readBigInt64BE(i)), offset: baseOffset + buf.readInt32BE(i + 8) });
  }
  return out;
}

/** Kafka's OffsetIndex.sanityCheck. */
function offsetIndexSanityCheck(file: string, length: number, entries: OffsetEntry[], baseOffset: number): void {
  const last = entries.length === 0 ? baseOffset : entries[entries.length - 1].offset;
  if (entries.length !== 0 && last < baseOffset) {
    throw new CorruptIndexError(
      `Corrupt index found, index file (${resolve(file)}) has non-zero size but the last offset is ${last} which is less than the base offset ${baseOffset}`,
    );
  }
  if (length % OFFSET_ENTRY_SIZE !== 0) {
    throw new CorruptIndexError(`Index file ${resolve(file)} is corrupt, found ${length} bytes which is neither positive nor a multiple of ${OFFSET_ENTRY_SIZE}`);
  }
}

/** Kafka's TimeIndex.sanityCheck. */
function timeIndexSanityCheck(file: string, length: number, entries: TimeEntry[], baseOffset: number): void {
  if (entries.length !== 0) {
    const last = entries[entries.length - 1];
    if (last.timestamp < entries[0].timestamp) {
      throw new CorruptIndexError(
        `Corrupt time index found, time index file (${resolve(file)}) has non-zero size but the last timestamp is ${last.timestamp} which is less than the first timestamp ${entries[0].timestamp}`,
      );
    }
    if (last.offset < baseOffset) {
      throw new CorruptIndexError(
        `Corrupt time index found, time index file (${resolve(file)}) has non-zero size but the last offset is ${last.offset} which is less than the first offset ${baseOffset}`,
      );
    }
  }
  if (length % TIME_ENTRY_SIZE !== 0) {
    throw new CorruptIndexError(`Time index file ${resolve(file)} is corrupt, found ${length} bytes which is neither positive nor a multiple of ${TIME_ENTRY_SIZE}`);
  }
}

/** Batches starting at `position` (the index points at batch boundaries). */
function batchesFrom(batches: DumpBatch[], position: number): DumpBatch[] {
  return batches.filter((b) => b.position >= position);
}

export function dumpIndex(file: string, sanityOnly: boolean, verifyOnly: boolean, errors: DumpErrors, print: (line: string) => void): void {
  const baseOffset = baseOffsetOf(file);
  const { batches } = readFileBatches(siblingFile(file, '.log'));
  const buf = readIndexFile(file);
  const entries = offsetEntries(buf, baseOffset);
  if (entries.length === 0) {
    print(`${file} is empty.`);
    return;
  }
  if (sanityOnly) {
    offsetIndexSanityCheck(file, buf.length, entries, baseOffset);
    print(`${file} passed sanity check.`);
    return;
  }
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    // A preallocated index ends in zero slots: the first repeat of the base offset ends the entries.
    if (entry.offset === baseOffset && i > 0) return;
    const first = batchesFrom(batches, entry.position)[0];
    const firstLastOffset = first === undefined ? -1 : first.lastOffset;
    if (firstLastOffset !== entry.offset) DumpErrors.add(errors.indexMismatches, resolve(file), [entry.offset, firstLastOffset], true);
    if (!verifyOnly) print(`offset: ${entry.offset} position: ${entry.position}`);
  }
}

export function dumpTimeIndex(file: string, sanityOnly: boolean, verifyOnly: boolean, errors: DumpErrors, print: (line: string) => void): void {
  const baseOffset = baseOffsetOf(file);
  const { batches } = readFileBatches(siblingFile(file, '.log'));
  const offsets = offsetEntries(readIndexFile(siblingFile(file, '.index')), baseOffset);
  const buf = readIndexFile(file);
  const entries = timeEntries(buf, baseOffset);
  if (sanityOnly) {
    timeIndexSanityCheck(file, buf.length, entries, baseOffset);
    print(`${file} passed sanity check.`);
    return;
  }
  const absolute = resolve(file);
  let prevTimestamp = NO_TIMESTAMP;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry.offset === baseOffset && i > 0) return;
    const found = batchesFrom(batches, positionOf(offsets, entry.offset)).find((b) => b.lastOffset >= entry.offset);
    if (found === undefined) {
      DumpErrors.add(errors.shallowOffsetsNotFound, absolute, [entry.offset, -1]);
    } else if (found.lastOffset !== entry.offset) {
      DumpErrors.add(errors.shallowOffsetsNotFound, absolute, [entry.offset, found.lastOffset]);
    } else {
      const maxTimestamp = found.records().reduce((max, r) => Math.max(max, r.timestamp), NO_TIMESTAMP);
      if (maxTimestamp !== entry.timestamp) DumpErrors.add(errors.timeMismatches, absolute, [entry.timestamp, maxTimestamp]);
      if (prevTimestamp >= entry.timestamp) DumpErrors.add(errors.outOfOrderTimestamps, absolute, [entry.timestamp, prevTimestamp]);
    }
    if (!verifyOnly) print(`timestamp: ${entry.timestamp} offset: ${entry.offset}`);
    prevTimestamp = entry.timestamp;
  }
}

/** OffsetIndex.lookup: position of the largest entry with offset ≤ target, ignoring the zero slots of a preallocated file. */
function positionOf(entries: OffsetEntry[], target: number): number {
  let position = 0;
  for (let i = 0; i < entries.length; i++) {
    if (i > 0 && entries[i].offset <= entries[i - 1].offset) break;
    if (entries[i].offset > target) break;
    position = entries[i].position;
  }
  return position;
}
