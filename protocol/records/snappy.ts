// Snappy as Kafka carries it. Java clients write snappy-java's "xerial" stream framing; librdkafka writes
// one raw snappy block. Reading accepts both; writing uses the xerial framing Java consumers expect.
import { compressSync, uncompressSync } from 'snappy';
import { VarintError, readUVarint } from '../codec/varint';
import { ErrorCode, KafkaError } from '../errors';

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_SIZE = 16;
const XERIAL_VERSION = 1;
const XERIAL_COMPATIBLE_VERSION = 1;
// snappy-java's SnappyOutputStream default block size.
const XERIAL_BLOCK_SIZE = 32 * 1024;

function corrupt(message: string): KafkaError {
  return new KafkaError(ErrorCode.CORRUPT_MESSAGE, `snappy: ${message}`);
}

function xerialHeader(): Buffer {
  const header = Buffer.alloc(XERIAL_HEADER_SIZE);
  XERIAL_MAGIC.copy(header, 0);
  header.writeInt32BE(XERIAL_VERSION, 8);
  header.writeInt32BE(XERIAL_COMPATIBLE_VERSION, 12);
  return header;
}

export function compressSnappy(data: Buffer): Buffer {
  const parts: Buffer[] = [xerialHeader()];
  for (let pos = 0; pos < data.length; pos += XERIAL_BLOCK_SIZE) {
    const block = compressSync(data.subarray(pos, pos + XERIAL_BLOCK_SIZE));
    const length = Buffer.allocUnsafe(4);
    length.writeInt32BE(block.length, 0);
    parts.push(length, block);
  }
  return Buffer.concat(parts);
}

function hasXerialMagic(data: Buffer, pos: number): boolean {
  return data.length - pos >= XERIAL_HEADER_SIZE && data.compare(XERIAL_MAGIC, 0, 8, pos, pos + 8) === 0;
}

/** One raw snappy block; its varint preamble (the uncompressed size) is checked before anything is allocated. */
function uncompressBlock(block: Buffer, budget: number): Buffer {
  let declared: number;
  try {
    declared = readUVarint({ buf: block, pos: 0 });
  } catch (e) {
    if (e instanceof VarintError) throw corrupt(`bad block preamble: ${e.message}`);
    throw e;
  }
  if (declared > budget) throw corrupt(`block of ${declared} bytes exceeds the decompression limit`);
  try {
    return uncompressSync(block) as Buffer;
  } catch (e) {
    throw corrupt((e as Error).message);
  }
}

export function decompressSnappy(data: Buffer, maxBytes: number): Buffer {
  // SnappyInputStream reads an empty stream as empty, and SnappyOutputStream writes nothing for no input.
  if (data.length === 0) return data;
  if (!hasXerialMagic(data, 0)) return uncompressBlock(data, maxBytes);
  const parts: Buffer[] = [];
  let total = 0;
  let pos = XERIAL_HEADER_SIZE;
  while (pos < data.length) {
    // snappy-java tolerates concatenated streams: a header may reappear at a chunk boundary.
    if (hasXerialMagic(data, pos)) {
      pos += XERIAL_HEADER_SIZE;
      continue;
    }
    if (data.length - pos < 4) throw corrupt('truncated chunk length');
    const length = data.readInt32BE(pos);
    pos += 4;
    if (length < 0 || length > data.length - pos) throw corrupt(`chunk length ${length} runs past the input`);
    const block = uncompressBlock(data.subarray(pos, pos + length), maxBytes - total);
    pos += length;
    total += block.length;
    parts.push(block);
  }
  return Buffer.concat(parts, total);
}
