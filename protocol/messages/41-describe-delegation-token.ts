// DescribeDelegationToken (key 41): versions 0-3, flexible 2+.
import { api, arr, f } from '../spec';

export const DescribeDelegationToken = api(
  41,
  'DescribeDelegationToken',
  '0-3',
  '2+',
  [
    arr('owners', [
      f('principalType', 'string'),
      f('principalName', 'string'),
    ], '0+', { nullable: '0+' }),
  ],
  [
    f('errorCode', 'int16'),
    arr('tokens', [
      f('principalType', 'string'),
      f('principalName', 'string'),
      f('tokenRequesterPrincipalType', 'string', '3+'),
      f('tokenRequesterPrincipalName', 'string', '3+'),
      f('issueTimestamp', 'int64'),
      f('expiryTimestamp', 'int64'),
      f('maxTimestamp', 'int64'),
      f('tokenId', 'string'),
      f('hmac', 'bytes'),
      arr('renewers', [
        f('principalType', 'string'),
        f('principalName', 'string'),
      ]),
    ]),
    f('throttleTimeMs', 'int32'),
  ],
);
