// What the ACL APIs share: filters and bindings from their wire fields, the cluster permission
// each needs (DESCRIBE for DescribeAcls, ALTER to create or delete: Kafka's
// authorizeClusterOperation, before anything else), and the error Kafka answers without an
// authorizer.

import { ErrorCode, KafkaError } from '../../protocol';
import type { AclBinding, AclBindingFilter, AccessControlEntry, PatternType, PermissionType } from '../auth/acl/acl-binding';
import { AclOperation, CLUSTER_NAME, ResourceType } from '../auth/authorizer';
import type { RequestContext } from './handler';

export interface FilterFields {
  resourceTypeFilter: number;
  resourceNameFilter: string | null;
  patternTypeFilter: number;
  principalFilter: string | null;
  hostFilter: string | null;
  operation: number;
  permissionType: number;
}

export function filterOf(f: FilterFields): AclBindingFilter {
  return {
    pattern: { resourceType: f.resourceTypeFilter as ResourceType, name: f.resourceNameFilter, patternType: f.patternTypeFilter as PatternType },
    entry: { principal: f.principalFilter, host: f.hostFilter, operation: f.operation as AclOperation, permissionType: f.permissionType as PermissionType },
  };
}

/** A binding as the ACL responses carry it. */
export function bindingFields(b: AclBinding) {
  return { resourceType: b.pattern.resourceType, resourceName: b.pattern.name, patternType: b.pattern.patternType, ...entryFields(b.entry) };
}

export function entryFields(e: AccessControlEntry) {
  return { principal: e.principal, host: e.host, operation: e.operation, permissionType: e.permissionType };
}

/** Kafka's ClusterAuthorizationException when the principal may not perform `operation` on the cluster. */
export function authorizeCluster(ctx: RequestContext, operation: AclOperation, api: string): KafkaError | null {
  if (ctx.authorizer.authorize(ctx.session, operation, ResourceType.CLUSTER, CLUSTER_NAME)) return null;
  return new KafkaError(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, `Request ${api} is not authorized.`);
}

/** CreateAcls' and DeleteAcls' SecurityDisabledException. */
export const NO_AUTHORIZER = new KafkaError(ErrorCode.SECURITY_DISABLED, 'No Authorizer is configured.');

/** Kafka's message for an unknown server error stays in the broker's log, not in the response. */
export const messageOf = (err: KafkaError): string | null => (err.code === ErrorCode.UNKNOWN_SERVER_ERROR ? null : err.message);
