// ExpireDelegationToken (key 40): versions 0-2, flexible 2+.
import { api, f } from '../spec';

export const ExpireDelegationToken = api(
  40,
  'ExpireDelegationToken',
  '0-2',
  '2+',
  [
    f('hmac', 'bytes'),
    f('expiryTimePeriodMs', 'int64'),
  ],
  [
    f('errorCode', 'int16'),
    f('expiryTimestampMs', 'int64'),
    f('throttleTimeMs', 'int32'),
  ],
);
