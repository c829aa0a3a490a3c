// Metadata (key 3), v0-12.
// Brokers are answered with the endpoint of the listener the request came in on. A null topic list
// (v1+) or an empty one in v0 means all topics. Unknown topics are created when both the broker
// (auto.create.topics.enable) and the request (v4+ allowAutoTopicCreation) allow it; invalid names get
// INVALID_TOPIC_EXCEPTION; a topic the request created is LEADER_NOT_AVAILABLE until asked again.
// A partition whose leader is not alive (or, v6+, has no endpoint on this listener: LISTENER_NOT_FOUND)
// is LEADER_NOT_AVAILABLE with leader -1, as Kafka's metadata cache answers it.
// From v12 topics may be asked for by id (v10-11 carry the field but refuse it: INVALID_REQUEST).
// Authorization as Kafka's: a topic named (or, v12+, asked for by id) without DESCRIBE on it is
// TOPIC_AUTHORIZATION_FAILED (by id: the id without the name); the all-topics listing silently leaves
// such topics out. An unknown topic is auto-created only with CREATE on the cluster or on the topic,
// else TOPIC_AUTHORIZATION_FAILED. The refused come last, those refused creation first, without
// authorized operations. Authorized operations (of the other topics, and of the cluster for v8-10)
// are the principal's when asked for; the cluster's are 0 without DESCRIBE on it.

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import { AclOperation, ResourceType } from '../auth/authorizer';
import { INTERNAL_TOPICS, TopicInfo, ZERO_UUID, validateTopicName } from '../cluster/topic';
import { NOT_REQUESTED, authorizedOperations, clusterAuthorized, clusterAuthorizedOperations, topicAuthorizer } from './authorize';
import { handler } from './handler';

export default handler(Apis.Metadata, 0, 12, async (req, ctx) => {
  const { version } = ctx;
  const topicOps = (name: string | null) => (req.includeTopicAuthorizedOperations ? authorizedOperations(ctx, ResourceType.TOPIC, name ?? '') : NOT_REQUESTED);

  const brokers = ctx.metadata.liveBrokers(ctx.session.listenerName);
  const reachable = new Set(brokers.map((b) => b.id));
  const alive = new Set(ctx.metadata.liveBrokerIds());
  // As Kafka's metadata cache: a leader that is not alive, or has no endpoint on this listener, is
  // no leader to send to (-1), so clients ask again at once rather than wait for the dead broker.
  const leaderError = (leader: number): number => {
    if (leader >= 0 && reachable.has(leader)) return ErrorCode.NONE;
    if (leader >= 0 && alive.has(leader) && version >= 6) return ErrorCode.LISTENER_NOT_FOUND;
    return ErrorCode.LEADER_NOT_AVAILABLE;
  };
  const describe = (t: TopicInfo) => ({
    errorCode: ErrorCode.NONE,
    name: t.name,
    topicId: t.id,
    isInternal: INTERNAL_TOPICS.has(t.name),
    partitions: t.partitions.map((p, index) => ({
      errorCode: leaderError(p.leader),
      partitionIndex: index,
      leaderId: reachable.has(p.leader) ? p.leader : -1,
      leaderEpoch: p.leaderEpoch,
      replicaNodes: p.replicas,
      isrNodes: p.isr,
      offlineReplicas: [],
    })),
    topicAuthorizedOperations: topicOps(t.name),
  });
  const failed = (errorCode: number, name: string | null, topicId = ZERO_UUID, topicAuthorizedOperations = topicOps(name)) => ({
    errorCode,
    name,
    topicId,
    isInternal: false,
    partitions: [],
    topicAuthorizedOperations,
  });
  const refused = (name: string | null, topicId = ZERO_UUID) => failed(ErrorCode.TOPIC_AUTHORIZATION_FAILED, name, topicId, NOT_REQUESTED);

  const allowAutoCreate = version < 4 || req.allowAutoTopicCreation;
  const wantsAll = req.topics === null || (version === 0 && req.topics.length === 0);
  for (const wanted of wantsAll || version >= 12 ? [] : req.topics!) {
    if (wanted.name === null) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Topic name can not be null for version ${version}`);
    if (wanted.topicId !== ZERO_UUID) throw new KafkaError(ErrorCode.INVALID_REQUEST, `Topic IDs are not supported in requests for version ${version}`);
  }
  // The listing asks quietly, as Kafka does: leaving a topic out is no denial worth logging.
  const describable = topicAuthorizer(ctx, AclOperation.DESCRIBE, !wantsAll);
  const notDescribable = [];
  const notCreatable = [];
  const topics = [];
  if (wantsAll) topics.push(...ctx.metadata.topics.list().filter((t) => describable(t.name)).map(describe));
  let creatable: ((name: string) => boolean) | undefined;
  for (const wanted of wantsAll ? [] : req.topics!) {
    if (wanted.name === null || wanted.topicId !== ZERO_UUID) {
      const byId = ctx.metadata.topics.getById(wanted.topicId);
      if (!byId) topics.push(failed(ErrorCode.UNKNOWN_TOPIC_ID, null, wanted.topicId));
      else if (!describable(byId.name)) notDescribable.push(refused(null, byId.id));
      else topics.push(describe(byId));
      continue;
    }
    const name = wanted.name;
    if (!describable(name)) {
      notDescribable.push(refused(name));
      continue;
    }
    try {
      const known = ctx.metadata.topics.get(name);
      if (known) {
        topics.push(describe(known));
        continue;
      }
      if (!allowAutoCreate || !ctx.config.autoCreateTopicsEnable) {
        validateTopicName(name);
        topics.push(failed(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name));
        continue;
      }
      creatable ??= clusterAuthorized(ctx, AclOperation.CREATE, false) ? () => true : topicAuthorizer(ctx, AclOperation.CREATE);
      if (!creatable(name)) {
        notCreatable.push(refused(name));
        continue;
      }
      validateTopicName(name);
      // As Kafka: a topic this request created has no leaders to report yet; the client asks again.
      await ctx.topicAdmin.autoCreateTopic(name);
      topics.push(failed(ErrorCode.LEADER_NOT_AVAILABLE, name));
    } catch (err) {
      if (!(err instanceof KafkaError)) throw err;
      topics.push(failed(err.code, name));
    }
  }

  return {
    throttleTimeMs: 0,
    brokers: brokers.map((b) => ({ nodeId: b.id, host: b.host, port: b.port, rack: b.rack })),
    clusterId: ctx.metadata.clusterId,
    controllerId: ctx.metadata.controllerId(),
    topics: [...topics, ...notCreatable, ...notDescribable],
    clusterAuthorizedOperations: req.includeClusterAuthorizedOperations && version <= 10 ? clusterAuthorizedOperations(ctx) : NOT_REQUESTED,
  };
});
