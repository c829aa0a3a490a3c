// DescribeAcls (key 29): versions 0-3, flexible 2+.
import { api, arr, f } from '../spec';

export const DescribeAcls = api(
  29,
  'DescribeAcls',
  '0-3',
  '2+',
  [
    f('resourceTypeFilter', 'int8'),
    f('resourceNameFilter', 'string', '0+', { nullable: '0+' }),
    f('patternTypeFilter', 'int8', '1+', { default: 3 }),
    f('principalFilter', 'string', '0+', { nullable: '0+' }),
    f('hostFilter', 'string', '0+', { nullable: '0+' }),
    f('operation', 'int8'),
    f('permissionType', 'int8'),
  ],
  [
    f('throttleTimeMs', 'int32'),
    f('errorCode', 'int16'),
    f('errorMessage', 'string', '0+', { nullable: '0+' }),
    arr('resources', [
      f('resourceType', 'int8'),
      f('resourceName', 'string'),
      f('patternType', 'int8', '1+', { default: 3 }),
      arr('acls', [
        f('principal', 'string'),
        f('host', 'string'),
        f('operation', 'int8'),
        f('permissionType', 'int8'),
      ]),
    ]),
  ],
);
