// ConsumerGroupHeartbeat (key 68): versions 0, flexible 0+.
import { api, arr, f, struct } from '../spec';

const topicPartitions = [
  f('topicId', 'uuid'),
  arr('partitions', 'int32'),
] as const;

export const ConsumerGroupHeartbeat = api(
  68,
  'ConsumerGroupHeartbeat',
  '0',
  '0+',
  [
    f('groupId', 'string'),
    f('memberId', 'string'),
    f('memberEpoch', 'int32'),
    f('instanceId', 'string', '0+', { nullable: '0+', default: null }),
    f('rackId', 'string', '0+', { nullable: '0+', default: null }),
    f('rebalanceTimeoutMs', 'int32', '0+', { default: -1 }),
    arr('subscribedTopicNames', 'string', '0+', { nullable: '0+', default: null }),
    f('serverAssignor', 'string', '0+', { nullable: '0+', default: null }),
    arr('topicPartitions', [
      f('topicId', 'uuid'),
      arr('partitions', 'int32'),
    ], '0+', { nullable: '0+', default: null }),
  ],
  [
    f('throttleTimeMs', 'int32'),
    f('errorCode', 'int16'),
    f('errorMessage', 'string', '0+', { nullable: '0+', default: null }),
    f('memberId', 'string', '0+', { nullable: '0+', default: null }),
    f('memberEpoch', 'int32'),
    f('heartbeatIntervalMs', 'int32'),
    struct('assignment', [
      arr('topicPartitions', topicPartitions),
    ], '0+', { nullable: '0+', default: null }),
  ],
);
