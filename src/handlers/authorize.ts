// How handlers ask the authorizer, as Kafka's AuthHelper does: one question per resource per request
// (topic answers are remembered for the request), nothing asked at all while no authorizer is
// configured, and a refused request answered as Kafka's getErrorResponse builds it.

import { ApiSpec, ErrorCode, RequestOf, ResponseOf, errorResponse } from '../../protocol';
import { AclOperation, CLUSTER_NAME, ResourceType } from '../auth/authorizer';
import { ConfigResourceType } from './config-resource-types';
import type { RequestContext } from './handler';

/** The authorized-operations field's default: the client did not ask (Kafka's AUTHORIZED_OPERATIONS_OMITTED). */
export const NOT_REQUESTED = -2147483648;

/** Kafka's default messages of the authorization errors, as its exceptions carry them. */
const MESSAGES: Record<number, string> = {
  [ErrorCode.TOPIC_AUTHORIZATION_FAILED]: 'Topic authorization failed.',
  [ErrorCode.GROUP_AUTHORIZATION_FAILED]: 'Group authorization failed.',
  [ErrorCode.CLUSTER_AUTHORIZATION_FAILED]: 'Cluster authorization failed.',
  [ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED]: 'Transactional Id authorization failed.',
};

export function authorizationMessage(errorCode: number): string | null {
  return MESSAGES[errorCode] ?? null;
}

/** May the request's principal perform `operation` on the resource? */
export function authorized(ctx: RequestContext, operation: AclOperation, type: ResourceType, name: string, logIfDenied = true): boolean {
  return !ctx.authorizer.enabled || ctx.authorizer.authorize(ctx.session, operation, type, name, logIfDenied);
}

/**
 * DescribeConfigs' and the alter configs APIs' question, as Kafka asks it per config resource type:
 * the topic for a topic (TOPIC_AUTHORIZATION_FAILED), the cluster for a broker or broker logger
 * (CLUSTER_AUTHORIZATION_FAILED). The error, or NONE (0) when allowed or not a type asked about.
 */
export function configsAuthorized(ctx: RequestContext, operation: AclOperation, resourceType: number, resourceName: string): number {
  if (resourceType === ConfigResourceType.TOPIC) return authorized(ctx, operation, ResourceType.TOPIC, resourceName) ? ErrorCode.NONE : ErrorCode.TOPIC_AUTHORIZATION_FAILED;
  if (resourceType === ConfigResourceType.BROKER || resourceType === ConfigResourceType.BROKER_LOGGER) {
    return clusterAuthorized(ctx, operation) ? ErrorCode.NONE : ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
  }
  return ErrorCode.NONE;
}

/** `operation` on the cluster resource. */
export function clusterAuthorized(ctx: RequestContext, operation: AclOperation, logIfDenied = true): boolean {
  return authorized(ctx, operation, ResourceType.CLUSTER, CLUSTER_NAME, logIfDenied);
}

const ALWAYS = () => true;

/**
 * `operation` on topics by name, as Kafka's filterByAuthorized: each topic is asked about once per
 * request however many partitions name it, and not at all without an authorizer.
 */
export function topicAuthorizer(ctx: RequestContext, operation: AclOperation, logIfDenied = true): (topic: string) => boolean {
  if (!ctx.authorizer.enabled) return ALWAYS;
  const answers = new Map<string, boolean>();
  return (topic) => {
    let allowed = answers.get(topic);
    if (allowed === undefined) answers.set(topic, (allowed = ctx.authorizer.authorize(ctx.session, operation, ResourceType.TOPIC, topic, logIfDenied)));
    return allowed;
  };
}

/** The operations the principal may perform on a resource, as the bit set Metadata, DescribeGroups and DescribeCluster report. */
export function authorizedOperations(ctx: RequestContext, type: ResourceType, name: string): number {
  return ctx.authorizer.authorizedOperations(ctx.session, type, name);
}

/**
 * The whole request refused with one error, as Kafka's getErrorResponse answers it: the code on
 * every error field of everything the request named, and the error's default message.
 */
export function refused<S extends ApiSpec>(spec: S, ctx: RequestContext, req: RequestOf<S>, errorCode: number): ResponseOf<S> {
  return errorResponse(spec, ctx.version, req, errorCode, authorizationMessage(errorCode)) as ResponseOf<S>;
}

/** The cluster's authorized operations as Metadata and DescribeCluster report them: 0 without DESCRIBE on the cluster. */
export function clusterAuthorizedOperations(ctx: RequestContext): number {
  return clusterAuthorized(ctx, AclOperation.DESCRIBE) ? authorizedOperations(ctx, ResourceType.CLUSTER, CLUSTER_NAME) : 0;
}
