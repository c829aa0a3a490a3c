// Checksums for record batches: CRC-32C (Castagnoli) for magic v2, CRC-32 (IEEE) for legacy v0/v1 messages.
import * as zlib from 'zlib';
import { crc32c as nativeCrc32c, crc32 as nativeCrc32 } from '@node-rs/crc32';

/** CRC-32C of buf[start, end), as an unsigned 32-bit number. */
export function crc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  return nativeCrc32c(buf.subarray(start, end)) >>> 0;
}

// Node 20.15+ ships zlib.crc32; older 20.x falls back to the native module.
const zlibCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

/** CRC-32 (IEEE) of buf[start, end), as an unsigned 32-bit number. */
export function crc32(buf: Uint8Array, start = 0, end = buf.length): number {
  const view = buf.subarray(start, end);
  return (zlibCrc32 ? zlibCrc32(view) : nativeCrc32(view)) >>> 0;
}
