// The batches of a `.log` file as Kafka's FileRecords iterates them for DumpLogSegments: v2 record batches
// and legacy (magic 0/1) entries alike, each with what the tool prints about it (checksum, validity, timestamp
// type) and, for deep iteration, its records. Unlike the broker's readers this never refuses a batch whose
// CRC is wrong: the tool reports it as `isvalid: false` and keeps going.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { LOG_OVERHEAD, RECORD_BATCH_OVERHEAD, RecordHeader, compressionOf, decodeBatch, isControl, isTransactional, readBatchHeader, timestampTypeOf } from '../../../protocol/records/batch';
import { decompress } from '../../../protocol/records/compression';
import { crc32, crc32c } from '../../../protocol/records/crc32c';

/** Kafka's TimestampType names. */
export type TimestampTypeName = 'NoTimestampType' | 'CreateTime' | 'LogAppendTime';

export const COMPRESSION_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

const MAGIC_OFFSET = 16;
// Kafka's FileLogInputStream: offset, size and magic must fit before a batch is read.
const HEADER_SIZE_UP_TO_MAGIC = MAGIC_OFFSET + 1;
// LegacyRecord.RECORD_OVERHEAD_V0: crc, magic, attributes, key and value lengths.
const LEGACY_RECORD_OVERHEAD_V0 = 14;
const NO_SEQUENCE = -1;
const INT32_MAX = 0x7fffffff;

export interface DumpRecord {
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  /** v2 only. */
  sequence: number;
  headers: RecordHeader[];
  /** Legacy records only: their own CRC and whether it checks out. */
  legacy?: { crc: number; isValid: boolean };
}

export interface DumpBatch {
  position: number;
  sizeInBytes: number;
  magic: number;
  baseOffset: number;
  lastOffset: number;
  count: number;
  baseSequence: number;
  lastSequence: number;
  producerId: bigint;
  producerEpoch: number;
  partitionLeaderEpoch: number;
  isTransactional: boolean;
  isControl: boolean;
  deleteHorizonMs: number | null;
  timestampType: TimestampTypeName;
  maxTimestamp: number;
  compression: string;
  checksum: number;
  isValid: boolean;
  /** Decodes the records (decompressing if needed). */
  records(): DumpRecord[];
}

/** A size field below Kafka's minimum: Kafka's iterator throws CorruptRecordException here. */
export class CorruptRecordError extends Error {}

/** Kafka's DefaultRecordBatch.incrementSequence: sequences wrap at Integer.MAX_VALUE. */
function incrementSequence(sequence: number, increment: number): number {
  return sequence > INT32_MAX - increment ? increment - (INT32_MAX - sequence) - 1 : sequence + increment;
}

function timestampTypeName(magic: number, attributes: number): TimestampTypeName {
  if (magic === 0) return 'NoTimestampType';
  return timestampTypeOf(attributes) === 1 ? 'LogAppendTime' : 'CreateTime';
}

function v2Batch(buf: Buffer, position: number, size: number): DumpBatch {
  const h = readBatchHeader(buf, position);
  const lastOffset = h.baseOffset + h.lastOffsetDelta;
  return {
    position,
    sizeInBytes: size,
    magic: 2,
    baseOffset: h.baseOffset,
    lastOffset,
    count: h.recordCount,
    baseSequence: h.baseSequence,
    lastSequence: h.baseSequence === NO_SEQUENCE ? NO_SEQUENCE : incrementSequence(h.baseSequence, h.lastOffsetDelta),
    producerId: h.producerId,
    producerEpoch: h.producerEpoch,
    partitionLeaderEpoch: h.partitionLeaderEpoch,
    isTransactional: isTransactional(h.attributes),
    isControl: isControl(h.attributes),
    deleteHorizonMs: h.attributes & 0x40 ? h.baseTimestamp : null,
    timestampType: timestampTypeName(2, h.attributes),
    maxTimestamp: h.maxTimestamp,
    compression: COMPRESSION_NAMES[compressionOf(h.attributes)] ?? 'unknown',
    checksum: h.crc >>> 0,
    isValid: size >= RECORD_BATCH_OVERHEAD && h.crc >>> 0 === crc32c(buf.subarray(position + 21, position + size)),
    records: () =>
      decodeBatch(buf.subarray(position, position + size)).records.map((r) => ({
        ...r,
        sequence: h.baseSequence === NO_SEQUENCE ? NO_SEQUENCE : incrementSequence(h.baseSequence, r.offset - h.baseOffset),
      })),
  };
}

interface LegacyEntry {
  offset: number;
  magic: number;
  attributes: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  crc: number;
  isValid: boolean;
  size: number;
}

function sizedBytes(buf: Buffer, pos: number, end: number): [Buffer | null, number] {
  const length = buf.readInt32BE(pos);
  if (length < 0) return [null, pos + 4];
  if (pos + 4 + length > end) throw new CorruptRecordError(`legacy record field of ${length} bytes runs past its record`);
  return [buf.subarray(pos + 4, pos + 4 + length), pos + 4 + length];
}

function readLegacyEntry(buf: Buffer, pos: number): LegacyEntry {
  const size = buf.readInt32BE(pos + 8);
  const end = pos + LOG_OVERHEAD + size;
  const magic = buf.readInt8(pos + MAGIC_OFFSET);
  const attributes = buf[pos + MAGIC_OFFSET + 1];
  let field = pos + MAGIC_OFFSET + 2;
  let timestamp = -1;
  if (magic === 1) {
    timestamp = Number(buf.readBigInt64BE(field));
    field += 8;
  }
  const [key, valueAt] = sizedBytes(buf, field, end);
  const [value] = sizedBytes(buf, valueAt, end);
  const crc = buf.readUInt32BE(pos + LOG_OVERHEAD);
  return {
    offset: Number(buf.readBigInt64BE(pos)),
    magic,
    attributes,
    timestamp,
    key,
    value,
    crc,
    isValid: size >= LEGACY_RECORD_OVERHEAD_V0 && crc === crc32(buf, pos + MAGIC_OFFSET, end),
    size: LOG_OVERHEAD + size,
  };
}

function legacyRecord(e: LegacyEntry, offset: number, timestamp: number): DumpRecord {
  return { offset, timestamp, key: e.key, value: e.value, sequence: NO_SEQUENCE, headers: [], legacy: { crc: e.crc, isValid: e.isValid } };
}

/** Kafka's deep iteration of a legacy entry: the entry itself, or the messages of a compressed wrapper. */
function legacyRecords(wrapper: LegacyEntry): DumpRecord[] {
  const codec = compressionOf(wrapper.attributes);
  if (codec === 0) return [legacyRecord(wrapper, wrapper.offset, wrapper.timestamp)];
  if (wrapper.value === null) return [];
  const inner = decompress(codec, wrapper.value);
  const entries: LegacyEntry[] = [];
  for (let pos = 0; pos + LOG_OVERHEAD <= inner.length; ) {
    const entry = readLegacyEntry(inner, pos);
    entries.push(entry);
    pos += entry.size;
  }
  // Magic 1 wrappers carry the absolute offset of their last message; inner offsets are relative.
  const base = wrapper.magic === 1 && entries.length > 0 ? wrapper.offset - entries[entries.length - 1].offset : 0;
  const logAppendTime = wrapper.magic === 1 && timestampTypeOf(wrapper.attributes) === 1;
  return entries.map((e) => legacyRecord(e, base + e.offset, logAppendTime ? wrapper.timestamp : e.timestamp));
}

function legacyBatch(buf: Buffer, position: number): DumpBatch {
  const e = readLegacyEntry(buf, position);
  return {
    position,
    sizeInBytes: e.size,
    magic: e.magic,
    baseOffset: e.offset,
    lastOffset: e.offset,
    count: 1,
    baseSequence: NO_SEQUENCE,
    lastSequence: NO_SEQUENCE,
    producerId: -1n,
    producerEpoch: -1,
    partitionLeaderEpoch: -1,
    isTransactional: false,
    isControl: false,
    deleteHorizonMs: null,
    timestampType: timestampTypeName(e.magic, e.attributes),
    maxTimestamp: e.timestamp,
    compression: COMPRESSION_NAMES[compressionOf(e.attributes)] ?? 'unknown',
    checksum: e.crc,
    isValid: e.isValid,
    records: () => legacyRecords(e),
  };
}

/** The first `maxBytes` of the file (all of it by default): --max-bytes spares reading the rest. */
function readPrefix(file: string, maxBytes: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(Math.min(fstatSync(fd).size, maxBytes));
    let done = 0;
    while (done < buf.length) {
      const n = readSync(fd, buf, done, buf.length - done, done);
      if (n === 0) break;
      done += n;
    }
    return buf.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}

export interface FileBatches {
  batches: DumpBatch[];
  /** Bytes the iteration covered (the file's size, or `maxBytes` if smaller). */
  sliceBytes: number;
}

/**
 * The batches of `file` within its first `maxBytes`, as FileLogInputStream yields them: it stops at a batch
 * that does not fit, and throws at a size below the minimum record overhead.
 */
export function readFileBatches(file: string, maxBytes = INT32_MAX): FileBatches {
  const buf = readPrefix(file, maxBytes);
  const end = buf.length;
  const batches: DumpBatch[] = [];
  let pos = 0;
  while (pos < end - HEADER_SIZE_UP_TO_MAGIC) {
    const size = buf.readInt32BE(pos + 8);
    if (size < LEGACY_RECORD_OVERHEAD_V0) {
      throw new CorruptRecordError(`Found record size ${size} smaller than minimum record overhead (${LEGACY_RECORD_OVERHEAD_V0}) in file ${file}.`);
    }
    if (pos > end - LOG_OVERHEAD - size) break;
    const magic = buf.readInt8(pos + MAGIC_OFFSET);
    batches.push(magic >= 2 ? v2Batch(buf, pos, LOG_OVERHEAD + size) : legacyBatch(buf, pos));
    pos += LOG_OVERHEAD + size;
  }
  return { batches, sliceBytes: end };
}
