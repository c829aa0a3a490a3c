// `.timeindex`: 12-byte entries [timestamp int64][relativeOffset int32], strictly increasing timestamps.
import * as fs from 'node:fs';
import { IndexFile } from './index-file';

export const TIME_INDEX_ENTRY_SIZE = 12;

export interface TimestampOffset {
  timestamp: number;
  offset: number;
}

export class TimeIndex extends IndexFile {
  constructor(file: string, baseOffset: number, maxIndexSize: number, fileSize: number) {
    super(file, baseOffset, TIME_INDEX_ENTRY_SIZE, maxIndexSize, fileSize);
  }

  protected validate(buf: Buffer, entries: number): string | null {
    let prevTs = -Infinity;
    let prevRel = -1;
    for (let i = 0; i < entries; i++) {
      const ts = Number(buf.readBigInt64BE(i * 12));
      const rel = buf.readInt32BE(i * 12 + 8);
      if (ts < prevTs || rel < prevRel) return `entry ${i} (${ts}, ${rel}) goes backwards`;
      prevTs = ts;
      prevRel = rel;
    }
    return null;
  }

  private entry(buf: Buffer, i: number): TimestampOffset {
    return { timestamp: Number(buf.readBigInt64BE(i * 12)), offset: this.baseOffset + buf.readInt32BE(i * 12 + 8) };
  }

  /** Largest entry with timestamp ≤ target, or (-1, baseOffset). */
  lookup(target: number): TimestampOffset {
    const buf = this.load();
    const slot = this.floorSlot(target, (i) => Number(buf.readBigInt64BE(i * 12)));
    return slot < 0 ? { timestamp: -1, offset: this.baseOffset } : this.entry(buf, slot);
  }

  lastEntry(): TimestampOffset {
    const buf = this.load();
    return this.entries === 0 ? { timestamp: -1, offset: this.baseOffset } : this.entry(buf, this.entries - 1);
  }

  /** The last entry without loading the whole file: inactive segments only need it for retention. */
  peekLastEntry(): TimestampOffset {
    if (this.loaded || this.entries === 0) return this.lastEntry();
    const fd = fs.openSync(this.path, 'r');
    try {
      const b = Buffer.alloc(12);
      if (fs.readSync(fd, b, 0, 12, (this.entries - 1) * 12) !== 12) return this.lastEntry();
      return this.entry(b, 0);
    } finally {
      fs.closeSync(fd);
    }
  }

  allEntries(): TimestampOffset[] {
    const buf = this.load();
    const out: TimestampOffset[] = [];
    for (let i = 0; i < this.entries; i++) out.push(this.entry(buf, i));
    return out;
  }

  /** Appends only when the timestamp grows; a full index takes no more entries unless skipFullCheck (roll/close). */
  maybeAppend(timestamp: number, offset: number, skipFullCheck = false): void {
    if (!skipFullCheck && this.isFull) return;
    const last = this.lastEntry();
    if (this.entries > 0 && offset < last.offset) return;
    if (timestamp <= last.timestamp) return;
    const e = Buffer.allocUnsafe(12);
    e.writeBigInt64BE(BigInt(timestamp), 0);
    e.writeInt32BE(offset - this.baseOffset, 8);
    this.appendEntry(e);
  }

  /** Removes entries with offset ≥ target. */
  truncateTo(target: number): void {
    const buf = this.load();
    let keep = this.entries;
    while (keep > 0 && this.baseOffset + buf.readInt32BE((keep - 1) * 12 + 8) >= target) keep--;
    this.truncateToEntries(keep);
  }
}
