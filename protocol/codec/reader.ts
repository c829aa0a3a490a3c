// Bounds-checked reads of Kafka's primitive encodings. Every length read from the wire is checked
// against the bytes actually present before anything is sliced or allocated.

import { Cursor, readUVarint } from './varint';

export class DecodeError extends RangeError {}

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

export class Reader implements Cursor {
  constructor(
    public buf: Buffer,
    public pos = 0,
    public end = buf.length,
  ) {}

  remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): number {
    const at = this.pos;
    if (n < 0 || at + n > this.end) throw new DecodeError(`need ${n} bytes at ${at}, have ${this.end - at}`);
    this.pos = at + n;
    return at;
  }

  bool(): boolean {
    return this.buf[this.need(1)] !== 0;
  }
  int8(): number {
    return this.buf.readInt8(this.need(1));
  }
  int16(): number {
    return this.buf.readInt16BE(this.need(2));
  }
  uint16(): number {
    return this.buf.readUInt16BE(this.need(2));
  }
  int32(): number {
    return this.buf.readInt32BE(this.need(4));
  }
  int64(): bigint {
    return this.buf.readBigInt64BE(this.need(8));
  }
  float64(): number {
    return this.buf.readDoubleBE(this.need(8));
  }
  uvarint(): number {
    if (this.pos >= this.end) throw new DecodeError('varint past the end');
    return readUVarint(this);
  }

  /** Kafka's 128-bit Uuid, rendered as its base64url string like Uuid.toString(). */
  uuid(): string {
    const at = this.need(16);
    const text = this.buf.toString('base64url', at, at + 16);
    return text === ZERO_UUID ? ZERO_UUID : text;
  }

  /** Length of a classic (int16/int32) or compact (uvarint N+1) field; -1 means null. */
  private length(compact: boolean, wide: boolean): number {
    if (compact) return this.uvarint() - 1;
    return wide ? this.int32() : this.int16();
  }

  string(compact: boolean): string | null {
    const len = this.length(compact, false);
    if (len < 0) return null;
    const at = this.need(len);
    return this.buf.toString('utf8', at, at + len);
  }

  /** Bytes and records stay slices of the frame: no copy. */
  bytes(compact: boolean): Buffer | null {
    const len = this.length(compact, true);
    if (len < 0) return null;
    const at = this.need(len);
    return this.buf.subarray(at, at + len);
  }

  /**
   * Element count of an array, or -1 for null. Each element occupies at least one byte on the
   * wire, so a count beyond the remaining bytes is malformed and rejected before any allocation.
   */
  arrayLength(compact: boolean, minElementSize: number): number {
    const n = this.length(compact, true);
    if (n > 0 && n * minElementSize > this.end - this.pos) {
      throw new DecodeError(`array of ${n} elements cannot fit in ${this.end - this.pos} bytes`);
    }
    return n;
  }

  skip(n: number): void {
    this.need(n);
  }
}
