// DescribeConfigs (key 32), v0-4.
// Topic configs (resource type 2): the topic's overrides, else the broker's setting, else Kafka's
// default, with their source; broker configs (type 4): for this broker's id the static
// server.properties values and defaults, for "" (the cluster default) only dynamic cluster-wide
// defaults, none yet. A null or empty key list means all keys, as in Kafka.
// Synonyms (v1+) when asked for; config types (v3+); no documentation strings.

import { Apis, ErrorCode } from '../../protocol';
import { describeBrokerConfigs } from '../cluster/broker-configs';
import { DescribedConfig, describeTopicConfigs } from '../cluster/topic-configs';
import { handler } from './handler';

const TOPIC = 2;
const BROKER = 4;
const DEFAULT_CONFIG = 5;

export default handler(Apis.DescribeConfigs, 0, 4, (req, ctx) => {
  const { version } = ctx;
  const results = req.resources.map((r) => {
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
          documentation: null,
        })),
    });
    if (r.resourceType === TOPIC) {
      const topic = ctx.metadata.topics.get(r.resourceName);
      if (!topic) return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${r.resourceName} does not exist.`, []);
      return answer(ErrorCode.NONE, null, describeTopicConfigs(topic.configs, ctx.config.props));
    }
    if (r.resourceType === BROKER) {
      if (r.resourceName !== '' && r.resourceName !== String(ctx.metadata.brokerId)) {
        return answer(ErrorCode.INVALID_REQUEST, `Unexpected broker id, expected ${ctx.metadata.brokerId} or empty string, but received ${r.resourceName}`, []);
      }
      // As Kafka: "" is the cluster-wide default resource, which holds only dynamic defaults (none yet).
      return answer(ErrorCode.NONE, null, r.resourceName === '' ? [] : describeBrokerConfigs(ctx.config));
    }
    return answer(ErrorCode.INVALID_REQUEST, `Unsupported resource type ${r.resourceType}.`, []);
  });
  return { throttleTimeMs: 0, results };
});
