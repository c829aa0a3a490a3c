// AlterReplicaLogDirs (key 34): versions 0-2, flexible 2+.
import { api, arr, f } from '../spec';

export const AlterReplicaLogDirs = api(
  34,
  'AlterReplicaLogDirs',
  '0-2',
  '2+',
  [
    arr('dirs', [
      f('path', 'string'),
      arr('topics', [
        f('name', 'string'),
        arr('partitions', 'int32'),
      ]),
    ]),
  ],
  [
    f('throttleTimeMs', 'int32'),
    arr('results', [
      f('topicName', 'string'),
      arr('partitions', [
        f('partitionIndex', 'int32'),
        f('errorCode', 'int16'),
      ]),
    ]),
  ],
);
