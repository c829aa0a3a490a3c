// DescribeConfigs (key 32), v0-4.
// Topic configs (resource type 2): the topic's overrides, else the broker's setting (dynamic for this
// broker, dynamic cluster default, server.properties), else Kafka's default, with their source;
// broker configs (type 4): for this broker's id every config Kafka 3.9 has, with its value in effect
// and its source, for "" (the cluster default) the dynamic cluster-wide defaults. A null or empty key
// list means all keys, as in Kafka. Synonyms (v1+) when asked for; config types and documentation
// (v3+) when asked for. A resource the principal may not DESCRIBE_CONFIGS (the topic; the cluster for
// brokers and broker loggers) is answered after the others with TOPIC_AUTHORIZATION_FAILED or
// CLUSTER_AUTHORIZATION_FAILED and the error's message, as Kafka does.

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import { AclOperation } from '../auth/authorizer';
import { DescribedConfig, describeTopicConfigs } from '../cluster/topic-configs';
import { authorizationMessage, configsAuthorized } from './authorize';
import { ConfigResourceType } from './config-resource-types';
import { handler } from './handler';

const DEFAULT_CONFIG = 5;

export default handler(Apis.DescribeConfigs, 0, 4, (req, ctx) => {
  const { version } = ctx;
  const refused = [];
  const allowed = [];
  for (const r of req.resources) {
    const errorCode = configsAuthorized(ctx, AclOperation.DESCRIBE_CONFIGS, r.resourceType, r.resourceName);
    if (errorCode) refused.push({ errorCode, errorMessage: authorizationMessage(errorCode), resourceType: r.resourceType, resourceName: r.resourceName, configs: [] });
    else allowed.push(r);
  }
  const results = allowed.map((r) => {
    const answer = (errorCode: number, errorMessage: string | null, configs: DescribedConfig[]) => ({
      errorCode,
      errorMessage,
      resourceType: r.resourceType,
      resourceName: r.resourceName,
      configs: configs
        .filter((c) => !r.configurationKeys?.length || r.configurationKeys.includes(c.name))
        .map((c) => ({
          ...c,
          isDefault: c.configSource === DEFAULT_CONFIG,
          synonyms: version >= 1 && req.includeSynonyms ? c.synonyms : [],
          documentation: version >= 3 && req.includeDocumentation ? (c.documentation ?? null) : null,
        })),
    });
    if (r.resourceType === ConfigResourceType.TOPIC) {
      const topic = ctx.metadata.topics.get(r.resourceName);
      if (!topic) return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${r.resourceName} does not exist.`, []);
      return answer(ErrorCode.NONE, null, describeTopicConfigs(topic.configs, ctx.brokerConfigs.layers()));
    }
    if (r.resourceType === ConfigResourceType.BROKER) {
      try {
        return answer(ErrorCode.NONE, null, ctx.brokerConfigs.describe(r.resourceName));
      } catch (err) {
        if (!(err instanceof KafkaError)) throw err;
        return answer(err.code, err.message, []);
      }
    }
    return answer(ErrorCode.INVALID_REQUEST, `Unsupported resource type ${r.resourceType}.`, []);
  });
  return { throttleTimeMs: 0, results: [...results, ...refused] };
});
