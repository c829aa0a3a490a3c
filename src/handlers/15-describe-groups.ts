// DescribeGroups (key 15), v0-5.
// State, protocol and members (with metadata and assignment bytes) of each group. An unknown group
// is described as Dead with no error, as Kafka does. Without an authorizer every group operation is
// allowed (v3+ authorized operations, when asked for).

import { Apis } from '../../protocol';
import { handler } from './handler';

const NOT_REQUESTED = -2147483648;
// AclOperation bits for a group: READ 3, DELETE 6, DESCRIBE 8.
const GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8);

export default handler(Apis.DescribeGroups, 0, 5, (req, ctx) => ({
  throttleTimeMs: 0,
  groups: req.groups.map((groupId) => {
    const authorizedOperations = req.includeAuthorizedOperations ? GROUP_OPERATIONS : NOT_REQUESTED;
    const notCoordinator = ctx.groups.checkCoordinator(groupId);
    if (notCoordinator) {
      return { errorCode: notCoordinator, groupId, groupState: '', protocolType: '', protocolData: '', members: [], authorizedOperations };
    }
    return { ...ctx.groups.coordinator.describeGroup(groupId), groupId, authorizedOperations };
  }),
}));

