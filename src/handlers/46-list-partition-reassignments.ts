// ListPartitionReassignments (key 46), v0.
// The active controller lists the named partitions (or, topics null, all of them) that are being
// reassigned: every replica, those being added and those being removed. Others answer NOT_CONTROLLER.
// Without DESCRIBE on the cluster the whole request is CLUSTER_AUTHORIZATION_FAILED, as Kafka's error response.

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import { AclOperation } from '../auth/authorizer';
import { PartitionReassignment } from '../cluster/cluster';
import { clusterAuthorized, refused } from './authorize';
import { handler } from './handler';

export default handler(Apis.ListPartitionReassignments, 0, 0, async (req, ctx) => {
  if (!clusterAuthorized(ctx, AclOperation.DESCRIBE)) return refused(Apis.ListPartitionReassignments, ctx, req, ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
  const wanted = req.topics?.flatMap((t) => t.partitionIndexes.map((partition) => ({ topic: t.name, partition }))) ?? null;
  let reassignments: PartitionReassignment[];
  try {
    reassignments = await ctx.controller.listPartitionReassignments(wanted);
  } catch (err) {
    if (!(err instanceof KafkaError)) throw err;
    return { throttleTimeMs: 0, errorCode: err.code, errorMessage: err.message, topics: [] };
  }
  const byTopic = new Map<string, PartitionReassignment[]>();
  for (const r of reassignments) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    topics: [...byTopic].map(([name, rs]) => ({
      name,
      partitions: rs.map((r) => ({ partitionIndex: r.partition, replicas: r.replicas, addingReplicas: r.addingReplicas, removingReplicas: r.removingReplicas })),
    })),
  };
});
