// Fetch (key 1): versions 0-17, flexible 12+.
import { api, arr, f, struct } from '../spec';

export const Fetch = api(
  1,
  'Fetch',
  '0-17',
  '12+',
  [
    f('clusterId', 'string', '12+', { nullable: '12+', tag: 0, default: null }),
    f('replicaId', 'int32', '0-14', { default: -1 }),
    struct('replicaState', [
      f('replicaId', 'int32', '15+', { default: -1 }),
      f('replicaEpoch', 'int64', '15+', { default: -1n }),
    ], '15+', { tag: 1 }),
    f('maxWaitMs', 'int32'),
    f('minBytes', 'int32'),
    f('maxBytes', 'int32', '3+', { default: 2147483647 }),
    f('isolationLevel', 'int8', '4+'),
    f('sessionId', 'int32', '7+'),
    f('sessionEpoch', 'int32', '7+', { default: -1 }),
    arr('topics', [
      f('topic', 'string', '0-12'),
      f('topicId', 'uuid', '13+'),
      arr('partitions', [
        f('partition', 'int32'),
        f('currentLeaderEpoch', 'int32', '9+', { default: -1 }),
        f('fetchOffset', 'int64'),
        f('lastFetchedEpoch', 'int32', '12+', { default: -1 }),
        f('logStartOffset', 'int64', '5+', { default: -1n }),
        f('partitionMaxBytes', 'int32'),
        f('replicaDirectoryId', 'uuid', '17+', { tag: 0 }),
      ]),
    ]),
    arr('forgottenTopicsData', [
      f('topic', 'string', '7-12'),
      f('topicId', 'uuid', '13+'),
      arr('partitions', 'int32', '7+'),
    ], '7+'),
    f('rackId', 'string', '11+'),
  ],
  [
    f('throttleTimeMs', 'int32', '1+'),
    f('errorCode', 'int16', '7+'),
    f('sessionId', 'int32', '7+'),
    arr('responses', [
      f('topic', 'string', '0-12'),
      f('topicId', 'uuid', '13+'),
      arr('partitions', [
        f('partitionIndex', 'int32'),
        f('errorCode', 'int16'),
        f('highWatermark', 'int64'),
        f('lastStableOffset', 'int64', '4+', { default: -1n }),
        f('logStartOffset', 'int64', '5+', { default: -1n }),
        struct('divergingEpoch', [
          f('epoch', 'int32', '12+', { default: -1 }),
          f('endOffset', 'int64', '12+', { default: -1n }),
        ], '12+', { tag: 0 }),
        struct('currentLeader', [
          f('leaderId', 'int32', '12+', { default: -1 }),
          f('leaderEpoch', 'int32', '12+', { default: -1 }),
        ], '12+', { tag: 1 }),
        struct('snapshotId', [
          f('endOffset', 'int64', '0+', { default: -1n }),
          f('epoch', 'int32', '0+', { default: -1 }),
        ], '12+', { tag: 2 }),
        arr('abortedTransactions', [
          f('producerId', 'int64', '4+'),
          f('firstOffset', 'int64', '4+'),
        ], '4+', { nullable: '4+' }),
        f('preferredReadReplica', 'int32', '11+', { default: -1 }),
        f('records', 'records', '0+', { nullable: '0+' }),
      ]),
    ]),
    arr('nodeEndpoints', [
      f('nodeId', 'int32', '16+'),
      f('host', 'string', '16+'),
      f('port', 'int32', '16+'),
      f('rack', 'string', '16+', { nullable: '16+', default: null }),
    ], '16+', { tag: 0 }),
  ],
);
