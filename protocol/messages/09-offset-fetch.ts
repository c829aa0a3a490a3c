// OffsetFetch (key 9): versions 0-9, flexible 6+.
import { api, arr, f } from '../spec';

export const OffsetFetch = api(
  9,
  'OffsetFetch',
  '0-9',
  '6+',
  [
    f('groupId', 'string', '0-7'),
    arr('topics', [
      f('name', 'string', '0-7'),
      arr('partitionIndexes', 'int32', '0-7'),
    ], '0-7', { nullable: '2-7' }),
    arr('groups', [
      f('groupId', 'string', '8+'),
      f('memberId', 'string', '9+', { nullable: '9+', default: null }),
      f('memberEpoch', 'int32', '9+', { default: -1 }),
      arr('topics', [
        f('name', 'string', '8+'),
        arr('partitionIndexes', 'int32', '8+'),
      ], '8+', { nullable: '8+' }),
    ], '8+'),
    f('requireStable', 'bool', '7+', { default: false }),
  ],
  [
    f('throttleTimeMs', 'int32', '3+'),
    arr('topics', [
      f('name', 'string', '0-7'),
      arr('partitions', [
        f('partitionIndex', 'int32', '0-7'),
        f('committedOffset', 'int64', '0-7'),
        f('committedLeaderEpoch', 'int32', '5-7', { default: -1 }),
        f('metadata', 'string', '0-7', { nullable: '0-7' }),
        f('errorCode', 'int16', '0-7'),
      ], '0-7'),
    ], '0-7'),
    f('errorCode', 'int16', '2-7'),
    arr('groups', [
      f('groupId', 'string', '8+'),
      arr('topics', [
        f('name', 'string', '8+'),
        arr('partitions', [
          f('partitionIndex', 'int32', '8+'),
          f('committedOffset', 'int64', '8+'),
          f('committedLeaderEpoch', 'int32', '8+', { default: -1 }),
          f('metadata', 'string', '8+', { nullable: '8+' }),
          f('errorCode', 'int16', '8+'),
        ], '8+'),
      ], '8+'),
      f('errorCode', 'int16', '8+'),
    ], '8+'),
  ],
);
