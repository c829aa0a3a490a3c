// UpdateMetadata (key 6): versions 0-8, flexible 6+.
import { api, arr, f } from '../spec';

const updateMetadataPartitionState = [
  f('topicName', 'string', '0-4'),
  f('partitionIndex', 'int32'),
  f('controllerEpoch', 'int32'),
  f('leader', 'int32'),
  f('leaderEpoch', 'int32'),
  arr('isr', 'int32'),
  f('zkVersion', 'int32'),
  arr('replicas', 'int32'),
  arr('offlineReplicas', 'int32', '4+'),
] as const;

export const UpdateMetadata = api(
  6,
  'UpdateMetadata',
  '0-8',
  '6+',
  [
    f('controllerId', 'int32'),
    f('isKRaftController', 'bool', '8+', { default: false }),
    f('type', 'int8', '8+', { tag: 0 }),
    f('controllerEpoch', 'int32'),
    f('brokerEpoch', 'int64', '5+', { default: -1n }),
    arr('ungroupedPartitionStates', updateMetadataPartitionState, '0-4'),
    arr('topicStates', [
      f('topicName', 'string', '5+'),
      f('topicId', 'uuid', '7+'),
      arr('partitionStates', updateMetadataPartitionState, '5+'),
    ], '5+'),
    arr('liveBrokers', [
      f('id', 'int32'),
      f('v0Host', 'string', '0'),
      f('v0Port', 'int32', '0'),
      arr('endpoints', [
        f('port', 'int32', '1+'),
        f('host', 'string', '1+'),
        f('listener', 'string', '3+'),
        f('securityProtocol', 'int16', '1+'),
      ], '1+'),
      f('rack', 'string', '2+', { nullable: '0+' }),
    ]),
  ],
  [
    f('errorCode', 'int16'),
  ],
);
