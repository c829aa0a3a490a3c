// AlterClientQuotas (key 49), v0-1.
// Sets or removes quotas of user, user/client-id, client-id and ip entities as ZooKeeper-mode Kafka
// does: each entry is validated and stored on its own (the entity's config, then a change
// notification every broker follows), with its own error: INVALID_REQUEST and Kafka's message for a
// bad entity, key or value; UNKNOWN_SERVER_ERROR without a message for Kafka's internal failures.
// A removal (remove=true) drops the key; an entity left without keys is stored empty.
// validate_only checks without storing. Without ALTER_CONFIGS on the cluster every entry is
// CLUSTER_AUTHORIZATION_FAILED and nothing is stored.

import { ErrorCode, KafkaError, Apis } from '../../protocol';
import { AclOperation } from '../auth/authorizer';
import { authorizationMessage, clusterAuthorized } from './authorize';
import { handler } from './handler';

export default handler(Apis.AlterClientQuotas, 0, 1, async (req, ctx) => {
  if (!clusterAuthorized(ctx, AclOperation.ALTER_CONFIGS)) {
    const errorCode = ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
    return { throttleTimeMs: 0, entries: req.entries.map((e) => ({ errorCode, errorMessage: authorizationMessage(errorCode), entity: e.entity })) };
  }
  const entries = [];
  for (const entry of req.entries) {
    const ops = entry.ops.map((op) => ({ key: op.key, value: op.remove ? null : op.value }));
    let errorCode: number = ErrorCode.NONE;
    let errorMessage: string | null = null;
    try {
      await ctx.quotas.alter(entry.entity, ops, req.validateOnly);
    } catch (err) {
      const known = err instanceof KafkaError;
      errorCode = known ? err.code : ErrorCode.UNKNOWN_SERVER_ERROR;
      errorMessage = known && errorCode !== ErrorCode.UNKNOWN_SERVER_ERROR ? err.message : null;
      ctx.log.info(`Error encountered while updating client quotas: ${err instanceof Error ? err.message : String(err)}`);
    }
    entries.push({ errorCode, errorMessage, entity: entry.entity });
  }
  return { throttleTimeMs: 0, entries };
});
