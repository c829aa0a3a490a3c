// Unsigned and zigzag variable-length integers, as Kafka's ByteUtils writes them.
// Reads are bounded (5 bytes for 32-bit values, 10 for 64-bit) so hostile input cannot loop or overflow.

/** A read position in a buffer; readers advance `pos`. */
export interface Cursor {
  buf: Buffer;
  pos: number;
}

export class VarintError extends RangeError {}

/** Unsigned 32-bit varint (compact lengths, tag counts). */
export function readUVarint(c: Cursor): number {
  const buf = c.buf;
  let pos = c.pos;
  let result = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (pos >= buf.length) throw new VarintError('varint runs past the end of the buffer');
    const b = buf[pos++];
    result += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) {
      if (result > 0xffffffff) throw new VarintError('varint exceeds 32 bits');
      c.pos = pos;
      return result;
    }
  }
  throw new VarintError('varint longer than 5 bytes');
}

/** Zigzag-encoded signed 32-bit varint (record lengths, deltas, key/value sizes). */
export function readVarint(c: Cursor): number {
  const u = readUVarint(c);
  return (u >>> 1) ^ -(u & 1);
}

/** Zigzag-encoded signed 64-bit varlong (record timestamp delta). */
export function readVarlong(c: Cursor): bigint {
  const buf = c.buf;
  let pos = c.pos;
  let result = 0n;
  for (let shift = 0n; shift < 70n; shift += 7n) {
    if (pos >= buf.length) throw new VarintError('varlong runs past the end of the buffer');
    const b = buf[pos++];
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) {
      if (result > 0xffffffffffffffffn) throw new VarintError('varlong exceeds 64 bits');
      c.pos = pos;
      return (result >> 1n) ^ -(result & 1n);
    }
  }
  throw new VarintError('varlong longer than 10 bytes');
}

export function sizeOfUVarint(v: number): number {
  let size = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    size++;
  }
  return size;
}

export function sizeOfVarint(v: number): number {
  return sizeOfUVarint(((v << 1) ^ (v >> 31)) >>> 0);
}

export function sizeOfVarlong(v: bigint): number {
  let u = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
  let size = 1;
  while (u >= 0x80n) {
    u >>= 7n;
    size++;
  }
  return size;
}

/** Writes an unsigned varint at `pos`; returns the position after it. */
export function writeUVarint(buf: Buffer, pos: number, v: number): number {
  while (v >= 0x80) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  buf[pos++] = v;
  return pos;
}

export function writeVarint(buf: Buffer, pos: number, v: number): number {
  return writeUVarint(buf, pos, ((v << 1) ^ (v >> 31)) >>> 0);
}

export function writeVarlong(buf: Buffer, pos: number, v: bigint): number {
  let u = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
  while (u >= 0x80n) {
    buf[pos++] = Number(u & 0x7fn) | 0x80;
    u >>= 7n;
  }
  buf[pos++] = Number(u);
  return pos;
}
