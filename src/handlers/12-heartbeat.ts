// Heartbeat (key 12), v0-4.
// Keeps a member's session alive; REBALANCE_IN_PROGRESS tells it to rejoin, ILLEGAL_GENERATION and
// UNKNOWN_MEMBER_ID fence stale members, FENCED_INSTANCE_ID replaced static members.

import { Apis, ErrorCode } from '../../protocol';
import { handler } from './handler';

export default handler(Apis.Heartbeat, 0, 4, (req, ctx) => {
  if (req.groupId === '') return { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_GROUP_ID };
  const errorCode = ctx.groups.checkCoordinator(req.groupId) || ctx.groups.coordinator.heartbeat(req);
  return { throttleTimeMs: 0, errorCode };
});
