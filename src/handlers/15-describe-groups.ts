// DescribeGroups (key 15), v0-5.
// State, protocol and members (with metadata and assignment bytes) of each group. An unknown group
// is described as Dead with no error, as Kafka does. A group the principal may not DESCRIBE is answered
// GROUP_AUTHORIZATION_FAILED, as Kafka's groupError, before the described ones; v3+ report the
// operations the principal may perform on each group described without error, when asked for.

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation, ResourceType } from '../auth/authorizer';
import { NOT_REQUESTED, authorized, authorizedOperations } from './authorize';
import { handler } from './handler';

export default handler(Apis.DescribeGroups, 0, 5, (req, ctx) => {
  const allowed = req.groups.filter((groupId) => authorized(ctx, AclOperation.DESCRIBE, ResourceType.GROUP, groupId));
  const refused = req.groups
    .filter((groupId) => !allowed.includes(groupId))
    .map((groupId) => ({ ...failed(groupId, ErrorCode.GROUP_AUTHORIZATION_FAILED), authorizedOperations: NOT_REQUESTED }));
  const described = allowed.map((groupId) => {
    const notCoordinator = ctx.groups.checkCoordinator(groupId);
    const group = notCoordinator ? failed(groupId, notCoordinator) : { ...ctx.groups.coordinator.describeGroup(groupId), groupId };
    const ops = req.includeAuthorizedOperations && group.errorCode === ErrorCode.NONE ? authorizedOperations(ctx, ResourceType.GROUP, groupId) : NOT_REQUESTED;
    return { ...group, authorizedOperations: ops };
  });
  return { throttleTimeMs: 0, groups: [...refused, ...described] };
});

function failed(groupId: string, errorCode: number) {
  return { errorCode, groupId, groupState: '', protocolType: '', protocolData: '', members: [] };
}
