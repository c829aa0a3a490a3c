// The small JSON files a standalone broker keeps in its first log dir (topics, dynamic configs,
// finalized features): Kafka ignores plain files there. Written atomically, so a crash leaves the
// old content or the new, never half of one.

import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomicSync } from '../log/atomic-file';

/** The file's content, undefined when there is no file yet. */
export function readLogDirJson<T>(file: string): T | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
}

export function writeLogDirJson(file: string, content: unknown, indent?: number): void {
  writeFileAtomicSync(file, JSON.stringify(content, null, indent));
}
