// SaslAuthenticate (key 36): versions 0-2, flexible 2+.
import { api, f } from '../spec';

export const SaslAuthenticate = api(
  36,
  'SaslAuthenticate',
  '0-2',
  '2+',
  [
    f('authBytes', 'bytes'),
  ],
  [
    f('errorCode', 'int16'),
    f('errorMessage', 'string', '0+', { nullable: '0+' }),
    f('authBytes', 'bytes'),
    f('sessionLifetimeMs', 'int64', '1+', { default: 0n }),
  ],
);
