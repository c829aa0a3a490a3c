// The package as a user gets it: `npm pack` (from the built dist/), installed into a fresh project,
// then `npx kafka-ts` starts a broker that answers a Kafka client and stops with exit 0 on SIGTERM.
// It checks that the tarball holds what the broker needs at run time and no tests or benchmarks.
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Apis, ErrorCode } from '../../protocol';
import type { KafkaConnection } from '../../src/client/kafka-connection';
import { connectClient } from '../helpers/test-client';
import { waitFor } from '../helpers/wait';

const ROOT = resolve(__dirname, '../../..');
const LISTENING = /Awaiting socket connections on [^\s]+:(\d+)\./;
const STARTED = /\[KafkaServer id=7\] started/;
const run = promisify(execFile);
const NPM_QUIET = ['--no-audit', '--no-fund', '--loglevel=error'];

jest.setTimeout(600_000);

/** Signals npx and the broker it runs, as a terminal does: npx does not pass SIGTERM on to its command. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-child.pid!, signal);
    return true;
  } catch {
    return false;
  }
}

let work: string;
let broker: ChildProcess | undefined;
let client: KafkaConnection | undefined;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kafka-ts-pack-'));
});

afterAll(() => {
  client?.close();
  // The broker runs in its own process group (npx, sh and node): end all of it if the test failed midway.
  if (broker) signalGroup(broker, 'SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

test('npm pack, npm install the tarball, npx kafka-ts serves Kafka clients and stops on SIGTERM', async () => {
  const packDir = join(work, 'pack');
  const projectDir = join(work, 'project');
  const logDir = join(work, 'kafka-logs');
  await run('mkdir', ['-p', packDir, projectDir]);

  const { stdout: packed } = await run('npm', ['pack', '--json', '--pack-destination', packDir, ...NPM_QUIET], { cwd: ROOT, maxBuffer: 64 << 20 });
  const [{ filename, files }] = JSON.parse(packed) as { filename: string; files: { path: string }[] }[];
  const paths = files.map((f) => f.path);
  expect(paths).toEqual(expect.arrayContaining(['package.json', 'config/server.properties', 'dist/src/cli/kafka-ts.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/protocol/index.js']));
  expect(paths.filter((p) => /^(dist\/)?(test|bench|compat)\//.test(p) || p.endsWith('.map') || p.endsWith('.ts') && !p.endsWith('.d.ts'))).toEqual([]);
  expect(readdirSync(packDir)).toEqual([filename]);

  await run('npm', ['init', '-y'], { cwd: projectDir });
  await run('npm', ['install', join(packDir, filename), '--prefer-offline', ...NPM_QUIET], { cwd: projectDir, maxBuffer: 64 << 20 });

  const args = ['kafka-ts', '--broker.id=7', `--log.dirs=${logDir}`, '--listeners=PLAINTEXT://127.0.0.1:0', '--override', 'kafkats.metrics.listener=127.0.0.1:0', '--kafkats.console.listener='];
  const child = spawn('npx', args, { cwd: projectDir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  broker = child;
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  // 'close' comes once every process holding the pipes is gone: npx and the broker.
  const closed = new Promise<string>((res) => child.once('close', (code, signal) => res(`${code ?? signal}`)));
  let ended = false;
  void closed.then(() => (ended = true));
  await waitFor(() => STARTED.test(out) || ended, 'the packed broker to start', 60_000);
  expect(out).toMatch(STARTED);
  const port = Number(LISTENING.exec(out)![1]);

  client = await connectClient(port);
  const versions = await client.request(Apis.ApiVersions, 3, { clientSoftwareName: 'packed-test', clientSoftwareVersion: '1' });
  expect(versions.errorCode).toBe(ErrorCode.NONE);
  expect(versions.apiKeys.length).toBeGreaterThan(10);
  // Without advertised.listeners the broker advertises its listener, not the shipped file's localhost:9092.
  const metadata = await client.request(Apis.Metadata, 12, { topics: [] });
  expect(metadata.brokers.map((b) => [b.nodeId, b.port])).toEqual([[7, port]]);
  client.close();
  client = undefined;

  expect(signalGroup(child, 'SIGTERM')).toBe(true);
  // npx dies of the signal itself; the broker shuts down cleanly and exits (0, or 'Shutdown failed' would show).
  expect(['0', 'SIGTERM']).toContain(await closed);
  expect(out).toMatch(/\[KafkaServer id=7\] shut down completed/);
  expect(out).not.toMatch(/Shutdown failed|ERROR/);
  expect(readdirSync(logDir)).toContain('meta.properties');
});
