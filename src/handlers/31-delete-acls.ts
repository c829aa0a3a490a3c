// DeleteAcls (key 31), v0-3 (flexible from v2; v0 filters literal patterns only).
// ALTER on the cluster first (CLUSTER_AUTHORIZATION_FAILED on every filter), then
// SECURITY_DISABLED ("No Authorizer is configured.") without an authorizer. Each filter lists the
// bindings it deleted; a binding two filters match is listed under the first. A filter with
// UNKNOWN elements is INVALID_REQUEST and deletes nothing.

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import { AclBindingFilter, checkFilter } from '../auth/acl/acl-binding';
import { AclOperation } from '../auth/authorizer';
import { NO_AUTHORIZER, authorizeCluster, bindingFields, filterOf, messageOf } from './acl-requests';
import { handler } from './handler';

export default handler(Apis.DeleteAcls, 0, 3, async (req, ctx) => {
  const failed = (err: KafkaError) => ({ errorCode: err.code, errorMessage: messageOf(err), matchingAcls: [] });
  const refused = authorizeCluster(ctx, AclOperation.ALTER, 'DeleteAcls') ?? (ctx.acls.enabled ? null : NO_AUTHORIZER);
  if (refused) return { throttleTimeMs: 0, filterResults: req.filters.map(() => failed(refused)) };
  const invalid: (KafkaError | null)[] = [];
  const filters: { filter: AclBindingFilter; index: number }[] = [];
  req.filters.forEach((fields, index) => {
    const filter = filterOf(fields);
    try {
      checkFilter(filter, ctx.version);
      invalid.push(null);
      filters.push({ filter, index });
    } catch (err) {
      if (!(err instanceof KafkaError)) throw err;
      invalid.push(err);
    }
  });
  const deleted = await ctx.acls.delete(filters.map((f) => f.filter));
  const byIndex = new Map(filters.map((f, i) => [f.index, deleted[i]]));
  return {
    throttleTimeMs: 0,
    filterResults: invalid.map((err, index) => {
      if (err) return failed(err);
      const matchingAcls = (byIndex.get(index) ?? []).map(({ binding, error }) => ({
        errorCode: error?.code ?? ErrorCode.NONE,
        errorMessage: error ? messageOf(error) : null,
        ...bindingFields(binding),
      }));
      return { errorCode: ErrorCode.NONE, errorMessage: null, matchingAcls };
    }),
  };
});
