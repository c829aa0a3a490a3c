// Heartbeat (key 12): versions 0-4, flexible 4+.
import { api, f } from '../spec';

export const Heartbeat = api(
  12,
  'Heartbeat',
  '0-4',
  '4+',
  [
    f('groupId', 'string'),
    f('generationId', 'int32'),
    f('memberId', 'string'),
    f('groupInstanceId', 'string', '3+', { nullable: '3+', default: null }),
  ],
  [
    f('throttleTimeMs', 'int32', '1+'),
    f('errorCode', 'int16'),
  ],
);
