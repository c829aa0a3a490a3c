// A log dir's `.lock`, held while the broker runs, as Kafka holds one in every log dir, so two
// brokers (or two kafka-ts processes) never open the same dir. Node has no flock, so the file holds
// the owner's process id: a lock whose process is gone (a crash, a kill -9) is taken over; one held
// by a live process is refused with Kafka's message, naming the dir.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const LOCK_FILE = '.lock';

export class DirLockedError extends Error {
  constructor(dir: string) {
    super(`Failed to acquire lock on file ${LOCK_FILE} in ${dir}. A Kafka instance in another process or thread is using this directory.`);
    this.name = 'DirLockedError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process holding the lock file, or null when it holds no live process's id (stale or unreadable). */
function liveHolder(file: string): number | null {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(file, 'utf8').trim());
  } catch {
    return null;
  }
  // Our own id in a lock we do not hold is a previous run's that happened to get the same id.
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid) ? pid : null;
}

/** Lock files this process holds: a second broker in the same process is refused too. */
const heldHere = new Set<string>();

export class DirLock {
  private constructor(readonly dir: string, private readonly file: string) {}

  /** Takes the dir's lock; throws DirLockedError while a live process, this one included, holds it. */
  static acquire(dir: string): DirLock {
    const file = path.resolve(dir, LOCK_FILE);
    if (heldHere.has(file)) throw new DirLockedError(dir);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = fs.openSync(file, 'wx');
        fs.writeSync(fd, `${process.pid}\n`);
        fs.closeSync(fd);
        heldHere.add(file);
        return new DirLock(dir, file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      if (liveHolder(file) !== null) break;
      fs.rmSync(file, { force: true });
    }
    throw new DirLockedError(dir);
  }

  release(): void {
    if (!heldHere.delete(this.file)) return;
    fs.rmSync(this.file, { force: true });
  }
}

/** Locks every dir, or none: a dir already locked releases the ones taken before it. */
export function lockLogDirs(dirs: readonly string[]): DirLock[] {
  const locks: DirLock[] = [];
  try {
    for (const dir of dirs) locks.push(DirLock.acquire(dir));
    return locks;
  } catch (e) {
    for (const lock of locks) lock.release();
    throw e;
  }
}
