// What this broker can tell of its log dirs (Kafka's ReplicaManager.describeLogDirs, for
// DescribeLogDirs): each configured dir by its absolute path, the total and usable bytes of the
// file system it is on, and the partition logs it holds, future replicas (being moved into the dir)
// included. An offline dir, or one whose file system cannot be read, is reported with the reason and
// nothing else, not dropped.
import { statfsSync } from 'node:fs';
import * as path from 'node:path';
import type { PartitionLog } from './partition-log';

export interface LogDirDescription {
  /** Absolute path, as Kafka reports it. */
  dir: string;
  /** Why the dir could not be described, or null. */
  error: string | null;
  totalBytes: bigint;
  usableBytes: bigint;
  /** Current and future logs in the dir (`log.isFuture`). */
  logs: PartitionLog[];
}

export interface LogDirsView {
  describeLogDirs(): LogDirDescription[];
  /** The partition's current log, if this broker holds it online (the reference a future log's lag is measured against). */
  get(topic: string, partition: number): PartitionLog | undefined;
  /** The partition's replica is in an offline log dir. */
  isOffline(topic: string, partition: number): boolean;
}

/** Describes `dirs`, each with the logs of `logs` that live in it; dirs in `offline` only by their error. */
export function describeLogDirs(dirs: readonly string[], logs: readonly PartitionLog[], offline: ReadonlySet<string> = new Set()): LogDirDescription[] {
  return dirs.map((dir) => {
    const absolute = path.resolve(dir);
    const failed = (why: string): LogDirDescription => ({ dir: absolute, error: `Log directory ${absolute} is offline${why}`, totalBytes: -1n, usableBytes: -1n, logs: [] });
    if (offline.has(absolute)) return failed('');
    const held = logs.filter((l) => path.resolve(l.logDir) === absolute);
    try {
      const fsStats = statfsSync(absolute, { bigint: true });
      return { dir: absolute, error: null, totalBytes: fsStats.blocks * fsStats.bsize, usableBytes: fsStats.bavail * fsStats.bsize, logs: held };
    } catch (e) {
      return failed(`: ${(e as Error).message}`);
    }
  });
}
