// kafka-console-producer.sh and kafka-console-consumer.sh as real processes against a real broker:
// keys and headers in, every print.* field out in DefaultMessageFormatter's layout; a --group that
// commits; --partition/--offset; --max-messages; read_committed; Kafka's usage errors.

import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Apis } from '../../protocol';
import { ClusterClient } from '../../src/client/cluster-client';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { runTool } from '../helpers/run-tool';
import { waitFor } from '../helpers/wait';
import { writeTransaction } from './clients-transaction';

let broker: BrokerProcess;
let client: ClusterClient;

beforeAll(async () => {
  broker = await startBroker({ props: { 'group.initial.rebalance.delay.ms': 0 } });
  client = await ClusterClient.connect({ bootstrapServers: broker.bootstrap });
  await client.request(Apis.CreateTopics, { topics: [{ name: 'two', numPartitions: 2, replicationFactor: 1 }], timeoutMs: 10_000 }, { to: 'controller' });
});

afterAll(async () => {
  client?.close();
  await cleanup(broker);
});

const produce = (topic: string, input: string, ...args: string[]) => runTool('kafka-console-producer', ['--bootstrap-server', broker.bootstrap, '--topic', topic, ...args], { input });
const consume = (...args: string[]) => runTool('kafka-console-consumer', ['--bootstrap-server', broker.bootstrap, ...args]);

test('keys and headers in; every print.* field out in Kafka layout', async () => {
  const input = 'h1:v1,h2:v2\tk1\tfirst\nNULL\tk2\tsecond value\nh3:NULL\tNULL\tthird\n';
  const produced = await produce('keyed', input, '--property', 'parse.key=true', '--property', 'parse.headers=true', '--property', 'null.marker=NULL', '--compression-codec');
  expect(produced).toMatchObject({ code: 0, stdout: '', stderr: '' });

  const props = ['print.timestamp', 'print.partition', 'print.offset', 'print.headers', 'print.key'].flatMap((p) => ['--property', `${p}=true`]);
  const out = await consume('--topic', 'keyed', '--from-beginning', '--max-messages', '3', ...props);
  expect(out.code).toBe(0);
  expect(out.stderr).toBe('Processed a total of 3 messages\n');
  const lines = out.stdout.split('\n');
  expect(lines).toHaveLength(4);
  expect(lines[0]).toMatch(/^CreateTime:\d{13}\tPartition:0\tOffset:0\th1:v1,h2:v2\tk1\tfirst$/);
  expect(lines[1]).toMatch(/^CreateTime:\d{13}\tPartition:0\tOffset:1\tNO_HEADERS\tk2\tsecond value$/);
  expect(lines[2]).toMatch(/^CreateTime:\d{13}\tPartition:0\tOffset:2\th3:null\tnull\tthird$/);

  const custom = await consume('--topic', 'keyed', '--from-beginning', '--max-messages', '3', '--property', 'print.key=true', '--property', 'key.separator=|', '--property', 'null.literal=-', '--property', 'print.value=false');
  expect(custom.stdout).toBe('k1\nk2\n-\n');
});

test('a group commits what it printed: the next run with the group prints nothing new', async () => {
  await produce('grouped', 'a\nb\nc\n');
  const first = await consume('--topic', 'grouped', '--group', 'console-group', '--from-beginning', '--timeout-ms', '1500');
  expect(first).toMatchObject({ code: 0, stdout: 'a\nb\nc\n' });
  expect(first.stderr).toMatch(/ERROR Error processing message, terminating consumer process: {2}\(org\.apache\.kafka\.tools\.consumer\.ConsoleConsumer\)\norg\.apache\.kafka\.common\.errors\.TimeoutException\nProcessed a total of 3 messages\n$/);
  await produce('grouped', 'd\n');
  const second = await consume('--topic', 'grouped', '--group', 'console-group', '--from-beginning', '--timeout-ms', '1500');
  expect(second.stdout).toBe('d\n');
  expect(second.stderr).toMatch(/Processed a total of 1 messages\n$/);
});

test('--partition with --offset, earliest and the default latest; --max-messages', async () => {
  await produce('two', '0\n1\n2\n3\n');
  const sticky = await consume('--topic', 'two', '--partition', '0', '--offset', 'earliest', '--timeout-ms', '1000');
  const other = await consume('--topic', 'two', '--partition', '1', '--offset', 'earliest', '--timeout-ms', '1000');
  // Unkeyed lines stick to one partition while their batch is open.
  expect([sticky.stdout, other.stdout].sort()).toEqual(['', '0\n1\n2\n3\n']);
  const partition = sticky.stdout === '' ? '1' : '0';
  const fromOffset = await consume('--topic', 'two', '--partition', partition, '--offset', '1', '--max-messages', '2', '--property', 'print.offset=true');
  expect(fromOffset).toMatchObject({ code: 0, stdout: 'Offset:1\t1\nOffset:2\t2\n', stderr: 'Processed a total of 2 messages\n' });
  const latest = await consume('--topic', 'two', '--partition', partition, '--timeout-ms', '500');
  expect(latest.stdout).toBe('');
});

test('read_committed hides an aborted transaction', async () => {
  await produce('txn', 'before\n');
  await writeTransaction(client, 'console-aborted', 'txn', ['aborted-1', 'aborted-2'], false);
  await writeTransaction(client, 'console-committed', 'txn', ['committed'], true);
  const committed = await consume('--topic', 'txn', '--from-beginning', '--isolation-level', 'read_committed', '--max-messages', '2');
  expect(committed.stdout).toBe('before\ncommitted\n');
  const all = await consume('--topic', 'txn', '--from-beginning', '--max-messages', '4');
  expect(all.stdout).toBe('before\naborted-1\naborted-2\ncommitted\n');
});

test('--include takes the topics matching the regex', async () => {
  await produce('inc-a', 'from a\n');
  await produce('inc-b', 'from b\n');
  await produce('other-c', 'from c\n');
  const out = await consume('--include', 'inc-.*', '--from-beginning', '--max-messages', '2');
  expect(out.stdout.split('\n').sort()).toEqual(['', 'from a', 'from b']);
});

test("Kafka's usage errors and a parse failure", async () => {
  const noPartition = await consume('--topic', 'two', '--offset', '3');
  expect(noPartition.code).toBe(1);
  expect(noPartition.stderr).toMatch(/^The partition is required when offset is specified\.\n/);
  const both = await consume('--topic', 'two', '--include', 'x');
  expect(both.stderr).toMatch(/^Exactly one of --include\/--topic is required\. \n/);
  const badOffset = await consume('--topic', 'two', '--partition', '0', '--offset', 'soon');
  expect(badOffset.stderr).toMatch(/^The provided offset value 'soon' is incorrect\. Valid values are 'earliest', 'latest', or a non-negative long\.\n/);
  const groupAndPartition = await consume('--topic', 'two', '--partition', '0', '--group', 'g');
  expect(groupAndPartition.stderr).toMatch(/^Options group and partition cannot be specified together\.\n/);
  const noTopic = await runTool('kafka-console-producer', ['--bootstrap-server', broker.bootstrap]);
  expect(noTopic.stderr).toMatch(/^Missing required argument "\[topic\]"\n/);
  const badLine = await produce('errors', 'ok\tline\nno separator\n', '--property', 'parse.key=true');
  expect(badLine.code).toBe(1);
  expect(badLine.stderr).toBe("Error: No key separator found on line number 2: 'no separator'\n");
  const kept = await consume('--topic', 'errors', '--from-beginning', '--max-messages', '1', '--property', 'print.key=true');
  expect(kept.stdout).toBe('ok\tline\n');
});

test('a group member subscribed before its topic exists is assigned it once it is created', async () => {
  const consuming = consume('--topic', 'later', '--group', 'early-group', '--from-beginning', '--max-messages', '1', '--consumer-property', 'allow.auto.create.topics=false');
  await waitFor(async () => {
    const res = await client.request(Apis.DescribeGroups, { groups: ['early-group'] }, { to: await client.coordinator('early-group') });
    return res.groups[0]?.groupState === 'Stable';
  }, 'the consumer in its group', 10_000);
  await produce('later', 'finally\n');
  expect((await consuming).stdout).toBe('finally\n');
});

test('SIGINT ends a running consumer: its group commits, the count is printed, the exit status is 130', async () => {
  await produce('signalled', 'one\n');
  const child = spawn(process.execPath, [resolve(__dirname, '../../src/cli/kafka-console-consumer.js'), '--bootstrap-server', broker.bootstrap, '--topic', 'signalled', '--group', 'signalled-group', '--from-beginning', '--enable-systest-events']);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  await waitFor(() => stdout === 'one\n', 'the record printed', 10_000);
  child.kill('SIGINT');
  expect(await exited).toBe(130);
  expect(stdout).toBe('one\nshutdown_complete\n');
  expect(stderr).toBe('Processed a total of 1 messages\n');
  await produce('signalled', 'two\n');
  const next = await consume('--topic', 'signalled', '--group', 'signalled-group', '--max-messages', '1');
  expect(next.stdout).toBe('two\n');
});

test('an unreachable bootstrap server is one error line naming it', async () => {
  const out = await runTool('kafka-console-consumer', ['--bootstrap-server', '127.0.0.1:1', '--topic', 't']);
  expect(out.code).toBe(1);
  expect(out.stderr).toMatch(/^Error: Broker 127\.0\.0\.1:1 is not reachable: .*\n$/);
});
