// DescribeTransactions (key 65): versions 0, flexible 0+.
import { api, arr, f } from '../spec';

export const DescribeTransactions = api(
  65,
  'DescribeTransactions',
  '0',
  '0+',
  [
    arr('transactionalIds', 'string'),
  ],
  [
    f('throttleTimeMs', 'int32'),
    arr('transactionStates', [
      f('errorCode', 'int16'),
      f('transactionalId', 'string'),
      f('transactionState', 'string'),
      f('transactionTimeoutMs', 'int32'),
      f('transactionStartTimeMs', 'int64'),
      f('producerId', 'int64'),
      f('producerEpoch', 'int16'),
      arr('topics', [
        f('topic', 'string'),
        arr('partitions', 'int32'),
      ]),
    ]),
  ],
);
