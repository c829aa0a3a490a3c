// AlterUserScramCredentials (key 51), v0.
// Deletes and upserts users' SCRAM credentials as ZooKeeper-mode Kafka does, one result per user:
// UNACCEPTABLE_CREDENTIAL for an empty name or iterations outside 4096-16384, UNSUPPORTED_SASL_MECHANISM
// for an unknown mechanism, DUPLICATE_RESOURCE for a credential altered twice, RESOURCE_NOT_FOUND
// for deleting one that does not exist. An upsertion carries the salted password and its salt; the
// stored credential is derived from them. Needs ALTER on the cluster, and in ZooKeeper mode the
// controller (NOT_CONTROLLER elsewhere); refused requests answer that error for every user named.

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation, CLUSTER_NAME, ResourceType } from '../auth/authorizer';
import { handler } from './handler';

export default handler(Apis.AlterUserScramCredentials, 0, 0, async (req, ctx) => {
  const refuse = (errorCode: number, errorMessage: string) => ({
    throttleTimeMs: 0,
    results: [...new Set([...req.deletions, ...req.upsertions].map((a) => a.name))].map((user) => ({ user, errorCode, errorMessage })),
  });
  if (!ctx.authorizer.authorize(ctx.session, AclOperation.ALTER, ResourceType.CLUSTER, CLUSTER_NAME)) {
    return refuse(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, 'Cluster authorization failed.');
  }
  if (!ctx.metadata.isController()) return refuse(ErrorCode.NOT_CONTROLLER, 'This is not the correct controller for this cluster.');
  return { throttleTimeMs: 0, results: await ctx.scramCredentials.alter(req.deletions, req.upsertions) };
});
