// ListGroups (key 16): versions 0-5, flexible 3+.
import { api, arr, f } from '../spec';

export const ListGroups = api(
  16,
  'ListGroups',
  '0-5',
  '3+',
  [
    arr('statesFilter', 'string', '4+'),
    arr('typesFilter', 'string', '5+'),
  ],
  [
    f('throttleTimeMs', 'int32', '1+'),
    f('errorCode', 'int16'),
    arr('groups', [
      f('groupId', 'string'),
      f('protocolType', 'string'),
      f('groupState', 'string', '4+'),
      f('groupType', 'string', '5+'),
    ]),
  ],
);
