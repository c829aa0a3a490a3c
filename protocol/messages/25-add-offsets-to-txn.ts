// AddOffsetsToTxn (key 25): versions 0-4, flexible 3+.
import { api, f } from '../spec';

export const AddOffsetsToTxn = api(
  25,
  'AddOffsetsToTxn',
  '0-4',
  '3+',
  [
    f('transactionalId', 'string'),
    f('producerId', 'int64'),
    f('producerEpoch', 'int16'),
    f('groupId', 'string'),
  ],
  [
    f('throttleTimeMs', 'int32'),
    f('errorCode', 'int16'),
  ],
);
