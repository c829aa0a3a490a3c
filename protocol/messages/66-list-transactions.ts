// ListTransactions (key 66): versions 0-1, flexible 0+.
import { api, arr, f } from '../spec';

export const ListTransactions = api(
  66,
  'ListTransactions',
  '0-1',
  '0+',
  [
    arr('stateFilters', 'string'),
    arr('producerIdFilters', 'int64'),
    f('durationFilter', 'int64', '1+', { default: -1n }),
  ],
  [
    f('throttleTimeMs', 'int32'),
    f('errorCode', 'int16'),
    arr('unknownStateFilters', 'string'),
    arr('transactionStates', [
      f('transactionalId', 'string'),
      f('producerId', 'int64'),
      f('transactionState', 'string'),
    ]),
  ],
);
