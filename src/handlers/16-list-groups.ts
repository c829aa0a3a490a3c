// ListGroups (key 16), v0-5.
// Every group this broker coordinates, with protocol type; v4+ with state and a state filter; v5+
// with group type ("classic": only the classic protocol exists here) and a type filter. Without DESCRIBE
// on the cluster only the groups the principal may DESCRIBE are listed, as Kafka filters them.

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation, ResourceType } from '../auth/authorizer';
import { authorized, clusterAuthorized } from './authorize';
import { handler } from './handler';

const CLASSIC = 'classic';

export default handler(Apis.ListGroups, 0, 5, (req, ctx) => {
  const types = req.typesFilter.map((t) => t.toLowerCase());
  const listed = types.length > 0 && !types.includes(CLASSIC) ? [] : ctx.groups.coordinator.listGroups(req.statesFilter);
  const groups = clusterAuthorized(ctx, AclOperation.DESCRIBE, false)
    ? listed
    : listed.filter((g) => authorized(ctx, AclOperation.DESCRIBE, ResourceType.GROUP, g.groupId, false));
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups: groups.map((g) => ({ ...g, groupType: CLASSIC })) };
});
