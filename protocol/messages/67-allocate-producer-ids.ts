// AllocateProducerIds (key 67): versions 0, flexible 0+.
import { api, f } from '../spec';

export const AllocateProducerIds = api(
  67,
  'AllocateProducerIds',
  '0',
  '0+',
  [
    f('brokerId', 'int32'),
    f('brokerEpoch', 'int64', '0+', { default: -1n }),
  ],
  [
    f('throttleTimeMs', 'int32'),
    f('errorCode', 'int16'),
    f('producerIdStart', 'int64'),
    f('producerIdLen', 'int32'),
  ],
);
