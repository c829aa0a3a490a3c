// A growable writer that hands large byte fields (record sets) through as their own chunks,
// so a fetch response carries the log's buffers to the socket without copying them.

import { writeUVarint } from './varint';

/** Byte fields at least this large are referenced, not copied. */
const REFERENCE_THRESHOLD = 1024;

export class Writer {
  private buf: Buffer;
  private pos = 0;
  /** Start of the part of `buf` not yet handed to `chunks`. */
  private start = 0;
  private readonly chunks: Buffer[] = [];
  private flushed = 0;

  constructor(initialSize = 256) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  /** Bytes written so far. */
  get size(): number {
    return this.flushed + this.pos - this.start;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const pending = this.pos - this.start;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, pending + n + 256));
    this.buf.copy(next, 0, this.start, this.pos);
    this.buf = next;
    this.start = 0;
    this.pos = pending;
  }

  bool(v: boolean): void {
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
  }
  int8(v: number): void {
    this.ensure(1);
    this.pos = this.buf.writeInt8(v, this.pos);
  }
  int16(v: number): void {
    this.ensure(2);
    this.pos = this.buf.writeInt16BE(v, this.pos);
  }
  uint16(v: number): void {
    this.ensure(2);
    this.pos = this.buf.writeUInt16BE(v, this.pos);
  }
  int32(v: number): void {
    this.ensure(4);
    this.pos = this.buf.writeInt32BE(v, this.pos);
  }
  int64(v: bigint): void {
    this.ensure(8);
    this.pos = this.buf.writeBigInt64BE(v, this.pos);
  }
  float64(v: number): void {
    this.ensure(8);
    this.pos = this.buf.writeDoubleBE(v, this.pos);
  }
  uvarint(v: number): void {
    this.ensure(5);
    this.pos = writeUVarint(this.buf, this.pos, v);
  }
  uuid(v: string): void {
    this.ensure(16);
    const n = this.buf.write(v, this.pos, 16, 'base64url');
    if (n !== 16) throw new RangeError(`invalid uuid "${v}"`);
    this.pos += 16;
  }

  /** Length prefix: classic int16/int32, or compact uvarint N+1 (0 = null). */
  length(len: number, compact: boolean, wide: boolean): void {
    if (compact) this.uvarint(len + 1);
    else if (wide) this.int32(len);
    else this.int16(len);
  }

  string(v: string | null, compact: boolean): void {
    if (v === null) return this.length(-1, compact, false);
    const len = Buffer.byteLength(v);
    if (len > 0x7fff && !compact) throw new RangeError('string longer than 32767 bytes');
    this.length(len, compact, false);
    this.ensure(len);
    this.pos += this.buf.write(v, this.pos, len, 'utf8');
  }

  bytes(v: Buffer | null, compact: boolean): void {
    if (v === null) return this.length(-1, compact, true);
    this.length(v.length, compact, true);
    this.raw(v);
  }

  /** Appends bytes as they are; large ones become chunks of their own. */
  raw(v: Buffer): void {
    if (v.length >= REFERENCE_THRESHOLD) {
      this.cut();
      this.chunks.push(v);
      this.flushed += v.length;
      return;
    }
    this.ensure(v.length);
    v.copy(this.buf, this.pos);
    this.pos += v.length;
  }

  private cut(): void {
    if (this.pos > this.start) {
      this.chunks.push(this.buf.subarray(this.start, this.pos));
      this.flushed += this.pos - this.start;
      this.start = this.pos;
    }
  }

  /** The written bytes as a list of chunks (for writev). */
  finish(): Buffer[] {
    this.cut();
    return this.chunks;
  }

  /** The written bytes as one buffer (tests, tagged field payloads, small messages). */
  toBuffer(): Buffer {
    const chunks = this.finish();
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, this.flushed);
  }
}
