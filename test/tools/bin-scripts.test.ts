// Every bin/ tool script runs its program through kafka-run-class.sh, as a user starts it: --help
// prints the usage and exits 0.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const BIN = resolve(__dirname, '../../../bin');
const TOOLS = readdirSync(BIN).filter((f) => f.endsWith('.sh') && f !== 'kafka-run-class.sh' && f !== 'kafka-server-start.sh');

test('there are tool scripts', () => {
  expect(TOOLS).toEqual(expect.arrayContaining(['kafka-topics.sh', 'kafka-consumer-groups.sh', 'kafka-dump-log.sh']));
});

test.each(TOOLS)('bin/%s --help prints its usage', async (script) => {
  const { stdout } = await promisify(execFile)(resolve(BIN, script), ['--help']);
  expect(stdout).toMatch(/--bootstrap-server|--files|--producer-props/);
});
