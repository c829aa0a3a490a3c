// AlterConfigs (key 33), v0-2.
// Replaces a resource's dynamic configs with the given ones (null values are left out, as Kafka
// does). Topics: every name must be a topic config and every value valid (INVALID_CONFIG with
// Kafka's message), the topic must exist (UNKNOWN_TOPIC_OR_PARTITION). Brokers: "" is the
// cluster-wide default, else this broker's id; only Kafka's dynamic keys, per-broker ones only for
// one broker (INVALID_REQUEST with Kafka's message). validate_only checks without changing anything.
// In ZooKeeper mode the configs go to /config/topics/<t> or /config/brokers/<id|<default>> with a
// change notification, so every broker applies them; they take effect at once (retention, segments,
// min.insync.replicas, cleanup.policy, message sizes, ...). Each resource is answered alone.

import { Apis } from '../../protocol';
import { alterEach } from './alter-config-resources';
import { ConfigResourceType } from './config-resource-types';
import { handler } from './handler';

export default handler(Apis.AlterConfigs, 0, 2, async (req, ctx) => ({
  throttleTimeMs: 0,
  responses: await alterEach(ctx, req.resources, async (resource) => {
    const configs: Record<string, string> = {};
    for (const c of resource.configs) if (c.value !== null) configs[c.name] = c.value;
    if (resource.resourceType === ConfigResourceType.TOPIC) await ctx.topicAdmin.alterTopicConfigs(resource.resourceName, configs, req.validateOnly);
    else await ctx.brokerConfigs.alter(resource.resourceName, configs, req.validateOnly);
  }),
}));
