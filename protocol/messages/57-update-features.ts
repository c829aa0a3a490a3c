// UpdateFeatures (key 57): versions 0-1, flexible 0+.
import { api, arr, f } from '../spec';

export const UpdateFeatures = api(
  57,
  'UpdateFeatures',
  '0-1',
  '0+',
  [
    f('timeoutMs', 'int32', '0+', { default: 60000 }),
    arr('featureUpdates', [
      f('feature', 'string'),
      f('maxVersionLevel', 'int16'),
      f('allowDowngrade', 'bool', '0'),
      f('upgradeType', 'int8', '1+', { default: 1 }),
    ]),
    f('validateOnly', 'bool', '1+', { default: false }),
  ],
  [
    f('throttleTimeMs', 'int32'),
    f('errorCode', 'int16'),
    f('errorMessage', 'string', '0+', { nullable: '0+' }),
    arr('results', [
      f('feature', 'string'),
      f('errorCode', 'int16'),
      f('errorMessage', 'string', '0+', { nullable: '0+' }),
    ]),
  ],
);
