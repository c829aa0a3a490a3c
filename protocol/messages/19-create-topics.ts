// CreateTopics (key 19): versions 0-7, flexible 5+.
import { api, arr, f } from '../spec';

export const CreateTopics = api(
  19,
  'CreateTopics',
  '0-7',
  '5+',
  [
    arr('topics', [
      f('name', 'string'),
      f('numPartitions', 'int32'),
      f('replicationFactor', 'int16'),
      arr('assignments', [
        f('partitionIndex', 'int32'),
        arr('brokerIds', 'int32'),
      ]),
      arr('configs', [
        f('name', 'string'),
        f('value', 'string', '0+', { nullable: '0+' }),
      ]),
    ]),
    f('timeoutMs', 'int32', '0+', { default: 60000 }),
    f('validateOnly', 'bool', '1+', { default: false }),
  ],
  [
    f('throttleTimeMs', 'int32', '2+'),
    arr('topics', [
      f('name', 'string'),
      f('topicId', 'uuid', '7+'),
      f('errorCode', 'int16'),
      f('errorMessage', 'string', '1+', { nullable: '0+' }),
      f('topicConfigErrorCode', 'int16', '5+', { tag: 0 }),
      f('numPartitions', 'int32', '5+', { default: -1 }),
      f('replicationFactor', 'int16', '5+', { default: -1 }),
      arr('configs', [
        f('name', 'string', '5+'),
        f('value', 'string', '5+', { nullable: '5+' }),
        f('readOnly', 'bool', '5+'),
        f('configSource', 'int8', '5+', { default: -1 }),
        f('isSensitive', 'bool', '5+'),
      ], '5+', { nullable: '5+' }),
    ]),
  ],
);
