// DescribeLogDirs (key 35), v0-4.
// Each of this broker's log dirs, as Kafka's ReplicaManager.describeLogDirs reports it: the absolute
// path, and per topic held there the asked partitions (all of them for a null topic list) with their
// size on disk, offset lag and is_future. A current replica's lag is how far its log end is behind the
// high watermark (0 when caught up); a future replica (being moved into the dir) is reported too,
// is_future true, its lag how far its log end is behind the current replica's. A topic held in a dir
// is listed even when none of its partitions there was asked for, as Kafka lists it. v4 adds the file
// system's total and usable bytes. An offline dir, or one that cannot be read, answers
// KAFKA_STORAGE_ERROR and nothing else. Without DESCRIBE on the cluster the answer is no dirs and (v3+)
// CLUSTER_AUTHORIZATION_FAILED.

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation } from '../auth/authorizer';
import type { PartitionLog } from '../log/partition-log';
import { clusterAuthorized } from './authorize';
import { handler } from './handler';

export default handler(Apis.DescribeLogDirs, 0, 4, (req, ctx) => {
  if (!clusterAuthorized(ctx, AclOperation.DESCRIBE)) return { throttleTimeMs: 0, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, results: [] };
  const asked = req.topics === null ? null : new Set(req.topics.flatMap((t) => t.partitions.map((p) => `${t.topic}\u0000${p}`)));
  const wanted = (log: PartitionLog) => asked === null || asked.has(`${log.topic}\u0000${log.partition}`);
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    results: ctx.logDirs.describeLogDirs().map((d) => {
      const byTopic = new Map<string, PartitionLog[]>();
      for (const log of d.logs) byTopic.set(log.topic, [...(byTopic.get(log.topic) ?? []), log]);
      return {
        errorCode: d.error === null ? ErrorCode.NONE : ErrorCode.KAFKA_STORAGE_ERROR,
        logDir: d.dir,
        topics: [...byTopic].map(([name, logs]) => ({
          name,
          partitions: logs.filter(wanted).map((log) => ({
            partitionIndex: log.partition,
            partitionSize: BigInt(log.size),
            offsetLag: BigInt(offsetLag(log, ctx.logDirs.get(log.topic, log.partition))),
            isFutureKey: log.isFuture,
          })),
        })),
        totalBytes: d.totalBytes,
        usableBytes: d.usableBytes,
      };
    }),
  };
});

/** Kafka's getLogEndOffsetLag: -1 when the current replica is not here (offline or gone). */
function offsetLag(log: PartitionLog, current: PartitionLog | undefined): number {
  if (!current) return -1;
  return log.isFuture ? current.logEndOffset - log.logEndOffset : Math.max(current.highWatermark - log.logEndOffset, 0);
}
