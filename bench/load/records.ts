// Record payloads for the loads: random bytes, so nothing along the way can shortcut them.

import { randomBytes } from 'node:crypto';
import { buildBatch } from '../../protocol/records';

/** One v2 batch of `count` records of `recordBytes` random bytes each, no keys, no compression. */
export function randomBatch(count: number, recordBytes: number): Buffer {
  return buildBatch(Array.from({ length: count }, () => ({ key: null, value: randomBytes(recordBytes) })));
}

/** Records a batch of `batchBytes` holds (Kafka's batch.size), at least one. */
export function recordsPerBatch(batchBytes: number, recordBytes: number): number {
  return Math.max(1, Math.floor(batchBytes / recordBytes));
}
