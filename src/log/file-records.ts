// One segment's `.log` file. Writes are synchronous (they keep append order); reads go through the libuv
// threadpool. The descriptor is opened lazily and its close waits for in-flight reads, so a read never
// lands on a descriptor number that was reused by another file.
import * as fs from 'node:fs';

export class FileRecords {
  private fd: number | null = null;
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
    const fd = this.handle();
    let written = 0;
    while (written < data.length) {
      written += fs.writeSync(fd, data, written, data.length - written, this._size + written);
    }
    this._size += data.length;
    this.dirty = true;
  }

  /** Reads up to `length` bytes at `position`; shorter only at end of file. */
  readSync(position: number, length: number): Buffer {
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
    if (size >= this._size) return;
    fs.ftruncateSync(this.handle(), size);
    this._size = size;
    this.dirty = true;
  }

  flush(): void {
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
