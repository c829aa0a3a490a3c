// DescribeClientQuotas (key 48): versions 0-1, flexible 1+.
import { api, arr, f } from '../spec';

export const DescribeClientQuotas = api(
  48,
  'DescribeClientQuotas',
  '0-1',
  '1+',
  [
    arr('components', [
      f('entityType', 'string'),
      f('matchType', 'int8'),
      f('match', 'string', '0+', { nullable: '0+' }),
    ]),
    f('strict', 'bool'),
  ],
  [
    f('throttleTimeMs', 'int32'),
    f('errorCode', 'int16'),
    f('errorMessage', 'string', '0+', { nullable: '0+' }),
    arr('entries', [
      arr('entity', [
        f('entityType', 'string'),
        f('entityName', 'string', '0+', { nullable: '0+' }),
      ]),
      arr('values', [
        f('key', 'string'),
        f('value', 'float64'),
      ]),
    ], '0+', { nullable: '0+' }),
  ],
);
