// `.index`: sparse map from offset to file position, 8-byte entries [relativeOffset int32][position int32].
import { IndexFile } from './index-file';

export const OFFSET_INDEX_ENTRY_SIZE = 8;

export interface OffsetPosition {
  offset: number;
  position: number;
}

export class OffsetIndex extends IndexFile {
  constructor(file: string, baseOffset: number, maxIndexSize: number, fileSize: number) {
    super(file, baseOffset, OFFSET_INDEX_ENTRY_SIZE, maxIndexSize, fileSize);
  }

  protected validate(buf: Buffer, entries: number): string | null {
    let prevRel = -1;
    let prevPos = -1;
    for (let i = 0; i < entries; i++) {
      const rel = buf.readInt32BE(i * 8);
      const pos = buf.readInt32BE(i * 8 + 4);
      if (rel <= prevRel || pos <= prevPos) return `entry ${i} (${rel}, ${pos}) does not increase`;
      prevRel = rel;
      prevPos = pos;
    }
    return null;
  }

  private entry(buf: Buffer, i: number): OffsetPosition {
    return { offset: this.baseOffset + buf.readInt32BE(i * 8), position: buf.readInt32BE(i * 8 + 4) };
  }

  /** Largest entry with offset ≤ target, or (baseOffset, 0). */
  lookup(target: number): OffsetPosition {
    const buf = this.load();
    const slot = this.floorSlot(target - this.baseOffset, (i) => buf.readInt32BE(i * 8));
    return slot < 0 ? { offset: this.baseOffset, position: 0 } : this.entry(buf, slot);
  }

  lastEntry(): OffsetPosition {
    const buf = this.load();
    return this.entries === 0 ? { offset: this.baseOffset, position: 0 } : this.entry(buf, this.entries - 1);
  }

  /** All entries, for checks and tests. */
  allEntries(): OffsetPosition[] {
    const buf = this.load();
    const out: OffsetPosition[] = [];
    for (let i = 0; i < this.entries; i++) out.push(this.entry(buf, i));
    return out;
  }

  append(offset: number, position: number): void {
    if (this.entries > 0 && offset <= this.lastEntry().offset) {
      throw new Error(`offset index ${this.path}: ${offset} is not larger than the last entry`);
    }
    const e = Buffer.allocUnsafe(8);
    e.writeInt32BE(offset - this.baseOffset, 0);
    e.writeInt32BE(position, 4);
    this.appendEntry(e);
  }

  /** Removes entries with offset ≥ target. */
  truncateTo(target: number): void {
    const buf = this.load();
    this.truncateToEntries(this.floorSlot(target - this.baseOffset - 1, (i) => buf.readInt32BE(i * 8)) + 1);
  }
}
