import * as zlib from 'zlib';
import { ErrorCode } from '../../../protocol/errors';
import {
  Compression,
  LegacyMessage,
  buildBatch,
  compress,
  compressionOf,
  decodeBatch,
  decodeLegacy,
  legacyToBatches,
  readBatchHeader,
  setBaseOffset,
  timestampTypeOf,
  toLegacy,
  validateBatch,
} from '../../../protocol/records';
import { xxhash32 } from '../../../protocol/records/xxhash32';
import { kafkaErrorCode } from './helpers';

const { CORRUPT_MESSAGE, UNSUPPORTED_COMPRESSION_TYPE } = ErrorCode;

interface EntrySpec {
  offset: number;
  magic: 0 | 1;
  codec?: number;
  logAppendTime?: boolean;
  timestamp?: number;
  key: Buffer | null;
  value: Buffer | null;
}

function sizedBytes(b: Buffer | null): Buffer {
  const length = Buffer.alloc(4);
  length.writeInt32BE(b === null ? -1 : b.length);
  return b === null ? length : Buffer.concat([length, b]);
}

// Encodes one legacy entry straight from the LegacyRecord layout, independently of the module under test.
function entry(spec: EntrySpec): Buffer {
  const attributes = (spec.codec ?? 0) | (spec.logAppendTime ? 0x08 : 0);
  const timestamp = Buffer.alloc(spec.magic === 1 ? 8 : 0);
  if (spec.magic === 1) timestamp.writeBigInt64BE(BigInt(spec.timestamp ?? 0));
  const body = Buffer.concat([
    Buffer.from([spec.magic, attributes]),
    timestamp,
    sizedBytes(spec.key),
    sizedBytes(spec.value),
  ]);
  const head = Buffer.alloc(16);
  head.writeBigInt64BE(BigInt(spec.offset), 0);
  head.writeInt32BE(body.length + 4, 8);
  head.writeUInt32BE(zlib.crc32(body), 12);
  return Buffer.concat([head, body]);
}

function wrapper(magic: 0 | 1, codec: number, offset: number, inner: Buffer, timestamp = 0, logAppendTime = false): Buffer {
  return entry({ offset, magic, codec, key: null, value: compress(codec, inner), timestamp, logAppendTime });
}

const k = (s: string): Buffer => Buffer.from(s);

function innerSet(magic: 0 | 1, offsets: number[], timestamps: number[] = []): Buffer {
  return Buffer.concat(
    offsets.map((offset, i) =>
      entry({ offset, magic, timestamp: timestamps[i] ?? 0, key: k(`key-${i}`), value: k(`value-${i}`) }),
    ),
  );
}

describe('decodeLegacy', () => {
  it('reads plain v0 messages with null keys and tombstones', () => {
    const set = Buffer.concat([
      entry({ offset: 10, magic: 0, key: null, value: k('a') }),
      entry({ offset: 11, magic: 0, key: k('b'), value: null }),
      entry({ offset: 12, magic: 0, key: k(''), value: k('') }),
    ]);
    expect(decodeLegacy(set)).toEqual([
      { offset: 10, magic: 0, timestamp: -1, timestampType: 0, key: null, value: k('a') },
      { offset: 11, magic: 0, timestamp: -1, timestampType: 0, key: k('b'), value: null },
      { offset: 12, magic: 0, timestamp: -1, timestampType: 0, key: k(''), value: k('') },
    ]);
  });

  it('reads v1 timestamps and the LogAppendTime bit', () => {
    const set = Buffer.concat([
      entry({ offset: 0, magic: 1, timestamp: 1_700_000_000_000, key: null, value: k('a') }),
      entry({ offset: 1, magic: 1, timestamp: 1_700_000_000_005, logAppendTime: true, key: null, value: k('b') }),
    ]);
    const [a, b] = decodeLegacy(set);
    expect(a).toMatchObject({ magic: 1, timestamp: 1_700_000_000_000, timestampType: 0 });
    expect(b).toMatchObject({ magic: 1, timestamp: 1_700_000_000_005, timestampType: 1 });
  });

  it('keeps absolute inner offsets of a v0 gzip wrapper', () => {
    const set = wrapper(0, Compression.GZIP, 22, innerSet(0, [20, 21, 22]));
    expect(decodeLegacy(set).map((m) => m.offset)).toEqual([20, 21, 22]);
  });

  it('resolves relative inner offsets of a v1 wrapper from the wrapper (last) offset', () => {
    const set = wrapper(1, Compression.GZIP, 102, innerSet(1, [0, 1, 2], [5, 6, 7]));
    const messages = decodeLegacy(set);
    expect(messages.map((m) => m.offset)).toEqual([100, 101, 102]);
    expect(messages.map((m) => m.timestamp)).toEqual([5, 6, 7]);
    expect(messages.map((m) => m.value?.toString())).toEqual(['value-0', 'value-1', 'value-2']);
  });

  it('gives inner messages the wrapper timestamp under LogAppendTime', () => {
    const set = wrapper(1, Compression.GZIP, 1, innerSet(1, [0, 1], [5, 6]), 999, true);
    expect(decodeLegacy(set).map((m) => [m.timestamp, m.timestampType])).toEqual([
      [999, 1],
      [999, 1],
    ]);
  });

  it.each([
    ['snappy', Compression.SNAPPY],
    ['lz4', Compression.LZ4],
  ])('opens %s wrappers', (_name, codec) => {
    const set = wrapper(1, codec, 1, innerSet(1, [0, 1]));
    expect(decodeLegacy(set).map((m) => m.key?.toString())).toEqual(['key-0', 'key-1']);
  });

  it('opens a v0 lz4 wrapper whose frame carries the broken header checksum', () => {
    const frame = compress(Compression.LZ4, innerSet(0, [3, 4]));
    frame[6] = (xxhash32(frame, 0, 6) >>> 8) & 0xff;
    const set = entry({ offset: 4, magic: 0, codec: Compression.LZ4, key: null, value: frame });
    expect(decodeLegacy(set).map((m) => m.offset)).toEqual([3, 4]);
  });

  it('rejects CRC mismatches at the top level and inside wrappers', () => {
    const plain = entry({ offset: 0, magic: 1, key: k('a'), value: k('b') });
    plain[plain.length - 1] ^= 1;
    expect(kafkaErrorCode(() => decodeLegacy(plain))).toBe(CORRUPT_MESSAGE);
    const inner = innerSet(1, [0, 1]);
    inner[inner.length - 1] ^= 1;
    expect(kafkaErrorCode(() => decodeLegacy(wrapper(1, Compression.GZIP, 1, inner)))).toBe(CORRUPT_MESSAGE);
  });

  it('rejects truncation, bad sizes and bad magic', () => {
    const set = innerSet(1, [0, 1]);
    expect(kafkaErrorCode(() => decodeLegacy(set.subarray(0, set.length - 1)))).toBe(CORRUPT_MESSAGE);
    expect(kafkaErrorCode(() => decodeLegacy(set.subarray(0, 20)))).toBe(CORRUPT_MESSAGE);
    const badMagic = entry({ offset: 0, magic: 1, key: null, value: null });
    badMagic[16] = 2;
    badMagic.writeUInt32BE(zlib.crc32(badMagic.subarray(16)), 12);
    expect(kafkaErrorCode(() => decodeLegacy(badMagic))).toBe(CORRUPT_MESSAGE);
    const badKeyLength = entry({ offset: 0, magic: 0, key: k('abc'), value: null });
    badKeyLength.writeInt32BE(50, 18);
    badKeyLength.writeUInt32BE(zlib.crc32(badKeyLength.subarray(16)), 12);
    expect(kafkaErrorCode(() => decodeLegacy(badKeyLength))).toBe(CORRUPT_MESSAGE);
  });

  it('rejects nested compression, magic mismatches, empty wrappers and zstd', () => {
    const nested = wrapper(1, Compression.GZIP, 0, wrapper(1, Compression.GZIP, 0, innerSet(1, [0])));
    expect(kafkaErrorCode(() => decodeLegacy(nested))).toBe(CORRUPT_MESSAGE);
    expect(kafkaErrorCode(() => decodeLegacy(wrapper(1, Compression.GZIP, 0, innerSet(0, [0]))))).toBe(CORRUPT_MESSAGE);
    expect(kafkaErrorCode(() => decodeLegacy(wrapper(1, Compression.GZIP, 0, Buffer.alloc(0))))).toBe(CORRUPT_MESSAGE);
    const nullValue = entry({ offset: 0, magic: 1, codec: Compression.GZIP, key: null, value: null });
    expect(kafkaErrorCode(() => decodeLegacy(nullValue))).toBe(CORRUPT_MESSAGE);
    const zstd = entry({ offset: 0, magic: 1, codec: Compression.ZSTD, key: null, value: k('x') });
    expect(kafkaErrorCode(() => decodeLegacy(zstd))).toBe(UNSUPPORTED_COMPRESSION_TYPE);
  });

  it('caps the decompressed size of wrappers', () => {
    const big = Buffer.concat(Array.from({ length: 64 }, (_, i) => entry({ offset: i, magic: 1, key: null, value: Buffer.alloc(16 * 1024) })));
    const set = wrapper(1, Compression.GZIP, 63, big);
    expect(kafkaErrorCode(() => decodeLegacy(set, { maxDecompressedBytes: 512 * 1024 }))).toBe(CORRUPT_MESSAGE);
    expect(decodeLegacy(set)).toHaveLength(64);
  });
});

describe('legacyToBatches', () => {
  it('converts plain v0 messages into one v2 batch with offsets from 0 and no timestamps', () => {
    const set = Buffer.concat([
      entry({ offset: 500, magic: 0, key: null, value: k('a') }),
      entry({ offset: 501, magic: 0, key: k('b'), value: null }),
    ]);
    const batch = legacyToBatches(set);
    validateBatch(batch, 0, batch.length);
    const { header, records } = decodeBatch(batch);
    expect(header).toMatchObject({ baseOffset: 0, baseTimestamp: -1, maxTimestamp: -1, recordCount: 2 });
    expect(timestampTypeOf(header.attributes)).toBe(0);
    expect(records).toEqual([
      { offset: 0, timestamp: -1, key: null, value: k('a'), headers: [] },
      { offset: 1, timestamp: -1, key: k('b'), value: null, headers: [] },
    ]);
  });

  it('keeps v1 timestamps and the codec of a compressed wrapper, even with wrapper offset 0', () => {
    const set = wrapper(1, Compression.GZIP, 0, innerSet(1, [0, 1, 2], [1000, 1003, 1001]));
    const batch = legacyToBatches(set);
    validateBatch(batch, 0, batch.length);
    const { header, records } = decodeBatch(batch);
    expect(compressionOf(header.attributes)).toBe(Compression.GZIP);
    expect(header.maxTimestamp).toBe(1003);
    expect(records.map((r) => [r.offset, r.timestamp, r.key?.toString()])).toEqual([
      [0, 1000, 'key-0'],
      [1, 1003, 'key-1'],
      [2, 1001, 'key-2'],
    ]);
  });

  it('joins several wrappers and plain messages into one batch', () => {
    const set = Buffer.concat([
      wrapper(1, Compression.SNAPPY, 1, innerSet(1, [0, 1], [10, 11])),
      entry({ offset: 2, magic: 1, timestamp: 12, key: null, value: k('plain') }),
      wrapper(1, Compression.SNAPPY, 4, innerSet(1, [0, 1], [13, 14])),
    ]);
    const { header, records } = decodeBatch(legacyToBatches(set));
    expect(compressionOf(header.attributes)).toBe(Compression.SNAPPY);
    expect(records.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4]);
    expect(records.map((r) => r.timestamp)).toEqual([10, 11, 12, 13, 14]);
  });

  it('keeps LogAppendTime when every message has it', () => {
    const set = wrapper(1, Compression.GZIP, 1, innerSet(1, [0, 1]), 777, true);
    const { header, records } = decodeBatch(legacyToBatches(set));
    expect(timestampTypeOf(header.attributes)).toBe(1);
    expect(records.map((r) => r.timestamp)).toEqual([777, 777]);
  });

  it('returns nothing for an empty set and rejects corrupt ones', () => {
    expect(legacyToBatches(Buffer.alloc(0))).toHaveLength(0);
    const set = innerSet(0, [0, 1]);
    set[30] ^= 0xff;
    expect(kafkaErrorCode(() => legacyToBatches(set))).toBe(CORRUPT_MESSAGE);
  });
});

describe('toLegacy', () => {
  function logOf(): Buffer {
    const plain = buildBatch(
      [
        { key: k('a'), value: k('1'), headers: [{ key: 'dropped', value: k('x') }], timestamp: 100 },
        { key: null, value: null, timestamp: 101 },
      ],
      { baseOffset: 40 },
    );
    const control = buildBatch([{ key: Buffer.from([0, 0, 0, 1]), value: Buffer.from([0, 0, 0, 0, 0, 5]) }], {
      baseOffset: 42,
      control: true,
      transactional: true,
      producerId: 7n,
    });
    const compressed = buildBatch(
      [
        { key: k('c'), value: k('3'), timestamp: 200 },
        { key: k('d'), value: k(''), timestamp: 205 },
      ],
      { baseOffset: 43, compression: Compression.ZSTD },
    );
    const appended = buildBatch([{ key: null, value: k('5'), timestamp: 1 }], { baseOffset: 45, timestampType: 1 });
    return Buffer.concat([plain, control, compressed, appended]);
  }

  it('writes a v1 set with absolute offsets, timestamps, and no control records', () => {
    const messages = decodeLegacy(toLegacy(logOf(), 1));
    const expected: LegacyMessage[] = [
      { offset: 40, magic: 1, timestamp: 100, timestampType: 0, key: k('a'), value: k('1') },
      { offset: 41, magic: 1, timestamp: 101, timestampType: 0, key: null, value: null },
      { offset: 43, magic: 1, timestamp: 200, timestampType: 0, key: k('c'), value: k('3') },
      { offset: 44, magic: 1, timestamp: 205, timestampType: 0, key: k('d'), value: k('') },
      { offset: 45, magic: 1, timestamp: 1, timestampType: 1, key: null, value: k('5') },
    ];
    expect(messages).toEqual(expected);
  });

  it('leaves out records of uncompressed batches before the fetch offset, as Kafka does', () => {
    expect(decodeLegacy(toLegacy(logOf(), 1, { fromOffset: 41 })).map((m) => m.offset)).toEqual([41, 43, 44, 45]);
    // A compressed batch stays whole: old clients read the wrapper and skip what they did not ask for.
    expect(decodeLegacy(toLegacy(logOf(), 1, { fromOffset: 44 })).map((m) => m.offset)).toEqual([43, 44, 45]);
  });

  it('writes a v0 set without timestamps', () => {
    const out = toLegacy(logOf(), 0);
    const messages = decodeLegacy(out);
    expect(messages.map((m) => [m.offset, m.magic, m.timestamp])).toEqual([
      [40, 0, -1],
      [41, 0, -1],
      [43, 0, -1],
      [44, 0, -1],
      [45, 0, -1],
    ]);
    // First entry byte for byte: offset 40, size 16, crc, magic 0, attributes 0, key "a", value "1".
    const body = Buffer.from('0000' + '0000000161' + '0000000131', 'hex');
    const head = Buffer.alloc(16);
    head.writeBigInt64BE(40n, 0);
    head.writeInt32BE(16, 8);
    head.writeUInt32BE(zlib.crc32(body), 12);
    expect(out.subarray(0, 28).toString('hex')).toBe(Buffer.concat([head, body]).toString('hex'));
  });

  it('round-trips legacy → v2 → legacy', () => {
    const original = wrapper(1, Compression.GZIP, 2, innerSet(1, [0, 1, 2], [7, 8, 9]));
    const batch = legacyToBatches(original);
    setBaseOffset(batch, 0, 1000);
    expect(readBatchHeader(batch).baseOffset).toBe(1000);
    const back = decodeLegacy(toLegacy(batch, 1));
    expect(back).toEqual(decodeLegacy(original).map((m) => ({ ...m, offset: m.offset + 1000 })));
  });

  it('converts legacy entries found in the input as well', () => {
    const set = innerSet(0, [5, 6]);
    expect(decodeLegacy(toLegacy(set, 1)).map((m) => [m.offset, m.magic, m.timestamp])).toEqual([
      [5, 1, -1],
      [6, 1, -1],
    ]);
  });

  it('returns an empty set for empty input and rejects a truncated one', () => {
    expect(toLegacy(Buffer.alloc(0), 1)).toHaveLength(0);
    const log = logOf();
    expect(kafkaErrorCode(() => toLegacy(log.subarray(0, log.length - 3), 1))).toBe(CORRUPT_MESSAGE);
  });
});
