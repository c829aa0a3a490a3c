// ControlledShutdown (key 7), v0-3.
// A stopping broker asks the active controller to move leadership off it first; the answer lists
// the partitions it still leads. Only the controller answers (NOT_CONTROLLER elsewhere), and only
// the broker's current registration (STALE_BROKER_EPOCH for an older one; v0-1 carry no epoch).
// Only brokers send it: without CLUSTER_ACTION on the cluster the whole request is
// CLUSTER_AUTHORIZATION_FAILED (Kafka's authorizeClusterOperation and error response).

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import { AclOperation } from '../auth/authorizer';
import { clusterAuthorized, refused } from './authorize';
import { handler } from './handler';

export default handler(Apis.ControlledShutdown, 0, 3, async (req, ctx) => {
  if (!clusterAuthorized(ctx, AclOperation.CLUSTER_ACTION)) return refused(Apis.ControlledShutdown, ctx, req, ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
  try {
    const remaining = await ctx.controller.controlledShutdown(req.brokerId, req.brokerEpoch);
    return {
      errorCode: ErrorCode.NONE,
      remainingPartitions: remaining.map((tp) => ({ topicName: tp.topic, partitionIndex: tp.partition })),
    };
  } catch (err) {
    if (!(err instanceof KafkaError)) throw err;
    return { errorCode: err.code, remainingPartitions: [] };
  }
});
