// JoinGroup (key 11), v0-9.
// Membership and rebalancing live in the group coordinator; this handler checks the group id and
// forwards. v4+: a new member without a member id is answered MEMBER_ID_REQUIRED with one to rejoin
// with. v5+ static membership (group.instance.id). v0 has no rebalance timeout: it equals the session
// timeout. v7+ returns the protocol type; v9 skipAssignment for a static leader rejoining.
// Joining needs READ on the group (GROUP_AUTHORIZATION_FAILED, no member id).

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation, ResourceType } from '../auth/authorizer';
import { authorized } from './authorize';
import { handler } from './handler';

export default handler(Apis.JoinGroup, 0, 9, async (req, ctx) => {
  const failed = (errorCode: number) => ({
    throttleTimeMs: 0,
    errorCode,
    generationId: -1,
    protocolType: null,
    protocolName: ctx.version >= 7 ? null : '',
    leader: '',
    memberId: req.memberId,
    members: [],
  });
  // As Kafka's getErrorResponse: no member id is handed back.
  if (!authorized(ctx, AclOperation.READ, ResourceType.GROUP, req.groupId)) return { ...failed(ErrorCode.GROUP_AUTHORIZATION_FAILED), memberId: '' };
  if (req.groupId === '') return failed(ErrorCode.INVALID_GROUP_ID);
  const notCoordinator = ctx.groups.checkCoordinator(req.groupId);
  if (notCoordinator) return failed(notCoordinator);
  const result = await ctx.groups.coordinator.joinGroup({
    version: ctx.version,
    groupId: req.groupId,
    sessionTimeoutMs: req.sessionTimeoutMs,
    rebalanceTimeoutMs: ctx.version === 0 ? req.sessionTimeoutMs : req.rebalanceTimeoutMs,
    memberId: req.memberId,
    groupInstanceId: req.groupInstanceId,
    protocolType: req.protocolType,
    protocols: req.protocols,
    clientId: ctx.header.clientId ?? '',
    clientHost: ctx.session.clientHost,
    reason: req.reason,
  });
  return { throttleTimeMs: 0, ...result, protocolName: result.protocolName ?? (ctx.version >= 7 ? null : '') };
});
