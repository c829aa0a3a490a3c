// AlterPartition (key 56): versions 0-3, flexible 0+.
import { api, arr, f } from '../spec';

export const AlterPartition = api(
  56,
  'AlterPartition',
  '0-3',
  '0+',
  [
    f('brokerId', 'int32'),
    f('brokerEpoch', 'int64', '0+', { default: -1n }),
    arr('topics', [
      f('topicName', 'string', '0-1'),
      f('topicId', 'uuid', '2+'),
      arr('partitions', [
        f('partitionIndex', 'int32'),
        f('leaderEpoch', 'int32'),
        arr('newIsr', 'int32', '0-2'),
        arr('newIsrWithEpochs', [
          f('brokerId', 'int32', '3+'),
          f('brokerEpoch', 'int64', '3+', { default: -1n }),
        ], '3+'),
        f('leaderRecoveryState', 'int8', '1+'),
        f('partitionEpoch', 'int32'),
      ]),
    ]),
  ],
  [
    f('throttleTimeMs', 'int32'),
    f('errorCode', 'int16'),
    arr('topics', [
      f('topicName', 'string', '0-1'),
      f('topicId', 'uuid', '2+'),
      arr('partitions', [
        f('partitionIndex', 'int32'),
        f('errorCode', 'int16'),
        f('leaderId', 'int32'),
        f('leaderEpoch', 'int32'),
        arr('isr', 'int32'),
        f('leaderRecoveryState', 'int8', '1+'),
        f('partitionEpoch', 'int32'),
      ]),
    ]),
  ],
);
