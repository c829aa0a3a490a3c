// What AlterConfigs and IncrementalAlterConfigs share: one result per resource, each resource alone
// (a failed one does not stop the others), topics changed through the topic admin. Broker resources
// (dynamic broker configs) are not served yet and are refused with INVALID_REQUEST, which clients
// do not retry.

import { ErrorCode, KafkaError } from '../../protocol';
import type { RequestContext } from './handler';

export const RESOURCE_TOPIC = 2;
export const RESOURCE_BROKER = 4;

export interface ResourceResult {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
}

/**
 * Runs `alterTopic` for each topic resource with its current overrides and answers every resource;
 * `apiName` names the API in the refusal of other resource types, as Kafka's message does.
 */
export async function alterEach<R extends { resourceType: number; resourceName: string }>(
  ctx: RequestContext,
  apiName: string,
  resources: R[],
  alterTopic: (resource: R, current: Readonly<Record<string, string>>) => Promise<void>,
): Promise<ResourceResult[]> {
  const results: ResourceResult[] = [];
  for (const resource of resources) {
    const { resourceType, resourceName } = resource;
    try {
      if (resourceType === RESOURCE_TOPIC) {
        if (resourceName === '') throw new KafkaError(ErrorCode.INVALID_REQUEST, 'Default topic resources are not allowed.');
        await alterTopic(resource, ctx.metadata.topics.get(resourceName)?.configs ?? {});
      } else if (resourceType === RESOURCE_BROKER) {
        throw new KafkaError(ErrorCode.INVALID_REQUEST, 'Dynamic broker configs are not supported by this broker yet.');
      } else {
        throw new KafkaError(ErrorCode.INVALID_REQUEST, `${apiName} is only supported for topics and brokers, but resource type is ${resourceType}`);
      }
      results.push({ errorCode: ErrorCode.NONE, errorMessage: null, resourceType, resourceName });
    } catch (err) {
      if (!(err instanceof KafkaError)) throw err;
      results.push({ errorCode: err.code, errorMessage: err.message, resourceType, resourceName });
    }
  }
  return results;
}
