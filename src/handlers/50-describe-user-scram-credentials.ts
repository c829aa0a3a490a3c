// DescribeUserScramCredentials (key 50), v0.
// The mechanisms and iterations of users' SCRAM credentials, never the credentials: every user with
// one when `users` is null or empty, else each named user once (RESOURCE_NOT_FOUND for a user
// without credentials or an empty name, DUPLICATE_RESOURCE for a user named twice), as ZooKeeper-
// mode Kafka answers. Needs DESCRIBE on the cluster, else CLUSTER_AUTHORIZATION_FAILED at the top.

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation, CLUSTER_NAME, ResourceType } from '../auth/authorizer';
import { handler } from './handler';

export default handler(Apis.DescribeUserScramCredentials, 0, 0, (req, ctx) => {
  if (!ctx.authorizer.authorize(ctx.session, AclOperation.DESCRIBE, ResourceType.CLUSTER, CLUSTER_NAME)) {
    return { throttleTimeMs: 0, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: 'Cluster authorization failed.', results: [] };
  }
  const users = req.users === null ? null : req.users.map((u) => u.name);
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, results: ctx.scramCredentials.describe(users) };
});
