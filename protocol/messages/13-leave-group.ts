// LeaveGroup (key 13): versions 0-5, flexible 4+.
import { api, arr, f } from '../spec';

export const LeaveGroup = api(
  13,
  'LeaveGroup',
  '0-5',
  '4+',
  [
    f('groupId', 'string'),
    f('memberId', 'string', '0-2'),
    arr('members', [
      f('memberId', 'string', '3+'),
      f('groupInstanceId', 'string', '3+', { nullable: '3+', default: null }),
      f('reason', 'string', '5+', { nullable: '5+', default: null }),
    ], '3+'),
  ],
  [
    f('throttleTimeMs', 'int32', '1+'),
    f('errorCode', 'int16'),
    arr('members', [
      f('memberId', 'string', '3+'),
      f('groupInstanceId', 'string', '3+', { nullable: '3+' }),
      f('errorCode', 'int16', '3+'),
    ], '3+'),
  ],
);
