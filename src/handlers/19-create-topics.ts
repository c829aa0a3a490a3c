// CreateTopics (key 19), v0-7.
// Per-topic outcomes: INVALID_TOPIC_EXCEPTION, TOPIC_ALREADY_EXISTS, INVALID_PARTITIONS,
// INVALID_REPLICATION_FACTOR, INVALID_REPLICA_ASSIGNMENT, INVALID_CONFIG, and INVALID_REQUEST for a
// topic named twice or given both counts and an explicit assignment. -1 partitions or replication
// factor (v4+) take the broker defaults. validate_only (v1+) checks without creating. From v5 the
// response carries the resulting partition count, replication factor and configs; v7 the topic id.
// The answer waits (up to timeout_ms) until every partition has a leader, as Kafka's does. Only the
// controller creates: any other broker answers NOT_CONTROLLER for every topic, with no message, as
// a ZooKeeper-mode Kafka does (clients send admin requests to the controller from Metadata).
// Creating needs CREATE on the cluster or on the topic (else TOPIC_AUTHORIZATION_FAILED, "Authorization
// failed."); the partition count, replication factor and configs come back (v5+) only with
// DESCRIBE_CONFIGS on the topic, else topic_config_error_code is TOPIC_AUTHORIZATION_FAILED.

import { Apis, ErrorCode, KafkaError, wireMessage } from '../../protocol';
import { AclOperation } from '../auth/authorizer';
import { ZERO_UUID } from '../cluster/topic';
import { DescribedConfig, describeTopicConfigs } from '../cluster/topic-configs';
import { clusterAuthorized, topicAuthorizer } from './authorize';
import { handler } from './handler';

export default handler(Apis.CreateTopics, 0, 7, async (req, ctx) => {
  const counts = new Map<string, number>();
  for (const t of req.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);

  const controller = ctx.metadata.isController();
  const creatable = clusterAuthorized(ctx, AclOperation.CREATE, false) ? () => true : topicAuthorizer(ctx, AclOperation.CREATE);
  const describable = topicAuthorizer(ctx, AclOperation.DESCRIBE_CONFIGS, false);
  const topics = [];
  for (const t of req.topics) {
    const result = {
      name: t.name,
      topicId: ZERO_UUID,
      errorCode: ErrorCode.NONE,
      errorMessage: null as string | null,
      numPartitions: -1,
      replicationFactor: -1,
      configs: null as DescribedConfig[] | null,
      topicConfigErrorCode: ErrorCode.NONE as number,
    };
    if (!controller) {
      topics.push({ ...result, errorCode: ErrorCode.NOT_CONTROLLER });
      continue;
    }
    // As Kafka: topic_config_error_code says the configs are withheld, unless the creation itself failed.
    if (!describable(t.name)) result.topicConfigErrorCode = ErrorCode.TOPIC_AUTHORIZATION_FAILED;
    if (counts.get(t.name)! > 1) {
      const message = `Create topics request from client \`${ctx.header.clientId}\` contains multiple entries for the following topics: ${t.name}`;
      topics.push({ ...result, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: message });
      continue;
    }
    if (!creatable(t.name)) {
      topics.push({ ...result, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED, errorMessage: 'Authorization failed.' });
      continue;
    }
    try {
      const configs: Record<string, string> = {};
      for (const c of t.configs) if (c.value !== null) configs[c.name] = c.value;
      const topic = await ctx.topicAdmin.createTopic(
        {
          name: t.name,
          numPartitions: t.numPartitions,
          replicationFactor: t.replicationFactor,
          assignments: t.assignments,
          configs,
        },
        req.validateOnly,
      );
      if (!req.validateOnly) {
        await ctx.topicAdmin.waitForLeaders(topic.name, req.timeoutMs);
        result.topicId = topic.id;
      }
      if (result.topicConfigErrorCode !== ErrorCode.NONE) {
        result.configs = [];
      } else {
        result.numPartitions = topic.partitions.length;
        result.replicationFactor = topic.partitions[0].replicas.length;
        result.configs = describeTopicConfigs(topic.configs, ctx.brokerConfigs.layers());
      }
    } catch (err) {
      if (!(err instanceof KafkaError)) throw err;
      if (err.code === ErrorCode.UNKNOWN_SERVER_ERROR) ctx.log.error(`Error creating topic ${t.name}: ${err.message}`);
      result.errorCode = err.code;
      result.errorMessage = wireMessage(err);
      result.topicConfigErrorCode = ErrorCode.NONE;
    }
    topics.push(result);
  }
  return { throttleTimeMs: 0, topics };
});
