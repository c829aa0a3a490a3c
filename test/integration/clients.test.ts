// Third-party clients against a real broker process: kcat (librdkafka) with every compression codec,
// and kafka-python with its negotiated protocol and its old generations (message formats v1 and v0).

import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const ROUNDTRIP_PY = resolve(__dirname, '../../../test/integration/python/roundtrip.py');

let broker: BrokerProcess;

beforeAll(async () => {
  broker = await startBroker({ props: { 'num.partitions': 2 } });
});

afterAll(async () => {
  await cleanup(broker);
});

function kcat(args: string[], input?: string): Promise<string> {
  return new Promise((res, rej) => {
    const child = execFile('kcat', ['-b', broker.bootstrap, ...args], { timeout: 60_000 }, (err, stdout, stderr) =>
      err ? rej(new Error(`kcat ${args.join(' ')}: ${err.message}\n${stderr}`)) : res(stdout),
    );
    child.stdin!.end(input ?? '');
  });
}

test('kcat lists brokers and topics', async () => {
  await kcat(['-P', '-t', 'kcat-meta'], 'hello\n');
  const meta = JSON.parse(await kcat(['-L', '-J', '-t', 'kcat-meta']));
  expect(meta.brokers).toEqual([{ id: 0, name: broker.bootstrap }]);
  expect(meta.topics[0].topic).toBe('kcat-meta');
  expect(meta.topics[0].partitions).toHaveLength(2);
});

test.each(['none', 'gzip', 'snappy', 'lz4', 'zstd'])('kcat round trip with %s compression', async (codec) => {
  const topic = `kcat-${codec}`;
  const lines = Array.from({ length: 1000 }, (_, i) => `key${i}:value-${i}-${'z'.repeat(i % 100)}`);
  await kcat(['-P', '-t', topic, '-K:', '-z', codec, '-X', 'linger.ms=5'], lines.join('\n') + '\n');
  const out = await kcat(['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-K:', '-f', '%k:%s\\n']);
  expect(out.trim().split('\n').sort()).toEqual([...lines].sort());
});

test('kcat reads from an offset in the middle of a batch', async () => {
  const topic = 'kcat-mid-batch';
  const lines = Array.from({ length: 50 }, (_, i) => `m${i}`);
  await kcat(['-P', '-t', topic, '-p', '0', '-X', 'linger.ms=50'], lines.join('\n') + '\n');
  const out = await kcat(['-C', '-t', topic, '-p', '0', '-o', '17', '-e', '-q', '-f', '%o %s\\n']);
  expect(out.trim().split('\n')).toEqual(lines.slice(17).map((l, i) => `${i + 17} ${l}`));
});

test.each([
  ['negotiated', 'auto', 'none'],
  ['negotiated with gzip', 'auto', 'gzip'],
  ['0.10 (message format v1)', '0.10', 'none'],
  ['0.10 (message format v1) with gzip', '0.10', 'gzip'],
  ['0.9 (message format v0)', '0.9', 'none'],
])('kafka-python round trip, %s', async (_name, apiVersion, compression) => {
  const topic = `python-${apiVersion}-${compression}`.replace(/\./g, '_');
  const { stdout } = await run(PYTHON, [ROUNDTRIP_PY, broker.bootstrap, topic, '500', apiVersion, compression], { timeout: 120_000 });
  expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({ produced: 500, consumed: 500, mismatched: 0, end_offsets: 500 });
});
