// CreateAcls (key 30), v0-3 (flexible from v2; v0 creates literal patterns only).
// ALTER on the cluster first (CLUSTER_AUTHORIZATION_FAILED on every creation), then
// SECURITY_DISABLED ("No Authorizer is configured.") without an authorizer. Each creation is
// checked as Kafka checks it (the cluster's one name, no empty name, no ANY/MATCH/UNKNOWN element,
// no "/" in the name, a "Type:name" principal) and answered with its own error; the valid ones
// are stored, each resource rewritten once.

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import { AclBinding, PatternType, PermissionType, validateBinding } from '../auth/acl/acl-binding';
import { AclOperation, ResourceType } from '../auth/authorizer';
import { NO_AUTHORIZER, authorizeCluster, messageOf } from './acl-requests';
import { handler } from './handler';

export default handler(Apis.CreateAcls, 0, 3, async (req, ctx) => {
  const refused = authorizeCluster(ctx, AclOperation.ALTER, 'CreateAcls') ?? (ctx.acls.enabled ? null : NO_AUTHORIZER);
  if (refused) return { throttleTimeMs: 0, results: req.creations.map(() => ({ errorCode: refused.code, errorMessage: refused.message })) };
  const errors: (KafkaError | null)[] = [];
  const valid: { binding: AclBinding; index: number }[] = [];
  req.creations.forEach((c, index) => {
    const binding: AclBinding = {
      pattern: { resourceType: c.resourceType as ResourceType, name: c.resourceName, patternType: c.resourcePatternType as PatternType },
      entry: { principal: c.principal, host: c.host, operation: c.operation as AclOperation, permissionType: c.permissionType as PermissionType },
    };
    try {
      validateBinding(binding, ctx.version);
      errors.push(null);
      valid.push({ binding, index });
    } catch (err) {
      if (!(err instanceof KafkaError)) throw err;
      errors.push(err);
    }
  });
  if (valid.length > 0) {
    const stored = await ctx.acls.create(valid.map((v) => v.binding));
    stored.forEach((err, i) => (errors[valid[i].index] = err));
  }
  return {
    throttleTimeMs: 0,
    results: errors.map((err) => {
      if (err?.code === ErrorCode.UNKNOWN_SERVER_ERROR) ctx.log.warn(`CreateAcls failed: ${err.message}`);
      return err ? { errorCode: err.code, errorMessage: messageOf(err) } : { errorCode: ErrorCode.NONE, errorMessage: null };
    }),
  };
});
