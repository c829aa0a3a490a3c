// IncrementalAlterConfigs (key 44): versions 0-1, flexible 1+.
import { api, arr, f } from '../spec';

export const IncrementalAlterConfigs = api(
  44,
  'IncrementalAlterConfigs',
  '0-1',
  '1+',
  [
    arr('resources', [
      f('resourceType', 'int8'),
      f('resourceName', 'string'),
      arr('configs', [
        f('name', 'string'),
        f('configOperation', 'int8'),
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
