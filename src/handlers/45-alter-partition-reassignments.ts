// AlterPartitionReassignments (key 45), v0.
// The active controller starts moving each partition to its target replicas, or (replicas null)
// cancels the move in progress. A non-controller answers NOT_CONTROLLER at the top level, with no
// per-partition results, as Kafka does.
// Without ALTER on the cluster the whole request is CLUSTER_AUTHORIZATION_FAILED, as Kafka's error response.

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import { AclOperation } from '../auth/authorizer';
import { ReassignmentResult } from '../cluster/cluster';
import { clusterAuthorized, refused } from './authorize';
import { handler } from './handler';

export default handler(Apis.AlterPartitionReassignments, 0, 0, async (req, ctx) => {
  if (!clusterAuthorized(ctx, AclOperation.ALTER)) return refused(Apis.AlterPartitionReassignments, ctx, req, ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
  const requests = req.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, replicas: p.replicas })));
  let results: ReassignmentResult[];
  try {
    results = await ctx.controller.alterPartitionReassignments(requests);
  } catch (err) {
    if (!(err instanceof KafkaError)) throw err;
    return { throttleTimeMs: 0, errorCode: err.code, errorMessage: err.message, responses: [] };
  }
  const byTopic = new Map<string, ReassignmentResult[]>();
  for (const r of results) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    responses: [...byTopic].map(([name, rs]) => ({
      name,
      partitions: rs.map((r) => ({ partitionIndex: r.partition, errorCode: r.errorCode, errorMessage: r.errorMessage })),
    })),
  };
});
