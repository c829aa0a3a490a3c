// DeleteGroups (key 42): versions 0-2, flexible 2+.
import { api, arr, f } from '../spec';

export const DeleteGroups = api(
  42,
  'DeleteGroups',
  '0-2',
  '2+',
  [
    arr('groupsNames', 'string'),
  ],
  [
    f('throttleTimeMs', 'int32'),
    arr('results', [
      f('groupId', 'string'),
      f('errorCode', 'int16'),
    ]),
  ],
);
