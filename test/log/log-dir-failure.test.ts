// Log dirs going offline, in-process on real logs: an I/O error while rolling (the partition dir
// replaced by a regular file: tests run as root, so permissions cannot make a dir unwritable) takes
// the whole dir offline, its partitions answer KAFKA_STORAGE_ERROR and stay out of new placements,
// the other dir keeps serving, and the broker is told to stop only once every dir has failed. A dir
// that cannot be read at startup starts offline.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorCode, KafkaError } from '../../protocol';
import { TopicView } from '../../src/cluster/cluster';
import { LogManager } from '../../src/log/log-manager';
import { flushPendingWrites } from '../../src/log/pending-writes';
import { LocalPartitions } from '../../src/replication/local-partitions';
import { FakeClock } from '../helpers/fake-clock';
import { batch, makeTempDir, removeDir, testConfig } from './helpers';

const T0 = 1_700_000_000_000;
let root: string;
let dirs: string[];
let managers: LogManager[];
let halted: string[];

beforeEach(() => {
  root = makeTempDir();
  dirs = ['d0', 'd1'].map((d) => path.join(root, d));
  managers = [];
  halted = [];
});

afterEach(async () => {
  for (const m of managers) await m.close();
  removeDir(root);
});

async function open(logDirs = dirs): Promise<LogManager> {
  const m = await LogManager.open({ logDirs, defaultConfig: testConfig(), clock: new FakeClock(T0), tasks: false, onAllLogDirsFailed: (message) => halted.push(message) });
  managers.push(m);
  return m;
}

/** The failure seam: the partition's dir becomes a regular file, so creating a segment in it fails. */
function breakDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.writeFileSync(dir, 'not a dir');
}

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof KafkaError ? e.code : -1;
  }
  return undefined;
}

/** Another injected fault: the segment's log file fails its queued write. */
function breakFile(log: unknown): void {
  const file = (log as { segments: { log: { writePending(): void } }[] }).segments[0].log;
  file.writePending = () => {
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

test('an I/O error takes the whole dir offline: its partitions answer KAFKA_STORAGE_ERROR, the other dir serves on', async () => {
  const logs = await open();
  const a = logs.createPartition('t', 0);
  const b = logs.createPartition('t', 1);
  const c = logs.createPartition('t', 2);
  expect(a.logDir).toBe(c.logDir);
  expect(b.logDir).not.toBe(a.logDir);
  const failures: [string, string[]][] = [];
  logs.onLogDirFailure((dir, offline) => failures.push([dir, offline.map((p) => `${p.topic}-${p.partition}`).sort()]));
  a.append(batch(0, 2, T0), { leaderEpoch: 0, now: T0 });

  breakDir(a.dir);
  expect(codeOf(() => a.roll(T0))).toBe(ErrorCode.KAFKA_STORAGE_ERROR);

  expect(failures).toEqual([[a.logDir, ['t-0', 't-2']]]);
  expect(logs.isLogDirOnline(a.logDir)).toBe(false);
  expect(logs.isLogDirOnline(b.logDir)).toBe(true);
  expect(logs.get('t', 0)).toBeUndefined();
  expect(logs.isOffline('t', 0)).toBe(true);
  expect(logs.get('t', 1)).toBe(b);
  // Produce, fetch and list offsets reach logs through the partitions: KAFKA_STORAGE_ERROR.
  const topics: TopicView = { get: (name: string) => (name === 't' ? { name: 't', id: 'x', configs: {}, partitions: [0, 1, 2].map(() => ({ replicas: [1], leader: 1, leaderEpoch: 0, isr: [1] })) } : undefined), list: () => [] } as unknown as TopicView;
  const partitions = new LocalPartitions(1, topics, logs);
  expect(codeOf(() => partitions.leaderLog('t', 0))).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
  expect(codeOf(() => partitions.replicaLog('t', 2))).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
  expect(partitions.leaderLog('t', 1)).toBe(b);
  // An offline partition gets no new log elsewhere; new partitions go to the dir still online.
  expect(codeOf(() => logs.createPartition('t', 0))).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
  expect(logs.createPartition('u', 0).logDir).toBe(b.logDir);
  // DescribeLogDirs: the offline dir by its error alone.
  const described = logs.describeLogDirs().find((d) => d.dir === a.logDir)!;
  expect(described.error).toContain('offline');
  expect(described.logs).toEqual([]);
  await tick();
  expect(a.isClosed).toBe(true);
  expect(halted).toEqual([]);
  logs.checkpoint();
  expect(fs.existsSync(path.join(b.logDir, 'recovery-point-offset-checkpoint'))).toBe(true);
});

test('a failing flush or queued write takes the dir offline too; when every dir has failed the broker is told to stop', async () => {
  const logs = await open();
  const a = logs.createPartition('t', 0);
  const b = logs.createPartition('t', 1);
  a.append(batch(0, 2, T0), { leaderEpoch: 0, now: T0 });
  // An injected fault: the segment's fsync fails.
  const seg = (a as unknown as { segments: { flush(): void }[] }).segments[0];
  seg.flush = () => {
    throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
  };
  expect(codeOf(() => a.flush(T0))).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
  expect(logs.isLogDirOnline(a.logDir)).toBe(false);
  expect(halted).toEqual([]);
  // A queued write that fails when it reaches the file counts as well.
  breakFile(b);
  b.append(batch(1, 1, T0), { leaderEpoch: 0, now: T0 });
  flushPendingWrites();
  expect(logs.isLogDirOnline(b.logDir)).toBe(false);
  expect(halted).toEqual([`Shutdown broker because all log dirs in ${dirs.join(', ')} have failed`]);
});

test('a log dir that cannot be read at startup is offline; with none readable the log manager refuses to start', async () => {
  fs.writeFileSync(dirs[0], 'a regular file where a log dir should be');
  const logs = await open();
  expect(logs.liveLogDirs()).toEqual([dirs[1]]);
  expect(logs.describeLogDirs().map((d) => [d.dir, d.error === null])).toEqual([
    [dirs[0], false],
    [dirs[1], true],
  ]);
  expect(logs.createPartition('t', 0).logDir).toBe(dirs[1]);
  await expect(open([dirs[0]])).rejects.toThrow(/None of the specified log dirs/);
});
