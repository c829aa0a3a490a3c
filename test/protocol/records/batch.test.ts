import { ErrorCode } from '../../../protocol/errors';
import {
  Compression,
  LOG_OVERHEAD,
  RECORD_BATCH_OVERHEAD,
  RecordInput,
  batchSizeAt,
  buildBatch,
  compressionOf,
  decodeBatch,
  forEachBatch,
  isControl,
  isTransactional,
  readBatchHeader,
  setBaseOffset,
  setLogAppendTime,
  setPartitionLeaderEpoch,
  timestampTypeOf,
  validateBatch,
} from '../../../protocol/records';
import { fixCrc, independentCrc32c, kafkaErrorCode } from './helpers';

const { CORRUPT_MESSAGE, INVALID_RECORD } = ErrorCode;

// Two records laid out by hand from the DefaultRecordBatch / DefaultRecord specification.
function goldenBatch(): Buffer {
  const record0 = [0x10, 0x00, 0x00, 0x00, 0x02, 0x6b, 0x02, 0x76, 0x00]; // key "k", value "v"
  // ts delta 10, offset delta 1, null key, null value, header "h" with an empty value.
  const record1 = [0x12, 0x00, 0x14, 0x02, 0x01, 0x01, 0x02, 0x02, 0x68, 0x00];
  const records = [...record0, ...record1];
  const afterCrc = Buffer.from([
    ...[0x00, 0x00], // attributes
    ...[0x00, 0x00, 0x00, 0x01], // lastOffsetDelta
    ...[0, 0, 0, 0, 0, 0, 0x03, 0xe8], // baseTimestamp 1000
    ...[0, 0, 0, 0, 0, 0, 0x03, 0xf2], // maxTimestamp 1010
    ...new Array(8).fill(0xff), // producerId -1
    ...[0xff, 0xff], // producerEpoch -1
    ...[0xff, 0xff, 0xff, 0xff], // baseSequence -1
    ...[0x00, 0x00, 0x00, 0x02], // recordCount
    ...records,
  ]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(independentCrc32c(afterCrc));
  const head = Buffer.from([
    ...[0, 0, 0, 0, 0, 0, 0, 0x05], // baseOffset 5
    ...[0x00, 0x00, 0x00, 0x44], // batchLength 68
    ...[0x00, 0x00, 0x00, 0x00], // partitionLeaderEpoch 0
    0x02, // magic
  ]);
  return Buffer.concat([head, crc, afterCrc]);
}

const goldenRecords: RecordInput[] = [
  { key: Buffer.from('k'), value: Buffer.from('v'), timestamp: 1000 },
  { key: null, value: null, headers: [{ key: 'h', value: Buffer.alloc(0) }], timestamp: 1010 },
];

function sampleRecords(n: number, start = 1_700_000_000_000): RecordInput[] {
  return Array.from({ length: n }, (_, i) => ({
    key: i % 4 === 0 ? null : Buffer.from(`key-${i}`),
    value: i % 7 === 3 ? null : Buffer.from(`value-${i}-${'x'.repeat(i % 40)}`),
    headers: i % 3 === 0 ? [] : [{ key: `hé-${i}`, value: i % 2 ? Buffer.from([i & 0xff]) : null }],
    timestamp: start + i * 3,
  }));
}

function expectRecordsMatch(decoded: ReturnType<typeof decodeBatch>, input: RecordInput[], baseOffset: number): void {
  expect(decoded.records).toHaveLength(input.length);
  decoded.records.forEach((r, i) => {
    expect(r.offset).toBe(baseOffset + i);
    expect(r.timestamp).toBe(input[i].timestamp);
    expect(r.key).toEqual(input[i].key);
    expect(r.value).toEqual(input[i].value);
    expect(r.headers).toEqual(input[i].headers ?? []);
  });
}

describe('golden bytes', () => {
  it('buildBatch writes exactly the hand-built layout', () => {
    const built = buildBatch(goldenRecords, { baseOffset: 5, partitionLeaderEpoch: 0 });
    expect(built.toString('hex')).toBe(goldenBatch().toString('hex'));
  });

  it('decodes the hand-built batch', () => {
    const golden = goldenBatch();
    validateBatch(golden, 0, golden.length);
    const { header, records } = decodeBatch(golden);
    expect(header).toEqual({
      baseOffset: 5,
      batchLength: 68,
      partitionLeaderEpoch: 0,
      magic: 2,
      crc: golden.readUInt32BE(17),
      attributes: 0,
      lastOffsetDelta: 1,
      baseTimestamp: 1000,
      maxTimestamp: 1010,
      producerId: -1n,
      producerEpoch: -1,
      baseSequence: -1,
      recordCount: 2,
    });
    expect(records).toEqual([
      { offset: 5, timestamp: 1000, key: Buffer.from('k'), value: Buffer.from('v'), headers: [] },
      { offset: 6, timestamp: 1010, key: null, value: null, headers: [{ key: 'h', value: Buffer.alloc(0) }] },
    ]);
  });
});

describe('header access', () => {
  it('reports sizes and rejects short headers', () => {
    const batch = goldenBatch();
    expect(LOG_OVERHEAD).toBe(12);
    expect(RECORD_BATCH_OVERHEAD).toBe(61);
    expect(batchSizeAt(batch, 0)).toBe(batch.length);
    expect(batchSizeAt(batch.subarray(0, 11), 0)).toBe(-1);
    expect(batchSizeAt(batch, batch.length - 11)).toBe(-1);
    expect(kafkaErrorCode(() => readBatchHeader(batch.subarray(0, 60)))).toBe(CORRUPT_MESSAGE);
    expect(readBatchHeader(Buffer.concat([Buffer.alloc(3), batch]), 3).baseOffset).toBe(5);
  });

  it('decodes the attribute bits', () => {
    const batch = buildBatch(sampleRecords(2), {
      compression: Compression.SNAPPY,
      timestampType: 1,
      transactional: true,
      control: true,
    });
    const { attributes } = readBatchHeader(batch);
    expect(attributes).toBe(0x02 | 0x08 | 0x10 | 0x20);
    expect(compressionOf(attributes)).toBe(Compression.SNAPPY);
    expect(timestampTypeOf(attributes)).toBe(1);
    expect(isTransactional(attributes)).toBe(true);
    expect(isControl(attributes)).toBe(true);
    expect(timestampTypeOf(0)).toBe(0);
    expect(isTransactional(0) || isControl(0)).toBe(false);
    expect(Compression).toEqual({ NONE: 0, GZIP: 1, SNAPPY: 2, LZ4: 3, ZSTD: 4 });
  });
});

describe('build and decode', () => {
  it.each(Object.entries(Compression))('round-trips records with %s', (_name, codec) => {
    const input = sampleRecords(300);
    const batch = buildBatch(input, { compression: codec, baseOffset: 1000 });
    validateBatch(batch, 0, batch.length);
    const decoded = decodeBatch(batch);
    expect(compressionOf(decoded.header.attributes)).toBe(codec);
    expect(decoded.header.lastOffsetDelta).toBe(299);
    expect(decoded.header.maxTimestamp).toBe(input[299].timestamp);
    expectRecordsMatch(decoded, input, 1000);
  });

  it('keeps empty and null values apart (tombstone is length -1)', () => {
    const batch = buildBatch([
      { key: Buffer.from('a'), value: null },
      { key: Buffer.from('b'), value: Buffer.alloc(0) },
    ]);
    const [tombstone, empty] = decodeBatch(batch).records;
    expect(tombstone.value).toBeNull();
    expect(empty.value).toEqual(Buffer.alloc(0));
    // The first record ends with value length -1 (zigzag 0x01) then zero headers.
    const firstRecordEnd = RECORD_BATCH_OVERHEAD + 1 + batch[RECORD_BATCH_OVERHEAD] / 2;
    expect([...batch.subarray(firstRecordEnd - 2, firstRecordEnd)]).toEqual([0x01, 0x00]);
  });

  it('writes producer fields and defaults', () => {
    const batch = buildBatch(sampleRecords(3), {
      producerId: 1234567890123n,
      producerEpoch: 7,
      baseSequence: 42,
      partitionLeaderEpoch: 9,
      baseTimestamp: 1_699_999_999_000,
    });
    const header = readBatchHeader(batch);
    expect(header).toMatchObject({
      producerId: 1234567890123n,
      producerEpoch: 7,
      baseSequence: 42,
      partitionLeaderEpoch: 9,
      baseTimestamp: 1_699_999_999_000,
      recordCount: 3,
    });
    const defaults = readBatchHeader(buildBatch([{ key: null, value: Buffer.from('x') }]));
    expect(defaults).toMatchObject({ producerId: -1n, producerEpoch: -1, baseSequence: -1, partitionLeaderEpoch: -1 });
  });

  it('carries timestamp deltas beyond int32 and negative ones', () => {
    const input: RecordInput[] = [
      { key: null, value: Buffer.from('a'), timestamp: 1_000_000 },
      { key: null, value: Buffer.from('b'), timestamp: 1_000_000 + 2 ** 40 },
      { key: null, value: Buffer.from('c'), timestamp: 1 },
    ];
    expectRecordsMatch(decodeBatch(buildBatch(input)), input, 0);
  });

  it('gives every record the batch maxTimestamp under LogAppendTime', () => {
    const batch = buildBatch(sampleRecords(3, 5000), { timestampType: 1 });
    expect(decodeBatch(batch).records.map((r) => r.timestamp)).toEqual([5006, 5006, 5006]);
  });

  it('decodes a batch at an offset inside a larger buffer', () => {
    const a = buildBatch(sampleRecords(2), { baseOffset: 0 });
    const b = buildBatch(sampleRecords(5), { baseOffset: 2, compression: Compression.LZ4 });
    const both = Buffer.concat([a, b]);
    expect(decodeBatch(both, a.length).records.map((r) => r.offset)).toEqual([2, 3, 4, 5, 6]);
  });

  it('rejects a compressed batch that inflates past the cap', () => {
    const batch = buildBatch([{ key: null, value: Buffer.alloc(1 << 20) }], { compression: Compression.GZIP });
    expect(batch.length).toBeLessThan(4096);
    expect(kafkaErrorCode(() => decodeBatch(batch, 0, { maxDecompressedBytes: 64 * 1024 }))).toBe(CORRUPT_MESSAGE);
    expect(decodeBatch(batch).records[0].value).toHaveLength(1 << 20);
  });
});

describe('decodeBatch on malformed records', () => {
  function withRecords(records: number[], count: number): Buffer {
    const batch = Buffer.concat([goldenBatch().subarray(0, RECORD_BATCH_OVERHEAD), Buffer.from(records)]);
    batch.writeInt32BE(batch.length - LOG_OVERHEAD, 8);
    batch.writeInt32BE(count, 57);
    batch.writeInt32BE(count - 1, 23);
    return fixCrc(batch);
  }

  it.each([
    ['record length past the end', [0x20, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00], 1],
    ['key length below -1', [0x0c, 0x00, 0x00, 0x00, 0x03, 0x01, 0x00], 1],
    ['key longer than the record', [0x0c, 0x00, 0x00, 0x00, 0x08, 0x01, 0x00], 1],
    ['fields shorter than the record length', [0x0e, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00], 1],
    ['negative header count', [0x0c, 0x00, 0x00, 0x00, 0x01, 0x01, 0x01], 1],
    ['null header key', [0x10, 0x00, 0x00, 0x00, 0x01, 0x01, 0x02, 0x01, 0x01], 1],
    ['more records declared than present', [0x0c, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00], 2],
    ['huge record count', [0x0c, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00], 0x7fffffff],
    ['bytes after the last record', [0x0c, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00], 1],
    ['unterminated varint', [0x0c, 0x00, 0x80, 0x80, 0x80, 0x80, 0x80], 1],
    ['negative record count', [], -1],
  ])('rejects %s', (_what, records, count) => {
    expect(kafkaErrorCode(() => decodeBatch(withRecords(records, count)))).toBe(CORRUPT_MESSAGE);
  });

  it('accepts the well-formed minimal record used above', () => {
    const { records } = decodeBatch(withRecords([0x0c, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00], 1));
    expect(records[0]).toMatchObject({ key: null, value: null, headers: [] });
  });

  it('rejects a batch that does not fit the buffer', () => {
    const batch = goldenBatch();
    expect(kafkaErrorCode(() => decodeBatch(batch.subarray(0, batch.length - 1)))).toBe(CORRUPT_MESSAGE);
    expect(kafkaErrorCode(() => decodeBatch(batch.subarray(0, 20)))).toBe(CORRUPT_MESSAGE);
  });
});

describe('validateBatch', () => {
  it('accepts built batches of every codec', () => {
    for (const codec of Object.values(Compression)) {
      const batch = buildBatch(sampleRecords(10), { compression: codec });
      expect(() => validateBatch(batch, 0, batch.length)).not.toThrow();
    }
  });

  it('rejects any single-bit flip inside the CRC-covered range, and the magic byte', () => {
    const batch = buildBatch(sampleRecords(4), { compression: Compression.GZIP });
    for (let byte = 16; byte < batch.length; byte++) {
      for (let bit = 0; bit < 8; bit++) {
        const copy = Buffer.from(batch);
        copy[byte] ^= 1 << bit;
        expect(kafkaErrorCode(() => validateBatch(copy, 0, copy.length))).toBe(CORRUPT_MESSAGE);
      }
    }
  });

  it('ignores the fields outside the CRC', () => {
    const batch = buildBatch(sampleRecords(4));
    setBaseOffset(batch, 0, 123456789012);
    setPartitionLeaderEpoch(batch, 0, 77);
    validateBatch(batch, 0, batch.length);
    const { header, records } = decodeBatch(batch);
    expect(header.partitionLeaderEpoch).toBe(77);
    expect(records.map((r) => r.offset)).toEqual([123456789012, 123456789013, 123456789014, 123456789015]);
  });

  it('rejects truncation and a length that disagrees with the size', () => {
    const batch = buildBatch(sampleRecords(4));
    expect(kafkaErrorCode(() => validateBatch(batch, 0, batch.length - 1))).toBe(CORRUPT_MESSAGE);
    expect(kafkaErrorCode(() => validateBatch(batch.subarray(0, batch.length - 1), 0, batch.length))).toBe(
      CORRUPT_MESSAGE,
    );
    expect(kafkaErrorCode(() => validateBatch(batch, 0, 60))).toBe(CORRUPT_MESSAGE);
    const longer = Buffer.concat([batch, Buffer.alloc(4)]);
    expect(kafkaErrorCode(() => validateBatch(longer, 0, longer.length))).toBe(CORRUPT_MESSAGE);
  });

  it('rejects a lastOffsetDelta that disagrees with the record count', () => {
    const batch = buildBatch(sampleRecords(4));
    batch.writeInt32BE(5, 23);
    expect(kafkaErrorCode(() => validateBatch(fixCrc(batch), 0, batch.length))).toBe(INVALID_RECORD);
  });

  it('rejects empty and negative record counts', () => {
    const batch = buildBatch(sampleRecords(1));
    batch.writeInt32BE(0, 57);
    batch.writeInt32BE(-1, 23);
    expect(kafkaErrorCode(() => validateBatch(fixCrc(batch), 0, batch.length))).toBe(INVALID_RECORD);
    batch.writeInt32BE(-5, 57);
    expect(kafkaErrorCode(() => validateBatch(fixCrc(batch), 0, batch.length))).toBe(INVALID_RECORD);
  });

  it('rejects an uncompressed batch claiming more records than its bytes can hold', () => {
    const batch = buildBatch(sampleRecords(1));
    batch.writeInt32BE(1000, 57);
    batch.writeInt32BE(999, 23);
    expect(kafkaErrorCode(() => validateBatch(fixCrc(batch), 0, batch.length))).toBe(CORRUPT_MESSAGE);
  });

  it('validates a batch at an offset inside a larger buffer', () => {
    const a = buildBatch(sampleRecords(2));
    const b = buildBatch(sampleRecords(3), { compression: Compression.ZSTD });
    const both = Buffer.concat([a, b]);
    validateBatch(both, a.length, b.length);
    both[both.length - 1] ^= 1;
    expect(kafkaErrorCode(() => validateBatch(both, a.length, b.length))).toBe(CORRUPT_MESSAGE);
  });
});

describe('setLogAppendTime', () => {
  it('sets the type bit and maxTimestamp and keeps the CRC valid', () => {
    for (const codec of [Compression.NONE, Compression.SNAPPY]) {
      const batch = buildBatch(sampleRecords(3, 1000), { compression: codec });
      setLogAppendTime(batch, 0, 1_800_000_000_000);
      validateBatch(batch, 0, batch.length);
      expect(batch.readUInt32BE(17)).toBe(independentCrc32c(batch.subarray(21)));
      const { header, records } = decodeBatch(batch);
      expect(timestampTypeOf(header.attributes)).toBe(1);
      expect(compressionOf(header.attributes)).toBe(codec);
      expect(header.maxTimestamp).toBe(1_800_000_000_000);
      expect(records.every((r) => r.timestamp === 1_800_000_000_000)).toBe(true);
    }
  });

  it('works on a batch inside a larger buffer', () => {
    const a = buildBatch(sampleRecords(2));
    const b = buildBatch(sampleRecords(2));
    const both = Buffer.concat([a, b]);
    setLogAppendTime(both, a.length, 42);
    validateBatch(both, 0, a.length);
    validateBatch(both, a.length, b.length);
    expect(readBatchHeader(both, 0).maxTimestamp).not.toBe(42);
    expect(readBatchHeader(both, a.length).maxTimestamp).toBe(42);
  });
});

describe('forEachBatch', () => {
  const legacyV0 = Buffer.from('000000000000000000000000000e0000000000000001ffffffff', 'hex');

  it('walks consecutive batches and reports positions, sizes and magic', () => {
    const a = buildBatch(sampleRecords(2));
    const b = buildBatch(sampleRecords(3), { compression: Compression.GZIP });
    const legacy = Buffer.from(legacyV0);
    legacy.writeInt32BE(14, 8);
    const seen: Array<[number, number, number]> = [];
    forEachBatch(Buffer.concat([a, b, legacy]), (pos, size, magic) => seen.push([pos, size, magic]));
    expect(seen).toEqual([
      [0, a.length, 2],
      [a.length, b.length, 2],
      [a.length + b.length, 26, 0],
    ]);
  });

  it('does nothing on an empty buffer', () => {
    const fn = jest.fn();
    forEachBatch(Buffer.alloc(0), fn);
    expect(fn).not.toHaveBeenCalled();
  });

  it('rejects truncated entries and garbage', () => {
    const a = buildBatch(sampleRecords(2));
    const noop = () => undefined;
    expect(kafkaErrorCode(() => forEachBatch(Buffer.concat([a, a.subarray(0, 30)]), noop))).toBe(CORRUPT_MESSAGE);
    expect(kafkaErrorCode(() => forEachBatch(Buffer.concat([a, a.subarray(0, 5)]), noop))).toBe(CORRUPT_MESSAGE);
    expect(kafkaErrorCode(() => forEachBatch(a.subarray(0, a.length - 1), noop))).toBe(CORRUPT_MESSAGE);
    const badMagic = Buffer.from(a);
    badMagic[16] = 7;
    expect(kafkaErrorCode(() => forEachBatch(badMagic, noop))).toBe(CORRUPT_MESSAGE);
    const tiny = Buffer.from(a);
    tiny.writeInt32BE(10, 8);
    expect(kafkaErrorCode(() => forEachBatch(tiny, noop))).toBe(CORRUPT_MESSAGE);
    const negative = Buffer.from(a);
    negative.writeInt32BE(-12, 8);
    expect(kafkaErrorCode(() => forEachBatch(negative, noop))).toBe(CORRUPT_MESSAGE);
  });
});
