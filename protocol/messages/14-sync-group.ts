// SyncGroup (key 14): versions 0-5, flexible 4+.
import { api, arr, f } from '../spec';

export const SyncGroup = api(
  14,
  'SyncGroup',
  '0-5',
  '4+',
  [
    f('groupId', 'string'),
    f('generationId', 'int32'),
    f('memberId', 'string'),
    f('groupInstanceId', 'string', '3+', { nullable: '3+', default: null }),
    f('protocolType', 'string', '5+', { nullable: '5+', default: null }),
    f('protocolName', 'string', '5+', { nullable: '5+', default: null }),
    arr('assignments', [
      f('memberId', 'string'),
      f('assignment', 'bytes'),
    ]),
  ],
  [
    f('throttleTimeMs', 'int32', '1+'),
    f('errorCode', 'int16'),
    f('protocolType', 'string', '5+', { nullable: '5+', default: null }),
    f('protocolName', 'string', '5+', { nullable: '5+', default: null }),
    f('assignment', 'bytes'),
  ],
);
