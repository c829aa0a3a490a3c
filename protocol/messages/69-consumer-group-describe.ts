// ConsumerGroupDescribe (key 69): versions 0, flexible 0+.
import { api, arr, f, struct } from '../spec';

const topicPartitions = [
  f('topicId', 'uuid'),
  f('topicName', 'string'),
  arr('partitions', 'int32'),
] as const;

const assignment = [
  arr('topicPartitions', topicPartitions),
] as const;

export const ConsumerGroupDescribe = api(
  69,
  'ConsumerGroupDescribe',
  '0',
  '0+',
  [
    arr('groupIds', 'string'),
    f('includeAuthorizedOperations', 'bool'),
  ],
  [
    f('throttleTimeMs', 'int32'),
    arr('groups', [
      f('errorCode', 'int16'),
      f('errorMessage', 'string', '0+', { nullable: '0+', default: null }),
      f('groupId', 'string'),
      f('groupState', 'string'),
      f('groupEpoch', 'int32'),
      f('assignmentEpoch', 'int32'),
      f('assignorName', 'string'),
      arr('members', [
        f('memberId', 'string'),
        f('instanceId', 'string', '0+', { nullable: '0+', default: null }),
        f('rackId', 'string', '0+', { nullable: '0+', default: null }),
        f('memberEpoch', 'int32'),
        f('clientId', 'string'),
        f('clientHost', 'string'),
        arr('subscribedTopicNames', 'string'),
        f('subscribedTopicRegex', 'string', '0+', { nullable: '0+', default: null }),
        struct('assignment', assignment),
        struct('targetAssignment', assignment),
      ]),
      f('authorizedOperations', 'int32', '0+', { default: -2147483648 }),
    ]),
  ],
);
