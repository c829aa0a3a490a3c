// DescribeConfigs (key 32): versions 0-4, flexible 4+.
import { api, arr, f } from '../spec';

export const DescribeConfigs = api(
  32,
  'DescribeConfigs',
  '0-4',
  '4+',
  [
    arr('resources', [
      f('resourceType', 'int8'),
      f('resourceName', 'string'),
      arr('configurationKeys', 'string', '0+', { nullable: '0+' }),
    ]),
    f('includeSynonyms', 'bool', '1+', { default: false }),
    f('includeDocumentation', 'bool', '3+', { default: false }),
  ],
  [
    f('throttleTimeMs', 'int32'),
    arr('results', [
      f('errorCode', 'int16'),
      f('errorMessage', 'string', '0+', { nullable: '0+' }),
      f('resourceType', 'int8'),
      f('resourceName', 'string'),
      arr('configs', [
        f('name', 'string'),
        f('value', 'string', '0+', { nullable: '0+' }),
        f('readOnly', 'bool'),
        f('isDefault', 'bool', '0'),
        f('configSource', 'int8', '1+', { default: -1 }),
        f('isSensitive', 'bool'),
        arr('synonyms', [
          f('name', 'string', '1+'),
          f('value', 'string', '1+', { nullable: '0+' }),
          f('source', 'int8', '1+'),
        ], '1+'),
        f('configType', 'int8', '3+'),
        f('documentation', 'string', '3+', { nullable: '0+' }),
      ]),
    ]),
  ],
);
