// CreatePartitions (key 37): versions 0-3, flexible 2+.
import { api, arr, f } from '../spec';

export const CreatePartitions = api(
  37,
  'CreatePartitions',
  '0-3',
  '2+',
  [
    arr('topics', [
      f('name', 'string'),
      f('count', 'int32'),
      arr('assignments', [
        arr('brokerIds', 'int32'),
      ], '0+', { nullable: '0+' }),
    ]),
    f('timeoutMs', 'int32'),
    f('validateOnly', 'bool'),
  ],
  [
    f('throttleTimeMs', 'int32'),
    arr('results', [
      f('name', 'string'),
      f('errorCode', 'int16'),
      f('errorMessage', 'string', '0+', { nullable: '0+', default: null }),
    ]),
  ],
);
