// IncrementalAlterConfigs (key 44), v0-1.
// Changes a topic's or a broker's dynamic configs key by key: SET, DELETE, and for list-typed keys
// APPEND and SUBTRACT (INVALID_REQUEST for other keys, INVALID_CONFIG for unknown ones), then
// validates and stores the result as AlterConfigs does, unless validate_only. A key named twice in
// one resource is INVALID_REQUEST. Each resource is answered alone.

import { Apis } from '../../protocol';
import { ListKeyLookup, applyConfigOps } from '../cluster/incremental-configs';
import { BROKER_CONFIG_DEFS } from '../cluster/kafka-config-defs/broker-config-defs';
import { ConfigType, TOPIC_CONFIGS } from '../cluster/topic-configs';
import { alterEach } from './alter-config-resources';
import { ConfigResourceType } from './config-resource-types';
import { handler } from './handler';

const topicKey: ListKeyLookup = (name) => {
  const def = TOPIC_CONFIGS[name];
  return def && { isList: def.type === ConfigType.LIST, defaultValue: def.defaultValue };
};

const brokerKey: ListKeyLookup = (name) => {
  const def = BROKER_CONFIG_DEFS[name];
  return def && { isList: def.type === 'LIST', defaultValue: def.default };
};

export default handler(Apis.IncrementalAlterConfigs, 0, 1, async (req, ctx) => ({
  throttleTimeMs: 0,
  responses: await alterEach(ctx, req.resources, async (resource, current) => {
    const ops = resource.configs.map((c) => ({ name: c.name, operation: c.configOperation, value: c.value }));
    const isTopic = resource.resourceType === ConfigResourceType.TOPIC;
    const next = applyConfigOps(current, ops, isTopic ? topicKey : brokerKey);
    if (isTopic) await ctx.topicAdmin.alterTopicConfigs(resource.resourceName, next, req.validateOnly);
    else await ctx.brokerConfigs.alter(resource.resourceName, next, req.validateOnly);
  }),
}));
