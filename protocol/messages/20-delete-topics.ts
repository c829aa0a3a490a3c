// DeleteTopics (key 20): versions 0-6, flexible 4+.
import { api, arr, f } from '../spec';

export const DeleteTopics = api(
  20,
  'DeleteTopics',
  '0-6',
  '4+',
  [
    arr('topics', [
      f('name', 'string', '6+', { nullable: '6+', default: null }),
      f('topicId', 'uuid', '6+'),
    ], '6+'),
    arr('topicNames', 'string', '0-5'),
    f('timeoutMs', 'int32'),
  ],
  [
    f('throttleTimeMs', 'int32', '1+'),
    arr('responses', [
      f('name', 'string', '0+', { nullable: '6+' }),
      f('topicId', 'uuid', '6+'),
      f('errorCode', 'int16'),
      f('errorMessage', 'string', '5+', { nullable: '5+', default: null }),
    ]),
  ],
);
