// UpdateFeatures (key 57), v0-1.
// The controller's answer, as a ZooKeeper-mode Kafka 3.9 gives it: any other broker answers
// NOT_CONTROLLER at the top level with no results. Each update is judged on its own by Kafka's rules
// (cluster/features.ts) and answered per feature (a successful one carries the message "NONE", as
// Kafka's `new ApiError(Errors.NONE)` does); the valid ones are then written together. v0's
// allow_downgrade means a SAFE_DOWNGRADE, v1 names the upgrade type; validate_only (v1) writes
// nothing. A 3.9 broker in ZooKeeper mode supports no feature, so upgrades are refused as unsupported.
// Without ALTER on the cluster the answer is CLUSTER_AUTHORIZATION_FAILED at the top level, asked first
// (before NOT_CONTROLLER), as Kafka does.

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation } from '../auth/authorizer';
import { SAFE_DOWNGRADE, UPGRADE } from '../cluster/features';
import { authorizationMessage, clusterAuthorized } from './authorize';
import { handler } from './handler';

export default handler(Apis.UpdateFeatures, 0, 1, async (req, ctx) => {
  if (!clusterAuthorized(ctx, AclOperation.ALTER)) {
    const errorCode = ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
    return { throttleTimeMs: 0, errorCode, errorMessage: authorizationMessage(errorCode), results: [] };
  }
  if (!ctx.metadata.isController()) {
    return { throttleTimeMs: 0, errorCode: ErrorCode.NOT_CONTROLLER, errorMessage: 'This is not the correct controller for this cluster.', results: [] };
  }
  const updates = req.featureUpdates.map((u) => ({
    feature: u.feature,
    maxVersionLevel: u.maxVersionLevel,
    upgradeType: ctx.version === 0 ? (u.allowDowngrade ? SAFE_DOWNGRADE : UPGRADE) : u.upgradeType,
  }));
  const results = await ctx.features.updateFeatures(updates, ctx.version >= 1 && req.validateOnly);
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    results: [...results].map(([feature, r]) => ({ feature, ...r })),
  };
});
