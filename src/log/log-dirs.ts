// What this broker can tell of its log dirs (Kafka's ReplicaManager.describeLogDirs, for
// DescribeLogDirs): each configured dir by its absolute path, the total and usable bytes of the
// file system it is on, and the partition logs it holds. A dir whose file system cannot be read is
// reported with the reason, not dropped.
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
  logs: PartitionLog[];
}

export interface LogDirsView {
  describeLogDirs(): LogDirDescription[];
}

/** Describes `dirs`, each with the logs of `logs` that live in it. */
export function describeLogDirs(dirs: readonly string[], logs: readonly PartitionLog[]): LogDirDescription[] {
  return dirs.map((dir) => {
    const absolute = path.resolve(dir);
    const held = logs.filter((l) => path.resolve(l.logDir) === absolute);
    try {
      const fsStats = statfsSync(absolute, { bigint: true });
      return { dir: absolute, error: null, totalBytes: fsStats.blocks * fsStats.bsize, usableBytes: fsStats.bavail * fsStats.bsize, logs: held };
    } catch (e) {
      return { dir: absolute, error: `Log directory ${absolute} is offline: ${(e as Error).message}`, totalBytes: -1n, usableBytes: -1n, logs: [] };
    }
  });
}
