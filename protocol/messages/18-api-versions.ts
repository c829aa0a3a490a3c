// ApiVersions (key 18): versions 0-4, flexible 3+.
import { api, arr, f } from '../spec';

export const ApiVersions = api(
  18,
  'ApiVersions',
  '0-4',
  '3+',
  [
    f('clientSoftwareName', 'string', '3+'),
    f('clientSoftwareVersion', 'string', '3+'),
  ],
  [
    f('errorCode', 'int16'),
    arr('apiKeys', [
      f('apiKey', 'int16'),
      f('minVersion', 'int16'),
      f('maxVersion', 'int16'),
    ]),
    f('throttleTimeMs', 'int32', '1+'),
    arr('supportedFeatures', [
      f('name', 'string', '3+'),
      f('minVersion', 'int16', '3+'),
      f('maxVersion', 'int16', '3+'),
    ], '3+', { tag: 0 }),
    f('finalizedFeaturesEpoch', 'int64', '3+', { tag: 1, default: -1n }),
    arr('finalizedFeatures', [
      f('name', 'string', '3+'),
      f('maxVersionLevel', 'int16', '3+'),
      f('minVersionLevel', 'int16', '3+'),
    ], '3+', { tag: 2 }),
    f('zkMigrationReady', 'bool', '3+', { tag: 3, default: false }),
  ],
);
