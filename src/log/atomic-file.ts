// Crash-safe small-file writes: write a sibling `.tmp`, fsync it, rename over the target, fsync the directory.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TMP_SUFFIX } from './file-names';

export function writeFileAtomicSync(file: string, data: string | Buffer): void {
  const tmp = file + TMP_SUFFIX;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fsyncDirSync(path.dirname(file));
}

/** Makes renames and creations in `dir` durable; some platforms cannot fsync a directory, which is harmless. */
export function fsyncDirSync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // best effort: not supported everywhere
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** fsyncs a file through the threadpool; a file that does not exist has nothing to sync. */
export async function fsyncFileAsync(file: string): Promise<void> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
