// Moving replicas between log dirs in-process, on real logs in two or three temp dirs and fake time:
// the future dir's name, the copy in chunks while appends go on, the swap (same bytes, the old dir
// gone), a restart in the middle of a move, and every error AlterReplicaLogDirs answers per partition.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorCode } from '../../protocol';
import { LogManager } from '../../src/log/log-manager';
import { PartitionLog } from '../../src/log/partition-log';
import { LogDirMover } from '../../src/replication/log-dir-mover';
import { CapturingLogger } from '../handlers/fake-context';
import { FakeClock } from '../helpers/fake-clock';
import { batch, lastOffsetOf, makeTempDir, removeDir, splitBatches, testConfig } from '../log/helpers';

const T0 = 1_700_000_000_000;

let root: string;
let dirs: string[];
let managers: LogManager[];
let movers: LogDirMover[];
let known: Set<string>;
let moverLog: CapturingLogger;

beforeEach(() => {
  root = makeTempDir();
  dirs = ['d0', 'd1', 'd2'].map((d) => path.join(root, d));
  managers = [];
  movers = [];
  known = new Set(['t-0', 't-1']);
});

afterEach(async () => {
  for (const m of movers) await m.shutdown();
  for (const m of managers) await m.close();
  removeDir(root);
});

async function open(logDirs = dirs.slice(0, 2), chunkBytes = 512): Promise<{ logs: LogManager; mover: LogDirMover }> {
  const logs = await LogManager.open({ logDirs, defaultConfig: testConfig({ segmentBytes: 4096 }), clock: new FakeClock(T0), tasks: false });
  moverLog = new CapturingLogger();
  const mover = new LogDirMover({ logs, clock: new FakeClock(T0), log: moverLog, partitionExists: (t, p) => known.has(`${t}-${p}`), chunkBytes });
  managers.push(logs);
  movers.push(mover);
  return { logs, mover };
}

/** Appends batches; returns them as written (append sets offsets in place). */
function fill(log: PartitionLog, batches: number, startId = 0): Buffer[] {
  const written: Buffer[] = [];
  for (let i = 0; i < batches; i++) {
    const b = batch(startId + i, 1 + (i % 3), T0 + (startId + i) * 10);
    log.append(b, { leaderEpoch: 0, now: T0 });
    written.push(b);
  }
  return written;
}

async function readEverything(log: PartitionLog): Promise<Buffer> {
  const out: Buffer[] = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const batches = splitBatches((await log.read(offset, 1 << 20, { minOneBatch: true })).records);
    out.push(...batches);
    offset = lastOffsetOf(batches[batches.length - 1]) + 1;
  }
  return Buffer.concat(out);
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !condition(); i++) await tick();
  expect(condition()).toBe(true);
}

test('a move copies the log into a -future dir, appends made meanwhile included, then swaps it in and removes the old dir', async () => {
  const { logs, mover } = await open();
  const log = logs.createPartition('t', 0, 'AAAAAAAAAAAAAAAAAAAAAQ');
  const [from, to] = log.logDir === dirs[0] ? [dirs[0], dirs[1]] : [dirs[1], dirs[0]];
  const written = fill(log, 60);
  expect(log.numberOfSegments).toBeGreaterThan(1);

  expect(mover.alterReplicaLogDir('t', 0, to)).toBe(ErrorCode.NONE);
  const future = logs.getFuture('t', 0)!;
  let lastSeen = -1;
  expect(future.isFuture).toBe(true);
  expect(path.basename(future.dir)).toMatch(/^t-0\.[0-9a-f]{32}-future$/);
  expect(future.logDir).toBe(to);
  expect(logs.get('t', 0)).toBe(log);

  // Appends keep going to the current log while the copy runs, chunk by chunk.
  let appended = 0;
  for (; appended < 10 && logs.getFuture('t', 0); appended++) {
    written.push(...fill(logs.get('t', 0)!, 1, 100 + appended));
    // The next chunk is copied before the next append.
    await waitFor(() => !logs.getFuture('t', 0) || future.logEndOffset !== lastSeen);
    lastSeen = future.logEndOffset;
  }
  await mover.idle();
  expect(appended).toBeGreaterThan(3);
  expect(moverLog.lines.filter((l) => l.level === 'ERROR')).toEqual([]);

  const moved = logs.get('t', 0)!;
  expect(moved).not.toBe(log);
  expect(moved.isFuture).toBe(false);
  expect(moved.logDir).toBe(to);
  expect(moved.dir).toBe(path.join(to, 't-0'));
  expect(moved.topicId).toBe('AAAAAAAAAAAAAAAAAAAAAQ');
  expect(moved.logEndOffset).toBe(log.logEndOffset);
  expect(log.isClosed).toBe(true);
  await logs.close();
  managers = [];
  // After a restart the partition is in the new dir only, with every byte the old one had.
  expect(fs.readdirSync(from).filter((n) => n.startsWith('t-0'))).toEqual([]);
  expect(fs.readdirSync(to).filter((n) => n.startsWith('t-0'))).toEqual(['t-0']);
  const reopened = (await open()).logs.get('t', 0)!;
  expect(reopened.logDir).toBe(to);
  expect(reopened.logEndOffset).toBe(moved.logEndOffset);
  expect(await readEverything(reopened)).toEqual(Buffer.concat(written));
});

test('the copy is byte for byte, log start and producer state follow, and new appends land in the moved log', async () => {
  const { logs, mover } = await open();
  const log = logs.createPartition('t', 0);
  const to = dirs.find((d) => d !== log.logDir)!;
  fill(log, 30);
  log.highWatermark = log.logEndOffset;
  log.deleteRecordsBefore(5);
  const before = await readEverything(log);
  expect(mover.alterReplicaLogDir('t', 0, to)).toBe(ErrorCode.NONE);
  await mover.idle();
  const moved = logs.get('t', 0)!;
  expect(moved.logDir).toBe(to);
  expect(moved.logStartOffset).toBe(5);
  expect(await readEverything(moved)).toEqual(before);
  fill(moved, 1, 500);
  expect(moved.logEndOffset).toBe(log.logEndOffset + 1);
});

test('an empty log moves at once; moving to the dir it is in is a no-op', async () => {
  const { logs, mover } = await open();
  const log = logs.createPartition('t', 0);
  expect(mover.alterReplicaLogDir('t', 0, log.logDir)).toBe(ErrorCode.NONE);
  expect(logs.getFuture('t', 0)).toBeUndefined();
  expect(logs.get('t', 0)).toBe(log);
  const to = dirs.find((d) => d !== log.logDir && dirs.slice(0, 2).includes(d))!;
  expect(mover.alterReplicaLogDir('t', 0, to)).toBe(ErrorCode.NONE);
  await mover.idle();
  expect(logs.get('t', 0)!.logDir).toBe(to);
});

test('a broker restarted in the middle of a move finds the future log and finishes the move', async () => {
  const first = await open();
  const log = first.logs.createPartition('t', 0);
  const to = dirs.find((d) => d !== log.logDir)!;
  fill(log, 80);
  const before = await readEverything(log);
  expect(first.mover.alterReplicaLogDir('t', 0, to)).toBe(ErrorCode.NONE);
  await waitFor(() => first.logs.getFuture('t', 0)!.logEndOffset > 0);
  const partial = first.logs.getFuture('t', 0)!;
  expect(partial.logEndOffset).toBeGreaterThan(0);
  expect(partial.logEndOffset).toBeLessThan(log.logEndOffset);
  await first.mover.shutdown();
  await first.logs.close();
  managers = [];
  movers = [];

  const second = await open();
  const future = second.logs.getFuture('t', 0)!;
  expect(future.logDir).toBe(to);
  expect(future.logEndOffset).toBeGreaterThan(0);
  expect(second.logs.describeLogDirs().find((d) => d.dir === to)!.logs.map((l) => l.isFuture)).toEqual([true]);
  second.mover.resume('t', 0);
  await second.mover.idle();
  const moved = second.logs.get('t', 0)!;
  expect(moved.logDir).toBe(to);
  expect(second.logs.getFuture('t', 0)).toBeUndefined();
  expect(await readEverything(moved)).toEqual(before);
});

test('a new destination for a partition being moved replaces the future log; the current dir cancels the move', async () => {
  const { logs, mover } = await open(dirs);
  const log = logs.createPartition('t', 0);
  const [a, b] = dirs.filter((d) => d !== log.logDir);
  fill(log, 60);
  expect(mover.alterReplicaLogDir('t', 0, a)).toBe(ErrorCode.NONE);
  const firstFuture = logs.getFuture('t', 0)!;
  expect(mover.alterReplicaLogDir('t', 0, a)).toBe(ErrorCode.NONE);
  expect(logs.getFuture('t', 0)).toBe(firstFuture);
  expect(mover.alterReplicaLogDir('t', 0, b)).toBe(ErrorCode.NONE);
  expect(firstFuture.isClosed).toBe(true);
  expect(logs.getFuture('t', 0)!.logDir).toBe(b);
  expect(mover.alterReplicaLogDir('t', 0, log.logDir)).toBe(ErrorCode.NONE);
  expect(logs.getFuture('t', 0)).toBeUndefined();
  await mover.idle();
  expect(logs.get('t', 0)).toBe(log);
  await logs.close();
  managers = [];
  for (const d of [a, b]) expect(fs.readdirSync(d).filter((n) => n.startsWith('t-0'))).toEqual([]);
});

describe('errors', () => {
  test('LOG_DIR_NOT_FOUND for a path that is not one of log.dirs', async () => {
    const { logs, mover } = await open();
    logs.createPartition('t', 0);
    expect(mover.alterReplicaLogDir('t', 0, path.join(root, 'elsewhere'))).toBe(ErrorCode.LOG_DIR_NOT_FOUND);
  });

  test('INVALID_TOPIC_EXCEPTION when the future dir name would exceed 255 characters', async () => {
    const { mover } = await open();
    expect(mover.alterReplicaLogDir('x'.repeat(215), 0, dirs[0])).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
  });

  test('REPLICA_NOT_AVAILABLE without a replica here, and the log is created in that dir later', async () => {
    const { logs, mover } = await open();
    for (const d of dirs.slice(0, 2)) {
      const p = d === dirs[0] ? 0 : 1;
      expect(mover.alterReplicaLogDir('t', p, d)).toBe(ErrorCode.REPLICA_NOT_AVAILABLE);
      expect(logs.createPartition('t', p).logDir).toBe(d);
    }
  });

  test('UNKNOWN_TOPIC_OR_PARTITION for a partition the cluster does not know', async () => {
    const { mover } = await open();
    expect(mover.alterReplicaLogDir('nope', 0, dirs[0])).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });

  test('KAFKA_STORAGE_ERROR for an offline destination, an offline partition, and while another dir is offline', async () => {
    const { logs, mover } = await open(dirs);
    const t0 = logs.createPartition('t', 0);
    const t1 = logs.createPartition('t', 1);
    const spare = dirs.find((d) => d !== t0.logDir && d !== t1.logDir)!;
    logs.handleLogDirFailure(t1.logDir);
    expect(mover.alterReplicaLogDir('t', 0, t1.logDir)).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
    expect(mover.alterReplicaLogDir('t', 1, spare)).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
    // No future log while a dir is offline: it could end up in two dirs.
    expect(mover.alterReplicaLogDir('t', 0, spare)).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
    expect(logs.getFuture('t', 0)).toBeUndefined();
  });
});

test('an empty partition whose leader epoch started with no records moves (the copy waited for a record before)', async () => {
  const { logs, mover } = await open();
  const log = logs.createPartition('t', 1, 'AAAAAAAAAAAAAAAAAAAAAg');
  log.leaderEpochCache.assign(3, 0);
  const to = log.logDir === dirs[0] ? dirs[1] : dirs[0];

  expect(mover.alterReplicaLogDir('t', 1, to)).toBe(ErrorCode.NONE);
  await mover.idle();

  const moved = logs.get('t', 1)!;
  expect(moved.logDir).toBe(to);
  expect(moved.logEndOffset).toBe(0);
  expect(log.isClosed).toBe(true);
});
