// JoinGroup (key 11): versions 0-9, flexible 6+.
import { api, arr, f } from '../spec';

export const JoinGroup = api(
  11,
  'JoinGroup',
  '0-9',
  '6+',
  [
    f('groupId', 'string'),
    f('sessionTimeoutMs', 'int32'),
    f('rebalanceTimeoutMs', 'int32', '1+', { default: -1 }),
    f('memberId', 'string'),
    f('groupInstanceId', 'string', '5+', { nullable: '5+', default: null }),
    f('protocolType', 'string'),
    arr('protocols', [
      f('name', 'string'),
      f('metadata', 'bytes'),
    ]),
    f('reason', 'string', '8+', { nullable: '8+', default: null }),
  ],
  [
    f('throttleTimeMs', 'int32', '2+'),
    f('errorCode', 'int16'),
    f('generationId', 'int32', '0+', { default: -1 }),
    f('protocolType', 'string', '7+', { nullable: '7+', default: null }),
    f('protocolName', 'string', '0+', { nullable: '7+' }),
    f('leader', 'string'),
    f('skipAssignment', 'bool', '9+', { default: false }),
    f('memberId', 'string'),
    arr('members', [
      f('memberId', 'string'),
      f('groupInstanceId', 'string', '5+', { nullable: '5+', default: null }),
      f('metadata', 'bytes'),
    ]),
  ],
);
