// The log cleaner in-process on real temp dirs and fake time: deduplication, tombstones and the delete
// horizon, compaction lags, dirty-ratio selection, transactions, the cleaner-offset-checkpoint,
// compact+delete retention, the files left on disk, and compaction on demand (cleanNow).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildBatch, deleteHorizonOf, readBatchHeader } from '../../../protocol/records/batch';
import { CLEANER_OFFSET_CHECKPOINT } from '../../../src/log/cleaner/cleaner-manager';
import { CleanerConfig, DEFAULT_CLEANER_CONFIG, LogCleaner } from '../../../src/log/cleaner/log-cleaner';
import { LogConfig } from '../../../src/log/log-config';
import { LogManager } from '../../../src/log/log-manager';
import { PartitionLog } from '../../../src/log/partition-log';
import { silentLogger } from '../../../src/logger';
import { FakeClock } from '../../helpers/fake-clock';
import { makeTempDir, removeDir } from '../helpers';
import { T0, compactConfig, latestValues, put, readAll } from './helpers';

let tmp: string;
let opened: PartitionLog[] = [];
let clock: FakeClock;

beforeEach(() => {
  tmp = makeTempDir();
  clock = new FakeClock(T0);
});
afterEach(() => {
  for (const l of opened) l.close();
  opened = [];
  removeDir(tmp);
});

function createLog(overrides: Partial<LogConfig> = {}, topic = 'cmp'): PartitionLog {
  const l = PartitionLog.create({ logDir: tmp, topic, partition: 0, config: compactConfig(overrides), now: clock.now(), clock });
  opened.push(l);
  return l;
}

function reopen(l: PartitionLog, overrides: Partial<LogConfig> = {}, clean = true): PartitionLog {
  l.close();
  opened = opened.filter((x) => x !== l);
  const r = PartitionLog.open({
    logDir: tmp,
    topic: l.topic,
    partition: 0,
    config: compactConfig(overrides),
    now: clock.now(),
    clock,
    hadCleanShutdown: clean,
  });
  opened.push(r);
  return r;
}

function cleanerFor(logs: () => PartitionLog[], config: Partial<CleanerConfig> = {}): LogCleaner {
  return new LogCleaner({ ...DEFAULT_CLEANER_CONFIG, ...config }, logs, clock, silentLogger);
}

function filesWith(dir: string, suffix: string): string[] {
  return fs.readdirSync(dir).filter((n) => n.endsWith(suffix));
}

/** Writes `rounds` values for each of `keys` keys, then rolls so everything is cleanable. */
function writeDuplicates(log: PartitionLog, keys: number, rounds: number): Map<string, string> {
  const expected = new Map<string, string>();
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < keys; k++) {
      put(log, `key-${k}`, `value-${k}-${r}`, clock.now());
      expected.set(`key-${k}`, `value-${k}-${r}`);
    }
  }
  log.roll(clock.now());
  return expected;
}

describe('deduplication', () => {
  test('keeps only the latest value of each key, with its offset, never touching the active segment', async () => {
    const log = createLog();
    const expected = writeDuplicates(log, 10, 20);
    const before = await readAll(log);
    const active = log.segmentBaseOffsets().at(-1)!;
    put(log, 'key-0', 'in-active', clock.now());
    put(log, 'key-0', 'in-active-2', clock.now());
    const sizeBefore = log.size;

    const result = await cleanerFor(() => [log]).cleanFilthiestLog();
    expect(result?.endOffset).toBe(active);

    const after = await readAll(log);
    const cleanPart = after.filter((r) => r.offset < active);
    expect(cleanPart).toHaveLength(10);
    expect(latestValues(cleanPart)).toEqual(expected);
    for (const r of cleanPart) expect(before.find((b) => b.offset === r.offset)).toEqual(r);
    // The active segment is as it was.
    expect(after.filter((r) => r.offset >= active).map((r) => r.value)).toEqual(['in-active', 'in-active-2']);
    expect(log.size).toBeLessThan(sizeBefore / 5);
    expect(log.segmentBaseOffsets()[0]).toBe(0);
    expect(log.logEndOffset).toBe(active + 2);
    // No temporary files are left; old segments went through .deleted (file.delete.delay.ms 0 here).
    for (const suffix of ['.cleaned', '.swap', '.deleted']) expect(filesWith(log.dir, suffix)).toEqual([]);
  });

  test('groups segments whose sizes together fit segment.bytes into one cleaned segment', async () => {
    const log = createLog({ segmentBytes: 1024 });
    const expected = writeDuplicates(log, 4, 60);
    const segments = log.numberOfSegments;
    expect(segments).toBeGreaterThan(10);
    const cleaner = cleanerFor(() => [log]);
    // Full segments cannot be grouped: each is cleaned into one of its own.
    await cleaner.cleanFilthiestLog();
    expect(log.numberOfSegments).toBe(segments);
    // Once cleaned they are small, and the next cleaning merges them.
    put(log, 'key-0', 'again', clock.now());
    log.roll(clock.now());
    await cleaner.cleanFilthiestLog();
    expect(log.numberOfSegments).toBe(2);
    expect(filesWith(log.dir, '.log')).toHaveLength(2);
    expected.set('key-0', 'again');
    expect(latestValues(await readAll(log))).toEqual(expected);
  });

  test('a reopened log reads the same after cleaning (indexes and files are consistent)', async () => {
    const log = createLog();
    const expected = writeDuplicates(log, 8, 10);
    await cleanerFor(() => [log]).cleanFilthiestLog();
    const r1 = reopen(log, {}, false);
    expect(latestValues(await readAll(r1))).toEqual(expected);
  });

  test('a small dedupe buffer cleans in several passes, the map ending mid-log', async () => {
    const log = createLog();
    const expected = writeDuplicates(log, 30, 6);
    // 24 bytes a slot at 0.9 load: room for 9 keys.
    const cleaner = cleanerFor(() => [log], { dedupeBufferSize: 240 });
    const first = await cleaner.cleanFilthiestLog();
    expect(first!.endOffset).toBeLessThan(log.segmentBaseOffsets().at(-1)!);
    for (let i = 0; i < 50 && (await cleaner.cleanFilthiestLog()) !== null; i++);
    expect(latestValues(await readAll(log))).toEqual(expected);
    expect((await readAll(log)).length).toBe(30);
  });
});

describe('tombstones', () => {
  test('are kept with a delete horizon until delete.retention.ms has passed, then removed', async () => {
    const log = createLog({ deleteRetentionMs: 10_000 });
    put(log, 'a', '1', clock.now());
    put(log, 'b', '1', clock.now());
    put(log, 'a', null, clock.now());
    put(log, 'c', '1', clock.now());
    log.roll(clock.now());
    const cleaner = cleanerFor(() => [log]);
    await cleaner.cleanFilthiestLog();
    let records = await readAll(log);
    expect(records.map((r) => [r.key, r.value])).toEqual([
      ['b', '1'],
      ['a', null],
      ['c', '1'],
    ]);
    // The tombstone's batch now carries the horizon: now + delete.retention.ms.
    const tombstone = await log.read(records[1].offset, 1000);
    expect(deleteHorizonOf(readBatchHeader(tombstone.records, 0))).toBe(T0 + 10_000);

    const cleanAgain = async () => {
      put(log, 'd', String(clock.now()), clock.now());
      log.roll(clock.now());
      expect(await cleaner.cleanFilthiestLog()).not.toBeNull();
      return readAll(log);
    };
    clock.advance(9_999);
    records = await cleanAgain();
    expect(records.some((r) => r.key === 'a')).toBe(true);
    clock.advance(1);
    records = await cleanAgain();
    expect(records.some((r) => r.key === 'a')).toBe(false);
    expect(latestValues(records)).toEqual(new Map([['b', '1'], ['c', '1'], ['d', String(T0 + 10_000)]]));
  });
});

describe('choosing what to clean', () => {
  test('min.compaction.lag.ms holds back segments with recent records', async () => {
    const log = createLog({ minCompactionLagMs: 60_000 });
    writeDuplicates(log, 5, 10);
    const cleaner = cleanerFor(() => [log]);
    expect(await cleaner.cleanFilthiestLog()).toBeNull();
    clock.advance(60_001);
    expect(await cleaner.cleanFilthiestLog()).not.toBeNull();
    expect((await readAll(log)).length).toBe(5);
  });

  test('max.compaction.lag.ms forces a log below min.cleanable.dirty.ratio', async () => {
    const log = createLog({ minCleanableDirtyRatio: 1, maxCompactionLagMs: 5_000 });
    writeDuplicates(log, 5, 10);
    const cleaner = cleanerFor(() => [log]);
    clock.advance(4_000);
    expect(await cleaner.cleanFilthiestLog()).toBeNull();
    clock.advance(2_000);
    expect(await cleaner.cleanFilthiestLog()).not.toBeNull();
  });

  test('picks the log with the largest dirty ratio, and skips logs at or below the minimum', async () => {
    const a = createLog({ minCleanableDirtyRatio: 0.5 }, 'a');
    const b = createLog({ minCleanableDirtyRatio: 0.5 }, 'b');
    const c = createLog({ cleanupPolicy: ['delete'] }, 'c');
    writeDuplicates(a, 5, 10);
    writeDuplicates(b, 5, 10);
    writeDuplicates(c, 5, 10);
    const cleaner = cleanerFor(() => [a, b, c]);
    expect((await cleaner.cleanFilthiestLog())!.log).toBe(a);
    expect((await cleaner.cleanFilthiestLog())!.log).toBe(b);
    // a: a little new dirty data on a large clean section (ratio ≤ 0.5); b: lots of dirty data.
    writeDuplicates(a, 1, 1);
    writeDuplicates(b, 5, 20);
    const pick = cleaner.manager.grabFilthiestCompactedLog(clock.now());
    expect(pick!.log).toBe(b);
    expect(pick!.cleanableRatio).toBeGreaterThan(0.5);
    cleaner.manager.doneCleaning(b);
    await cleaner.cleanFilthiestLog();
    expect(await cleaner.cleanFilthiestLog()).toBeNull();
    // The delete-only log is never cleaned.
    expect((await readAll(c)).length).toBe(50);
  });
});

describe('transactions', () => {
  const PID = 7n;
  let seq = 0;
  function txnPut(log: PartitionLog, key: string, value: string): void {
    const batch = buildBatch([{ key: Buffer.from(key), value: Buffer.from(value), timestamp: clock.now() }], {
      baseTimestamp: clock.now(),
      producerId: PID,
      producerEpoch: 0,
      baseSequence: seq++,
      transactional: true,
    });
    log.append(batch, { leaderEpoch: 0, now: clock.now() });
  }
  function end(log: PartitionLog, commit: boolean): void {
    log.appendEndTxnMarker({ producerId: PID, producerEpoch: 0, coordinatorEpoch: 0, commit }, { leaderEpoch: 0, now: clock.now() });
  }
  async function controlBatches(log: PartitionLog): Promise<{ offset: number; records: number; horizon: number | null }[]> {
    const out = [];
    for (const seg of log.segmentsSnapshot()) {
      const buf = fs.readFileSync(seg.log.path);
      for (let pos = 0; pos < buf.length; pos += 12 + buf.readInt32BE(pos + 8)) {
        const h = readBatchHeader(buf, pos);
        if (h.attributes & 0x20) out.push({ offset: h.baseOffset, records: h.recordCount, horizon: deleteHorizonOf(h) });
      }
    }
    return out;
  }

  beforeEach(() => {
    seq = 0;
  });

  test('aborted records go at once; markers stay until their transaction is empty and delete.retention.ms passed', async () => {
    const log = createLog({ deleteRetentionMs: 1000 });
    txnPut(log, 'x', 'aborted-1');
    end(log, false); // offset 1
    txnPut(log, 'y', 'committed');
    end(log, true); // offset 3
    txnPut(log, 'z', 'aborted-2');
    end(log, false); // offset 5
    put(log, 'x', 'plain', clock.now());
    log.roll(clock.now());
    const cleaner = cleanerFor(() => [log]);

    await cleaner.cleanFilthiestLog();
    const values = await readAll(log);
    expect(values.map((r) => r.value)).toEqual(['committed', 'plain']);
    // The first abort's batch went, so its marker stays (and is indexed); the commit keeps its marker for its data.
    expect((await controlBatches(log)).map((c) => c.offset)).toEqual([1, 3, 5]);
    const idx = log.collectAbortedTxns(0, log.logEndOffset);
    expect(idx.map((t) => t.lastOffset)).toEqual([1, 5]);
    // The producer's last data batch (the second aborted one) stays as an empty header: its sequence survives.
    const reopened = reopen(log, { deleteRetentionMs: 1000 });
    expect(reopened.activeProducers().find((p) => p.producerId === PID)?.lastSequence).toBe(2);

    // Next round: the first abort's transaction is empty, so its marker gets a delete horizon.
    const again = cleanerFor(() => [reopened]);
    put(reopened, 'w', '1', clock.now());
    reopened.roll(clock.now());
    await again.cleanFilthiestLog();
    const markers = await controlBatches(reopened);
    expect(markers.find((m) => m.offset === 1)?.horizon).toBe(clock.now() + 1000);

    clock.advance(1001);
    put(reopened, 'w', '2', clock.now());
    reopened.roll(clock.now());
    await again.cleanFilthiestLog();
    expect((await controlBatches(reopened)).map((c) => c.offset)).not.toContain(1);
    expect((await readAll(reopened)).map((r) => r.value)).toEqual(['committed', 'plain', '2']);
  });
});

describe('cleaner-offset-checkpoint', () => {
  test('is written in Kafka checkpoint format and the next cleaner starts from it', async () => {
    const log = createLog();
    writeDuplicates(log, 5, 10);
    const end = (await cleanerFor(() => [log]).cleanFilthiestLog())!.endOffset;
    const file = path.join(tmp, CLEANER_OFFSET_CHECKPOINT);
    expect(fs.readFileSync(file, 'utf8')).toBe(`0\n1\ncmp 0 ${end}\n`);

    // A new cleaner (a restart) reads it: nothing dirty, nothing to clean.
    const restarted = cleanerFor(() => [log]);
    expect(restarted.manager.cleanOffset(log)).toBe(end);
    expect(await restarted.cleanFilthiestLog()).toBeNull();
    writeDuplicates(log, 5, 2);
    const ltc = restarted.manager.grabFilthiestCompactedLog(clock.now());
    expect(ltc!.firstDirtyOffset).toBe(end);
  });

  test('an offset past the log end is reset to the log start', async () => {
    const log = createLog();
    writeDuplicates(log, 5, 10);
    fs.writeFileSync(path.join(tmp, CLEANER_OFFSET_CHECKPOINT), '0\n1\ncmp 0 999999\n');
    const cleaner = cleanerFor(() => [log]);
    const ltc = cleaner.manager.grabFilthiestCompactedLog(clock.now());
    expect(ltc!.firstDirtyOffset).toBe(0);
    expect(fs.readFileSync(path.join(tmp, CLEANER_OFFSET_CHECKPOINT), 'utf8')).toBe('0\n1\ncmp 0 0\n');
  });
});

describe('compact,delete', () => {
  test('retention still deletes old segments, run by the cleaner rather than the retention task', async () => {
    const manager = await LogManager.open({
      logDirs: [tmp],
      clock,
      tasks: false,
      cleaner: { ...DEFAULT_CLEANER_CONFIG },
      // Never dirty enough to clean: only the retention part of the cleaner's pass acts.
      topicConfig: () => compactConfig({ cleanupPolicy: ['compact', 'delete'], retentionMs: 60_000, minCleanableDirtyRatio: 1 }),
    });
    try {
      const log = manager.createPartition('cd', 0);
      writeDuplicates(log, 5, 10);
      const segmentsBefore = log.numberOfSegments;
      clock.advance(60_001);
      put(log, 'fresh', '1', clock.now());
      expect(manager.runRetention()).toBe(0);
      expect(log.numberOfSegments).toBe(segmentsBefore);
      expect(await manager.cleaner!.cleanFilthiestLog()).toBeNull();
      expect(log.logStartOffset).toBe(50);
      expect((await readAll(log)).map((r) => r.key)).toEqual(['fresh']);
    } finally {
      await manager.close();
    }
  });
});

/** Three rounds over two keys, rolled so they are in a closed segment, then one more in the active one. */
function writeRounds(log: PartitionLog): void {
  for (let round = 0; round < 3; round++) for (const key of ['a', 'b']) put(log, key, `${key}${round}`, clock.now());
  log.roll(clock.now());
  put(log, 'a', 'active', clock.now());
}

test('cleanNow (compaction on demand) cleans compacted logs now whatever their dirty ratio and compaction lag, never the active segment', async () => {
  const log = createLog({ minCleanableDirtyRatio: 0.99, minCompactionLagMs: 3_600_000 });
  const deleting = createLog({ cleanupPolicy: ['delete'] }, 'del');
  writeRounds(log);
  writeRounds(deleting);
  const cleaner = new LogCleaner(DEFAULT_CLEANER_CONFIG, () => [log, deleting], clock, silentLogger);
  // The schedule would not clean it: below the ratio and younger than the lag.
  expect(await cleaner.cleanFilthiestLog()).toBeNull();

  expect(await cleaner.cleanNow()).toBe(1);
  expect((await readAll(log)).map((r) => `${r.offset}:${r.value}`)).toEqual(['4:a2', '5:b2', '6:active']);
  expect(await readAll(deleting)).toHaveLength(7);
  expect(await cleaner.cleanNow()).toBe(0);
});
