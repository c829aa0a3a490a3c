// ControlledShutdown (key 7): versions 0-3, flexible 3+.
import { api, arr, f } from '../spec';

export const ControlledShutdown = api(
  7,
  'ControlledShutdown',
  '0-3',
  '3+',
  [
    f('brokerId', 'int32'),
    f('brokerEpoch', 'int64', '2+', { default: -1n }),
  ],
  [
    f('errorCode', 'int16'),
    arr('remainingPartitions', [
      f('topicName', 'string'),
      f('partitionIndex', 'int32'),
    ]),
  ],
);
