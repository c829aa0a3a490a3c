// SyncGroup (key 14), v0-5.
// The leader's assignments are stored and every member receives its own; followers wait for the
// leader. v5 checks protocol type and name against the group's. A loading coordinator answers
// REBALANCE_IN_PROGRESS, as Kafka does. Needs READ on the group (GROUP_AUTHORIZATION_FAILED).

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation, ResourceType } from '../auth/authorizer';
import { authorized } from './authorize';
import { handler } from './handler';

const EMPTY = Buffer.alloc(0);

export default handler(Apis.SyncGroup, 0, 5, async (req, ctx) => {
  const failed = (errorCode: number) => ({ throttleTimeMs: 0, errorCode, protocolType: null, protocolName: null, assignment: EMPTY });
  if (!authorized(ctx, AclOperation.READ, ResourceType.GROUP, req.groupId)) return failed(ErrorCode.GROUP_AUTHORIZATION_FAILED);
  if (req.groupId === '') return failed(ErrorCode.INVALID_GROUP_ID);
  const notCoordinator = ctx.groups.checkCoordinator(req.groupId);
  // As Kafka: a loading coordinator lost the rebalance; REBALANCE_IN_PROGRESS sends the member back
  // to JoinGroup, and older clients do not expect COORDINATOR_LOAD_IN_PROGRESS here.
  if (notCoordinator === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) return failed(ErrorCode.REBALANCE_IN_PROGRESS);
  if (notCoordinator) return failed(notCoordinator);
  const result = await ctx.groups.coordinator.syncGroup({ version: ctx.version, ...req });
  return { throttleTimeMs: 0, ...result };
});
