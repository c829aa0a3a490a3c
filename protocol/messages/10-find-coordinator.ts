// FindCoordinator (key 10): versions 0-6, flexible 3+.
import { api, arr, f } from '../spec';

export const FindCoordinator = api(
  10,
  'FindCoordinator',
  '0-6',
  '3+',
  [
    f('key', 'string', '0-3'),
    f('keyType', 'int8', '1+'),
    arr('coordinatorKeys', 'string', '4+'),
  ],
  [
    f('throttleTimeMs', 'int32', '1+'),
    f('errorCode', 'int16', '0-3'),
    f('errorMessage', 'string', '1-3', { nullable: '1-3' }),
    f('nodeId', 'int32', '0-3'),
    f('host', 'string', '0-3'),
    f('port', 'int32', '0-3'),
    arr('coordinators', [
      f('key', 'string', '4+'),
      f('nodeId', 'int32', '4+'),
      f('host', 'string', '4+'),
      f('port', 'int32', '4+'),
      f('errorCode', 'int16', '4+'),
      f('errorMessage', 'string', '4+', { nullable: '4+' }),
    ], '4+'),
  ],
);
