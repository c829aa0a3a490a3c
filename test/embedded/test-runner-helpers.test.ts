// The test-runner helpers as users run them: each fixture project under test/fixtures/runner-projects
// runs with the real runner (jest, vitest, node --test) in a child process, in a temp dir where
// `kafka-ts` resolves to this package through node_modules. The fixture's test produces and consumes
// with kafkajs against the cluster the helper started and writes what it consumed to a result file.
// The options' logic is tested in-process.

import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import globalSetup from '../../src/embedded/testing/jest-global-setup';
import { withBrokersFromEnv } from '../../src/embedded/testing/shared-cluster';

const ROOT = resolve(__dirname, '../../..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'runner-projects');

interface RoundTrip {
  runner: string;
  bootstrapServers: string;
  brokers: number;
  consumed: string;
}

interface RunnerRun {
  code: number | null;
  output: string;
  result: RoundTrip | null;
}

let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kafka-ts-runners-'));
  cpSync(FIXTURES, work, { recursive: true });
  mkdirSync(join(work, 'node_modules'));
  symlinkSync(ROOT, join(work, 'node_modules', 'kafka-ts'), 'dir');
  for (const dep of ['kafkajs', 'vitest']) symlinkSync(join(ROOT, 'node_modules', dep), join(work, 'node_modules', dep), 'dir');
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * Runs a runner's CLI in a fixture project; answers its exit code, its output, and the fixture's
 * result file. A cluster left running keeps the runner from exiting: the timeout then fails the test.
 */
function runRunner(project: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<RunnerRun> {
  const cwd = join(work, project);
  const resultFile = join(work, `${project}.result.json`);
  // The outer jest's worker variables would make the inner runner think it is a worker.
  const { JEST_WORKER_ID: _worker, ...parentEnv } = process.env;
  return new Promise((done) => {
    execFile(
      process.execPath,
      args,
      { cwd, timeout: 30_000, env: { ...parentEnv, ...env, NO_COLOR: '1', KAFKA_TS_RESULT_FILE: resultFile } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        const result = existsSync(resultFile) ? (JSON.parse(readFileSync(resultFile, 'utf8')) as RoundTrip) : null;
        done({ code, output: `${stdout}\n${stderr}`, result });
      },
    );
  });
}

function expectRoundTrip(run: RunnerRun, runner: string, brokers: number): void {
  expect({ code: run.code, output: run.code === 0 ? '' : run.output }).toEqual({ code: 0, output: '' });
  expect(run.result).toEqual({
    runner,
    bootstrapServers: expect.stringMatching(/^127\.0\.0\.1:\d+(,127\.0\.0\.1:\d+)*$/),
    brokers,
    consumed: `hello from ${runner}`,
  });
  expect(run.result!.bootstrapServers.split(',')).toHaveLength(brokers);
}

test('jest: globalSetup starts the cluster from globals.kafkaTs, test files get KAFKA_BOOTSTRAP_SERVERS', async () => {
  const jest = join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
  const dir = join(work, 'jest');
  const run = await runRunner('jest', [jest, '--ci', '--no-watchman', '--rootDir', dir, '--config', join(dir, 'jest.config.js')]);
  expectRoundTrip(run, 'jest', 2);
  expect(run.output).toMatch(/Tests:\s+1 passed, 1 total/);
});

test('vitest: globalSetup starts the cluster (KAFKA_TS_BROKERS brokers) and provides kafkaBootstrapServers', async () => {
  const vitest = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
  const dir = join(work, 'vitest');
  const run = await runRunner('vitest', [vitest, 'run', '--root', dir, '--config', join(dir, 'vitest.config.mjs')], { KAFKA_TS_BROKERS: '3' });
  expectRoundTrip(run, 'vitest', 3);
  expect(run.output).toMatch(/Tests\s+1 passed \(1\)/);
});

test('node:test: useKafka starts the cluster before the tests and stops it after', async () => {
  const run = await runRunner('node-test', ['--test', 'kafka.test.mjs']);
  expectRoundTrip(run, 'node-test', 2);
  expect(run.output).toMatch(/# pass 1\b/);
});

describe('options', () => {
  test('KAFKA_TS_BROKERS sets the broker count when set, and must be a positive integer', () => {
    expect(withBrokersFromEnv({ brokers: 2, dir: 'd' }, {})).toEqual({ brokers: 2, dir: 'd' });
    expect(withBrokersFromEnv({ brokers: 2 }, { KAFKA_TS_BROKERS: '' })).toEqual({ brokers: 2 });
    expect(withBrokersFromEnv({ brokers: 2 }, { KAFKA_TS_BROKERS: '3' })).toEqual({ brokers: 3 });
    for (const bad of ['0', '-1', '1.5', 'three']) expect(() => withBrokersFromEnv({}, { KAFKA_TS_BROKERS: bad })).toThrow(`KAFKA_TS_BROKERS must be a positive integer, not "${bad}"`);
  });

  test("jest's globals.kafkaTs must be an object of startKafka options", async () => {
    await expect(globalSetup({}, { globals: { kafkaTs: 3 } })).rejects.toThrow('globals.kafkaTs must be an object of startKafka options');
    await expect(globalSetup({}, { globals: { kafkaTs: [] } })).rejects.toThrow('globals.kafkaTs must be an object of startKafka options');
  });
});
