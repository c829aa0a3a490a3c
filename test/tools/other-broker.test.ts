// The tools against a broker that is not kafka-ts: librdkafka's mock cluster (built by `make test`,
// bench/servers/rdkafka-mock.c). They speak the protocol only, so they print what Kafka's tools print
// against it, including Kafka's error for an API that broker lacks. (Its ListOffsets answers for
// several partitions in one request are malformed — librdkafka 2.0.2 — so offsets are asked one
// partition at a time here.)
import { MockCluster } from '../../bench/servers/mock-cluster';
import { runTool } from '../helpers/run-tool';

let mock: MockCluster;
let bootstrap: string;

beforeAll(async () => {
  mock = await MockCluster.start();
  await mock.createTopic('orders', 3);
  bootstrap = `${mock.host}:${mock.port}`;
});
afterAll(() => mock?.stop());

test('kafka-topics.sh lists the mock cluster topics, and describing them fails as Kafka fails without DescribeConfigs', async () => {
  expect(await runTool('kafka-topics', ['--bootstrap-server', bootstrap, '--list'])).toEqual({ stdout: 'orders\n', stderr: '', code: 0 });
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
