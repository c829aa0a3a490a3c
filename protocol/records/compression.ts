// Record compression codecs by their batch attribute number. Decompression is capped: input sizes come
// from the network, and a tiny compressed section may claim gigabytes.
import * as zlib from 'zlib';
import { ErrorCode, KafkaError } from '../errors';
import { compressLz4Frame, decompressLz4Frame } from './lz4';
import { compressSnappy, decompressSnappy } from './snappy';
import { compressZstd, decompressZstd } from './zstd';

export const Compression = { NONE: 0, GZIP: 1, SNAPPY: 2, LZ4: 3, ZSTD: 4 } as const;

export const DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

function unsupported(codec: number): KafkaError {
  return new KafkaError(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, `unknown compression codec ${codec}`);
}

export function compress(codec: number, data: Buffer): Buffer {
  switch (codec) {
    case Compression.NONE:
      return data;
    case Compression.GZIP:
      return zlib.gzipSync(data);
    case Compression.SNAPPY:
      return compressSnappy(data);
    case Compression.LZ4:
      return compressLz4Frame(data);
    case Compression.ZSTD:
      return compressZstd(data);
    default:
      throw unsupported(codec);
  }
}

function gunzipBounded(data: Buffer, maxBytes: number): Buffer {
  try {
    return zlib.gunzipSync(data, { maxOutputLength: maxBytes });
  } catch (e) {
    throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, `gzip: ${(e as Error).message}`);
  }
}

/** Decompresses `data`; output beyond `maxBytes` or malformed input throws KafkaError CORRUPT_MESSAGE. */
export function decompress(codec: number, data: Buffer, maxBytes = DEFAULT_MAX_DECOMPRESSED_BYTES): Buffer {
  switch (codec) {
    case Compression.NONE:
      return data;
    case Compression.GZIP:
      return gunzipBounded(data, maxBytes);
    case Compression.SNAPPY:
      return decompressSnappy(data, maxBytes);
    case Compression.LZ4:
      return decompressLz4Frame(data, maxBytes);
    case Compression.ZSTD:
      return decompressZstd(data, maxBytes);
    default:
      throw unsupported(codec);
  }
}
