// DescribeCluster (key 60): versions 0-1, flexible 0+.
import { api, arr, f } from '../spec';

export const DescribeCluster = api(
  60,
  'DescribeCluster',
  '0-1',
  '0+',
  [
    f('includeClusterAuthorizedOperations', 'bool'),
    f('endpointType', 'int8', '1+', { default: 1 }),
  ],
  [
    f('throttleTimeMs', 'int32'),
    f('errorCode', 'int16'),
    f('errorMessage', 'string', '0+', { nullable: '0+', default: null }),
    f('endpointType', 'int8', '1+', { default: 1 }),
    f('clusterId', 'string'),
    f('controllerId', 'int32', '0+', { default: -1 }),
    arr('brokers', [
      f('brokerId', 'int32'),
      f('host', 'string'),
      f('port', 'int32'),
      f('rack', 'string', '0+', { nullable: '0+', default: null }),
    ]),
    f('clusterAuthorizedOperations', 'int32', '0+', { default: -2147483648 }),
  ],
);
