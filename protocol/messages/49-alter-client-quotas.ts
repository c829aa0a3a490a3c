// AlterClientQuotas (key 49): versions 0-1, flexible 1+.
import { api, arr, f } from '../spec';

export const AlterClientQuotas = api(
  49,
  'AlterClientQuotas',
  '0-1',
  '1+',
  [
    arr('entries', [
      arr('entity', [
        f('entityType', 'string'),
        f('entityName', 'string', '0+', { nullable: '0+' }),
      ]),
      arr('ops', [
        f('key', 'string'),
        f('value', 'float64'),
        f('remove', 'bool'),
      ]),
    ]),
    f('validateOnly', 'bool'),
  ],
  [
    f('throttleTimeMs', 'int32'),
    arr('entries', [
      f('errorCode', 'int16'),
      f('errorMessage', 'string', '0+', { nullable: '0+' }),
      arr('entity', [
        f('entityType', 'string'),
        f('entityName', 'string', '0+', { nullable: '0+' }),
      ]),
    ]),
  ],
);
