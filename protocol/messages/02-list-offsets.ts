// ListOffsets (key 2): versions 0-9, flexible 6+.
import { api, arr, f } from '../spec';

export const ListOffsets = api(
  2,
  'ListOffsets',
  '0-9',
  '6+',
  [
    f('replicaId', 'int32'),
    f('isolationLevel', 'int8', '2+'),
    arr('topics', [
      f('name', 'string'),
      arr('partitions', [
        f('partitionIndex', 'int32'),
        f('currentLeaderEpoch', 'int32', '4+', { default: -1 }),
        f('timestamp', 'int64'),
        f('maxNumOffsets', 'int32', '0', { default: 1 }),
      ]),
    ]),
  ],
  [
    f('throttleTimeMs', 'int32', '2+'),
    arr('topics', [
      f('name', 'string'),
      arr('partitions', [
        f('partitionIndex', 'int32'),
        f('errorCode', 'int16'),
        arr('oldStyleOffsets', 'int64', '0'),
        f('timestamp', 'int64', '1+', { default: -1n }),
        f('offset', 'int64', '1+', { default: -1n }),
        f('leaderEpoch', 'int32', '4+', { default: -1 }),
      ]),
    ]),
  ],
);
