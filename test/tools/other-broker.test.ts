// The tools against a broker that is not kafka-ts: librdkafka's mock cluster (built by `make test`,
// bench/servers/rdkafka-mock.c). They speak the protocol only, so they print what Kafka's tools print
// against it, including Kafka's error for an API that broker lacks. (Its ListOffsets answers for
// several partitions in one request are malformed — librdkafka 2.0.2 — so offsets are asked one
// partition at a time here, and the consumer reads a one-partition topic.)
import { MockCluster } from '../../bench/servers/mock-cluster';
import { runTool } from '../helpers/run-tool';

let mock: MockCluster;
let bootstrap: string;

beforeAll(async () => {
  mock = await MockCluster.start();
  await mock.createTopic('orders', 3);
  await mock.createTopic('events', 1);
  bootstrap = `${mock.host}:${mock.port}`;
});
afterAll(() => mock?.stop());

test('kafka-topics.sh lists the mock cluster topics, and describing them fails as Kafka fails without DescribeConfigs', async () => {
  expect(await runTool('kafka-topics', ['--bootstrap-server', bootstrap, '--list'])).toEqual({ stdout: 'events\norders\n', stderr: '', code: 0 });
  const describe = await runTool('kafka-topics', ['--bootstrap-server', bootstrap, '--describe', '--topic', 'orders']);
  expect(describe.stdout).toBe('Error while executing topic command : The node does not support DESCRIBE_CONFIGS\n');
  expect(describe.code).toBe(1);
});

test('kafka-broker-api-versions.sh prints the mock broker versions in NodeApiVersions layout', async () => {
  const run = await runTool('kafka-broker-api-versions', ['--bootstrap-server', bootstrap]);
  expect(run.code).toBe(0);
  const lines = run.stdout.split('\n');
  expect(lines[0]).toBe(`${bootstrap} (id: 1 rack: null) -> (`);
  expect(lines).toContain('\tLeaderAndIsr(4): UNSUPPORTED,');
  expect(lines.find((l) => l.startsWith('\tProduce(0): '))).toMatch(/^\tProduce\(0\): 0 to \d+ \[usable: \d+\],$/);
  expect(lines.slice(-2)).toEqual([')', '']);
});

test('kafka-get-offsets.sh reads the mock partitions offsets', async () => {
  expect(await runTool('kafka-get-offsets', ['--bootstrap-server', bootstrap, '--topic-partitions', 'orders:1'])).toEqual({ stdout: 'orders:1:0\n', stderr: '', code: 0 });
});

test('the console producer and consumer round-trip keyed records through the mock cluster', async () => {
  const produced = await runTool('kafka-console-producer', ['--bootstrap-server', bootstrap, '--topic', 'events', '--property', 'parse.key=true'], { input: 'k1\tv1\nk2\tv2\n' });
  expect(produced).toEqual({ stdout: '', stderr: '', code: 0 });
  const consumed = await runTool('kafka-console-consumer', ['--bootstrap-server', bootstrap, '--topic', 'events', '--from-beginning', '--max-messages', '2', '--property', 'print.key=true']);
  expect(consumed.stdout).toBe('k1\tv1\nk2\tv2\n');
  expect(consumed.stderr).toBe('Processed a total of 2 messages\n');
  expect(consumed.code).toBe(0);
});

test('kafka-producer-perf-test.sh measures the mock cluster with Kafka summary line', async () => {
  const run = await runTool('kafka-producer-perf-test', ['--topic', 'orders', '--num-records', '2000', '--record-size', '100', '--throughput', '-1', '--producer-props', `bootstrap.servers=${bootstrap}`, 'acks=1']);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^2000 records sent, [\d.]+ records\/sec \([\d.]+ MB\/sec\), [\d.]+ ms avg latency, [\d.]+ ms max latency, \d+ ms 50th, \d+ ms 95th, \d+ ms 99th, \d+ ms 99\.9th\.$/m);
});
