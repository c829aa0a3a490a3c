// DescribeLogDirs (key 35): versions 0-4, flexible 2+.
import { api, arr, f } from '../spec';

export const DescribeLogDirs = api(
  35,
  'DescribeLogDirs',
  '0-4',
  '2+',
  [
    arr('topics', [
      f('topic', 'string'),
      arr('partitions', 'int32'),
    ], '0+', { nullable: '0+' }),
  ],
  [
    f('throttleTimeMs', 'int32'),
    f('errorCode', 'int16', '3+'),
    arr('results', [
      f('errorCode', 'int16'),
      f('logDir', 'string'),
      arr('topics', [
        f('name', 'string'),
        arr('partitions', [
          f('partitionIndex', 'int32'),
          f('partitionSize', 'int64'),
          f('offsetLag', 'int64'),
          f('isFutureKey', 'bool'),
        ]),
      ]),
      f('totalBytes', 'int64', '4+', { default: -1n }),
      f('usableBytes', 'int64', '4+', { default: -1n }),
    ]),
  ],
);
