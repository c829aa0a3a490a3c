// The README's embedded-cluster example is test/embedded/readme-example.test.ts, word for word but
// for the package name it imports: what the README shows runs in `make test`.

import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..', '..');

it('shows the example test as it runs', () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const shown = /<!-- embedded-example -->\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  const example = readFileSync(path.join(root, 'test', 'embedded', 'readme-example.test.ts'), 'utf8');
  expect(shown).toBe(example.replace("from '../../src';", "from 'kafka-ts';"));
});
