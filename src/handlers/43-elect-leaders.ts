// ElectLeaders (key 43), v0-2.
// Preferred (type 0; v0 is always preferred) or unclean (type 1) leader election, done by the
// active controller, for the partitions named or (null) all of them, with one result per partition.
// A non-controller answers NOT_CONTROLLER (v1+ top level; v0 has only per-partition errors). Without
// ALTER on the cluster, CLUSTER_AUTHORIZATION_FAILED the same way (no message), and nothing is elected.

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import { AclOperation } from '../auth/authorizer';
import { ElectionResult, PREFERRED_ELECTION } from '../cluster/cluster';
import { clusterAuthorized } from './authorize';
import { handler } from './handler';

export default handler(Apis.ElectLeaders, 0, 2, async (req, ctx) => {
  const wanted = req.topicPartitions?.flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition }))) ?? null;
  let results: ElectionResult[];
  let errorCode: number = ErrorCode.NONE;
  try {
    // As Kafka: refused as a whole, each partition named with the error and no message.
    if (!clusterAuthorized(ctx, AclOperation.ALTER)) throw new KafkaError(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    results = await ctx.controller.electLeaders(ctx.version === 0 ? PREFERRED_ELECTION : req.electionType, wanted);
  } catch (err) {
    if (!(err instanceof KafkaError)) throw err;
    errorCode = err.code;
    const errorMessage = err.code === ErrorCode.CLUSTER_AUTHORIZATION_FAILED ? null : err.message;
    results = (wanted ?? []).map((tp) => ({ ...tp, errorCode: err.code, errorMessage }));
  }
  const byTopic = new Map<string, ElectionResult[]>();
  for (const r of results) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
  return {
    throttleTimeMs: 0,
    errorCode,
    replicaElectionResults: [...byTopic].map(([topic, rs]) => ({
      topic,
      partitionResult: rs.map((r) => ({ partitionId: r.partition, errorCode: r.errorCode, errorMessage: r.errorMessage })),
    })),
  };
});
