// AlterConfigs (key 33), v0-2.
// Replaces a topic's config overrides with the given ones (null values are left out, as Kafka
// does): every name must be a topic config and every value valid (INVALID_CONFIG with Kafka's
// message), the topic must exist (UNKNOWN_TOPIC_OR_PARTITION); validate_only checks without
// changing anything. In ZooKeeper mode the overrides go to /config/topics/<t> with a change
// notification, so every broker applies them; the logs take them at once (retention, segments,
// min.insync.replicas, cleanup.policy, max.message.bytes, ...). Each resource is answered alone.
// Broker resources are refused (dynamic broker configs are not served yet).

import { Apis } from '../../protocol';
import { alterEach } from './alter-config-resources';
import { handler } from './handler';

export default handler(Apis.AlterConfigs, 0, 2, async (req, ctx) => ({
  throttleTimeMs: 0,
  responses: await alterEach(ctx, 'AlterConfigs', req.resources, async (resource) => {
    const configs: Record<string, string> = {};
    for (const c of resource.configs) if (c.value !== null) configs[c.name] = c.value;
    await ctx.topicAdmin.alterTopicConfigs(resource.resourceName, configs, req.validateOnly);
  }),
}));
