// CreateAcls (key 30), v0-3 (flexible from v2; v0 has no pattern type: it creates LITERAL ones).
// As Kafka: a creation with an UNKNOWN element fails the whole request (INVALID_REQUEST, Kafka
// refuses it when parsing); then ALTER on the cluster (CLUSTER_AUTHORIZATION_FAILED) and
// SECURITY_DISABLED ("No Authorizer is configured.") without an authorizer, on every creation; a
// creation Kafka cannot even build (an ANY or MATCH element) fails the whole request as an unknown
// server error. Each other creation gets its own error (the cluster's one name, no empty name, no
// "/" in the name, a "Type:name" principal); the valid ones are stored, each resource rewritten once.

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import { AclBinding, PatternType, PermissionType, hasUnknownElement, illegalBinding, validateBinding } from '../auth/acl/acl-binding';
import { AclOperation, ResourceType } from '../auth/authorizer';
import { NO_AUTHORIZER, authorizeCluster, messageOf } from './acl-requests';
import { handler } from './handler';

export default handler(Apis.CreateAcls, 0, 3, async (req, ctx) => {
  const bindings: AclBinding[] = req.creations.map((c) => ({
    pattern: { resourceType: c.resourceType as ResourceType, name: c.resourceName, patternType: c.resourcePatternType as PatternType },
    entry: { principal: c.principal, host: c.host, operation: c.operation as AclOperation, permissionType: c.permissionType as PermissionType },
  }));
  const allFailed = (err: KafkaError) => ({ throttleTimeMs: 0, results: bindings.map(() => ({ errorCode: err.code, errorMessage: messageOf(err) })) });
  if (bindings.some((b) => hasUnknownElement(b.pattern, b.entry))) return allFailed(new KafkaError(ErrorCode.INVALID_REQUEST, 'CreatableAcls contain unknown elements'));
  const refused = authorizeCluster(ctx, AclOperation.ALTER, 'CreateAcls') ?? (ctx.acls.enabled ? null : NO_AUTHORIZER);
  if (refused) return allFailed(refused);
  const illegal = bindings.map(illegalBinding).find((reason) => reason !== null);
  if (illegal) {
    ctx.log.warn(`CreateAcls failed: ${illegal}`);
    return allFailed(new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, illegal));
  }
  const errors: (KafkaError | null)[] = [];
  const valid: { binding: AclBinding; index: number }[] = [];
  bindings.forEach((binding, index) => {
    try {
      validateBinding(binding);
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
