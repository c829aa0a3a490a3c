import { randomBytes } from 'crypto';
import * as zlib from 'zlib';
import { compressSync as snappyRaw, uncompressSync as snappyRawUncompress } from 'snappy';
import { ErrorCode } from '../../../protocol/errors';
import { Compression, buildBatch, compress, decodeBatch, decompress } from '../../../protocol/records';
import { xxhash32 } from '../../../protocol/records/xxhash32';
import { fixCrc, kafkaErrorCode } from './helpers';

const { CORRUPT_MESSAGE, UNSUPPORTED_COMPRESSION_TYPE } = ErrorCode;
const KIB = 1024;
const MIB = 1024 * KIB;

function textBytes(size: number): Buffer {
  const words = ['kafka', 'broker', 'record', 'batch', 'offset', 'partition', 'topic', 'leader'];
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const word = `${words[(i * 7) % words.length]}-${i % 1000} `;
    parts.push(word);
    length += word.length;
  }
  return Buffer.from(parts.join('')).subarray(0, size);
}

// Buffer.equals instead of toEqual: jest compares large buffers element by element, which takes seconds.
function expectSameBytes(actual: Buffer, expected: Buffer): void {
  expect(actual.length).toBe(expected.length);
  expect(actual.equals(expected)).toBe(true);
}

const SAMPLES: Record<string, Buffer> = {
  empty: Buffer.alloc(0),
  'one byte': Buffer.from([7]),
  'short text': Buffer.from('hello hello hello hello'),
  'random 100 KiB': randomBytes(100 * KIB),
  'text 1 MiB': textBytes(MIB),
  'zeros 300 KiB': Buffer.alloc(300 * KIB),
  'mixed 200 KiB': Buffer.concat([randomBytes(70 * KIB), textBytes(70 * KIB), Buffer.alloc(60 * KIB, 0x41)]),
};

describe.each(Object.entries(Compression).filter(([, codec]) => codec !== Compression.NONE))(
  'codec %s',
  (_name, codec) => {
    it.each(Object.entries(SAMPLES))('round-trips %s', (_sample, data) => {
      const packed = compress(codec, data);
      expectSameBytes(decompress(codec, packed), data);
    });

    it('caps decompressed output', () => {
      const packed = compress(codec, Buffer.alloc(2 * MIB, 0x61));
      expect(packed.length).toBeLessThan(256 * KIB);
      expect(kafkaErrorCode(() => decompress(codec, packed, MIB))).toBe(CORRUPT_MESSAGE);
      expect(decompress(codec, packed, 2 * MIB)).toHaveLength(2 * MIB);
    });

    it('rejects garbage', () => {
      expect(kafkaErrorCode(() => decompress(codec, Buffer.from('definitely not compressed data')))).toBe(
        CORRUPT_MESSAGE,
      );
    });

    it('rejects truncated input', () => {
      const packed = compress(codec, textBytes(64 * KIB));
      expect(kafkaErrorCode(() => decompress(codec, packed.subarray(0, packed.length - 5)))).toBe(CORRUPT_MESSAGE);
    });
  },
);

describe('codec selection', () => {
  it('passes data through for NONE', () => {
    const data = Buffer.from('plain');
    expect(compress(Compression.NONE, data)).toBe(data);
    expect(decompress(Compression.NONE, data)).toBe(data);
  });

  it.each([5, 6, 7, -1])('rejects unknown codec %d', (codec) => {
    expect(kafkaErrorCode(() => compress(codec, Buffer.from('x')))).toBe(UNSUPPORTED_COMPRESSION_TYPE);
    expect(kafkaErrorCode(() => decompress(codec, Buffer.from('x')))).toBe(UNSUPPORTED_COMPRESSION_TYPE);
  });

  it('rejects a batch whose attributes name an unknown codec', () => {
    const batch = buildBatch([{ key: null, value: Buffer.from('x') }]);
    batch.writeInt16BE(6, 21);
    expect(kafkaErrorCode(() => decodeBatch(fixCrc(batch)))).toBe(UNSUPPORTED_COMPRESSION_TYPE);
  });
});

describe('gzip', () => {
  it('writes a standard gzip stream and reads concatenated members', () => {
    const data = textBytes(10 * KIB);
    expectSameBytes(zlib.gunzipSync(compress(Compression.GZIP, data)), data);
    const twoMembers = Buffer.concat([zlib.gzipSync(data.subarray(0, 100)), zlib.gzipSync(data.subarray(100))]);
    expectSameBytes(decompress(Compression.GZIP, twoMembers), data);
  });
});

describe('snappy framing', () => {
  const XERIAL_HEADER = '82534e4150505900' + '00000001' + '00000001';

  function xerialChunks(framed: Buffer): Buffer[] {
    const chunks: Buffer[] = [];
    for (let pos = 16; pos < framed.length; ) {
      const length = framed.readInt32BE(pos);
      chunks.push(framed.subarray(pos + 4, pos + 4 + length));
      pos += 4 + length;
    }
    return chunks;
  }

  it('writes the xerial header and 32 KiB blocks like SnappyOutputStream', () => {
    const data = textBytes(100 * KIB);
    const framed = compress(Compression.SNAPPY, data);
    expect(framed.subarray(0, 16).toString('hex')).toBe(XERIAL_HEADER);
    const blocks = xerialChunks(framed).map((chunk) => snappyRawUncompress(chunk) as Buffer);
    expect(blocks.map((b) => b.length)).toEqual([32 * KIB, 32 * KIB, 32 * KIB, 4 * KIB]);
    expectSameBytes(Buffer.concat(blocks), data);
  });

  it('reads raw snappy as librdkafka writes it', () => {
    const data = textBytes(50 * KIB);
    expectSameBytes(decompress(Compression.SNAPPY, snappyRaw(data)), data);
  });

  it('reads hand-framed xerial input and concatenated streams', () => {
    const header = Buffer.from(XERIAL_HEADER, 'hex');
    const frame = (data: Buffer): Buffer => {
      const block = snappyRaw(data);
      const length = Buffer.alloc(4);
      length.writeInt32BE(block.length);
      return Buffer.concat([header, length, block]);
    };
    const a = Buffer.from('first stream ');
    const b = Buffer.from('second stream');
    expect(decompress(Compression.SNAPPY, frame(a))).toEqual(a);
    expect(decompress(Compression.SNAPPY, Buffer.concat([frame(a), frame(b)]))).toEqual(Buffer.concat([a, b]));
  });

  it('reads an empty stream as empty', () => {
    expect(decompress(Compression.SNAPPY, Buffer.alloc(0))).toHaveLength(0);
  });

  it('refuses a raw block whose preamble claims more than the cap, before decoding it', () => {
    // Preamble 0xffffffff (4 GiB) followed by a few bytes.
    const bomb = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0x61]);
    expect(kafkaErrorCode(() => decompress(Compression.SNAPPY, bomb))).toBe(CORRUPT_MESSAGE);
  });

  it('rejects a chunk length past the input', () => {
    const framed = compress(Compression.SNAPPY, textBytes(KIB));
    framed.writeInt32BE(framed.length, 16);
    expect(kafkaErrorCode(() => decompress(Compression.SNAPPY, framed))).toBe(CORRUPT_MESSAGE);
  });
});

describe('Kafka LZ4 frame', () => {
  const MAGIC = [0x04, 0x22, 0x4d, 0x18];
  const TEXT = 'kafka kafka kafka kafka kafka kafka kafka!';

  function frame(flg: number, bd: number, hc: number, body: number[]): Buffer {
    return Buffer.from([...MAGIC, flg, bd, hc, ...body]);
  }

  function storedBlock(data: Buffer): number[] {
    const size = Buffer.alloc(4);
    size.writeUInt32LE((0x80000000 | data.length) >>> 0);
    return [...size, ...data];
  }

  const END = [0, 0, 0, 0];

  it('writes magic, FLG 0x60, BD 0x40 and HC 0x82, and ends with a zero mark', () => {
    const packed = compress(Compression.LZ4, Buffer.from(TEXT));
    expect(packed.subarray(0, 7).toString('hex')).toBe('04224d18604082');
    expect(packed.subarray(packed.length - 4).toString('hex')).toBe('00000000');
  });

  it('stores incompressible 64 KiB blocks with the high bit set', () => {
    const data = randomBytes(70 * KIB);
    const packed = compress(Compression.LZ4, data);
    expect(packed.readUInt32LE(7)).toBe((0x80000000 | (64 * KIB)) >>> 0);
    expectSameBytes(packed.subarray(11, 11 + 64 * KIB), data.subarray(0, 64 * KIB));
  });

  it('accepts the correct header checksum and the broken magic-v0 one', () => {
    const body = [...storedBlock(Buffer.from(TEXT)), ...END];
    expect(decompress(Compression.LZ4, frame(0x60, 0x40, 0x82, body)).toString()).toBe(TEXT);
    const broken = (xxhash32(Buffer.from([...MAGIC, 0x60, 0x40])) >>> 8) & 0xff;
    expect(broken).toBe(0x1a);
    expect(decompress(Compression.LZ4, frame(0x60, 0x40, broken, body)).toString()).toBe(TEXT);
    expect(kafkaErrorCode(() => decompress(Compression.LZ4, frame(0x60, 0x40, 0x83, body)))).toBe(CORRUPT_MESSAGE);
  });

  it('decodes a hand-built compressed block with an overlapping match', () => {
    // Token 0x44: 4 literals "abcd", match length 4+4 at distance 4; then token 0x10 with literal "!".
    const block = [0x44, 0x61, 0x62, 0x63, 0x64, 0x04, 0x00, 0x10, 0x21];
    const body = [block.length, 0, 0, 0, ...block, ...END];
    expect(decompress(Compression.LZ4, frame(0x60, 0x40, 0x82, body)).toString()).toBe('abcdabcdabcd!');
  });

  it('reads frames from the reference lz4 tool, with content and block checksums', () => {
    const plain = Buffer.from(
      '04224d186440a7100000006f6b61666b612006000c5061666b61210000000061ba8f11',
      'hex',
    );
    expect(decompress(Compression.LZ4, plain).toString()).toBe(TEXT);
    const blockChecksums = Buffer.from(
      '04224d187440bd100000006f6b61666b612006000c5061666b61215433f7930000000061ba8f11',
      'hex',
    );
    expect(decompress(Compression.LZ4, blockChecksums).toString()).toBe(TEXT);
    const badBlockChecksum = Buffer.from(blockChecksums);
    badBlockChecksum[28] ^= 1;
    expect(kafkaErrorCode(() => decompress(Compression.LZ4, badBlockChecksum))).toBe(CORRUPT_MESSAGE);
    const badContentChecksum = Buffer.from(plain);
    badContentChecksum[badContentChecksum.length - 1] ^= 1;
    expect(kafkaErrorCode(() => decompress(Compression.LZ4, badContentChecksum))).toBe(CORRUPT_MESSAGE);
  });

  it('skips an optional content size field', () => {
    const descriptor = Buffer.from([0x68, 0x40, ...[TEXT.length, 0, 0, 0, 0, 0, 0, 0]]);
    const hc = (xxhash32(descriptor) >>> 8) & 0xff;
    const packed = Buffer.from([...MAGIC, ...descriptor, hc, ...storedBlock(Buffer.from(TEXT)), ...END]);
    expect(decompress(Compression.LZ4, packed).toString()).toBe(TEXT);
  });

  it('rejects dependent blocks, bad versions, reserved bits and oversized blocks', () => {
    const body = [...storedBlock(Buffer.from(TEXT)), ...END];
    const withHc = (flg: number, bd: number): Buffer =>
      frame(flg, bd, (xxhash32(Buffer.from([flg, bd])) >>> 8) & 0xff, body);
    expect(decompress(Compression.LZ4, withHc(0x60, 0x40)).toString()).toBe(TEXT);
    for (const [flg, bd] of [
      [0x40, 0x40], // block independence cleared
      [0xa0, 0x40], // version 2
      [0x61, 0x40], // reserved FLG bit
      [0x60, 0x41], // reserved BD bit
      [0x60, 0x30], // block size id 3
    ]) {
      expect(kafkaErrorCode(() => decompress(Compression.LZ4, withHc(flg, bd)))).toBe(CORRUPT_MESSAGE);
    }
    const oversized = Buffer.from([...MAGIC, 0x60, 0x40, 0x82, 0x01, 0x00, 0x01, 0x80, ...new Array(65537).fill(0)]);
    expect(kafkaErrorCode(() => decompress(Compression.LZ4, oversized))).toBe(CORRUPT_MESSAGE);
  });

  it('rejects a missing end mark and matches reaching before the block', () => {
    expect(
      kafkaErrorCode(() => decompress(Compression.LZ4, frame(0x60, 0x40, 0x82, storedBlock(Buffer.from(TEXT))))),
    ).toBe(CORRUPT_MESSAGE);
    const block = [0x14, 0x61, 0x05, 0x00, 0x10, 0x21];
    const body = [block.length, 0, 0, 0, ...block, ...END];
    expect(kafkaErrorCode(() => decompress(Compression.LZ4, frame(0x60, 0x40, 0x82, body)))).toBe(CORRUPT_MESSAGE);
  });
});

describe('zstd', () => {
  it('reads a streaming frame from the reference zstd tool (no content size)', () => {
    const packed = Buffer.from('28b52ffd04586d0000386b61666b6120210100429622293862e7', 'hex');
    expect(decompress(Compression.ZSTD, packed).toString()).toBe('kafka kafka kafka kafka kafka kafka kafka!');
  });

  // A frame with no content size, a 128 KiB window and `blocks` RLE blocks of 128 KiB each.
  function rleBomb(blocks: number): Buffer {
    const parts = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38])];
    for (let i = 0; i < blocks; i++) {
      const header = ((128 * KIB) << 3) | (1 << 1) | (i === blocks - 1 ? 1 : 0);
      parts.push(Buffer.from([header & 0xff, (header >>> 8) & 0xff, (header >>> 16) & 0xff, 0x5a]));
    }
    return Buffer.concat(parts);
  }

  it('bounds frames without a content size by walking their blocks', () => {
    const bomb = rleBomb(100);
    expect(bomb.length).toBe(406);
    expect(kafkaErrorCode(() => decompress(Compression.ZSTD, bomb, 12 * MIB))).toBe(CORRUPT_MESSAGE);
    const out = decompress(Compression.ZSTD, bomb, 13 * MIB);
    expect(out.length).toBe(100 * 128 * KIB);
    expect(out.every((b) => b === 0x5a)).toBe(true);
  });

  it('bounds frames by their declared content size', () => {
    const packed = compress(Compression.ZSTD, Buffer.alloc(3 * MIB));
    expect(kafkaErrorCode(() => decompress(Compression.ZSTD, packed, 3 * MIB - 1))).toBe(CORRUPT_MESSAGE);
    expect(decompress(Compression.ZSTD, packed, 3 * MIB)).toHaveLength(3 * MIB);
  });

  it('skips skippable frames and reads concatenated frames', () => {
    const skippable = Buffer.from([0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3]);
    const a = compress(Compression.ZSTD, Buffer.from('abc'));
    const b = compress(Compression.ZSTD, Buffer.from('def'));
    expect(decompress(Compression.ZSTD, Buffer.concat([skippable, a, b])).toString()).toBe('abcdef');
  });

  it('rejects reserved block types and truncated frames', () => {
    const reserved = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38, 0x07, 0x00, 0x00]);
    expect(kafkaErrorCode(() => decompress(Compression.ZSTD, reserved))).toBe(CORRUPT_MESSAGE);
    expect(kafkaErrorCode(() => decompress(Compression.ZSTD, rleBomb(3).subarray(0, 12)))).toBe(CORRUPT_MESSAGE);
    expect(kafkaErrorCode(() => decompress(Compression.ZSTD, Buffer.alloc(0)))).toBe(CORRUPT_MESSAGE);
  });
});
