// InitProducerId (key 22): versions 0-5, flexible 2+.
import { api, f } from '../spec';

export const InitProducerId = api(
  22,
  'InitProducerId',
  '0-5',
  '2+',
  [
    f('transactionalId', 'string', '0+', { nullable: '0+' }),
    f('transactionTimeoutMs', 'int32'),
    f('producerId', 'int64', '3+', { default: -1n }),
    f('producerEpoch', 'int16', '3+', { default: -1 }),
  ],
  [
    f('throttleTimeMs', 'int32'),
    f('errorCode', 'int16'),
    f('producerId', 'int64', '0+', { default: -1n }),
    f('producerEpoch', 'int16'),
  ],
);
