// DeleteAcls (key 31), v0-3 (flexible from v2; v0 has no pattern type: its filters are LITERAL).
// As Kafka: a filter with an UNKNOWN element fails the whole request (INVALID_REQUEST, Kafka
// refuses it when parsing); then ALTER on the cluster (CLUSTER_AUTHORIZATION_FAILED) and
// SECURITY_DISABLED ("No Authorizer is configured.") without an authorizer, on every filter. Each
// filter lists the bindings it deleted; a binding two filters match is listed under the first.

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import { hasUnknownElement } from '../auth/acl/acl-binding';
import { AclOperation } from '../auth/authorizer';
import { NO_AUTHORIZER, authorizeCluster, bindingFields, filterOf, messageOf } from './acl-requests';
import { handler } from './handler';

export default handler(Apis.DeleteAcls, 0, 3, async (req, ctx) => {
  const filters = req.filters.map(filterOf);
  const allFailed = (err: KafkaError) => ({ throttleTimeMs: 0, filterResults: filters.map(() => ({ errorCode: err.code, errorMessage: messageOf(err), matchingAcls: [] })) });
  if (filters.some((f) => hasUnknownElement(f.pattern, f.entry))) return allFailed(new KafkaError(ErrorCode.INVALID_REQUEST, 'Filters contain UNKNOWN elements'));
  const refused = authorizeCluster(ctx, AclOperation.ALTER, 'DeleteAcls') ?? (ctx.acls.enabled ? null : NO_AUTHORIZER);
  if (refused) return allFailed(refused);
  const deleted = await ctx.acls.delete(filters);
  return {
    throttleTimeMs: 0,
    filterResults: deleted.map((matching) => ({
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      matchingAcls: matching.map(({ binding, error }) => ({ errorCode: error?.code ?? ErrorCode.NONE, errorMessage: error ? messageOf(error) : null, ...bindingFields(binding) })),
    })),
  };
});
