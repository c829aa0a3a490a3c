// RenewDelegationToken (key 39): versions 0-2, flexible 2+.
import { api, f } from '../spec';

export const RenewDelegationToken = api(
  39,
  'RenewDelegationToken',
  '0-2',
  '2+',
  [
    f('hmac', 'bytes'),
    f('renewPeriodMs', 'int64'),
  ],
  [
    f('errorCode', 'int16'),
    f('expiryTimestampMs', 'int64'),
    f('throttleTimeMs', 'int32'),
  ],
);
