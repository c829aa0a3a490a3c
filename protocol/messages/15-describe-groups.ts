// DescribeGroups (key 15): versions 0-5, flexible 5+.
import { api, arr, f } from '../spec';

export const DescribeGroups = api(
  15,
  'DescribeGroups',
  '0-5',
  '5+',
  [
    arr('groups', 'string'),
    f('includeAuthorizedOperations', 'bool', '3+'),
  ],
  [
    f('throttleTimeMs', 'int32', '1+'),
    arr('groups', [
      f('errorCode', 'int16'),
      f('groupId', 'string'),
      f('groupState', 'string'),
      f('protocolType', 'string'),
      f('protocolData', 'string'),
      arr('members', [
        f('memberId', 'string'),
        f('groupInstanceId', 'string', '4+', { nullable: '4+', default: null }),
        f('clientId', 'string'),
        f('clientHost', 'string'),
        f('memberMetadata', 'bytes'),
        f('memberAssignment', 'bytes'),
      ]),
      f('authorizedOperations', 'int32', '3+', { default: -2147483648 }),
    ]),
  ],
);
