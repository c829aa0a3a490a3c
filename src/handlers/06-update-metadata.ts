// UpdateMetadata (key 6), v0-8.
// The controller's partition states for every broker's metadata cache: taken into the cluster view
// when newer than what it holds. Its live brokers (shutting-down ones included, as Kafka lists
// them), when not those the view holds, make the view re-read /brokers/ids at once rather than
// wait for the watch: a broker gone is then no longer taken back into an ISR.
// Only brokers send it: without CLUSTER_ACTION on the cluster the whole request is
// CLUSTER_AUTHORIZATION_FAILED (Kafka's authorizeClusterOperation and error response).

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation } from '../auth/authorizer';
import { ControllerPartitionState } from '../cluster/controller-requests';
import { LEADER_RECOVERY_RECOVERED } from '../zk/znode-payloads';
import { checkControllerRequest } from './controller-request';
import { clusterAuthorized, refused } from './authorize';
import { handler } from './handler';

export default handler(Apis.UpdateMetadata, 0, 8, async (req, ctx) => {
  if (!clusterAuthorized(ctx, AclOperation.CLUSTER_ACTION)) return refused(Apis.UpdateMetadata, ctx, req, ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
  const states = [
    ...req.ungroupedPartitionStates.map((p) => toState(p.topicName, null, p)),
    ...req.topicStates.flatMap((t) => t.partitionStates.map((p) => toState(t.topicName, ctx.version >= 7 ? t.topicId : null, p))),
  ];
  ctx.log.info(
    `Handling UpdateMetadata request correlationId ${ctx.header.correlationId} from controller ${req.controllerId} epoch ${req.controllerEpoch} for ${states.length} partitions`,
  );
  const checked = checkControllerRequest(ctx, req.controllerEpoch, req.brokerEpoch);
  if (!checked.requests) {
    ctx.log.warn(`Ignoring UpdateMetadata request from controller ${req.controllerId} epoch ${req.controllerEpoch}: error ${checked.errorCode}`);
    return { errorCode: checked.errorCode };
  }
  if (states.length > 0) await checked.requests.applyStates(states);
  await checked.requests.applyLiveBrokers(req.liveBrokers.map((b) => b.id));
  return { errorCode: ErrorCode.NONE };
});

interface WirePartitionState {
  partitionIndex: number;
  controllerEpoch: number;
  leader: number;
  leaderEpoch: number;
  isr: number[];
  zkVersion: number;
  replicas: number[];
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
    partitionEpoch: p.zkVersion,
    replicas: p.replicas,
    // UpdateMetadata does not carry it; a partition the controller reports has a recovered leader.
    leaderRecoveryState: LEADER_RECOVERY_RECOVERED,
  };
}
