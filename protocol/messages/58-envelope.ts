// Envelope (key 58): versions 0, flexible 0+.
import { api, f } from '../spec';

export const Envelope = api(
  58,
  'Envelope',
  '0',
  '0+',
  [
    f('requestData', 'bytes'),
    f('requestPrincipal', 'bytes', '0+', { nullable: '0+' }),
    f('clientHostAddress', 'bytes'),
  ],
  [
    f('responseData', 'bytes', '0+', { nullable: '0+', default: null }),
    f('errorCode', 'int16'),
  ],
);
