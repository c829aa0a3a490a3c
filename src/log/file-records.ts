// One segment's `.log` file. Appends are queued and written with one writev (see pending-writes.ts).
// Reads go through the libuv threadpool. The descriptor is opened lazily and its close
// waits for in-flight reads, so a read never lands on a descriptor number reused by another file.
import * as fs from 'node:fs';
import { PendingWriter, dequeuePendingWrite, queuePendingWrite } from './pending-writes';

export class FileRecords implements PendingWriter {
  private fd: number | null = null;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Set once a queued write failed: like Kafka's offline log dir, the file then refuses all access. */
  private failure: Error | null = null;
  private inFlight = 0;
  private closeRequested = false;
  private dirty = false;
  private _size: number;

  constructor(
    private _path: string,
    size: number,
  ) {
    this._size = size;
  }

  /** Opens (creating if needed) without reading anything. */
  static open(file: string): FileRecords {
    let size = 0;
    try {
      size = fs.statSync(file).size;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      fs.closeSync(fs.openSync(file, 'a'));
    }
    return new FileRecords(file, size);
  }

  get path(): string {
    return this._path;
  }

  get size(): number {
    return this._size;
  }

  private handle(): number {
    if (this.fd === null) {
      this.fd = fs.openSync(this._path, 'r+');
      this.closeRequested = false;
    }
    return this.fd;
  }

  append(data: Buffer): void {
    if (this.failure) throw this.failure;
    this.pending.push(data);
    this.pendingBytes += data.length;
    this._size += data.length;
    this.dirty = true;
    queuePendingWrite(this);
  }

  /** Writes the queued appends with as few system calls as the kernel allows. */
  writePending(): void {
    dequeuePendingWrite(this);
    if (this.failure) throw this.failure;
    if (this.pendingBytes === 0) return;
    const buffers = this.pending;
    let position = this._size - this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    try {
      const fd = this.handle();
      while (buffers.length > 0) {
        let written = fs.writevSync(fd, buffers, position);
        position += written;
        while (buffers.length > 0 && written >= buffers[0].length) written -= buffers.shift()!.length;
        if (written > 0) buffers[0] = buffers[0].subarray(written);
      }
    } catch (e) {
      this.failure = e as Error;
      throw e;
    }
  }

  /** Reads up to `length` bytes at `position`; shorter only at end of file. */
  readSync(position: number, length: number): Buffer {
    if (position + length > this._size - this.pendingBytes) this.writePending();
    const fd = this.handle();
    const buf = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = fs.readSync(fd, buf, got, length - got, position + got);
      if (n === 0) break;
      got += n;
    }
    return got === length ? buf : buf.subarray(0, got);
  }

  async read(position: number, length: number): Promise<Buffer> {
    if (position + length > this._size - this.pendingBytes) this.writePending();
    const fd = this.handle();
    this.inFlight++;
    try {
      const buf = Buffer.allocUnsafe(length);
      let got = 0;
      while (got < length) {
        const n = await readAt(fd, buf, got, length - got, position + got);
        if (n === 0) break;
        got += n;
      }
      return got === length ? buf : buf.subarray(0, got);
    } finally {
      this.inFlight--;
      if (this.inFlight === 0 && this.closeRequested) this.closeNow();
    }
  }

  truncateTo(size: number): void {
    this.writePending();
    if (size >= this._size) return;
    fs.ftruncateSync(this.handle(), size);
    this._size = size;
    this.dirty = true;
  }

  flush(): void {
    this.writePending();
    if (!this.dirty || this.fd === null) return;
    fs.fsyncSync(this.fd);
    this.dirty = false;
  }

  /** Renaming keeps the open descriptor valid, so readers in flight are unaffected. */
  renameTo(file: string): void {
    fs.renameSync(this._path, file);
    this._path = file;
  }

  lastModified(): number {
    return fs.statSync(this._path).mtimeMs;
  }

  close(): void {
    this.writePending();
    if (this.fd === null) return;
    if (this.inFlight > 0) {
      this.closeRequested = true;
      return;
    }
    this.closeNow();
  }

  private closeNow(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    this.closeRequested = false;
    fs.closeSync(fd);
  }
}

function readAt(fd: number, buf: Buffer, offset: number, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    fs.read(fd, buf, offset, length, position, (err, n) => (err ? reject(err) : resolve(n)));
  });
}
