// AlterConfigs (key 33): versions 0-2, flexible 2+.
import { api, arr, f } from '../spec';

export const AlterConfigs = api(
  33,
  'AlterConfigs',
  '0-2',
  '2+',
  [
    arr('resources', [
      f('resourceType', 'int8'),
      f('resourceName', 'string'),
      arr('configs', [
        f('name', 'string'),
        f('value', 'string', '0+', { nullable: '0+' }),
      ]),
    ]),
    f('validateOnly', 'bool'),
  ],
  [
    f('throttleTimeMs', 'int32'),
    arr('responses', [
      f('errorCode', 'int16'),
      f('errorMessage', 'string', '0+', { nullable: '0+' }),
      f('resourceType', 'int8'),
      f('resourceName', 'string'),
    ]),
  ],
);
