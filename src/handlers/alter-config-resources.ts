// What AlterConfigs and IncrementalAlterConfigs share: one result per resource, each resource alone
// (a failed one does not stop the others), topics changed through the topic admin, brokers ("" for
// the cluster-wide default, else this broker's id) through the dynamic broker configs. A resource the
// principal may not ALTER_CONFIGS (the topic; the cluster for brokers and broker loggers) is answered
// after the others with TOPIC_AUTHORIZATION_FAILED or CLUSTER_AUTHORIZATION_FAILED, no message, as Kafka does.

import { ErrorCode, KafkaError } from '../../protocol';
import { AclOperation } from '../auth/authorizer';
import { configsAuthorized } from './authorize';
import { ConfigResourceType } from './config-resource-types';
import type { RequestContext } from './handler';

export interface ResourceResult {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
}

/**
 * Runs `alter` for each topic or broker resource with its current dynamic configs and answers every
 * resource; other resource types are refused with Kafka's message (which says AlterConfigs for both APIs).
 */
export async function alterEach<R extends { resourceType: number; resourceName: string }>(
  ctx: RequestContext,
  resources: R[],
  alter: (resource: R, current: Readonly<Record<string, string>>) => Promise<void>,
): Promise<ResourceResult[]> {
  const results: ResourceResult[] = [];
  const refused: ResourceResult[] = [];
  for (const resource of resources) {
    const { resourceType, resourceName } = resource;
    const denied = configsAuthorized(ctx, AclOperation.ALTER_CONFIGS, resourceType, resourceName);
    if (denied) {
      refused.push({ errorCode: denied, errorMessage: null, resourceType, resourceName });
      continue;
    }
    try {
      if (resourceType === ConfigResourceType.TOPIC) {
        if (resourceName === '') throw new KafkaError(ErrorCode.INVALID_REQUEST, 'Default topic resources are not allowed.');
        // Asked of the cluster, as Kafka reads ZooKeeper: a topic just created through another
        // broker is then in this broker's view too, with the overrides the change starts from.
        if (!(await ctx.topicAdmin.topicExists(resourceName))) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${resourceName}' does not exist.`);
        await alter(resource, ctx.metadata.topics.get(resourceName)?.configs ?? {});
      } else if (resourceType === ConfigResourceType.BROKER) {
        await alter(resource, ctx.brokerConfigs.stored(resourceName));
      } else {
        throw new KafkaError(ErrorCode.INVALID_REQUEST, `AlterConfigs is only supported for topics and brokers, but resource type is ${resourceType}`);
      }
      results.push({ errorCode: ErrorCode.NONE, errorMessage: null, resourceType, resourceName });
    } catch (err) {
      if (!(err instanceof KafkaError)) throw err;
      results.push({ errorCode: err.code, errorMessage: err.message, resourceType, resourceName });
    }
  }
  return [...results, ...refused];
}
