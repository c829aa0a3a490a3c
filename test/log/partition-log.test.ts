import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorCode, KafkaError } from '../../protocol/errors';
import { readBatchHeader, setBaseOffset, validateBatch } from '../../protocol/records/batch';
import { flushPendingWrites } from '../../src/log/pending-writes';
import { LogConfig } from '../../src/log/log-config';
import { PartitionLog } from '../../src/log/partition-log';
import { FakeClock } from '../helpers/fake-clock';
import { baseOffsetOf, batch, lastOffsetOf, makeTempDir, removeDir, segmentFiles, splitBatches, testConfig } from './helpers';

const T0 = 1_700_000_000_000;

let tmp: string;
let log: PartitionLog | undefined;

beforeEach(() => {
  tmp = makeTempDir();
});

afterEach(() => {
  log?.close();
  log = undefined;
  removeDir(tmp);
});

function createLog(overrides: Partial<LogConfig> = {}, clock?: FakeClock): PartitionLog {
  log = PartitionLog.create({
    logDir: tmp,
    topic: 'events',
    partition: 3,
    config: testConfig(overrides),
    clock,
    now: T0,
    topicId: 'AAAAAAAAAAAAAAAAAAAAAQ',
  });
  return log;
}

interface Appended {
  expected: Buffer;
  first: number;
  last: number;
}

/** Appends `n` batches of 1–4 records; returns each batch as it must read back. */
function appendMany(l: PartitionLog, n: number, epoch = 0, tsStep = 10): Appended[] {
  const out: Appended[] = [];
  for (let i = 0; i < n; i++) {
    const b = batch(i, 1 + (i % 4), T0 + i * tsStep, epoch);
    const original = Buffer.from(b);
    const info = l.append(b, { leaderEpoch: epoch, now: T0 + i * tsStep });
    setBaseOffset(original, 0, info.firstOffset);
    out.push({ expected: original, first: info.firstOffset, last: info.lastOffset });
  }
  return out;
}

async function readAll(l: PartitionLog, from: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  let offset = from;
  while (offset < l.logEndOffset) {
    const r = await l.read(offset, 1 << 20, { minOneBatch: true });
    const batches = splitBatches(r.records);
    expect(batches.length).toBeGreaterThan(0);
    out.push(...batches);
    offset = lastOffsetOf(batches[batches.length - 1]) + 1;
  }
  return out;
}

function expectKafkaError(e: unknown, code: number): void {
  expect(e).toBeInstanceOf(KafkaError);
  expect((e as KafkaError).code).toBe(code);
}

describe('PartitionLog append/read', () => {
  test('round trip across several segment rolls is byte-identical', async () => {
    const l = createLog({ segmentBytes: 2048, indexIntervalBytes: 256 });
    const appended = appendMany(l, 120);
    expect(l.logEndOffset).toBe(appended[appended.length - 1].last + 1);
    expect(l.numberOfSegments).toBeGreaterThan(5);

    const read = await readAll(l, 0);
    expect(read.length).toBe(appended.length);
    read.forEach((b, i) => expect(b.equals(appended[i].expected)).toBe(true));

    const logs = segmentFiles(l.dir, '.log');
    expect(logs.length).toBe(l.numberOfSegments);
    for (const name of logs) expect(name).toMatch(/^\d{20}\.log$/);
    expect(logs.map((n) => Number(n.slice(0, 20)))).toEqual(l.segmentBaseOffsets());
    expect(logs[0]).toBe('00000000000000000000.log');
    for (const name of logs) expect(fs.statSync(path.join(l.dir, name)).size).toBeLessThanOrEqual(2048);
  });

  test('reading from the middle of a batch returns that whole batch', async () => {
    const l = createLog();
    const appended = appendMany(l, 10);
    const target = appended.find((a) => a.last - a.first >= 2)!;
    const r = await l.read(target.first + 1, 1 << 20, { minOneBatch: true });
    const batches = splitBatches(r.records);
    expect(batches[0].equals(target.expected)).toBe(true);
    expect(batches.length).toBe(appended.length - appended.indexOf(target));
  });

  test('maxBytes returns whole batches only, and one batch anyway with minOneBatch', async () => {
    const l = createLog();
    const appended = appendMany(l, 6);
    const two = appended[0].expected.length + appended[1].expected.length;

    const r2 = await l.read(0, two + 10, { minOneBatch: false });
    expect(splitBatches(r2.records).length).toBe(2);
    expect(r2.records.length).toBe(two);

    const small = await l.read(0, 10, { minOneBatch: true });
    expect(small.records.equals(appended[0].expected)).toBe(true);

    const none = await l.read(0, 10, { minOneBatch: false });
    expect(none.records.length).toBe(0);
  });

  test('maxOffset bounds the read; log end gives empty records; outside the log is OFFSET_OUT_OF_RANGE', async () => {
    const l = createLog();
    const appended = appendMany(l, 5);
    const r = await l.read(0, 1 << 20, { minOneBatch: true, maxOffset: appended[2].first });
    expect(splitBatches(r.records).map(baseOffsetOf)).toEqual([appended[0].first, appended[1].first]);

    const end = await l.read(l.logEndOffset, 1 << 20, { minOneBatch: true });
    expect(end.records.length).toBe(0);
    expect(end.logEndOffset).toBe(l.logEndOffset);
    expect(end.highWatermark).toBe(l.logEndOffset);

    await expect(l.read(l.logEndOffset + 1, 100, { minOneBatch: true })).rejects.toMatchObject({
      code: ErrorCode.OFFSET_OUT_OF_RANGE,
    });
    await expect(l.read(-1, 100, { minOneBatch: true })).rejects.toMatchObject({ code: ErrorCode.OFFSET_OUT_OF_RANGE });
  });

  test('reads stay correct while appends and rolls continue', async () => {
    const l = createLog({ segmentBytes: 1024, indexIntervalBytes: 100 });
    const first = appendMany(l, 20);
    const pending = l.read(0, 1 << 20, { minOneBatch: true });
    for (let i = 0; i < 30; i++) l.append(batch(100 + i, 2, T0 + 1000 + i), { leaderEpoch: 0, now: T0 });
    const r = await pending;
    const got = splitBatches(r.records);
    got.forEach((b, i) => expect(b.equals(first[i].expected)).toBe(true));
    const all = await readAll(l, 0);
    expect(all.length).toBe(50);
  });

  test('offsets, leader epoch and LogAppendTime are assigned in place with a valid CRC', async () => {
    const l = createLog();
    l.append(batch(0, 3, T0), { leaderEpoch: 7, now: T0 });
    const info = l.append(batch(1, 2, T0 - 5000), { leaderEpoch: 7, timestampType: 1, now: T0 + 99 });
    expect(info.firstOffset).toBe(3);
    expect(info.lastOffset).toBe(4);
    expect(info.logAppendTime).toBe(T0 + 99);
    const r = await l.read(3, 1 << 20, { minOneBatch: true });
    const h = readBatchHeader(r.records, 0);
    expect(h.baseOffset).toBe(3);
    expect(h.partitionLeaderEpoch).toBe(7);
    expect(h.maxTimestamp).toBe(T0 + 99);
    expect(h.attributes & 0x08).toBe(0x08);
    expect(() => validateBatch(r.records, 0, r.records.length)).not.toThrow();
  });

  test('batches larger than max.message.bytes are rejected', () => {
    const l = createLog({ maxMessageBytes: 100 });
    try {
      l.append(batch(0, 5, T0), { leaderEpoch: 0, now: T0 });
      throw new Error('expected a failure');
    } catch (e) {
      expectKafkaError(e, ErrorCode.MESSAGE_TOO_LARGE);
    }
    expect(l.logEndOffset).toBe(0);
  });

  test('append listeners are told about each append', () => {
    const l = createLog();
    const seen: number[] = [];
    const off = l.onAppend((info) => seen.push(info.lastOffset));
    l.append(batch(0, 2, T0), { leaderEpoch: 0, now: T0 });
    off();
    l.append(batch(1, 2, T0), { leaderEpoch: 0, now: T0 });
    expect(seen).toEqual([1]);
  });

  test('flush.messages and flush.ms move the recovery point', () => {
    const l = createLog({ flushIntervalMessages: 3, flushIntervalMs: 1000 });
    l.append(batch(0, 2, T0), { leaderEpoch: 0, now: T0 });
    expect(l.recoveryPoint).toBe(0);
    l.append(batch(1, 1, T0), { leaderEpoch: 0, now: T0 });
    expect(l.recoveryPoint).toBe(3);
    l.append(batch(2, 1, T0), { leaderEpoch: 0, now: T0 + 10 });
    l.flushIfDue(T0 + 500);
    expect(l.recoveryPoint).toBe(3);
    l.flushIfDue(T0 + 1000);
    expect(l.recoveryPoint).toBe(4);
  });

  test('rolls when the segment is older than segment.ms by its first batch timestamp', () => {
    const l = createLog({ segmentMs: 1000 });
    l.append(batch(0, 1, T0), { leaderEpoch: 0, now: T0 });
    l.append(batch(1, 1, T0 + 500), { leaderEpoch: 0, now: T0 + 500 });
    expect(l.numberOfSegments).toBe(1);
    l.append(batch(2, 1, T0 + 1500), { leaderEpoch: 0, now: T0 + 1500 });
    expect(l.segmentBaseOffsets()).toEqual([0, 2]);
  });

  test('rolls when the offset index is full', () => {
    const l = createLog({ segmentIndexBytes: 16, indexIntervalBytes: 0 });
    appendMany(l, 8);
    expect(l.numberOfSegments).toBeGreaterThan(1);
    for (const name of segmentFiles(l.dir, '.index')) {
      expect(fs.statSync(path.join(l.dir, name)).size).toBeLessThanOrEqual(16);
    }
  });
});

describe('index files', () => {
  test('.index and .timeindex use Kafka entry layouts, sparse by index.interval.bytes', async () => {
    const l = createLog({ segmentBytes: 8192, indexIntervalBytes: 512 });
    appendMany(l, 150);
    l.roll(T0 + 100000);
    flushPendingWrites(); // the files are read directly below
    const segs = l.segmentBaseOffsets();
    expect(segs.length).toBeGreaterThan(2);
    for (const base of segs.slice(0, -1)) {
      const name = String(base).padStart(20, '0');
      const logBytes = fs.readFileSync(path.join(l.dir, `${name}.log`));
      const idx = fs.readFileSync(path.join(l.dir, `${name}.index`));
      const tidx = fs.readFileSync(path.join(l.dir, `${name}.timeindex`));
      expect(idx.length % 8).toBe(0);
      expect(tidx.length % 12).toBe(0);
      const entries = idx.length / 8;
      expect(entries).toBeGreaterThan(0);
      expect(entries).toBeLessThanOrEqual(Math.ceil(logBytes.length / 512));

      let prevPos = 0;
      for (let i = 0; i < entries; i++) {
        const rel = idx.readInt32BE(i * 8);
        const pos = idx.readInt32BE(i * 8 + 4);
        expect(pos).toBeGreaterThan(prevPos);
        // An entry is (last offset of the append, position where it started).
        const h = readBatchHeader(logBytes, pos);
        expect(h.baseOffset + h.lastOffsetDelta).toBe(base + rel);
        expect(pos - prevPos).toBeGreaterThan(512);
        prevPos = pos;
      }

      let prevTs = -1;
      let maxTs = -1;
      for (let p = 0; p < logBytes.length; p += 12 + logBytes.readInt32BE(p + 8)) {
        maxTs = Math.max(maxTs, readBatchHeader(logBytes, p).maxTimestamp);
      }
      for (let i = 0; i < tidx.length / 12; i++) {
        const ts = Number(tidx.readBigInt64BE(i * 12));
        expect(ts).toBeGreaterThan(prevTs);
        expect(tidx.readInt32BE(i * 12 + 8)).toBeGreaterThanOrEqual(0);
        prevTs = ts;
      }
      expect(prevTs).toBe(maxTs);
    }
  });
});

describe('timestamps', () => {
  test('offsetForTimestamp finds the first record at or after the time', async () => {
    const l = createLog({ segmentBytes: 1024, indexIntervalBytes: 64 });
    const appended = appendMany(l, 60);
    // batch i has records with timestamps T0 + 10 i + j
    const target = appended[37];
    expect(await l.offsetForTimestamp(T0 + 370)).toMatchObject({ offset: target.first, timestamp: T0 + 370 });
    const mid = appended[37].first + 1;
    if (appended[37].last >= mid) {
      expect(await l.offsetForTimestamp(T0 + 371)).toMatchObject({ offset: mid, timestamp: T0 + 371 });
    }
    expect(await l.offsetForTimestamp(T0 + 375)).toMatchObject({ offset: appended[38].first, timestamp: T0 + 380 });
    expect(await l.offsetForTimestamp(0)).toMatchObject({ offset: 0, timestamp: T0 });
    expect(await l.offsetForTimestamp(T0 + 100000)).toBeNull();
  });

  test('maxTimestampOffset finds the record with the largest timestamp', async () => {
    const l = createLog({ segmentBytes: 1024 });
    appendMany(l, 20);
    l.append(batch(99, 3, T0 + 50000), { leaderEpoch: 0, now: T0 });
    const peak = l.logEndOffset - 1;
    appendMany(l, 20);
    expect(await l.maxTimestampOffset()).toMatchObject({ offset: peak, timestamp: T0 + 50002 });
  });
});

describe('retention and truncation', () => {
  test('retention.ms deletes old segments; an expired active segment is rolled and deleted too', async () => {
    const l = createLog({ segmentBytes: 1024, retentionMs: 1000 });
    appendMany(l, 60, 0, 100);
    const before = l.segmentBaseOffsets();
    const now = T0 + 60 * 100 + 500;
    const deleted = l.deleteOldSegments(now);
    expect(deleted).toBeGreaterThan(0);
    const after = l.segmentBaseOffsets();
    expect(after).toEqual(before.slice(deleted));
    expect(l.logStartOffset).toBe(after[0]);
    expect(fs.readdirSync(l.dir).filter((n) => n.includes('.deleted'))).toEqual([]);
    expect(segmentFiles(l.dir, '.log').length).toBe(after.length);
    await expect(l.read(0, 100, { minOneBatch: true })).rejects.toMatchObject({ code: ErrorCode.OFFSET_OUT_OF_RANGE });

    const end = l.logEndOffset;
    expect(l.deleteOldSegments(T0 + 1e9)).toBe(after.length);
    expect(l.segmentBaseOffsets()).toEqual([end]);
    expect([l.logStartOffset, l.logEndOffset, l.size]).toEqual([end, end, 0]);
    expect(segmentFiles(l.dir, '.log').length).toBe(1);
    // An empty active segment is never deleted.
    expect(l.deleteOldSegments(T0 + 2e9)).toBe(0);
  });

  test('retention keeps an active segment above the high watermark', () => {
    const l = createLog({ segmentBytes: 1 << 20, retentionMs: 1000 });
    appendMany(l, 10, 0, 100);
    l.highWatermark = 5;
    expect(l.deleteOldSegments(T0 + 1e9)).toBe(0);
    l.highWatermark = l.logEndOffset;
    expect(l.deleteOldSegments(T0 + 1e9)).toBe(1);
    expect(l.logStartOffset).toBe(l.logEndOffset);
  });

  test('retention.bytes keeps the newest data within the limit', () => {
    const l = createLog({ segmentBytes: 1024, retentionBytes: 2500, retentionMs: -1 });
    appendMany(l, 60);
    l.deleteOldSegments(T0);
    expect(l.size).toBeLessThanOrEqual(2500 + 1024);
    expect(l.size).toBeGreaterThanOrEqual(2500 - 1024);
  });

  test('segments are renamed .deleted and removed once the clock passes file.delete.delay.ms', () => {
    const clock = new FakeClock(T0);
    const l = createLog({ segmentBytes: 1024, retentionMs: 1000, fileDeleteDelayMs: 5000 }, clock);
    appendMany(l, 40, 0, 100);
    expect(l.deleteOldSegments(T0 + 1e9)).toBeGreaterThan(0);
    expect(fs.readdirSync(l.dir).some((n) => n.endsWith('.log.deleted'))).toBe(true);
    clock.advance(4999);
    expect(fs.readdirSync(l.dir).some((n) => n.endsWith('.log.deleted'))).toBe(true);
    clock.advance(1);
    expect(fs.readdirSync(l.dir).some((n) => n.endsWith('.deleted'))).toBe(false);
    expect(clock.liveTimers).toBe(0);
  });

  test('deleteRecordsBefore moves the log start offset', async () => {
    const l = createLog({ segmentBytes: 1024 });
    const appended = appendMany(l, 40);
    const cut = appended[25].first + 1;
    expect(l.deleteRecordsBefore(cut)).toBe(cut);
    expect(l.logStartOffset).toBe(cut);
    expect(l.segmentBaseOffsets()[0]).toBeLessThanOrEqual(cut);
    const r = await l.read(cut, 1 << 20, { minOneBatch: true });
    expect(splitBatches(r.records)[0].equals(appended[25].expected)).toBe(true);
    await expect(l.read(cut - 1, 100, { minOneBatch: true })).rejects.toMatchObject({
      code: ErrorCode.OFFSET_OUT_OF_RANGE,
    });
    expect(() => l.deleteRecordsBefore(l.logEndOffset + 1)).toThrow(KafkaError);
  });

  test('truncateTo drops later batches and appends continue from there', async () => {
    const l = createLog({ segmentBytes: 1024, indexIntervalBytes: 64 });
    const appended = appendMany(l, 40, 1);
    l.append(batch(500, 2, T0), { leaderEpoch: 4, now: T0 });
    const cut = appended[20].first;
    l.truncateTo(cut, T0);
    expect(l.logEndOffset).toBe(cut);
    expect(l.leaderEpochCache.entries()).toEqual([{ epoch: 1, startOffset: 0 }]);
    const info = l.append(batch(1000, 2, T0), { leaderEpoch: 2, now: T0 });
    expect(info.firstOffset).toBe(cut);
    const all = await readAll(l, 0);
    expect(all.length).toBe(21);
    all.slice(0, 20).forEach((b, i) => expect(b.equals(appended[i].expected)).toBe(true));
    expect(baseOffsetOf(all[20])).toBe(cut);
  });
});

describe('partition files', () => {
  test('partition.metadata and leader-epoch-checkpoint texts', () => {
    const l = createLog();
    l.append(batch(0, 2, T0), { leaderEpoch: 1, now: T0 });
    l.append(batch(1, 2, T0), { leaderEpoch: 1, now: T0 });
    l.append(batch(2, 3, T0), { leaderEpoch: 3, now: T0 });
    expect(fs.readFileSync(path.join(l.dir, 'partition.metadata'), 'utf8')).toBe(
      'version: 0\ntopic_id: AAAAAAAAAAAAAAAAAAAAAQ',
    );
    expect(fs.readFileSync(path.join(l.dir, 'leader-epoch-checkpoint'), 'utf8')).toBe('0\n2\n1 0\n3 4\n');
    expect(path.basename(l.dir)).toBe('events-3');
    expect(l.leaderEpochCache.endOffsetFor(1, l.logEndOffset)).toEqual({ epoch: 1, endOffset: 4 });
    expect(l.leaderEpochCache.endOffsetFor(3, l.logEndOffset)).toEqual({ epoch: 3, endOffset: 7 });
    expect(l.leaderEpochCache.endOffsetFor(2, l.logEndOffset)).toEqual({ epoch: 1, endOffset: 4 });
  });
});
