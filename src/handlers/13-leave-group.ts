// LeaveGroup (key 13), v0-5.
// v0-2 name one member; v3+ a batch, each with its own error (static members leave by instance id).
// A top-level error is returned only when the whole request fails, as without READ on the group
// (GROUP_AUTHORIZATION_FAILED).

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation, ResourceType } from '../auth/authorizer';
import { authorized } from './authorize';
import { handler } from './handler';

export default handler(Apis.LeaveGroup, 0, 5, (req, ctx) => {
  if (!authorized(ctx, AclOperation.READ, ResourceType.GROUP, req.groupId)) return { throttleTimeMs: 0, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, members: [] };
  const members = ctx.version >= 3 ? req.members : [{ memberId: req.memberId, groupInstanceId: null, reason: null }];
  const whole = req.groupId === '' ? ErrorCode.INVALID_GROUP_ID : ctx.groups.checkCoordinator(req.groupId);
  if (whole) return { throttleTimeMs: 0, errorCode: whole, members: [] };
  const result = ctx.groups.coordinator.leaveGroup(req.groupId, members);
  if (ctx.version < 3) return { throttleTimeMs: 0, errorCode: result.errorCode || result.members[0]?.errorCode || ErrorCode.NONE, members: [] };
  return { throttleTimeMs: 0, ...result };
});
