// StopReplica (key 5): versions 0-4, flexible 2+.
import { api, arr, f } from '../spec';

export const StopReplica = api(
  5,
  'StopReplica',
  '0-4',
  '2+',
  [
    f('controllerId', 'int32'),
    f('isKRaftController', 'bool', '4+', { default: false }),
    f('controllerEpoch', 'int32'),
    f('brokerEpoch', 'int64', '1+', { default: -1n }),
    f('deletePartitions', 'bool', '0-2'),
    arr('ungroupedPartitions', [
      f('topicName', 'string', '0'),
      f('partitionIndex', 'int32', '0'),
    ], '0'),
    arr('topics', [
      f('name', 'string', '1-2'),
      arr('partitionIndexes', 'int32', '1-2'),
    ], '1-2'),
    arr('topicStates', [
      f('topicName', 'string', '3+'),
      arr('partitionStates', [
        f('partitionIndex', 'int32', '3+'),
        f('leaderEpoch', 'int32', '3+', { default: -1 }),
        f('deletePartition', 'bool', '3+'),
      ], '3+'),
    ], '3+'),
  ],
  [
    f('errorCode', 'int16'),
    arr('partitionErrors', [
      f('topicName', 'string'),
      f('partitionIndex', 'int32'),
      f('errorCode', 'int16'),
    ]),
  ],
);
