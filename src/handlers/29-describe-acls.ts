// DescribeAcls (key 29), v0-3 (flexible from v2; v0 has no pattern type: its filter is LITERAL).
// The ACL bindings one filter matches, grouped by resource pattern, as Kafka's AclApis answers. A
// filter with an UNKNOWN element, which Kafka refuses when it parses the request, is
// INVALID_REQUEST; then DESCRIBE on the cluster (CLUSTER_AUTHORIZATION_FAILED), then
// SECURITY_DISABLED ("No Authorizer is configured on the broker") without an authorizer.

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import { hasUnknownElement, patternKey } from '../auth/acl/acl-binding';
import { AclOperation } from '../auth/authorizer';
import { authorizeCluster, entryFields, filterOf } from './acl-requests';
import { handler } from './handler';

export default handler(Apis.DescribeAcls, 0, 3, (req, ctx) => {
  const failed = (err: KafkaError) => ({ throttleTimeMs: 0, errorCode: err.code, errorMessage: err.message, resources: [] });
  const filter = filterOf(req);
  if (hasUnknownElement(filter.pattern, filter.entry)) return failed(new KafkaError(ErrorCode.INVALID_REQUEST, 'DescribeAclsRequest contains UNKNOWN elements'));
  const denied = authorizeCluster(ctx, AclOperation.DESCRIBE, 'DescribeAcls');
  if (denied) return failed(denied);
  if (!ctx.acls.enabled) return failed(new KafkaError(ErrorCode.SECURITY_DISABLED, 'No Authorizer is configured on the broker'));
  const resources = new Map<string, { resourceType: number; resourceName: string; patternType: number; acls: ReturnType<typeof entryFields>[] }>();
  for (const { pattern, entry } of ctx.acls.describe(filter)) {
    const key = patternKey(pattern);
    let resource = resources.get(key);
    if (!resource) resources.set(key, (resource = { resourceType: pattern.resourceType, resourceName: pattern.name, patternType: pattern.patternType, acls: [] }));
    resource.acls.push(entryFields(entry));
  }
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, resources: [...resources.values()] };
});
