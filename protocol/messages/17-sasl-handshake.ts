// SaslHandshake (key 17): versions 0-1, flexible none.
import { api, arr, f } from '../spec';

export const SaslHandshake = api(
  17,
  'SaslHandshake',
  '0-1',
  'none',
  [
    f('mechanism', 'string'),
  ],
  [
    f('errorCode', 'int16'),
    arr('mechanisms', 'string'),
  ],
);
