// The ZooKeeper client library stands alone: its source files (src/zookeeper/) import one another
// and Node's builtins (node:...) only, never the rest of the project nor a package.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

// Tests run from dist/test/zookeeper/; the check reads the TypeScript sources.
const LIBRARY = resolve(__dirname, '../../../src/zookeeper');

// Module specifiers of static and dynamic imports, re-exports and require calls.
const SPECIFIER = /(?:\bfrom|\bimport|\brequire)\s*\(?\s*['"]([^'"]+)['"]/g;

/** The specifiers in `source` (a file of `dir`) that leave `dir`: neither node: builtins nor paths inside it. */
function importsLeaving(dir: string, file: string, source: string): string[] {
  const leaving: string[] = [];
  for (const [, specifier] of source.matchAll(SPECIFIER)) {
    if (specifier.startsWith('node:')) continue;
    const target = specifier.startsWith('.') ? resolve(dirname(file), specifier) : undefined;
    if (target !== undefined && (target === dir || target.startsWith(dir + sep))) continue;
    leaving.push(specifier);
  }
  return leaving;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(dir, name));
}

test('src/zookeeper imports nothing outside itself but node: builtins', () => {
  const files = sourceFiles(LIBRARY);
  expect(files.map((f) => relative(LIBRARY, f))).toContain('index.ts');
  const leaving = files.flatMap((file) =>
    importsLeaving(LIBRARY, file, readFileSync(file, 'utf8')).map((specifier) => `${relative(LIBRARY, file)}: ${specifier}`),
  );
  expect(leaving).toEqual([]);
});

test('the check reports every kind of import that leaves the folder', () => {
  const dir = '/lib';
  const source = [
    "import { EventEmitter } from 'node:events';",
    "import { ZkError } from './errors';",
    "import {\n  JuteReader,\n  JuteWriter,\n} from './protocol';",
    "export { ZkClient } from './client';",
    "import { frame } from './wire/frame';",
    "import { Logger } from '../logger';",
    "import type { BrokerConfig } from '../config';",
    "export * from '../../protocol';",
    "import 'kafkajs';",
    "import { EventEmitter as E } from 'events';",
    "const paths = require('../zk/zk-paths');",
    "const later = await import('../libfoo/x');",
  ].join('\n');
  expect(importsLeaving(dir, '/lib/client.ts', source)).toEqual([
    '../logger',
    '../config',
    '../../protocol',
    'kafkajs',
    'events',
    '../zk/zk-paths',
    '../libfoo/x',
  ]);
});
