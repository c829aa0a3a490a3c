// AlterReplicaLogDirs (key 34), v0-2 (v1 as v0; v2 flexible).
// Moves this broker's replicas between its log dirs (Kafka's ReplicaManager.alterReplicaLogDirs):
// per partition, INVALID_TOPIC_EXCEPTION for a name too long for a future dir, LOG_DIR_NOT_FOUND for
// a path that is not one of log.dirs (absolute, as configured), KAFKA_STORAGE_ERROR for an offline
// destination or partition, or while another dir is offline, REPLICA_NOT_AVAILABLE when this broker
// holds no replica of the partition (the dir is remembered for when it gets one) and
// UNKNOWN_TOPIC_OR_PARTITION for a partition the cluster does not know. A move is answered at once;
// the copy runs in the background and the replica switches dirs when it has caught up. Results are
// grouped by topic; a partition named twice moves to the dir named last. Without ALTER on the cluster every
// partition is CLUSTER_AUTHORIZATION_FAILED and nothing moves.

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation } from '../auth/authorizer';
import { clusterAuthorized } from './authorize';
import { handler } from './handler';

export default handler(Apis.AlterReplicaLogDirs, 0, 2, (req, ctx) => {
  // A partition named twice moves to the dir named last, as Kafka's map of the request keeps it.
  const wanted = new Map<string, Map<number, string>>();
  for (const dir of req.dirs) {
    for (const topic of dir.topics) {
      const partitions = wanted.get(topic.name) ?? new Map<number, string>();
      wanted.set(topic.name, partitions);
      for (const partition of topic.partitions) partitions.set(partition, dir.path);
    }
  }
  const allowed = clusterAuthorized(ctx, AclOperation.ALTER);
  return {
    throttleTimeMs: 0,
    results: [...wanted].map(([topicName, partitions]) => ({
      topicName,
      partitions: [...partitions].map(([partitionIndex, dir]) => ({ partitionIndex, errorCode: allowed ? ctx.replication.alterReplicaLogDir(topicName, partitionIndex, dir) : ErrorCode.CLUSTER_AUTHORIZATION_FAILED })),
    })),
  };
});
