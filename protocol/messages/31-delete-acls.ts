// DeleteAcls (key 31): versions 0-3, flexible 2+.
import { api, arr, f } from '../spec';

export const DeleteAcls = api(
  31,
  'DeleteAcls',
  '0-3',
  '2+',
  [
    arr('filters', [
      f('resourceTypeFilter', 'int8'),
      f('resourceNameFilter', 'string', '0+', { nullable: '0+' }),
      f('patternTypeFilter', 'int8', '1+', { default: 3 }),
      f('principalFilter', 'string', '0+', { nullable: '0+' }),
      f('hostFilter', 'string', '0+', { nullable: '0+' }),
      f('operation', 'int8'),
      f('permissionType', 'int8'),
    ]),
  ],
  [
    f('throttleTimeMs', 'int32'),
    arr('filterResults', [
      f('errorCode', 'int16'),
      f('errorMessage', 'string', '0+', { nullable: '0+' }),
      arr('matchingAcls', [
        f('errorCode', 'int16'),
        f('errorMessage', 'string', '0+', { nullable: '0+' }),
        f('resourceType', 'int8'),
        f('resourceName', 'string'),
        f('patternType', 'int8', '1+', { default: 3 }),
        f('principal', 'string'),
        f('host', 'string'),
        f('operation', 'int8'),
        f('permissionType', 'int8'),
      ]),
    ]),
  ],
);
