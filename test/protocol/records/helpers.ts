// Test helpers shared by the record tests; the CRC comes from an independent implementation.
import * as sheetjsCrc32c from 'crc-32/crc32c';
import { KafkaError } from '../../../protocol/errors';

/** Rewrites a v2 batch's CRC after a test edits CRC-covered bytes. */
export function fixCrc(batch: Buffer, pos = 0): Buffer {
  const end = pos + 12 + batch.readInt32BE(pos + 8);
  batch.writeUInt32BE(sheetjsCrc32c.buf(batch.subarray(pos + 21, end)) >>> 0, pos + 17);
  return batch;
}

export function independentCrc32c(bytes: Buffer): number {
  return sheetjsCrc32c.buf(bytes) >>> 0;
}

/** Runs fn and returns the Kafka error code it threw. */
export function kafkaErrorCode(fn: () => unknown): number {
  try {
    fn();
  } catch (e) {
    if (e instanceof KafkaError) return e.code;
    throw e;
  }
  throw new Error('expected a KafkaError, but nothing was thrown');
}
