// DescribeClientQuotas (key 48), v0-1.
// The quotas of the user, client-id and ip entities a filter matches, as ZooKeeper-mode Kafka
// describes them: components of type user, client-id or ip, each matching an exact name (EXACT),
// the default entity (DEFAULT) or any name (SPECIFIED); with strict, entities with parts the filter
// does not name are left out. A filter Kafka refuses gets its error and message on the whole
// response, entries null; an internal failure is UNKNOWN_SERVER_ERROR without a message. Without
// DESCRIBE_CONFIGS on the cluster: CLUSTER_AUTHORIZATION_FAILED the same way.

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import { AclOperation } from '../auth/authorizer';
import { authorizationMessage, clusterAuthorized } from './authorize';
import { handler } from './handler';

export default handler(Apis.DescribeClientQuotas, 0, 1, (req, ctx) => {
  if (!clusterAuthorized(ctx, AclOperation.DESCRIBE_CONFIGS)) {
    const errorCode = ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
    return { throttleTimeMs: 0, errorCode, errorMessage: authorizationMessage(errorCode), entries: null };
  }
  try {
    const entries = ctx.quotas.describe(req.components, req.strict);
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, entries };
  } catch (err) {
    if (!(err instanceof KafkaError)) throw err;
    const message = err.code === ErrorCode.UNKNOWN_SERVER_ERROR ? null : err.message;
    if (err.code === ErrorCode.UNKNOWN_SERVER_ERROR) ctx.log.warn(`DescribeClientQuotas failed: ${err.message}`);
    return { throttleTimeMs: 0, errorCode: err.code, errorMessage: message, entries: null };
  }
});
