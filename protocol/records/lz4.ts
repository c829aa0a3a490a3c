// LZ4 as Kafka frames it (Lz4BlockOutputStream / Lz4BlockInputStream): an LZ4 frame restricted to
// independent blocks, 64 KiB blocks, no content checksum. Old (magic v0) producers computed the header
// checksum over magic+FLG+BD instead of FLG+BD; both forms are accepted on input.
import { ErrorCode, KafkaError } from '../errors';
import { xxhash32 } from './xxhash32';

const FRAME_MAGIC = 0x184d2204;
const FLG_VERSION = 0x40;
const FLG_BLOCK_INDEPENDENCE = 0x20;
const FLG_BLOCK_CHECKSUM = 0x10;
const FLG_CONTENT_SIZE = 0x08;
const FLG_CONTENT_CHECKSUM = 0x04;
const FLG_RESERVED = 0x03;
const BD_RESERVED = 0x8f;
const BLOCK_SIZE_ID_64KB = 4;
const BLOCK_SIZE = 64 * 1024;
const STORED_BLOCK_BIT = 0x80000000;

// LZ4 block format limits: the last 5 bytes are always literals; no match starts in the last 12 bytes.
const MIN_MATCH = 4;
const LAST_LITERALS = 5;
const MF_LIMIT = 12;
const MAX_DISTANCE = 65535;
const HASH_LOG = 12;

function corrupt(message: string): KafkaError {
  return new KafkaError(ErrorCode.CORRUPT_MESSAGE, `lz4: ${message}`);
}

function readU32LE(buf: Uint8Array, pos: number): number {
  return (buf[pos] | (buf[pos + 1] << 8) | (buf[pos + 2] << 16) | (buf[pos + 3] << 24)) >>> 0;
}

function writeLength(dst: Uint8Array, pos: number, rest: number): number {
  while (rest >= 255) {
    dst[pos++] = 255;
    rest -= 255;
  }
  dst[pos++] = rest;
  return pos;
}

/** Greedy single-pass LZ4 block compressor; `dst` must hold compressBound(src length). Returns the end in dst. */
function compressBlock(src: Uint8Array, start: number, end: number, dst: Uint8Array, table: Int32Array): number {
  table.fill(-1);
  let dPos = 0;
  let anchor = start;
  let pos = start;
  const matchStartLimit = end - MF_LIMIT;
  const matchEndLimit = end - LAST_LITERALS;
  while (pos < matchStartLimit) {
    const sequence = readU32LE(src, pos);
    const hash = Math.imul(sequence, 2654435761) >>> (32 - HASH_LOG);
    const ref = table[hash];
    table[hash] = pos;
    if (ref < 0 || pos - ref > MAX_DISTANCE || readU32LE(src, ref) !== sequence) {
      // Skip faster through incompressible stretches, as the reference implementation does.
      pos += 1 + ((pos - anchor) >>> 6);
      continue;
    }
    let matchLength = MIN_MATCH;
    while (pos + matchLength < matchEndLimit && src[ref + matchLength] === src[pos + matchLength]) matchLength++;

    const literalLength = pos - anchor;
    const tokenPos = dPos++;
    let token = 0;
    if (literalLength >= 15) {
      token = 0xf0;
      dPos = writeLength(dst, dPos, literalLength - 15);
    } else {
      token = literalLength << 4;
    }
    dst.set(src.subarray(anchor, pos), dPos);
    dPos += literalLength;
    const distance = pos - ref;
    dst[dPos++] = distance & 0xff;
    dst[dPos++] = distance >>> 8;
    const extra = matchLength - MIN_MATCH;
    if (extra >= 15) {
      token |= 0x0f;
      dPos = writeLength(dst, dPos, extra - 15);
    } else {
      token |= extra;
    }
    dst[tokenPos] = token;
    pos += matchLength;
    anchor = pos;
  }
  const literalLength = end - anchor;
  if (literalLength >= 15) {
    dst[dPos++] = 0xf0;
    dPos = writeLength(dst, dPos, literalLength - 15);
  } else {
    dst[dPos++] = literalLength << 4;
  }
  dst.set(src.subarray(anchor, end), dPos);
  return dPos + literalLength;
}

function compressBound(length: number): number {
  return length + Math.floor(length / 255) + 16;
}

function frameChecksum(buf: Uint8Array, start: number, end: number): number {
  return (xxhash32(buf, start, end) >>> 8) & 0xff;
}

export function compressLz4Frame(data: Buffer): Buffer {
  const blocks = Math.ceil(data.length / BLOCK_SIZE);
  const out = Buffer.allocUnsafe(7 + blocks * (4 + BLOCK_SIZE) + 4);
  out.writeUInt32LE(FRAME_MAGIC, 0);
  out[4] = FLG_VERSION | FLG_BLOCK_INDEPENDENCE;
  out[5] = BLOCK_SIZE_ID_64KB << 4;
  out[6] = frameChecksum(out, 4, 6);
  let pos = 7;
  const scratch = new Uint8Array(compressBound(BLOCK_SIZE));
  const table = new Int32Array(1 << HASH_LOG);
  for (let start = 0; start < data.length; start += BLOCK_SIZE) {
    const end = Math.min(start + BLOCK_SIZE, data.length);
    const compressedLength = compressBlock(data, start, end, scratch, table);
    if (compressedLength < end - start) {
      out.writeUInt32LE(compressedLength, pos);
      out.set(scratch.subarray(0, compressedLength), pos + 4);
      pos += 4 + compressedLength;
    } else {
      out.writeUInt32LE((STORED_BLOCK_BIT | (end - start)) >>> 0, pos);
      data.copy(out, pos + 4, start, end);
      pos += 4 + end - start;
    }
  }
  out.writeUInt32LE(0, pos);
  return out.subarray(0, pos + 4);
}

function readExtraLength(src: Uint8Array, pos: number, end: number, length: number): [number, number] {
  let b: number;
  do {
    if (pos >= end) throw corrupt('truncated sequence length');
    b = src[pos++];
    length += b;
  } while (b === 255);
  return [length, pos];
}

/** Decodes one independent block into dst[dStart, dLimit); returns the end in dst. */
function decompressBlock(src: Uint8Array, start: number, end: number, dst: Uint8Array, dStart: number, dLimit: number): number {
  let pos = start;
  let dPos = dStart;
  while (pos < end) {
    const token = src[pos++];
    let literalLength = token >>> 4;
    if (literalLength === 15) [literalLength, pos] = readExtraLength(src, pos, end, literalLength);
    if (literalLength > end - pos) throw corrupt('literals run past the block');
    if (literalLength > dLimit - dPos) throw corrupt('block decompresses beyond its limit');
    dst.set(src.subarray(pos, pos + literalLength), dPos);
    pos += literalLength;
    dPos += literalLength;
    if (pos === end) return dPos;
    if (end - pos < 2) throw corrupt('truncated match offset');
    const distance = src[pos] | (src[pos + 1] << 8);
    pos += 2;
    if (distance === 0 || distance > dPos - dStart) throw corrupt('match offset outside the block');
    let matchLength = token & 0x0f;
    if (matchLength === 15) [matchLength, pos] = readExtraLength(src, pos, end, matchLength);
    matchLength += MIN_MATCH;
    if (matchLength > dLimit - dPos) throw corrupt('block decompresses beyond its limit');
    let from = dPos - distance;
    if (distance >= matchLength) {
      dst.copyWithin(dPos, from, from + matchLength);
      dPos += matchLength;
    } else {
      for (let i = 0; i < matchLength; i++) dst[dPos++] = dst[from++];
    }
  }
  throw corrupt('block does not end with literals');
}

interface FrameHeader {
  blockChecksum: boolean;
  contentChecksum: boolean;
  maxBlockSize: number;
  dataStart: number;
}

function readFrameHeader(data: Buffer): FrameHeader {
  if (data.length < 7 || data.readUInt32LE(0) !== FRAME_MAGIC) throw corrupt('missing frame magic');
  const flg = data[4];
  const bd = data[5];
  if ((flg & 0xc0) !== FLG_VERSION) throw corrupt(`unsupported frame version in FLG 0x${flg.toString(16)}`);
  if ((flg & FLG_BLOCK_INDEPENDENCE) === 0) throw corrupt('dependent blocks are not supported');
  if (flg & FLG_RESERVED) throw corrupt('reserved FLG bits set');
  const blockSizeId = (bd >>> 4) & 0x07;
  if (bd & BD_RESERVED || blockSizeId < 4) throw corrupt(`invalid BD byte 0x${bd.toString(16)}`);
  const hcPos = flg & FLG_CONTENT_SIZE ? 14 : 6;
  if (data.length <= hcPos) throw corrupt('truncated frame descriptor');
  const hc = data[hcPos];
  if (hc !== frameChecksum(data, 4, hcPos) && hc !== frameChecksum(data, 0, hcPos)) {
    throw corrupt('frame descriptor checksum mismatch');
  }
  return {
    blockChecksum: (flg & FLG_BLOCK_CHECKSUM) !== 0,
    contentChecksum: (flg & FLG_CONTENT_CHECKSUM) !== 0,
    maxBlockSize: 1 << (8 + 2 * blockSizeId),
    dataStart: hcPos + 1,
  };
}

export function decompressLz4Frame(data: Buffer, maxBytes: number): Buffer {
  const header = readFrameHeader(data);
  const parts: Buffer[] = [];
  let total = 0;
  let scratch: Buffer | undefined;
  let pos = header.dataStart;
  for (;;) {
    if (data.length - pos < 4) throw corrupt('missing end mark');
    const word = data.readUInt32LE(pos);
    pos += 4;
    if (word === 0) break;
    const stored = (word & STORED_BLOCK_BIT) !== 0;
    const size = word & ~STORED_BLOCK_BIT;
    if (size > header.maxBlockSize) throw corrupt(`block of ${size} bytes exceeds the frame's block size`);
    const checksumSize = header.blockChecksum ? 4 : 0;
    if (size + checksumSize > data.length - pos) throw corrupt('block runs past the input');
    if (header.blockChecksum && data.readUInt32LE(pos + size) !== xxhash32(data, pos, pos + size)) {
      throw corrupt('block checksum mismatch');
    }
    const budget = maxBytes - total;
    if (stored) {
      if (size > budget) throw corrupt('output exceeds the decompression limit');
      parts.push(data.subarray(pos, pos + size));
      total += size;
    } else {
      scratch ??= Buffer.allocUnsafe(Math.min(header.maxBlockSize, maxBytes));
      const length = decompressBlock(data, pos, pos + size, scratch, 0, Math.min(scratch.length, budget));
      parts.push(Buffer.from(scratch.subarray(0, length)));
      total += length;
    }
    pos += size + checksumSize;
  }
  const out = Buffer.concat(parts, total);
  if (header.contentChecksum) {
    if (data.length - pos < 4) throw corrupt('missing content checksum');
    if (data.readUInt32LE(pos) !== xxhash32(out)) throw corrupt('content checksum mismatch');
  }
  return out;
}
