// IncrementalAlterConfigs (key 44), v0-1.
// Changes a topic's config overrides key by key: SET, DELETE, and for list-typed keys APPEND and
// SUBTRACT (INVALID_REQUEST for other keys), then validates the result as AlterConfigs does
// (INVALID_CONFIG, UNKNOWN_TOPIC_OR_PARTITION) and stores it unless validate_only. A key named twice
// in one resource is INVALID_REQUEST. Each resource is answered alone. Broker resources are refused
// (dynamic broker configs are not served yet).

import { Apis } from '../../protocol';
import { applyConfigOps } from '../cluster/incremental-configs';
import { alterEach } from './alter-config-resources';
import { handler } from './handler';

export default handler(Apis.IncrementalAlterConfigs, 0, 1, async (req, ctx) => ({
  throttleTimeMs: 0,
  responses: await alterEach(ctx, 'IncrementalAlterConfigs', req.resources, async (resource, current) => {
    const next = applyConfigOps(current, resource.configs.map((c) => ({ name: c.name, operation: c.configOperation, value: c.value })));
    await ctx.topicAdmin.alterTopicConfigs(resource.resourceName, next, req.validateOnly);
  }),
}));
