// EndTxn (key 26): versions 0-4, flexible 3+.
import { api, f } from '../spec';

export const EndTxn = api(
  26,
  'EndTxn',
  '0-4',
  '3+',
  [
    f('transactionalId', 'string'),
    f('producerId', 'int64'),
    f('producerEpoch', 'int16'),
    f('committed', 'bool'),
  ],
  [
    f('throttleTimeMs', 'int32'),
    f('errorCode', 'int16'),
  ],
);
