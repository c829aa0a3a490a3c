// Legacy message sets (magic v0/v1), as old clients produce and fetch them (LegacyRecord in Kafka).
// Entry: [offset int64][size int32][crc uint32][magic int8][attributes int8][timestamp int64, v1 only]
//        [key int32-length bytes][value int32-length bytes]; the CRC-32 (IEEE) covers magic to the end.
import { ErrorCode, KafkaError } from '../errors';
import {
  LOG_OVERHEAD,
  RecordInput,
  buildBatch,
  compressionOf,
  decodeBatch,
  forEachBatch,
  isControl,
  timestampTypeOf,
} from './batch';
import { Compression, DEFAULT_MAX_DECOMPRESSED_BYTES, decompress } from './compression';
import { crc32 } from './crc32c';

export interface LegacyMessage {
  /** Absolute offset, resolved through compressed wrappers the way Kafka's deep iterator does. */
  offset: number;
  magic: 0 | 1;
  /** -1 for magic v0, which has no timestamps. */
  timestamp: number;
  timestampType: 0 | 1;
  key: Buffer | null;
  value: Buffer | null;
}

export interface LegacyOptions {
  maxDecompressedBytes?: number;
}

const CRC_OFFSET = LOG_OVERHEAD;
const MAGIC_OFFSET = CRC_OFFSET + 4;
const ATTRIBUTES_OFFSET = MAGIC_OFFSET + 1;
const TIMESTAMP_OFFSET = ATTRIBUTES_OFFSET + 1;
// crc, magic, attributes, key length, value length.
const MESSAGE_OVERHEAD_V0 = 14;
const TIMESTAMP_SIZE = 8;
const COMPRESSION_MASK = 0x07;
const TIMESTAMP_TYPE_BIT = 0x08;
// Legacy message formats predate zstd.
const MAX_LEGACY_CODEC = Compression.LZ4;
const NO_TIMESTAMP = -1;

function corrupt(message: string): KafkaError {
  return new KafkaError(ErrorCode.CORRUPT_MESSAGE, message);
}

function messageOverhead(magic: number): number {
  return MESSAGE_OVERHEAD_V0 + (magic === 1 ? TIMESTAMP_SIZE : 0);
}

/** One legacy entry as stored, before any wrapper is opened. */
interface LegacyEntry {
  offset: number;
  magic: 0 | 1;
  codec: number;
  timestampType: 0 | 1;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
}

function readSizedBytes(buf: Buffer, pos: number, end: number, what: string): [Buffer | null, number] {
  if (end - pos < 4) throw corrupt(`legacy message truncated before its ${what}`);
  const length = buf.readInt32BE(pos);
  pos += 4;
  if (length === -1) return [null, pos];
  if (length < 0 || length > end - pos) throw corrupt(`legacy message ${what} length ${length} is invalid`);
  return [buf.subarray(pos, pos + length), pos + length];
}

/** Parses and CRC-checks the entry at `pos`; returns it with its total size. */
function readEntry(buf: Buffer, pos: number): [LegacyEntry, number] {
  if (buf.length - pos < LOG_OVERHEAD + MESSAGE_OVERHEAD_V0) throw corrupt(`truncated legacy entry at ${pos}`);
  const size = buf.readInt32BE(pos + 8);
  const magic = buf.readInt8(pos + MAGIC_OFFSET);
  if (magic !== 0 && magic !== 1) throw corrupt(`unexpected magic ${magic} in a legacy message set`);
  if (size < messageOverhead(magic) || size > buf.length - pos - LOG_OVERHEAD) {
    throw corrupt(`legacy message size ${size} at ${pos} is invalid`);
  }
  const end = pos + LOG_OVERHEAD + size;
  const stored = buf.readUInt32BE(pos + CRC_OFFSET);
  const computed = crc32(buf, pos + MAGIC_OFFSET, end);
  if (stored !== computed) throw corrupt(`legacy message CRC mismatch: stored ${stored}, computed ${computed}`);
  const attributes = buf[pos + ATTRIBUTES_OFFSET];
  const codec = attributes & COMPRESSION_MASK;
  if (codec > MAX_LEGACY_CODEC) {
    throw new KafkaError(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, `codec ${codec} is not valid for magic ${magic}`);
  }
  let fieldPos = TIMESTAMP_OFFSET + pos;
  let timestamp = NO_TIMESTAMP;
  if (magic === 1) {
    timestamp = Number(buf.readBigInt64BE(fieldPos));
    fieldPos += TIMESTAMP_SIZE;
  }
  const [key, valuePos] = readSizedBytes(buf, fieldPos, end, 'key');
  const [value, finalPos] = readSizedBytes(buf, valuePos, end, 'value');
  if (finalPos !== end) throw corrupt(`legacy message at ${pos} has ${end - finalPos} stray bytes`);
  const entry: LegacyEntry = {
    offset: Number(buf.readBigInt64BE(pos)),
    magic,
    codec,
    timestampType: magic === 1 && attributes & TIMESTAMP_TYPE_BIT ? 1 : 0,
    timestamp,
    key,
    value,
  };
  return [entry, LOG_OVERHEAD + size];
}

function readEntries(buf: Buffer): LegacyEntry[] {
  const entries: LegacyEntry[] = [];
  for (let pos = 0; pos < buf.length; ) {
    const [entry, size] = readEntry(buf, pos);
    entries.push(entry);
    pos += size;
  }
  return entries;
}

/** Opens a wrapper (if compressed) into plain messages, with absolute offsets resolved as Kafka does. */
function expandEntry(entry: LegacyEntry, maxBytes: number): LegacyMessage[] {
  if (entry.codec === Compression.NONE) {
    const { offset, magic, timestamp, timestampType, key, value } = entry;
    return [{ offset, magic, timestamp, timestampType, key, value }];
  }
  if (entry.value === null) throw corrupt('compressed legacy wrapper without a value');
  const inner = readEntries(decompress(entry.codec, entry.value, maxBytes));
  if (inner.length === 0) throw corrupt('compressed legacy wrapper holds no messages');
  // v1 inner offsets are relative and the wrapper carries the absolute offset of the last one.
  const base = entry.magic === 1 ? entry.offset - inner[inner.length - 1].offset : 0;
  return inner.map((m) => {
    if (m.codec !== Compression.NONE) throw corrupt('nested compressed legacy messages');
    if (m.magic !== entry.magic) throw corrupt(`inner magic ${m.magic} differs from wrapper magic ${entry.magic}`);
    const logAppendTime = entry.timestampType === 1;
    return {
      offset: base + m.offset,
      magic: m.magic,
      timestamp: logAppendTime ? entry.timestamp : m.timestamp,
      timestampType: logAppendTime ? 1 : m.timestampType,
      key: m.key,
      value: m.value,
    };
  });
}

/** Decodes a whole v0/v1 message set, opening compressed wrappers and checking every CRC. */
export function decodeLegacy(buf: Buffer, opts: LegacyOptions = {}): LegacyMessage[] {
  const maxBytes = opts.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  return readEntries(buf).flatMap((entry) => expandEntry(entry, maxBytes));
}

/**
 * Converts a legacy message set into one v2 batch with offsets 0..n-1, for the log to assign. Timestamps
 * and (when uniform) the LogAppendTime type are kept; a compressed input keeps its codec. Empty input gives
 * an empty buffer.
 */
export function legacyToBatches(buf: Buffer, opts: LegacyOptions = {}): Buffer {
  const maxBytes = opts.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  const entries = readEntries(buf);
  const messages = entries.flatMap((entry) => expandEntry(entry, maxBytes));
  if (messages.length === 0) return Buffer.alloc(0);
  const records: RecordInput[] = messages.map((m) => ({ key: m.key, value: m.value, timestamp: m.timestamp }));
  const compressed = entries.find((e) => e.codec !== Compression.NONE);
  return buildBatch(records, {
    compression: compressed?.codec ?? Compression.NONE,
    timestampType: messages.every((m) => m.timestampType === 1) ? 1 : 0,
  });
}

function writeSizedBytes(out: Buffer, pos: number, b: Buffer | null): number {
  if (b === null) return out.writeInt32BE(-1, pos);
  pos = out.writeInt32BE(b.length, pos);
  return pos + b.copy(out, pos);
}

function legacyEntrySize(magic: 0 | 1, m: LegacyMessage): number {
  return LOG_OVERHEAD + messageOverhead(magic) + (m.key?.length ?? 0) + (m.value?.length ?? 0);
}

function writeLegacyEntry(out: Buffer, pos: number, magic: 0 | 1, m: LegacyMessage): number {
  const start = pos;
  const size = legacyEntrySize(magic, m);
  out.writeBigInt64BE(BigInt(m.offset), pos);
  out.writeInt32BE(size - LOG_OVERHEAD, pos + 8);
  out.writeInt8(magic, pos + MAGIC_OFFSET);
  out[pos + ATTRIBUTES_OFFSET] = magic === 1 && m.timestampType === 1 ? TIMESTAMP_TYPE_BIT : 0;
  pos += TIMESTAMP_OFFSET;
  if (magic === 1) pos = out.writeBigInt64BE(BigInt(m.timestamp), pos);
  pos = writeSizedBytes(out, pos, m.key);
  pos = writeSizedBytes(out, pos, m.value);
  out.writeUInt32BE(crc32(out, start + MAGIC_OFFSET, pos), start + CRC_OFFSET);
  return pos;
}

function messagesOfEntry(
  buf: Buffer,
  pos: number,
  size: number,
  entryMagic: number,
  target: 0 | 1,
  maxBytes: number,
  fromOffset: number,
): LegacyMessage[] {
  const entry = buf.subarray(pos, pos + size);
  if (entryMagic !== 2) return decodeLegacy(entry, { maxDecompressedBytes: maxBytes });
  const { header, records } = decodeBatch(entry, 0, { maxDecompressedBytes: maxBytes });
  if (isControl(header.attributes)) return [];
  const timestampType = timestampTypeOf(header.attributes);
  // As Kafka's RecordsUtil.downConvert: records of an uncompressed batch before the fetch offset are
  // left out (a compressed batch stays whole, as an old client expects from a wrapper message).
  const compressed = compressionOf(header.attributes) !== Compression.NONE;
  return records.filter((r) => compressed || r.offset >= fromOffset).map((r) => ({
    offset: r.offset,
    magic: target,
    timestamp: r.timestamp,
    timestampType,
    key: r.key,
    value: r.value,
  }));
}

/**
 * Down-converts v2 batches (compressed or not) into an uncompressed v0/v1 message set with absolute offsets,
 * for Fetch v0-3 clients. Control batches are dropped, and so are record headers, which v0/v1 cannot carry.
 */
export function toLegacy(buf: Buffer, magic: 0 | 1, opts: LegacyOptions & { fromOffset?: number } = {}): Buffer {
  const maxBytes = opts.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  const messages: LegacyMessage[] = [];
  forEachBatch(buf, (pos, size, entryMagic) => {
    for (const m of messagesOfEntry(buf, pos, size, entryMagic, magic, maxBytes, opts.fromOffset ?? 0)) messages.push(m);
  });
  const out = Buffer.allocUnsafe(messages.reduce((sum, m) => sum + legacyEntrySize(magic, m), 0));
  let pos = 0;
  for (const m of messages) pos = writeLegacyEntry(out, pos, magic, m);
  return out;
}
