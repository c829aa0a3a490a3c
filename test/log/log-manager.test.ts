import * as fs from 'node:fs';
import { FakeClock } from '../helpers/fake-clock';
import * as path from 'node:path';
import { LogConfig } from '../../src/log/log-config';
import { LogManager } from '../../src/log/log-manager';
import { LogLogger } from '../../src/logger';
import { PartitionLog } from '../../src/log/partition-log';
import { baseOffsetOf, batch, lastOffsetOf, makeTempDir, removeDir, splitBatches, testConfig } from './helpers';

const T0 = 1_700_000_000_000;
const TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAQ';

let tmp: string;
let managers: LogManager[];
let messages: string[];

const logger: LogLogger = {
  info: (m) => messages.push(m),
  warn: (m) => messages.push(m),
  error: (m) => messages.push(m),
};

beforeEach(() => {
  tmp = makeTempDir();
  managers = [];
  messages = [];
});

afterEach(async () => {
  for (const m of managers) await m.close();
  removeDir(tmp);
});

async function open(config: Partial<LogConfig> = {}, logDirs = [tmp]): Promise<LogManager> {
  const m = await LogManager.open({ logDirs, defaultConfig: testConfig(config), logger, clock: new FakeClock(T0), tasks: false });
  managers.push(m);
  return m;
}

async function closeAll(m: LogManager): Promise<void> {
  await m.close(42);
  managers = managers.filter((x) => x !== m);
}

function fill(log: PartitionLog, batches: number, startId = 0): void {
  for (let i = 0; i < batches; i++) {
    log.append(batch(startId + i, 1 + (i % 3), T0 + (startId + i) * 10), { leaderEpoch: 0, now: T0 });
  }
}

async function readEverything(log: PartitionLog): Promise<Buffer[]> {
  const out: Buffer[] = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const r = await log.read(offset, 1 << 20, { minOneBatch: true });
    const batches = splitBatches(r.records);
    out.push(...batches);
    offset = lastOffsetOf(batches[batches.length - 1]) + 1;
  }
  return out;
}

function pdir(name = 'orders-0'): string {
  return path.join(tmp, name);
}

function segmentPath(base: number, suffix: string, dir = pdir()): string {
  return path.join(dir, String(base).padStart(20, '0') + suffix);
}

/** A closed manager's dir made to look like a crash: no clean-shutdown marker. */
async function crashAfterClose(m: LogManager): Promise<void> {
  await closeAll(m);
  fs.rmSync(path.join(tmp, '.kafka_cleanshutdown'));
}

describe('LogManager checkpoints and shutdown', () => {
  test('checkpoint files are written in Kafka text format', async () => {
    const m = await open({ segmentBytes: 1024 });
    const a = m.createPartition('orders', 0, TOPIC_ID);
    const b = m.createPartition('orders', 1, TOPIC_ID);
    fill(a, 30);
    fill(b, 2);
    a.deleteRecordsBefore(5);
    a.flush(T0);
    m.checkpoint();
    const read = (name: string) => fs.readFileSync(path.join(tmp, name), 'utf8');
    expect(read('recovery-point-offset-checkpoint')).toBe(`0\n2\norders 0 ${a.logEndOffset}\norders 1 0\n`);
    expect(read('replication-offset-checkpoint')).toBe(`0\n2\norders 0 ${a.logEndOffset}\norders 1 ${b.logEndOffset}\n`);
    expect(read('log-start-offset-checkpoint')).toBe('0\n1\norders 0 5\n');
    expect(fs.readdirSync(tmp).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  test('clean close writes .kafka_cleanshutdown; reopen deletes it and restores offsets without recovery', async () => {
    const m = await open({ segmentBytes: 1024 });
    const log = m.createPartition('orders', 0, TOPIC_ID);
    fill(log, 60);
    const leo = log.logEndOffset;
    const before = await readEverything(log);
    const bases = log.segmentBaseOffsets();
    await closeAll(m);
    expect(JSON.parse(fs.readFileSync(path.join(tmp, '.kafka_cleanshutdown'), 'utf8'))).toEqual({
      version: 0,
      brokerEpoch: 42,
    });

    // Corrupt CRCs in the first and the active segment and drop the recovery point: any recovery would
    // truncate, so unchanged files show that a clean open does not scan.
    fs.rmSync(path.join(tmp, 'recovery-point-offset-checkpoint'));
    const first = segmentPath(0, '.log');
    const bytes = fs.readFileSync(first);
    bytes[bytes.length - 3] ^= 0xff;
    fs.writeFileSync(first, bytes);
    const active = segmentPath(bases[bases.length - 1], '.log');
    const activeBytes = fs.readFileSync(active);
    activeBytes[70] ^= 0xff;
    fs.writeFileSync(active, activeBytes);

    const m2 = await open({ segmentBytes: 1024 });
    expect(fs.existsSync(path.join(tmp, '.kafka_cleanshutdown'))).toBe(false);
    expect(m2.cleanShutdown.get(tmp)).toBe(true);
    const log2 = m2.get('orders', 0)!;
    expect(log2.logEndOffset).toBe(leo);
    expect(log2.recoveryPoint).toBe(leo);
    expect(log2.segmentBaseOffsets()).toEqual(bases);
    expect(log2.topicId).toBe(TOPIC_ID);
    expect(fs.statSync(first).size).toBe(bytes.length);
    expect(fs.statSync(active).size).toBe(activeBytes.length);
    const after = await readEverything(log2);
    expect(after.length).toBe(before.length);
    expect(after.filter((b, i) => !b.equals(before[i])).length).toBe(2);
    expect(log2.append(batch(999, 1, T0), { leaderEpoch: 0, now: T0 }).firstOffset).toBe(leo);
  });

  test('periodic tasks run on the clock and stop with stopTasks', async () => {
    const clock = new FakeClock(T0);
    const m = await LogManager.open({ logDirs: [tmp], defaultConfig: testConfig(), logger, clock, tasks: false });
    managers.push(m);
    m.createPartition('orders', 0, TOPIC_ID);
    m.startTasks({ checkpointIntervalMs: 1000, retentionCheckIntervalMs: 1000, flushCheckIntervalMs: 1000 });
    const checkpoint = path.join(tmp, 'recovery-point-offset-checkpoint');
    clock.advance(999);
    expect(fs.existsSync(checkpoint)).toBe(false);
    clock.advance(1);
    expect(fs.existsSync(checkpoint)).toBe(true);
    m.stopTasks();
    expect(clock.liveTimers).toBe(0);
  });
});

describe('LogManager unclean recovery', () => {
  async function setup(): Promise<{ leo: number; batches: Buffer[]; lastBase: number }> {
    const m = await open({ segmentBytes: 1024, indexIntervalBytes: 128 });
    const log = m.createPartition('orders', 0, TOPIC_ID);
    fill(log, 50);
    const batches = await readEverything(log);
    const bases = log.segmentBaseOffsets();
    const leo = log.logEndOffset;
    await crashAfterClose(m);
    return { leo, batches, lastBase: bases[bases.length - 1] };
  }

  async function reopenAndCheck(expectedBatches: Buffer[]): Promise<PartitionLog> {
    const m = await open({ segmentBytes: 1024, indexIntervalBytes: 128 });
    expect(m.cleanShutdown.get(tmp)).toBe(false);
    const log = m.get('orders', 0)!;
    const last = expectedBatches[expectedBatches.length - 1];
    expect(log.logEndOffset).toBe(lastOffsetOf(last) + 1);
    const got = await readEverything(log);
    expect(got.length).toBe(expectedBatches.length);
    got.forEach((b, i) => expect(b.equals(expectedBatches[i])).toBe(true));
    const info = log.append(batch(777, 2, T0), { leaderEpoch: 1, now: T0 });
    expect(info.firstOffset).toBe(lastOffsetOf(last) + 1);
    const tail = await log.read(info.firstOffset, 1 << 20, { minOneBatch: true });
    expect(baseOffsetOf(tail.records)).toBe(info.firstOffset);
    return log;
  }

  test('torn tail: the .log cut mid-batch is truncated to the last whole batch', async () => {
    const { batches, lastBase } = await setup();
    const file = segmentPath(lastBase, '.log');
    const size = fs.statSync(file).size;
    fs.truncateSync(file, size - 7);
    await reopenAndCheck(batches.slice(0, -1));
    expect(messages.some((m) => m.includes('truncated'))).toBe(true);
  });

  test('garbage appended after the last batch is cut off', async () => {
    const { batches, lastBase } = await setup();
    const file = segmentPath(lastBase, '.log');
    const size = fs.statSync(file).size;
    fs.appendFileSync(file, Buffer.from('this is not a record batch at all, just noise'.repeat(3)));
    await reopenAndCheck(batches);
    expect(fs.statSync(file).size).toBeGreaterThan(size);
  });

  test('a flipped byte inside the last batch drops that batch', async () => {
    const { batches, lastBase } = await setup();
    const file = segmentPath(lastBase, '.log');
    const bytes = fs.readFileSync(file);
    const lastSize = batches[batches.length - 1].length;
    bytes[bytes.length - Math.floor(lastSize / 2)] ^= 0x40;
    fs.writeFileSync(file, bytes);
    await reopenAndCheck(batches.slice(0, -1));
  });

  test('corruption in an earlier segment (recovery point 0) deletes the segments after it', async () => {
    const { batches } = await setup();
    fs.writeFileSync(path.join(tmp, 'recovery-point-offset-checkpoint'), '0\n0\n');
    const file = segmentPath(0, '.log');
    const size = fs.statSync(file).size;
    fs.truncateSync(file, size - 3);
    const m = await open({ segmentBytes: 1024, indexIntervalBytes: 128 });
    const log = m.get('orders', 0)!;
    expect(log.numberOfSegments).toBe(1);
    const kept = batches.filter((b) => lastOffsetOf(b) < log.logEndOffset);
    expect(kept.length).toBeLessThan(batches.length);
    const got = await readEverything(log);
    got.forEach((b, i) => expect(b.equals(kept[i])).toBe(true));
  });

  test('a deleted .index is rebuilt identically, even after a clean shutdown', async () => {
    const m = await open({ segmentBytes: 1024, indexIntervalBytes: 128 });
    const log = m.createPartition('orders', 0, TOPIC_ID);
    fill(log, 50);
    const bases = log.segmentBaseOffsets();
    await closeAll(m);
    const idx = segmentPath(bases[1], '.index');
    const original = fs.readFileSync(idx);
    expect(original.length).toBeGreaterThan(0);
    fs.rmSync(idx);
    const m2 = await open({ segmentBytes: 1024, indexIntervalBytes: 128 });
    const log2 = m2.get('orders', 0)!;
    expect(fs.readFileSync(idx).equals(original)).toBe(true);
    const r = await log2.read(bases[1] + 1, 1 << 20, { minOneBatch: true });
    expect(lastOffsetOf(splitBatches(r.records)[0])).toBeGreaterThanOrEqual(bases[1] + 1);
  });

  test('an inconsistent .index found after a clean shutdown is rebuilt when first used', async () => {
    const m = await open({ segmentBytes: 1024, indexIntervalBytes: 128 });
    const log = m.createPartition('orders', 0, TOPIC_ID);
    fill(log, 50);
    const before = await readEverything(log);
    const bases = log.segmentBaseOffsets();
    await closeAll(m);
    const idx = segmentPath(bases[1], '.index');
    const original = fs.readFileSync(idx);
    fs.writeFileSync(idx, Buffer.from([0, 0, 0, 9, 0, 0, 2, 0, 0, 0, 0, 3, 0, 0, 1, 0]));
    const m2 = await open({ segmentBytes: 1024, indexIntervalBytes: 128 });
    const got = await readEverything(m2.get('orders', 0)!);
    got.forEach((b, i) => expect(b.equals(before[i])).toBe(true));
    expect(fs.readFileSync(idx).equals(original)).toBe(true);
    expect(messages.some((msg) => msg.includes('rebuilding'))).toBe(true);
  });

  test('garbage files and dirs do not stop the other partitions from loading', async () => {
    const m = await open();
    fill(m.createPartition('orders', 0, TOPIC_ID), 5);
    await crashAfterClose(m);

    const junk = pdir('junk-0');
    fs.mkdirSync(junk);
    fs.writeFileSync(path.join(junk, '00000000000000000000.log'), Buffer.alloc(300, 0xab));
    fs.writeFileSync(path.join(junk, '00000000000000000000.index'), Buffer.alloc(13));
    fs.writeFileSync(path.join(junk, 'leader-epoch-checkpoint'), 'nonsense');
    const legacy = pdir('legacy-0');
    fs.mkdirSync(legacy);
    const v1 = Buffer.alloc(40);
    v1.writeInt32BE(28, 8);
    v1[16] = 1;
    fs.writeFileSync(path.join(legacy, '00000000000000000000.log'), v1);
    fs.mkdirSync(pdir('not a partition'));
    fs.mkdirSync(pdir('orders-1.0123456789abcdef0123456789abcdef-delete'));
    fs.writeFileSync(path.join(tmp, 'replication-offset-checkpoint'), 'garbage');

    const m2 = await open();
    expect(m2.get('orders', 0)!.logEndOffset).toBeGreaterThan(0);
    expect(m2.get('junk', 0)!.logEndOffset).toBe(0);
    expect(fs.statSync(path.join(junk, '00000000000000000000.log')).size).toBe(0);
    expect(m2.get('legacy', 0)).toBeUndefined();
    expect(messages.some((msg) => msg.includes('legacy-0'))).toBe(true);
  });
});

describe('LogManager partitions', () => {
  test('createPartition spreads over log dirs; deletePartition renames to -delete and removes it', async () => {
    const dirA = path.join(tmp, 'a');
    const dirB = path.join(tmp, 'b');
    const m = await open({}, [dirA, dirB]);
    const p0 = m.createPartition('orders', 0, TOPIC_ID);
    const p1 = m.createPartition('orders', 1, TOPIC_ID);
    expect(new Set([p0.logDir, p1.logDir])).toEqual(new Set([dirA, dirB]));
    expect(m.all().length).toBe(2);

    fill(p0, 3);
    const removal = m.deletePartition('orders', 0);
    const renamed = fs.readdirSync(p0.logDir).filter((n) => n.endsWith('-delete'));
    expect(renamed.length).toBe(1);
    expect(renamed[0]).toMatch(/^orders-0\.[0-9a-f]{32}-delete$/);
    await removal;
    expect(fs.readdirSync(p0.logDir).filter((n) => n.startsWith('orders-0'))).toEqual([]);
    expect(m.get('orders', 0)).toBeUndefined();
  });

  test('a long topic name is shortened in the -delete dir name', async () => {
    const m = await open();
    const topic = 'x'.repeat(249);
    m.createPartition(topic, 0, TOPIC_ID);
    const removal = m.deletePartition(topic, 0);
    const renamed = fs.readdirSync(tmp).filter((n) => n.endsWith('-delete'));
    expect(renamed[0].length).toBeLessThanOrEqual(255);
    await removal;
  });
});
