// OffsetForLeaderEpoch (key 23): versions 0-4, flexible 4+.
import { api, arr, f } from '../spec';

export const OffsetForLeaderEpoch = api(
  23,
  'OffsetForLeaderEpoch',
  '0-4',
  '4+',
  [
    f('replicaId', 'int32', '3+', { default: -2 }),
    arr('topics', [
      f('topic', 'string'),
      arr('partitions', [
        f('partition', 'int32'),
        f('currentLeaderEpoch', 'int32', '2+', { default: -1 }),
        f('leaderEpoch', 'int32'),
      ]),
    ]),
  ],
  [
    f('throttleTimeMs', 'int32', '2+'),
    arr('topics', [
      f('topic', 'string'),
      arr('partitions', [
        f('errorCode', 'int16'),
        f('partition', 'int32'),
        f('leaderEpoch', 'int32', '1+', { default: -1 }),
        f('endOffset', 'int64', '0+', { default: -1n }),
      ]),
    ]),
  ],
);
