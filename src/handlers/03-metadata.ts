// Metadata (key 3), v0-12.
// Brokers are answered with the endpoint of the listener the request came in on. A null topic list
// (v1+) or an empty one in v0 means all topics. Unknown topics are created when both the broker
// (auto.create.topics.enable) and the request (v4+ allowAutoTopicCreation) allow it; invalid names get
// INVALID_TOPIC_EXCEPTION; a topic the request created is LEADER_NOT_AVAILABLE until asked again.
// From v12 topics may be asked for by id (v10-11 carry the field but refuse it: INVALID_REQUEST).
// Without an authorizer, authorized operations report everything a topic or the cluster supports.

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import { INTERNAL_TOPICS, TopicInfo, ZERO_UUID, validateTopicName } from '../cluster/topic';
import { CLUSTER_OPERATIONS, NOT_REQUESTED, TOPIC_OPERATIONS } from './authorized-operations';
import { handler } from './handler';


export default handler(Apis.Metadata, 0, 12, async (req, ctx) => {
  const { version } = ctx;
  const topicOps = req.includeTopicAuthorizedOperations ? TOPIC_OPERATIONS : NOT_REQUESTED;

  const describe = (t: TopicInfo) => ({
    errorCode: ErrorCode.NONE,
    name: t.name,
    topicId: t.id,
    isInternal: INTERNAL_TOPICS.has(t.name),
    partitions: t.partitions.map((p, index) => ({
      errorCode: p.leader < 0 ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.NONE,
      partitionIndex: index,
      leaderId: p.leader,
      leaderEpoch: p.leaderEpoch,
      replicaNodes: p.replicas,
      isrNodes: p.isr,
      offlineReplicas: [],
    })),
    topicAuthorizedOperations: topicOps,
  });
  const failed = (errorCode: number, name: string | null, topicId = ZERO_UUID) => ({
    errorCode,
    name,
    topicId,
    isInternal: false,
    partitions: [],
    topicAuthorizedOperations: topicOps,
  });

  const allowAutoCreate = version < 4 || req.allowAutoTopicCreation;
  const wantsAll = req.topics === null || (version === 0 && req.topics.length === 0);
  for (const wanted of wantsAll || version >= 12 ? [] : req.topics!) {
    if (wanted.name === null) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Topic name can not be null for version ${version}`);
    if (wanted.topicId !== ZERO_UUID) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Topic IDs are not supported in requests for version ${version}`);
  }
  const topics = [];
  if (wantsAll) topics.push(...ctx.metadata.topics.list().map(describe));
  for (const wanted of wantsAll ? [] : req.topics!) {
    if (wanted.name === null || wanted.topicId !== ZERO_UUID) {
      const byId = ctx.metadata.topics.getById(wanted.topicId);
      topics.push(byId ? describe(byId) : failed(ErrorCode.UNKNOWN_TOPIC_ID, null, wanted.topicId));
      continue;
    }
    const name = wanted.name;
    try {
      validateTopicName(name);
      const known = ctx.metadata.topics.get(name);
      if (known) topics.push(describe(known));
      else if (!allowAutoCreate || !ctx.config.autoCreateTopicsEnable) topics.push(failed(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name));
      else {
        // As Kafka: a topic this request created has no leaders to report yet; the client asks again.
        await ctx.topicAdmin.autoCreateTopic(name);
        topics.push(failed(ErrorCode.LEADER_NOT_AVAILABLE, name));
      }
    } catch (err) {
      if (!(err instanceof KafkaError)) throw err;
      topics.push(failed(err.code, name));
    }
  }

  return {
    throttleTimeMs: 0,
    brokers: ctx.metadata.liveBrokers(ctx.session.listenerName).map((b) => ({ nodeId: b.id, host: b.host, port: b.port, rack: b.rack })),
    clusterId: ctx.metadata.clusterId,
    controllerId: ctx.metadata.controllerId(),
    topics,
    clusterAuthorizedOperations: req.includeClusterAuthorizedOperations ? CLUSTER_OPERATIONS : NOT_REQUESTED,
  };
});
