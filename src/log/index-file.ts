// Shared machinery of the .index and .timeindex files. Kafka mmaps preallocated files; we keep the file
// exactly `entries × entrySize` long (so it is always "trimmed" and reopenable by Kafka) and hold the
// entries in memory, loaded lazily so opening a log does not read old indexes. New entries reach the
// file with the log's queued appends (pending-writes.ts).
import * as fs from 'node:fs';
import { PendingWriter, dequeuePendingWrite, queuePendingWrite } from './pending-writes';

export class CorruptIndexError extends Error {
  constructor(file: string, why: string) {
    super(`corrupt index ${file}: ${why}`);
    this.name = 'CorruptIndexError';
  }
}

export abstract class IndexFile implements PendingWriter {
  protected buf: Buffer | null = null;
  protected _entries: number;
  /** Entries already in the file; the rest are queued. */
  private written: number;
  private fd: number | null = null;
  private dirty = false;
  readonly maxEntries: number;

  protected constructor(
    private _path: string,
    readonly baseOffset: number,
    readonly entrySize: number,
    maxIndexSize: number,
    fileSize: number,
  ) {
    this.maxEntries = Math.max(1, Math.floor(maxIndexSize / entrySize));
    this._entries = Math.floor(fileSize / entrySize);
    this.written = this._entries;
  }

  /** Size of an existing index file, or -1 if it is missing; a length that is not a whole number of entries is corrupt. */
  static checkedFileSize(file: string, entrySize: number): number {
    let size: number;
    try {
      size = fs.statSync(file).size;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return -1;
      throw e;
    }
    if (size % entrySize !== 0) throw new CorruptIndexError(file, `length ${size} is not a multiple of ${entrySize}`);
    return size;
  }

  get path(): string {
    return this._path;
  }

  get entries(): number {
    return this._entries;
  }

  get isFull(): boolean {
    return this._entries >= this.maxEntries;
  }

  /** Per-format consistency check of freshly loaded entries. */
  protected abstract validate(buf: Buffer, entries: number): string | null;

  /** Loads the entries into memory on first use; throws CorruptIndexError if they are inconsistent. */
  protected load(): Buffer {
    if (this.buf !== null) return this.buf;
    const data = fs.readFileSync(this._path);
    if (data.length % this.entrySize !== 0) {
      throw new CorruptIndexError(this._path, `length ${data.length} is not a multiple of ${this.entrySize}`);
    }
    const entries = data.length / this.entrySize;
    const why = this.validate(data, entries);
    if (why !== null) throw new CorruptIndexError(this._path, why);
    this._entries = entries;
    this.written = entries;
    this.buf = data;
    return data;
  }

  get loaded(): boolean {
    return this.buf !== null;
  }

  /** Forces a load, reporting whether the file is usable. */
  check(): void {
    this.load();
  }

  protected appendEntry(entry: Buffer): void {
    let buf = this.load();
    const at = this._entries * this.entrySize;
    if (buf.length < at + entry.length) {
      const grown = Buffer.allocUnsafe(Math.max(at + entry.length, buf.length * 2, 64 * this.entrySize));
      buf.copy(grown, 0, 0, at);
      buf = grown;
      this.buf = grown;
    }
    entry.copy(buf, at);
    this._entries++;
    this.dirty = true;
    queuePendingWrite(this);
  }

  writePending(): void {
    dequeuePendingWrite(this);
    if (this.written >= this._entries || this.buf === null) return;
    if (this.fd === null) this.fd = fs.openSync(this._path, 'r+');
    const from = this.written * this.entrySize;
    const to = this._entries * this.entrySize;
    let done = from;
    while (done < to) done += fs.writeSync(this.fd, this.buf, done, to - done, done);
    this.written = this._entries;
  }

  /** Keeps only the first `n` entries. */
  protected truncateToEntries(n: number): void {
    if (n >= this._entries) return;
    this.writePending();
    if (this.fd === null) this.fd = fs.openSync(this._path, 'r+');
    fs.ftruncateSync(this.fd, n * this.entrySize);
    this._entries = n;
    this.written = n;
    this.dirty = true;
  }

  /** Empties the index, creating the file if it is missing (used by rebuilds). */
  reset(): void {
    this.closeHandle();
    fs.writeFileSync(this._path, Buffer.alloc(0));
    this.buf = Buffer.allocUnsafe(64 * this.entrySize);
    this._entries = 0;
    this.written = 0;
    this.dirty = true;
  }

  flush(): void {
    this.writePending();
    if (!this.dirty) return;
    if (this.fd !== null) {
      fs.fsyncSync(this.fd);
    } else {
      const fd = fs.openSync(this._path, 'r');
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
    this.dirty = false;
  }

  /** Releases the write descriptor (inactive segments only read their indexes from memory). */
  closeHandle(): void {
    this.writePending();
    if (this.fd !== null) {
      fs.closeSync(this.fd);
      this.fd = null;
    }
  }

  renameTo(file: string): void {
    try {
      fs.renameSync(this._path, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    this._path = file;
  }

  /** Largest slot whose key is ≤ target, or -1; `key(i)` must be non-decreasing. */
  protected floorSlot(target: number, key: (i: number) => number): number {
    let lo = 0;
    let hi = this._entries - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (key(mid) <= target) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }
}
