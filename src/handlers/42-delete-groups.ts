// DeleteGroups (key 42), v0-2.
// Removes empty groups and their committed offsets (tombstones in __consumer_offsets).
// NON_EMPTY_GROUP while members remain, GROUP_ID_NOT_FOUND for unknown groups, GROUP_AUTHORIZATION_FAILED
// without DELETE on the group.

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation, ResourceType } from '../auth/authorizer';
import { authorized } from './authorize';
import { handler } from './handler';

export default handler(Apis.DeleteGroups, 0, 2, (req, ctx) => ({
  throttleTimeMs: 0,
  results: req.groupsNames.map((groupId) => ({ groupId, errorCode: authorized(ctx, AclOperation.DELETE, ResourceType.GROUP, groupId) ? ctx.groups.deleteGroup(groupId) : ErrorCode.GROUP_AUTHORIZATION_FAILED })),
}));
