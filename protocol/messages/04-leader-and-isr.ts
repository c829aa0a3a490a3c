// LeaderAndIsr (key 4): versions 0-7, flexible 4+.
import { api, arr, f } from '../spec';

const leaderAndIsrPartitionState = [
  f('topicName', 'string', '0-1'),
  f('partitionIndex', 'int32'),
  f('controllerEpoch', 'int32'),
  f('leader', 'int32'),
  f('leaderEpoch', 'int32'),
  arr('isr', 'int32'),
  f('partitionEpoch', 'int32'),
  arr('replicas', 'int32'),
  arr('addingReplicas', 'int32', '3+'),
  arr('removingReplicas', 'int32', '3+'),
  f('isNew', 'bool', '1+', { default: false }),
  f('leaderRecoveryState', 'int8', '6+'),
] as const;

const leaderAndIsrPartitionError = [
  f('topicName', 'string', '0-4'),
  f('partitionIndex', 'int32'),
  f('errorCode', 'int16'),
] as const;

export const LeaderAndIsr = api(
  4,
  'LeaderAndIsr',
  '0-7',
  '4+',
  [
    f('controllerId', 'int32'),
    f('isKRaftController', 'bool', '7+', { default: false }),
    f('controllerEpoch', 'int32'),
    f('brokerEpoch', 'int64', '2+', { default: -1n }),
    f('type', 'int8', '5+'),
    arr('ungroupedPartitionStates', leaderAndIsrPartitionState, '0-1'),
    arr('topicStates', [
      f('topicName', 'string', '2+'),
      f('topicId', 'uuid', '5+'),
      arr('partitionStates', leaderAndIsrPartitionState, '2+'),
    ], '2+'),
    arr('liveLeaders', [
      f('brokerId', 'int32'),
      f('hostName', 'string'),
      f('port', 'int32'),
    ]),
  ],
  [
    f('errorCode', 'int16'),
    arr('partitionErrors', leaderAndIsrPartitionError, '0-4'),
    arr('topics', [
      f('topicId', 'uuid', '5+'),
      arr('partitionErrors', leaderAndIsrPartitionError, '5+'),
    ], '5+'),
  ],
);
