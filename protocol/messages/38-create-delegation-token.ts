// CreateDelegationToken (key 38): versions 0-3, flexible 2+.
import { api, arr, f } from '../spec';

export const CreateDelegationToken = api(
  38,
  'CreateDelegationToken',
  '0-3',
  '2+',
  [
    f('ownerPrincipalType', 'string', '3+', { nullable: '3+' }),
    f('ownerPrincipalName', 'string', '3+', { nullable: '3+' }),
    arr('renewers', [
      f('principalType', 'string'),
      f('principalName', 'string'),
    ]),
    f('maxLifetimeMs', 'int64'),
  ],
  [
    f('errorCode', 'int16'),
    f('principalType', 'string'),
    f('principalName', 'string'),
    f('tokenRequesterPrincipalType', 'string', '3+'),
    f('tokenRequesterPrincipalName', 'string', '3+'),
    f('issueTimestampMs', 'int64'),
    f('expiryTimestampMs', 'int64'),
    f('maxTimestampMs', 'int64'),
    f('tokenId', 'string'),
    f('hmac', 'bytes'),
    f('throttleTimeMs', 'int32'),
  ],
);
