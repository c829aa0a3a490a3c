// AlterUserScramCredentials (key 51): versions 0, flexible 0+.
import { api, arr, f } from '../spec';

export const AlterUserScramCredentials = api(
  51,
  'AlterUserScramCredentials',
  '0',
  '0+',
  [
    arr('deletions', [
      f('name', 'string'),
      f('mechanism', 'int8'),
    ]),
    arr('upsertions', [
      f('name', 'string'),
      f('mechanism', 'int8'),
      f('iterations', 'int32'),
      f('salt', 'bytes'),
      f('saltedPassword', 'bytes'),
    ]),
  ],
  [
    f('throttleTimeMs', 'int32'),
    arr('results', [
      f('user', 'string'),
      f('errorCode', 'int16'),
      f('errorMessage', 'string', '0+', { nullable: '0+' }),
    ]),
  ],
);
