// Shared fixtures for the cleaner tests: compacted logs, keyed records and what a reader sees.
import { buildBatch, decodeBatch } from '../../../protocol/records/batch';
import { LogConfig } from '../../../src/log/log-config';
import { PartitionLog } from '../../../src/log/partition-log';
import { testConfig } from '../helpers';

export const T0 = 1_700_000_000_000;

export function compactConfig(overrides: Partial<LogConfig> = {}): LogConfig {
  return testConfig({ cleanupPolicy: ['compact'], segmentBytes: 1024, minCleanableDirtyRatio: 0, ...overrides });
}

/** One single-record batch; a null value is a tombstone. */
export function put(log: PartitionLog, key: string, value: string | null, now = T0): number {
  const batch = buildBatch([{ key: Buffer.from(key), value: value === null ? null : Buffer.from(value), timestamp: now }], { baseTimestamp: now });
  return log.append(batch, { leaderEpoch: 0, now }).firstOffset;
}

export interface ReadRecord {
  offset: number;
  key: string;
  value: string | null;
}

/** Every data record from the log start to the log end, as a read_uncommitted consumer sees them. */
export async function readAll(log: PartitionLog): Promise<ReadRecord[]> {
  const out: ReadRecord[] = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const { records } = await log.read(offset, 1 << 20, { minOneBatch: true });
    if (records.length === 0) break;
    for (let pos = 0; pos < records.length; ) {
      const size = 12 + records.readInt32BE(pos + 8);
      const { header, records: recs } = decodeBatch(records, pos);
      if ((header.attributes & 0x20) === 0) {
        for (const r of recs) out.push({ offset: r.offset, key: r.key!.toString(), value: r.value === null ? null : r.value.toString() });
      }
      offset = header.baseOffset + header.lastOffsetDelta + 1;
      pos += size;
    }
  }
  return out;
}

/** Latest value of each key; keys whose latest record is a tombstone are absent. */
export function latestValues(records: readonly ReadRecord[]): Map<string, string> {
  const m = new Map<string, string | null>();
  for (const r of records) m.set(r.key, r.value);
  return new Map([...m].filter(([, v]) => v !== null) as [string, string][]);
}
