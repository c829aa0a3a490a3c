// DescribeUserScramCredentials (key 50): versions 0, flexible 0+.
import { api, arr, f } from '../spec';

export const DescribeUserScramCredentials = api(
  50,
  'DescribeUserScramCredentials',
  '0',
  '0+',
  [
    arr('users', [
      f('name', 'string'),
    ], '0+', { nullable: '0+' }),
  ],
  [
    f('throttleTimeMs', 'int32'),
    f('errorCode', 'int16'),
    f('errorMessage', 'string', '0+', { nullable: '0+' }),
    arr('results', [
      f('user', 'string'),
      f('errorCode', 'int16'),
      f('errorMessage', 'string', '0+', { nullable: '0+' }),
      arr('credentialInfos', [
        f('mechanism', 'int8'),
        f('iterations', 'int32'),
      ]),
    ]),
  ],
);
