// Shared fixtures for the log tests: temp dirs and record batches.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KafkaError } from '../../protocol/errors';
import { buildBatch, readBatchHeader } from '../../protocol/records/batch';
import { DEFAULT_LOG_CONFIG, LogConfig, resolveLogConfig } from '../../src/log/log-config';

export function makeTempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-ts-log-'));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export function testConfig(overrides: Partial<LogConfig> = {}): LogConfig {
  return resolveLogConfig(DEFAULT_LOG_CONFIG, { fileDeleteDelayMs: 0, ...overrides });
}

/** A deterministic batch of `count` records with payloads that identify it. */
export function batch(id: number, count: number, timestamp: number, epoch = 0, valueSize = 20): Buffer {
  const records = [];
  for (let i = 0; i < count; i++) {
    const value = Buffer.alloc(valueSize + ((id * 7 + i) % 13), `v${id}.${i}|`);
    records.push({ key: Buffer.from(`k${id}.${i}`), value, timestamp: timestamp + i });
  }
  return buildBatch(records, { partitionLeaderEpoch: epoch, baseTimestamp: timestamp });
}

/** Splits a records buffer into its batches. */
export function splitBatches(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const size = 12 + buf.readInt32BE(pos + 8);
    out.push(buf.subarray(pos, pos + size));
    pos += size;
  }
  return out;
}

export function baseOffsetOf(b: Buffer): number {
  return readBatchHeader(b, 0).baseOffset;
}

export function lastOffsetOf(b: Buffer): number {
  const h = readBatchHeader(b, 0);
  return h.baseOffset + h.lastOffsetDelta;
}

export function segmentFiles(dir: string, suffix: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((n) => n.endsWith(suffix))
    .sort();
}

/** `fn` throws a KafkaError with this code. */
export function expectCode(fn: () => unknown, code: number): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(KafkaError);
  expect((err as KafkaError).code).toBe(code);
}
