// XXH32, needed by the LZ4 frame for its header and block checksums.

const PRIME1 = 0x9e3779b1;
const PRIME2 = 0x85ebca77;
const PRIME3 = 0xc2b2ae3d;
const PRIME4 = 0x27d4eb2f;
const PRIME5 = 0x165667b1;

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function readU32LE(buf: Uint8Array, pos: number): number {
  return buf[pos] | (buf[pos + 1] << 8) | (buf[pos + 2] << 16) | (buf[pos + 3] << 24);
}

function round(acc: number, input: number): number {
  acc = (acc + Math.imul(input, PRIME2)) | 0;
  return Math.imul(rotl(acc, 13), PRIME1);
}

/** XXH32 of buf[start, end) as an unsigned 32-bit number. */
export function xxhash32(buf: Uint8Array, start = 0, end = buf.length, seed = 0): number {
  let pos = start;
  let h: number;
  if (end - start >= 16) {
    let v1 = (seed + PRIME1 + PRIME2) | 0;
    let v2 = (seed + PRIME2) | 0;
    let v3 = seed | 0;
    let v4 = (seed - PRIME1) | 0;
    const limit = end - 16;
    while (pos <= limit) {
      v1 = round(v1, readU32LE(buf, pos));
      v2 = round(v2, readU32LE(buf, pos + 4));
      v3 = round(v3, readU32LE(buf, pos + 8));
      v4 = round(v4, readU32LE(buf, pos + 12));
      pos += 16;
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) | 0;
  } else {
    h = (seed + PRIME5) | 0;
  }
  h = (h + (end - start)) | 0;
  while (pos + 4 <= end) {
    h = (h + Math.imul(readU32LE(buf, pos), PRIME3)) | 0;
    h = Math.imul(rotl(h, 17), PRIME4);
    pos += 4;
  }
  while (pos < end) {
    h = (h + Math.imul(buf[pos], PRIME5)) | 0;
    h = Math.imul(rotl(h, 11), PRIME1);
    pos++;
  }
  h ^= h >>> 15;
  h = Math.imul(h, PRIME2);
  h ^= h >>> 13;
  h = Math.imul(h, PRIME3);
  h ^= h >>> 16;
  return h >>> 0;
}
