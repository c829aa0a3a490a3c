// Produce (key 0): versions 0-11, flexible 9+.
import { api, arr, f, struct } from '../spec';

export const Produce = api(
  0,
  'Produce',
  '0-11',
  '9+',
  [
    f('transactionalId', 'string', '3+', { nullable: '3+', default: null }),
    f('acks', 'int16'),
    f('timeoutMs', 'int32'),
    arr('topicData', [
      f('name', 'string'),
      arr('partitionData', [
        f('index', 'int32'),
        f('records', 'records', '0+', { nullable: '0+' }),
      ]),
    ]),
  ],
  [
    arr('responses', [
      f('name', 'string'),
      arr('partitionResponses', [
        f('index', 'int32'),
        f('errorCode', 'int16'),
        f('baseOffset', 'int64'),
        f('logAppendTimeMs', 'int64', '2+', { default: -1n }),
        f('logStartOffset', 'int64', '5+', { default: -1n }),
        arr('recordErrors', [
          f('batchIndex', 'int32', '8+'),
          f('batchIndexErrorMessage', 'string', '8+', { nullable: '8+', default: null }),
        ], '8+'),
        f('errorMessage', 'string', '8+', { nullable: '8+', default: null }),
        struct('currentLeader', [
          f('leaderId', 'int32', '10+', { default: -1 }),
          f('leaderEpoch', 'int32', '10+', { default: -1 }),
        ], '10+', { tag: 0 }),
      ]),
    ]),
    f('throttleTimeMs', 'int32', '1+'),
    arr('nodeEndpoints', [
      f('nodeId', 'int32', '10+'),
      f('host', 'string', '10+'),
      f('port', 'int32', '10+'),
      f('rack', 'string', '10+', { nullable: '10+', default: null }),
    ], '10+', { tag: 0 }),
  ],
);
