// ElectLeaders (key 43): versions 0-2, flexible 2+.
import { api, arr, f } from '../spec';

export const ElectLeaders = api(
  43,
  'ElectLeaders',
  '0-2',
  '2+',
  [
    f('electionType', 'int8', '1+'),
    arr('topicPartitions', [
      f('topic', 'string'),
      arr('partitions', 'int32'),
    ], '0+', { nullable: '0+' }),
    f('timeoutMs', 'int32', '0+', { default: 60000 }),
  ],
  [
    f('throttleTimeMs', 'int32'),
    f('errorCode', 'int16', '1+'),
    arr('replicaElectionResults', [
      f('topic', 'string'),
      arr('partitionResult', [
        f('partitionId', 'int32'),
        f('errorCode', 'int16'),
        f('errorMessage', 'string', '0+', { nullable: '0+' }),
      ]),
    ]),
  ],
);
