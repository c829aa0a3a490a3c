// CreateAcls (key 30): versions 0-3, flexible 2+.
import { api, arr, f } from '../spec';

export const CreateAcls = api(
  30,
  'CreateAcls',
  '0-3',
  '2+',
  [
    arr('creations', [
      f('resourceType', 'int8'),
      f('resourceName', 'string'),
      f('resourcePatternType', 'int8', '1+', { default: 3 }),
      f('principal', 'string'),
      f('host', 'string'),
      f('operation', 'int8'),
      f('permissionType', 'int8'),
    ]),
  ],
  [
    f('throttleTimeMs', 'int32'),
    arr('results', [
      f('errorCode', 'int16'),
      f('errorMessage', 'string', '0+', { nullable: '0+' }),
    ]),
  ],
);
