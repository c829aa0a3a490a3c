// DeleteRecords (key 21): versions 0-2, flexible 2+.
import { api, arr, f } from '../spec';

export const DeleteRecords = api(
  21,
  'DeleteRecords',
  '0-2',
  '2+',
  [
    arr('topics', [
      f('name', 'string'),
      arr('partitions', [
        f('partitionIndex', 'int32'),
        f('offset', 'int64'),
      ]),
    ]),
    f('timeoutMs', 'int32'),
  ],
  [
    f('throttleTimeMs', 'int32'),
    arr('topics', [
      f('name', 'string'),
      arr('partitions', [
        f('partitionIndex', 'int32'),
        f('lowWatermark', 'int64'),
        f('errorCode', 'int16'),
      ]),
    ]),
  ],
);
