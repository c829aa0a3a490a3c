// Zstandard through a native binding. The binding decodes to the end of the stream with no output cap,
// so the frame and block headers are walked first to bound the output size before decoding anything.
import { Decoder, Encoder } from '@toondepauw/node-zstd';
import { ErrorCode, KafkaError } from '../errors';

const FRAME_MAGIC = 0xfd2fb528;
const SKIPPABLE_MAGIC_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const MAX_BLOCK_SIZE = 128 * 1024;
// Window sizes need no check here: the decoder refuses windows above 128 MiB (zstd windowLogMax 27).
// Kafka's default compression.zstd.level.
const LEVEL = 3;

const BLOCK_RAW = 0;
const BLOCK_RLE = 1;
const BLOCK_COMPRESSED = 2;

let encoder: Encoder | undefined;
let decoder: Decoder | undefined;

function corrupt(message: string): KafkaError {
  return new KafkaError(ErrorCode.CORRUPT_MESSAGE, `zstd: ${message}`);
}

export function compressZstd(data: Buffer): Buffer {
  encoder ??= new Encoder(LEVEL);
  return encoder.encodeSync(data);
}

function need(data: Buffer, pos: number, n: number): void {
  if (data.length - pos < n) throw corrupt('truncated frame');
}

const DICT_ID_SIZES = [0, 1, 2, 4];
const CONTENT_SIZE_SIZES = [0, 2, 4, 8];

function readContentSize(data: Buffer, pos: number, size: number): number {
  switch (size) {
    case 1:
      return data[pos];
    case 2:
      return data.readUInt16LE(pos) + 256;
    case 4:
      return data.readUInt32LE(pos);
    default:
      return Number(data.readBigUInt64LE(pos));
  }
}

/** Upper bound of one frame's decompressed size (as zstd's ZSTD_decompressBound); returns [bound, frame end]. */
function frameBound(data: Buffer, pos: number): [number, number] {
  need(data, pos, 1);
  const descriptor = data[pos++];
  if (descriptor & 0x08) throw corrupt('reserved frame header bit set');
  const singleSegment = (descriptor & 0x20) !== 0;
  const contentSizeFlag = descriptor >>> 6;
  let windowSize = 0;
  if (!singleSegment) {
    need(data, pos, 1);
    const windowDescriptor = data[pos++];
    const windowBase = 2 ** (10 + (windowDescriptor >>> 3));
    windowSize = windowBase + (windowBase / 8) * (windowDescriptor & 0x07);
  }
  pos += DICT_ID_SIZES[descriptor & 0x03];
  const contentSizeSize = contentSizeFlag === 0 ? (singleSegment ? 1 : 0) : CONTENT_SIZE_SIZES[contentSizeFlag];
  need(data, pos, contentSizeSize);
  const contentSize = contentSizeSize === 0 ? -1 : readContentSize(data, pos, contentSizeSize);
  pos += contentSizeSize;
  const blockLimit = Math.min(singleSegment ? contentSize : windowSize, MAX_BLOCK_SIZE);

  let bound = 0;
  for (;;) {
    need(data, pos, 3);
    const blockHeader = data[pos] | (data[pos + 1] << 8) | (data[pos + 2] << 16);
    pos += 3;
    const type = (blockHeader >>> 1) & 0x03;
    const size = blockHeader >>> 3;
    if (type === BLOCK_RAW) {
      bound += size;
      pos += size;
    } else if (type === BLOCK_RLE) {
      bound += size;
      pos += 1;
    } else if (type === BLOCK_COMPRESSED) {
      bound += blockLimit;
      pos += size;
    } else {
      throw corrupt('reserved block type');
    }
    if (pos > data.length) throw corrupt('block runs past the input');
    if (blockHeader & 1) break;
  }
  if (descriptor & 0x04) pos += 4;
  if (pos > data.length) throw corrupt('truncated content checksum');
  return [contentSize >= 0 ? Math.min(bound, contentSize) : bound, pos];
}

function decompressedBound(data: Buffer): number {
  let total = 0;
  let pos = 0;
  do {
    need(data, pos, 4);
    const magic = data.readUInt32LE(pos);
    pos += 4;
    if (((magic & SKIPPABLE_MAGIC_MASK) >>> 0) === SKIPPABLE_MAGIC) {
      need(data, pos, 4);
      pos += 4 + data.readUInt32LE(pos);
      if (pos > data.length) throw corrupt('skippable frame runs past the input');
      continue;
    }
    if (magic !== FRAME_MAGIC) throw corrupt('missing frame magic');
    const [bound, end] = frameBound(data, pos);
    total += bound;
    pos = end;
  } while (pos < data.length);
  return total;
}

export function decompressZstd(data: Buffer, maxBytes: number): Buffer {
  const bound = decompressedBound(data);
  if (bound > maxBytes) throw corrupt(`output of up to ${bound} bytes exceeds the decompression limit`);
  decoder ??= new Decoder();
  try {
    return decoder.decodeSync(data);
  } catch (e) {
    throw corrupt((e as Error).message);
  }
}
