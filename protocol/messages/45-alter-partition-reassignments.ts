// AlterPartitionReassignments (key 45): versions 0, flexible 0+.
import { api, arr, f } from '../spec';

export const AlterPartitionReassignments = api(
  45,
  'AlterPartitionReassignments',
  '0',
  '0+',
  [
    f('timeoutMs', 'int32', '0+', { default: 60000 }),
    arr('topics', [
      f('name', 'string'),
      arr('partitions', [
        f('partitionIndex', 'int32'),
        arr('replicas', 'int32', '0+', { nullable: '0+', default: null }),
      ]),
    ]),
  ],
  [
    f('throttleTimeMs', 'int32'),
    f('errorCode', 'int16'),
    f('errorMessage', 'string', '0+', { nullable: '0+' }),
    arr('responses', [
      f('name', 'string'),
      arr('partitions', [
        f('partitionIndex', 'int32'),
        f('errorCode', 'int16'),
        f('errorMessage', 'string', '0+', { nullable: '0+' }),
      ]),
    ]),
  ],
);
