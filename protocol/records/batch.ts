// RecordBatch v2 (magic 2): header access, validation, in-place rewrites, and building/decoding records.
// Layout and CRC coverage follow Kafka's DefaultRecordBatch; all integers are big-endian.
import {
  Cursor,
  VarintError,
  readVarint,
  readVarlong,
  sizeOfVarint,
  sizeOfVarlong,
  writeVarint,
  writeVarlong,
} from '../codec/varint';
import { ErrorCode, KafkaError } from '../errors';
import { Compression, compress, decompress, DEFAULT_MAX_DECOMPRESSED_BYTES } from './compression';
import { crc32c } from './crc32c';

/** [baseOffset int64][batchLength int32]: the prefix shared by v2 batches and legacy entries. */
export const LOG_OVERHEAD = 12;
export const RECORD_BATCH_OVERHEAD = 61;

const BASE_OFFSET = 0;
const BATCH_LENGTH = 8;
const PARTITION_LEADER_EPOCH = 12;
const MAGIC = 16;
const CRC = 17;
const ATTRIBUTES = 21;
const LAST_OFFSET_DELTA = 23;
const BASE_TIMESTAMP = 27;
const MAX_TIMESTAMP = 35;
const PRODUCER_ID = 43;
const PRODUCER_EPOCH = 51;
const BASE_SEQUENCE = 53;
const RECORD_COUNT = 57;

// Smallest legacy entry: v0 message of crc, magic, attributes and two null lengths.
const MIN_LEGACY_ENTRY = LOG_OVERHEAD + 14;
// Smallest record: length, attributes, timestampDelta, offsetDelta, keyLen, valueLen, headerCount.
const MIN_RECORD_SIZE = 7;

export { Compression };

const COMPRESSION_MASK = 0x07;
const TIMESTAMP_TYPE_BIT = 0x08;
const TRANSACTIONAL_BIT = 0x10;
const CONTROL_BIT = 0x20;
const DELETE_HORIZON_BIT = 0x40;
const NO_TIMESTAMP = -1;

export function compressionOf(attributes: number): number {
  return attributes & COMPRESSION_MASK;
}

export function isTransactional(attributes: number): boolean {
  return (attributes & TRANSACTIONAL_BIT) !== 0;
}

export function isControl(attributes: number): boolean {
  return (attributes & CONTROL_BIT) !== 0;
}

/**
 * KIP-534: once the cleaner has seen a batch's tombstones or emptied transaction marker it sets this bit, and
 * baseTimestamp then holds the time after which they may be removed. Null when the bit is unset.
 */
export function deleteHorizonOf(h: BatchHeader): number | null {
  return h.attributes & DELETE_HORIZON_BIT ? h.baseTimestamp : null;
}

/** 0 = CreateTime, 1 = LogAppendTime. */
export function timestampTypeOf(attributes: number): 0 | 1 {
  return attributes & TIMESTAMP_TYPE_BIT ? 1 : 0;
}

export interface BatchHeader {
  baseOffset: number;
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface RecordInput {
  key: Buffer | null;
  value: Buffer | null;
  headers?: RecordHeader[];
  timestamp?: number;
}

export interface DecodedRecord {
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

export interface BuildBatchOptions {
  baseOffset?: number;
  compression?: number;
  timestampType?: 0 | 1;
  baseTimestamp?: number;
  producerId?: bigint;
  producerEpoch?: number;
  baseSequence?: number;
  partitionLeaderEpoch?: number;
  transactional?: boolean;
  control?: boolean;
}

export interface DecodeBatchOptions {
  /** Cap on the decompressed records section; larger batches are rejected as corrupt. */
  maxDecompressedBytes?: number;
}

function corrupt(message: string): KafkaError {
  return new KafkaError(ErrorCode.CORRUPT_MESSAGE, message);
}

function invalidRecord(message: string): KafkaError {
  return new KafkaError(ErrorCode.INVALID_RECORD, message);
}

export function readBatchHeader(buf: Buffer, pos = 0): BatchHeader {
  if (pos < 0 || buf.length - pos < RECORD_BATCH_OVERHEAD) {
    throw corrupt(`record batch header needs ${RECORD_BATCH_OVERHEAD} bytes at position ${pos}`);
  }
  return {
    baseOffset: Number(buf.readBigInt64BE(pos + BASE_OFFSET)),
    batchLength: buf.readInt32BE(pos + BATCH_LENGTH),
    partitionLeaderEpoch: buf.readInt32BE(pos + PARTITION_LEADER_EPOCH),
    magic: buf.readInt8(pos + MAGIC),
    crc: buf.readUInt32BE(pos + CRC),
    attributes: buf.readInt16BE(pos + ATTRIBUTES),
    lastOffsetDelta: buf.readInt32BE(pos + LAST_OFFSET_DELTA),
    baseTimestamp: Number(buf.readBigInt64BE(pos + BASE_TIMESTAMP)),
    maxTimestamp: Number(buf.readBigInt64BE(pos + MAX_TIMESTAMP)),
    producerId: buf.readBigInt64BE(pos + PRODUCER_ID),
    producerEpoch: buf.readInt16BE(pos + PRODUCER_EPOCH),
    baseSequence: buf.readInt32BE(pos + BASE_SEQUENCE),
    recordCount: buf.readInt32BE(pos + RECORD_COUNT),
  };
}

/** The magic byte of the entry at `pos` (2 for a record batch); the caller has checked the entry holds a header. */
export function magicAt(buf: Buffer, pos: number): number {
  return buf.readInt8(pos + MAGIC);
}

/**
 * The attributes of the v2 batch at `pos`, read alone: for scans that ask one thing of many batches
 * (is any transactional, is any zstd) without decoding whole headers.
 */
export function batchAttributesAt(buf: Buffer, pos: number): number {
  return buf.readInt16BE(pos + ATTRIBUTES);
}

/** Total size of the entry at `pos` (LOG_OVERHEAD + length field), or -1 if its 12-byte prefix is incomplete. */
export function batchSizeAt(buf: Buffer, pos: number): number {
  if (pos < 0 || buf.length - pos < LOG_OVERHEAD) return -1;
  return LOG_OVERHEAD + buf.readInt32BE(pos + BATCH_LENGTH);
}

/** Integrity of a stored v2 batch: size, magic and CRC, nothing about its contents (a replica's check of its leader's batches). */
export function verifyBatchIntegrity(buf: Buffer, pos: number, size: number): void {
  if (pos < 0 || size < RECORD_BATCH_OVERHEAD || buf.length - pos < size) {
    throw corrupt(`record batch of ${size} bytes at position ${pos} does not fit a ${buf.length}-byte buffer`);
  }
  const batchLength = buf.readInt32BE(pos + BATCH_LENGTH);
  if (batchLength !== size - LOG_OVERHEAD) {
    throw corrupt(`batch length ${batchLength} does not match entry size ${size}`);
  }
  const magic = buf.readInt8(pos + MAGIC);
  if (magic !== 2) throw corrupt(`unexpected magic ${magic} in a v2 record batch`);
  const stored = buf.readUInt32BE(pos + CRC);
  const computed = crc32c(buf, pos + ATTRIBUTES, pos + size);
  if (stored !== computed) {
    throw corrupt(`record batch CRC mismatch: stored ${stored}, computed ${computed}`);
  }
}

/** Header-level checks of a v2 batch as produced by a client: size, magic, CRC, counts. No record parsing. */
export function validateBatch(buf: Buffer, pos: number, size: number): void {
  verifyBatchIntegrity(buf, pos, size);
  const recordCount = buf.readInt32BE(pos + RECORD_COUNT);
  if (recordCount < 1) throw invalidRecord(`record batch holds ${recordCount} records`);
  const lastOffsetDelta = buf.readInt32BE(pos + LAST_OFFSET_DELTA);
  if (lastOffsetDelta !== recordCount - 1) {
    throw invalidRecord(`lastOffsetDelta ${lastOffsetDelta} does not match record count ${recordCount}`);
  }
  const attributes = buf.readInt16BE(pos + ATTRIBUTES);
  if (compressionOf(attributes) === Compression.NONE && recordCount > (size - RECORD_BATCH_OVERHEAD) / MIN_RECORD_SIZE) {
    throw corrupt(`${recordCount} records cannot fit in ${size - RECORD_BATCH_OVERHEAD} bytes`);
  }
}

function checkBatchSpan(buf: Buffer, pos: number): number {
  const size = batchSizeAt(buf, pos);
  if (size < RECORD_BATCH_OVERHEAD || buf.length - pos < size) {
    throw corrupt(`no complete record batch at position ${pos}`);
  }
  return size;
}

/** baseOffset lies outside the CRC, so the log can assign offsets without recomputing it. */
export function setBaseOffset(buf: Buffer, pos: number, offset: number): void {
  buf.writeBigInt64BE(BigInt(offset), pos + BASE_OFFSET);
}

/** partitionLeaderEpoch lies outside the CRC as well. */
export function setPartitionLeaderEpoch(buf: Buffer, pos: number, epoch: number): void {
  buf.writeInt32BE(epoch, pos + PARTITION_LEADER_EPOCH);
}

/** Marks the batch LogAppendTime with the given maxTimestamp; both are CRC-covered, so the CRC is rewritten. */
export function setLogAppendTime(buf: Buffer, pos: number, timestamp: number): void {
  const size = checkBatchSpan(buf, pos);
  const attributes = buf.readInt16BE(pos + ATTRIBUTES);
  buf.writeInt16BE(attributes | TIMESTAMP_TYPE_BIT, pos + ATTRIBUTES);
  buf.writeBigInt64BE(BigInt(timestamp), pos + MAX_TIMESTAMP);
  buf.writeUInt32BE(crc32c(buf, pos + ATTRIBUTES, pos + size), pos + CRC);
}

function isInt32(v: number): boolean {
  return v >= -0x80000000 && v <= 0x7fffffff;
}

// A zigzag varlong of a value in int32 range has the same bytes as the varint; skip BigInt on the common path.
function sizeOfTimestampDelta(delta: number): number {
  return isInt32(delta) ? sizeOfVarint(delta) : sizeOfVarlong(BigInt(delta));
}

function writeTimestampDelta(buf: Buffer, pos: number, delta: number): number {
  return isInt32(delta) ? writeVarint(buf, pos, delta) : writeVarlong(buf, pos, BigInt(delta));
}

function sizeOfBytes(b: Buffer | null): number {
  return b === null ? sizeOfVarint(-1) : sizeOfVarint(b.length) + b.length;
}

function writeBytes(buf: Buffer, pos: number, b: Buffer | null): number {
  if (b === null) return writeVarint(buf, pos, -1);
  pos = writeVarint(buf, pos, b.length);
  return pos + b.copy(buf, pos);
}

interface RecordPlan {
  headerKeys: Buffer[];
  bodySize: number;
}

function recordBodySize(r: RecordInput, timestampDelta: number, offsetDelta: number, headerKeys: Buffer[]): number {
  let size = 1 + sizeOfTimestampDelta(timestampDelta) + sizeOfVarint(offsetDelta);
  size += sizeOfBytes(r.key) + sizeOfBytes(r.value);
  const headers = r.headers ?? [];
  size += sizeOfVarint(headers.length);
  for (let i = 0; i < headers.length; i++) {
    size += sizeOfBytes(headerKeys[i]) + sizeOfBytes(headers[i].value);
  }
  return size;
}

function encodeRecords(records: RecordInput[], timestamps: number[], baseTimestamp: number): Buffer {
  const plans: RecordPlan[] = [];
  let total = 0;
  for (let i = 0; i < records.length; i++) {
    const headerKeys = (records[i].headers ?? []).map((h) => Buffer.from(h.key, 'utf8'));
    const bodySize = recordBodySize(records[i], timestamps[i] - baseTimestamp, i, headerKeys);
    plans.push({ headerKeys, bodySize });
    total += sizeOfVarint(bodySize) + bodySize;
  }
  const out = Buffer.allocUnsafe(total);
  let pos = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    const { headerKeys, bodySize } = plans[i];
    pos = writeVarint(out, pos, bodySize);
    out[pos++] = 0;
    pos = writeTimestampDelta(out, pos, timestamps[i] - baseTimestamp);
    pos = writeVarint(out, pos, i);
    pos = writeBytes(out, pos, r.key);
    pos = writeBytes(out, pos, r.value);
    const headers = r.headers ?? [];
    pos = writeVarint(out, pos, headers.length);
    for (let h = 0; h < headers.length; h++) {
      pos = writeBytes(out, pos, headerKeys[h]);
      pos = writeBytes(out, pos, headers[h].value);
    }
  }
  return out;
}

/** Builds one v2 batch (offset deltas 0..n-1) with a valid CRC; the records section is compressed as a whole. */
export function buildBatch(records: RecordInput[], opts: BuildBatchOptions = {}): Buffer {
  const codec = opts.compression ?? Compression.NONE;
  const baseTimestamp = opts.baseTimestamp ?? records[0]?.timestamp ?? Date.now();
  const timestamps = records.map((r) => r.timestamp ?? baseTimestamp);
  const maxTimestamp = timestamps.reduce((max, t) => (t > max ? t : max), timestamps[0] ?? baseTimestamp);
  const plain = encodeRecords(records, timestamps, baseTimestamp);
  const section = codec === Compression.NONE ? plain : compress(codec, plain);

  let attributes = codec & COMPRESSION_MASK;
  if (opts.timestampType === 1) attributes |= TIMESTAMP_TYPE_BIT;
  if (opts.transactional) attributes |= TRANSACTIONAL_BIT;
  if (opts.control) attributes |= CONTROL_BIT;

  return writeBatchHeader(section, {
    baseOffset: opts.baseOffset ?? 0,
    partitionLeaderEpoch: opts.partitionLeaderEpoch ?? -1,
    attributes,
    lastOffsetDelta: records.length - 1,
    baseTimestamp,
    maxTimestamp,
    producerId: opts.producerId ?? -1n,
    producerEpoch: opts.producerEpoch ?? -1,
    baseSequence: opts.baseSequence ?? -1,
    recordCount: records.length,
  });
}

/**
 * The batch the log cleaner writes for the records it keeps of `h` (Kafka's buildRetainedRecordsInto):
 * same base and last offset, producer fields, flags and codec; records keep their offsets. With a delete
 * horizon, baseTimestamp is the horizon and record timestamps are deltas from it.
 */
export function buildRetainedBatch(h: BatchHeader, records: readonly DecodedRecord[], deleteHorizonMs: number | null): Buffer {
  const logAppendTime = timestampTypeOf(h.attributes) === 1;
  let maxTimestamp = NO_TIMESTAMP;
  for (const r of records) if (r.timestamp > maxTimestamp) maxTimestamp = r.timestamp;
  if (logAppendTime) maxTimestamp = h.maxTimestamp;
  const baseTimestamp = deleteHorizonMs ?? records[0].timestamp;
  let plainSize = 0;
  const bodies = records.map((r) => {
    const headerKeys = r.headers.map((x) => Buffer.from(x.key, 'utf8'));
    const bodySize = recordBodySize(r, r.timestamp - baseTimestamp, r.offset - h.baseOffset, headerKeys);
    plainSize += sizeOfVarint(bodySize) + bodySize;
    return { headerKeys, bodySize };
  });
  const plain = Buffer.allocUnsafe(plainSize);
  let pos = 0;
  records.forEach((r, i) => {
    pos = writeVarint(plain, pos, bodies[i].bodySize);
    plain[pos++] = 0;
    pos = writeTimestampDelta(plain, pos, r.timestamp - baseTimestamp);
    pos = writeVarint(plain, pos, r.offset - h.baseOffset);
    pos = writeBytes(plain, pos, r.key);
    pos = writeBytes(plain, pos, r.value);
    pos = writeVarint(plain, pos, r.headers.length);
    r.headers.forEach((x, j) => {
      pos = writeBytes(plain, pos, bodies[i].headerKeys[j]);
      pos = writeBytes(plain, pos, x.value);
    });
  });
  const codec = compressionOf(h.attributes);
  const section = codec === Compression.NONE ? plain : compress(codec, plain);
  let attributes = h.attributes & ~DELETE_HORIZON_BIT;
  if (deleteHorizonMs !== null) attributes |= DELETE_HORIZON_BIT;
  return writeBatchHeader(section, { ...h, attributes, baseTimestamp, maxTimestamp, recordCount: records.length });
}

/** A batch header with no records, kept by the cleaner to preserve a producer's last sequence and epoch (writeEmptyHeader). */
export function buildEmptyBatch(h: BatchHeader): Buffer {
  const attributes = h.attributes & (TIMESTAMP_TYPE_BIT | TRANSACTIONAL_BIT | CONTROL_BIT);
  return writeBatchHeader(Buffer.alloc(0), { ...h, attributes, baseTimestamp: NO_TIMESTAMP, recordCount: 0 });
}

type HeaderFields = Omit<BatchHeader, 'batchLength' | 'magic' | 'crc'>;

/** Header fields plus the (already encoded) records section, as one batch with its length and CRC. */
function writeBatchHeader(section: Buffer, h: HeaderFields): Buffer {
  const out = Buffer.allocUnsafe(RECORD_BATCH_OVERHEAD + section.length);
  out.writeBigInt64BE(BigInt(h.baseOffset), BASE_OFFSET);
  out.writeInt32BE(out.length - LOG_OVERHEAD, BATCH_LENGTH);
  out.writeInt32BE(h.partitionLeaderEpoch, PARTITION_LEADER_EPOCH);
  out.writeInt8(2, MAGIC);
  out.writeInt16BE(h.attributes, ATTRIBUTES);
  out.writeInt32BE(h.lastOffsetDelta, LAST_OFFSET_DELTA);
  out.writeBigInt64BE(BigInt(h.baseTimestamp), BASE_TIMESTAMP);
  out.writeBigInt64BE(BigInt(h.maxTimestamp), MAX_TIMESTAMP);
  out.writeBigInt64BE(h.producerId, PRODUCER_ID);
  out.writeInt16BE(h.producerEpoch, PRODUCER_EPOCH);
  out.writeInt32BE(h.baseSequence, BASE_SEQUENCE);
  out.writeInt32BE(h.recordCount, RECORD_COUNT);
  section.copy(out, RECORD_BATCH_OVERHEAD);
  out.writeUInt32BE(crc32c(out, ATTRIBUTES), CRC);
  return out;
}

function readLength(c: Cursor, end: number, what: string): number {
  const len = readVarint(c);
  if (len < -1) throw corrupt(`negative ${what} length ${len}`);
  if (len > end - c.pos) throw corrupt(`${what} length ${len} runs past the record`);
  return len;
}

function readNullableBytes(c: Cursor, end: number, what: string): Buffer | null {
  const len = readLength(c, end, what);
  if (len === -1) return null;
  const b = c.buf.subarray(c.pos, c.pos + len);
  c.pos += len;
  return b;
}

function readRecord(c: Cursor, header: BatchHeader, logAppendTime: boolean): DecodedRecord {
  const length = readVarint(c);
  if (length < MIN_RECORD_SIZE - 1 || length > c.buf.length - c.pos) {
    throw corrupt(`record length ${length} does not fit the batch`);
  }
  const end = c.pos + length;
  c.pos++; // record attributes: unused
  const timestampDelta = Number(readVarlong(c));
  const offsetDelta = readVarint(c);
  const key = readNullableBytes(c, end, 'key');
  const value = readNullableBytes(c, end, 'value');
  const headerCount = readVarint(c);
  if (headerCount < 0 || headerCount > (end - c.pos) / 2) throw corrupt(`invalid header count ${headerCount}`);
  const headers: RecordHeader[] = [];
  for (let i = 0; i < headerCount; i++) {
    const hKey = readNullableBytes(c, end, 'header key');
    if (hKey === null) throw corrupt('null header key');
    headers.push({ key: hKey.toString('utf8'), value: readNullableBytes(c, end, 'header value') });
  }
  if (c.pos !== end) throw corrupt(`record declares ${length} bytes but its fields end elsewhere`);
  return {
    offset: header.baseOffset + offsetDelta,
    timestamp: logAppendTime ? header.maxTimestamp : header.baseTimestamp + timestampDelta,
    key,
    value,
    headers,
  };
}

/**
 * Parses the v2 batch at `pos`, decompressing its records if needed. Keys, values and header values are
 * views into `buf` (or into the decompressed section), not copies. Does not check the CRC: see validateBatch.
 */
export function decodeBatch(
  buf: Buffer,
  pos = 0,
  opts: DecodeBatchOptions = {},
): { header: BatchHeader; records: DecodedRecord[] } {
  const size = checkBatchSpan(buf, pos);
  const header = readBatchHeader(buf, pos);
  if (header.magic !== 2) throw corrupt(`unexpected magic ${header.magic} in a v2 record batch`);
  if (header.recordCount < 0) throw corrupt(`negative record count ${header.recordCount}`);
  const raw = buf.subarray(pos + RECORD_BATCH_OVERHEAD, pos + size);
  const codec = compressionOf(header.attributes);
  const section =
    codec === Compression.NONE
      ? raw
      : decompress(codec, raw, opts.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES);
  const logAppendTime = timestampTypeOf(header.attributes) === 1;
  const c: Cursor = { buf: section, pos: 0 };
  const records: DecodedRecord[] = [];
  try {
    for (let i = 0; i < header.recordCount; i++) {
      if (c.pos >= section.length) throw corrupt(`batch declares ${header.recordCount} records but holds ${i}`);
      records.push(readRecord(c, header, logAppendTime));
    }
  } catch (e) {
    if (e instanceof VarintError) throw corrupt(`malformed record: ${e.message}`);
    throw e;
  }
  if (c.pos !== section.length) throw corrupt('bytes left over after the last record of the batch');
  return { header, records };
}

/** Calls fn for each consecutive entry (v2 batch or legacy message) of a records buffer. */
export function forEachBatch(buf: Buffer, fn: (pos: number, size: number, magic: number) => void): void {
  let pos = 0;
  while (pos < buf.length) {
    const size = batchSizeAt(buf, pos);
    if (size < 0 || buf.length - pos < MAGIC + 1) throw corrupt(`truncated record entry at position ${pos}`);
    const magic = buf.readInt8(pos + MAGIC);
    if (magic < 0 || magic > 2) throw corrupt(`unknown magic ${magic} at position ${pos}`);
    const minSize = magic === 2 ? RECORD_BATCH_OVERHEAD : MIN_LEGACY_ENTRY + (magic === 1 ? 8 : 0);
    if (size < minSize || buf.length - pos < size) {
      throw corrupt(`record entry of ${size} bytes at position ${pos} is truncated or too small`);
    }
    fn(pos, size, magic);
    pos += size;
  }
}
