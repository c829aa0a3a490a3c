// Cross-checks against kafkajs's own protocol encoders and decoders, an implementation written apart from ours.
import { ErrorCode } from '../../../protocol/errors';
import {
  Compression,
  buildBatch,
  decodeBatch,
  decodeLegacy,
  legacyToBatches,
  toLegacy,
  validateBatch,
} from '../../../protocol/records';
import { kafkaErrorCode } from './helpers';

const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0');
const Record = require('kafkajs/src/protocol/recordBatch/record/v0');
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder');
const MessageSet = require('kafkajs/src/protocol/messageSet');
const decodeMessageSet = require('kafkajs/src/protocol/messageSet/decoder');
const KafkajsDecoder = require('kafkajs/src/protocol/decoder');
const Long = require('kafkajs/src/utils/long');

interface KafkajsRecord {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | Buffer[]>;
}

async function kafkajsBatch(compression: number): Promise<Buffer> {
  const records = [
    Record({ offsetDelta: 0, timestampDelta: 0, key: Buffer.from('k0'), value: Buffer.from('v0'), headers: { h: Buffer.from('x') } }),
    Record({ offsetDelta: 1, timestampDelta: 7, key: null, value: Buffer.from('v1') }),
    Record({ offsetDelta: 2, timestampDelta: 3, key: Buffer.from('k2'), value: null }),
  ];
  const encoder = await RecordBatch({
    compression,
    firstOffset: Long.fromInt(50),
    firstTimestamp: 1_700_000_000_000,
    maxTimestamp: 1_700_000_000_007,
    lastOffsetDelta: 2,
    producerId: Long.fromInt(9),
    producerEpoch: 1,
    firstSequence: 4,
    records,
  });
  return encoder.buffer;
}

describe('kafkajs record batches', () => {
  it.each([
    ['uncompressed', Compression.NONE],
    ['gzip', Compression.GZIP],
  ])('validates and decodes a %s batch kafkajs produced', async (_name, codec) => {
    const batch = await kafkajsBatch(codec);
    validateBatch(batch, 0, batch.length);
    const { header, records } = decodeBatch(batch);
    expect(header).toMatchObject({ baseOffset: 50, producerId: 9n, producerEpoch: 1, baseSequence: 4, recordCount: 3 });
    expect(records).toEqual([
      { offset: 50, timestamp: 1_700_000_000_000, key: Buffer.from('k0'), value: Buffer.from('v0'), headers: [{ key: 'h', value: Buffer.from('x') }] },
      { offset: 51, timestamp: 1_700_000_000_007, key: null, value: Buffer.from('v1'), headers: [] },
      { offset: 52, timestamp: 1_700_000_000_003, key: Buffer.from('k2'), value: null, headers: [] },
    ]);
  });

  it('notices a kafkajs batch corrupted in flight', async () => {
    const batch = await kafkajsBatch(Compression.NONE);
    batch[batch.length - 2] ^= 0x10;
    expect(kafkaErrorCode(() => validateBatch(batch, 0, batch.length))).toBe(ErrorCode.CORRUPT_MESSAGE);
  });

  it.each([
    ['uncompressed', Compression.NONE],
    ['gzip', Compression.GZIP],
  ])('builds %s batches kafkajs decodes', async (_name, codec) => {
    const batch = buildBatch(
      [
        { key: Buffer.from('a'), value: Buffer.from('1'), headers: [{ key: 'h', value: Buffer.from('x') }], timestamp: 10 },
        { key: null, value: null, timestamp: 12 },
      ],
      { baseOffset: 77, compression: codec },
    );
    const decoded = await decodeRecordBatch(new KafkajsDecoder(batch));
    const records: KafkajsRecord[] = decoded.records;
    expect(records.map((r) => [r.offset, r.timestamp, r.key, r.value])).toEqual([
      ['77', '10', Buffer.from('a'), Buffer.from('1')],
      ['78', '12', null, null],
    ]);
    expect(records[0].headers).toEqual({ h: Buffer.from('x') });
  });
});

describe('kafkajs message sets', () => {
  it.each([0, 1])('converts a v%d message set kafkajs produced', (magic) => {
    const set: Buffer = MessageSet({
      messageVersion: magic,
      compression: 0,
      entries: [
        { key: Buffer.from('a'), value: Buffer.from('1'), timestamp: 5 },
        { key: null, value: Buffer.from('2'), timestamp: 6 },
      ],
    }).buffer;
    const { records } = decodeBatch(legacyToBatches(set));
    expect(records.map((r) => [r.offset, r.timestamp, r.key?.toString() ?? null, r.value?.toString()])).toEqual([
      [0, magic === 1 ? 5 : -1, 'a', '1'],
      [1, magic === 1 ? 6 : -1, null, '2'],
    ]);
    expect(decodeLegacy(set).map((m) => m.magic)).toEqual([magic, magic]);
  });

  it.each([0, 1] as const)('writes v%d message sets kafkajs decodes', async (magic) => {
    const batch = buildBatch(
      [
        { key: Buffer.from('a'), value: Buffer.from('1'), timestamp: 1000 },
        { key: null, value: null, timestamp: 1001 },
      ],
      { baseOffset: 300, compression: Compression.GZIP },
    );
    const set = toLegacy(batch, magic);
    const messages = await decodeMessageSet(new KafkajsDecoder(set), set.length);
    expect(messages.map((m: { offset: string; magicByte: number; key: Buffer | null; value: Buffer | null }) => [m.offset, m.magicByte, m.key, m.value])).toEqual([
      ['300', magic, Buffer.from('a'), Buffer.from('1')],
      ['301', magic, null, null],
    ]);
  });
});
