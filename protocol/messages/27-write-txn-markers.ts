// WriteTxnMarkers (key 27): versions 0-1, flexible 1+.
import { api, arr, f } from '../spec';

export const WriteTxnMarkers = api(
  27,
  'WriteTxnMarkers',
  '0-1',
  '1+',
  [
    arr('markers', [
      f('producerId', 'int64'),
      f('producerEpoch', 'int16'),
      f('transactionResult', 'bool'),
      arr('topics', [
        f('name', 'string'),
        arr('partitionIndexes', 'int32'),
      ]),
      f('coordinatorEpoch', 'int32'),
    ]),
  ],
  [
    arr('markers', [
      f('producerId', 'int64'),
      arr('topics', [
        f('name', 'string'),
        arr('partitions', [
          f('partitionIndex', 'int32'),
          f('errorCode', 'int16'),
        ]),
      ]),
    ]),
  ],
);
