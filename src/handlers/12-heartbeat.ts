// Heartbeat (key 12), v0-4.
// Keeps a member's session alive; REBALANCE_IN_PROGRESS tells it to rejoin, ILLEGAL_GENERATION and
// UNKNOWN_MEMBER_ID fence stale members, FENCED_INSTANCE_ID replaced static members. While the group
// loads, heartbeats are answered NONE, as Kafka does. Needs READ on the group (GROUP_AUTHORIZATION_FAILED).

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation, ResourceType } from '../auth/authorizer';
import { authorized } from './authorize';
import { handler } from './handler';

export default handler(Apis.Heartbeat, 0, 4, (req, ctx) => {
  if (!authorized(ctx, AclOperation.READ, ResourceType.GROUP, req.groupId)) return { throttleTimeMs: 0, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED };
  if (req.groupId === '') return { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_GROUP_ID };
  const notCoordinator = ctx.groups.checkCoordinator(req.groupId);
  // As Kafka: while the group is loading, a heartbeat is answered blindly.
  if (notCoordinator === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) return { throttleTimeMs: 0, errorCode: ErrorCode.NONE };
  return { throttleTimeMs: 0, errorCode: notCoordinator || ctx.groups.coordinator.heartbeat(req) };
});
