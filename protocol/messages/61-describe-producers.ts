// DescribeProducers (key 61): versions 0, flexible 0+.
import { api, arr, f } from '../spec';

export const DescribeProducers = api(
  61,
  'DescribeProducers',
  '0',
  '0+',
  [
    arr('topics', [
      f('name', 'string'),
      arr('partitionIndexes', 'int32'),
    ]),
  ],
  [
    f('throttleTimeMs', 'int32'),
    arr('topics', [
      f('name', 'string'),
      arr('partitions', [
        f('partitionIndex', 'int32'),
        f('errorCode', 'int16'),
        f('errorMessage', 'string', '0+', { nullable: '0+', default: null }),
        arr('activeProducers', [
          f('producerId', 'int64'),
          f('producerEpoch', 'int32'),
          f('lastSequence', 'int32', '0+', { default: -1 }),
          f('lastTimestamp', 'int64', '0+', { default: -1n }),
          f('coordinatorEpoch', 'int32'),
          f('currentTxnStartOffset', 'int64', '0+', { default: -1n }),
        ]),
      ]),
    ]),
  ],
);
