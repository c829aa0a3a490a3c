// StopReplica (key 5), v0-4.
// The controller stops this broker replicating partitions: with delete (a reassignment moved the
// replica away, or the topic is gone) the local log goes, through the same path the broker uses
// to follow the cluster view; without (controlled shutdown, and before each delete), the broker
// stops fetching them and leaves the log, and does not follow them again until it leads them or
// becomes their replica anew, so no leader takes it back into an ISR. A partition whose leader
// epoch in the request (v3+) is older than the view's fails with FENCED_LEADER_EPOCH.
// Only brokers send it: without CLUSTER_ACTION on the cluster the whole request is
// CLUSTER_AUTHORIZATION_FAILED (Kafka's authorizeClusterOperation and error response).

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation } from '../auth/authorizer';
import { checkControllerRequest } from './controller-request';
import { clusterAuthorized, refused } from './authorize';
import { handler } from './handler';

/** Kafka's LeaderAndIsr.EpochDuringDelete and NoEpoch: no leader epoch check. */
const NO_EPOCH_CHECK = new Set([-2, -1]);

interface StoppedPartition {
  topic: string;
  partition: number;
  leaderEpoch: number;
  delete: boolean;
}

export default handler(Apis.StopReplica, 0, 4, async (req, ctx) => {
  if (!clusterAuthorized(ctx, AclOperation.CLUSTER_ACTION)) return refused(Apis.StopReplica, ctx, req, ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
  const partitions: StoppedPartition[] = [
    ...req.ungroupedPartitions.map((p) => ({ topic: p.topicName, partition: p.partitionIndex, leaderEpoch: -1, delete: req.deletePartitions })),
    ...req.topics.flatMap((t) => t.partitionIndexes.map((partition) => ({ topic: t.name, partition, leaderEpoch: -1, delete: req.deletePartitions }))),
    ...req.topicStates.flatMap((t) =>
      t.partitionStates.map((p) => ({ topic: t.topicName, partition: p.partitionIndex, leaderEpoch: p.leaderEpoch, delete: p.deletePartition })),
    ),
  ];
  const deleting = partitions.filter((p) => p.delete).length;
  ctx.log.info(
    `Handling StopReplica request correlationId ${ctx.header.correlationId} from controller ${req.controllerId} epoch ${req.controllerEpoch} for ${partitions.length} partitions (${deleting} to delete)`,
  );
  const checked = checkControllerRequest(ctx, req.controllerEpoch, req.brokerEpoch);
  const result = (p: StoppedPartition, errorCode: number) => ({ topicName: p.topic, partitionIndex: p.partition, errorCode });
  if (!checked.requests) {
    ctx.log.warn(`Ignoring StopReplica request from controller ${req.controllerId} epoch ${req.controllerEpoch}: error ${checked.errorCode}`);
    return { errorCode: checked.errorCode, partitionErrors: partitions.map((p) => result(p, checked.errorCode)) };
  }
  const errors = partitions.map((p) => {
    const current = ctx.metadata.topics.get(p.topic)?.partitions[p.partition]?.leaderEpoch ?? -1;
    return !NO_EPOCH_CHECK.has(p.leaderEpoch) && p.leaderEpoch < current ? ErrorCode.FENCED_LEADER_EPOCH : ErrorCode.NONE;
  });
  const stopped = partitions.filter((_, i) => errors[i] === ErrorCode.NONE);
  for (const p of stopped) ctx.replication.stopFetching(p.topic, p.partition);
  const deleted = stopped.filter((p) => p.delete);
  if (deleted.length > 0) await checked.requests.refreshPartitions(deleted);
  return { errorCode: ErrorCode.NONE, partitionErrors: partitions.map((p, i) => result(p, errors[i])) };
});
