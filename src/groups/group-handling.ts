// What group handlers (OffsetCommit/Fetch/Delete, FindCoordinator, JoinGroup, SyncGroup, Heartbeat,
// LeaveGroup, DescribeGroups, ListGroups, DeleteGroups, TxnOffsetCommit, WriteTxnMarkers) ask of the
// broker's group coordination.

import type { GroupCoordinator } from './group-coordinator';
import type { GroupService } from './group-service';

export type GroupHandling = Pick<GroupService, 'checkCoordinator' | 'coordinatorFor' | 'commitOffsets' | 'fetchOffsets' | 'deleteGroup' | 'deleteOffsets' | 'commitTransactionalOffsets' | 'completeTransaction'> & {
  readonly coordinator: Pick<GroupCoordinator, 'joinGroup' | 'syncGroup' | 'heartbeat' | 'leaveGroup' | 'describeGroup' | 'listGroups'>;
};
