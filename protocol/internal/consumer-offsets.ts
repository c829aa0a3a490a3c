// Keys and values of the records in __consumer_offsets. On disk each key and each value is its
// schema version as an int16 followed by the struct of that version; the key's version tells the
// record type (0-1 offset commit, 2 group metadata) and a null value is a tombstone.
import { arr, data, f } from '../spec';

export const OffsetCommitKey = data('OffsetCommitKey', '0-1', 'none', [
  f('group', 'string'),
  f('topic', 'string'),
  f('partition', 'int32'),
]);

export const OffsetCommitValue = data('OffsetCommitValue', '0-4', '4+', [
  f('offset', 'int64'),
  f('leaderEpoch', 'int32', '3+', { default: -1 }),
  f('metadata', 'string'),
  f('commitTimestamp', 'int64'),
  f('expireTimestamp', 'int64', '1', { default: -1n }),
]);

export const GroupMetadataKey = data('GroupMetadataKey', '2', 'none', [f('group', 'string', '2')]);

export const GroupMetadataValue = data('GroupMetadataValue', '0-4', '4+', [
  f('protocolType', 'string'),
  f('generation', 'int32'),
  f('protocol', 'string', '0+', { nullable: '0+' }),
  f('leader', 'string', '0+', { nullable: '0+' }),
  f('currentStateTimestamp', 'int64', '2+', { default: -1n }),
  arr('members', [
    f('memberId', 'string'),
    f('groupInstanceId', 'string', '3+', { nullable: '3+', default: null }),
    f('clientId', 'string'),
    f('clientHost', 'string'),
    f('rebalanceTimeout', 'int32', '1+', { default: -1 }),
    f('sessionTimeout', 'int32'),
    f('subscription', 'bytes'),
    f('assignment', 'bytes'),
  ]),
]);

/** Key versions by record type. */
export const OFFSET_COMMIT_KEY_VERSION = 1;
export const LEGACY_OFFSET_COMMIT_KEY_VERSION = 0;
export const GROUP_METADATA_KEY_VERSION = 2;
