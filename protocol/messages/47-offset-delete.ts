// OffsetDelete (key 47): versions 0, flexible none.
import { api, arr, f } from '../spec';

export const OffsetDelete = api(
  47,
  'OffsetDelete',
  '0',
  'none',
  [
    f('groupId', 'string'),
    arr('topics', [
      f('name', 'string'),
      arr('partitions', [
        f('partitionIndex', 'int32'),
      ]),
    ]),
  ],
  [
    f('errorCode', 'int16'),
    f('throttleTimeMs', 'int32'),
    arr('topics', [
      f('name', 'string'),
      arr('partitions', [
        f('partitionIndex', 'int32'),
        f('errorCode', 'int16'),
      ]),
    ]),
  ],
);
