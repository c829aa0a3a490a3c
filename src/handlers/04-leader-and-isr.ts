// LeaderAndIsr (key 4), v0-7.
// The controller's word on the partitions this broker replicates: leader, leader epoch, ISR and
// partition epoch, taken into the cluster view at once so the broker leads or follows without
// waiting for its ZooKeeper watches. A stale controller or broker epoch fails every partition; a
// state older than the view's fails its partition with FENCED_LEADER_EPOCH; a replica in an offline
// log dir answers KAFKA_STORAGE_ERROR (the controller then moves its leadership away).
// Only brokers send it: without CLUSTER_ACTION on the cluster the whole request is
// CLUSTER_AUTHORIZATION_FAILED (Kafka's authorizeClusterOperation and error response).

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation } from '../auth/authorizer';
import { ControllerPartitionState } from '../cluster/controller-requests';
import { checkControllerRequest } from './controller-request';
import { clusterAuthorized, refused } from './authorize';
import { handler } from './handler';

export default handler(Apis.LeaderAndIsr, 0, 7, async (req, ctx) => {
  if (!clusterAuthorized(ctx, AclOperation.CLUSTER_ACTION)) return refused(Apis.LeaderAndIsr, ctx, req, ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
  const states: ControllerPartitionState[] = [
    ...req.ungroupedPartitionStates.map((p) => toState(p.topicName, null, p)),
    ...req.topicStates.flatMap((t) => t.partitionStates.map((p) => toState(t.topicName, ctx.version >= 5 ? t.topicId : null, p))),
  ];
  ctx.log.info(
    `Handling LeaderAndIsr request correlationId ${ctx.header.correlationId} from controller ${req.controllerId} epoch ${req.controllerEpoch} for ${states.length} partitions`,
  );
  const checked = checkControllerRequest(ctx, req.controllerEpoch, req.brokerEpoch);
  let errors: number[];
  if (checked.requests) {
    errors = await checked.requests.applyStates(states);
    errors = errors.map((code, i) => (code === ErrorCode.NONE && ctx.logDirs.isOffline(states[i].topic, states[i].partition) ? ErrorCode.KAFKA_STORAGE_ERROR : code));
  } else {
    ctx.log.warn(`Ignoring LeaderAndIsr request from controller ${req.controllerId} epoch ${req.controllerEpoch}: error ${checked.errorCode}`);
    errors = states.map(() => checked.errorCode);
  }
  states.forEach((s, i) => {
    if (errors[i] !== ErrorCode.NONE) ctx.log.info(`LeaderAndIsr for ${s.topic}-${s.partition} (leader epoch ${s.leaderEpoch}) failed with error ${errors[i]}`);
  });
  const results = states.map((s, i) => ({ state: s, errorCode: errors[i] }));
  if (ctx.version < 5) {
    return {
      errorCode: checked.errorCode,
      partitionErrors: results.map((r) => ({ topicName: r.state.topic, partitionIndex: r.state.partition, errorCode: r.errorCode })),
      topics: [],
    };
  }
  return {
    errorCode: checked.errorCode,
    partitionErrors: [],
    topics: req.topicStates.map((t) => ({
      topicId: t.topicId,
      partitionErrors: results.filter((r) => r.state.topic === t.topicName).map((r) => ({ topicName: t.topicName, partitionIndex: r.state.partition, errorCode: r.errorCode })),
    })),
  };
});

interface WirePartitionState {
  partitionIndex: number;
  controllerEpoch: number;
  leader: number;
  leaderEpoch: number;
  isr: number[];
  partitionEpoch: number;
  replicas: number[];
  leaderRecoveryState: number;
}

function toState(topic: string, topicId: string | null, p: WirePartitionState): ControllerPartitionState {
  return {
    topic,
    topicId,
    partition: p.partitionIndex,
    controllerEpoch: p.controllerEpoch,
    leader: p.leader,
    leaderEpoch: p.leaderEpoch,
    isr: p.isr,
    partitionEpoch: p.partitionEpoch,
    replicas: p.replicas,
    leaderRecoveryState: p.leaderRecoveryState,
  };
}
