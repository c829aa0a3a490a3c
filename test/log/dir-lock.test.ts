// The log dir lock on real temp dirs: held while taken, refused to a live holder (another process,
// or this one), taken over from a process that is gone, released on release.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DirLock, DirLockedError, LOCK_FILE, lockLogDirs } from '../../src/log/dir-lock';
import { makeTempDir, removeDir } from './helpers';

let dir: string;
beforeEach(() => {
  dir = makeTempDir();
});
afterEach(() => removeDir(dir));

const lockFile = () => path.join(dir, LOCK_FILE);

test('the lock file holds this process id while held and goes on release', () => {
  const lock = DirLock.acquire(dir);
  expect(fs.readFileSync(lockFile(), 'utf8').trim()).toBe(String(process.pid));
  expect(() => DirLock.acquire(dir)).toThrow(DirLockedError);
  lock.release();
  expect(fs.existsSync(lockFile())).toBe(false);
  DirLock.acquire(dir).release();
});

test('a dir locked by another live process is refused, naming the dir as Kafka does', () => {
  const holder = spawn('sleep', ['30']);
  try {
    fs.writeFileSync(lockFile(), `${holder.pid}\n`);
    expect(() => DirLock.acquire(dir)).toThrow(`Failed to acquire lock on file .lock in ${dir}. A Kafka instance in another process or thread is using this directory.`);
    expect(fs.readFileSync(lockFile(), 'utf8').trim()).toBe(String(holder.pid));
  } finally {
    holder.kill('SIGKILL');
  }
});

test('a lock left by a process that is gone (a crash) is taken over', () => {
  const gone = spawnSync('true');
  fs.writeFileSync(lockFile(), `${gone.pid}\n`);
  const lock = DirLock.acquire(dir);
  expect(fs.readFileSync(lockFile(), 'utf8').trim()).toBe(String(process.pid));
  lock.release();
});

test('locking several dirs takes all or none', () => {
  const other = makeTempDir();
  try {
    const held = DirLock.acquire(dir);
    expect(() => lockLogDirs([other, dir])).toThrow(DirLockedError);
    expect(fs.existsSync(path.join(other, LOCK_FILE))).toBe(false);
    held.release();
    for (const lock of lockLogDirs([other, dir])) lock.release();
  } finally {
    removeDir(other);
  }
});
