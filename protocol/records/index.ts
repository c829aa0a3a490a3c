// Public API of the record formats: v2 batches, legacy message sets, compression and checksums.
export * from './batch';
export { DEFAULT_MAX_DECOMPRESSED_BYTES, compress, decompress } from './compression';
export { crc32, crc32c } from './crc32c';
export { decodeLegacy, legacyToBatches, toLegacy } from './legacy';
export type { LegacyMessage, LegacyOptions } from './legacy';
