// The admin tools end to end against a real kafka-ts broker: each run as a process, its output
// compared with what Kafka 3.9's tool prints for the same state (topic ids and the like read back
// from Metadata), plus --help, usage errors and an unreachable bootstrap server.

import { Apis, ErrorCode } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import { KafkaConnection } from '../../src/client/kafka-connection';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { runTool } from '../helpers/run-tool';
import { connectClient } from '../helpers/test-client';

const ELR = '\tElr: N/A\tLastKnownElr: N/A';

let broker: BrokerProcess;
let client: KafkaConnection;
let files: string;

beforeAll(async () => {
  broker = await startBroker({ props: { 'broker.id': 1, 'num.partitions': 1 } });
  client = await connectClient(broker.port);
  files = mkdtempSync(join(tmpdir(), 'admin-tools-'));
});

afterAll(async () => {
  client?.close();
  await cleanup(broker);
});

const topics = (...args: string[]) => runTool('kafka-topics', ['--bootstrap-server', broker.bootstrap, ...args]);

async function topicId(name: string): Promise<string> {
  const res = await client.request(Apis.Metadata, 12, { topics: [{ name }], allowAutoTopicCreation: false });
  return res.topics[0].topicId;
}

async function produce(topic: string, partition: number, count: number): Promise<void> {
  const records = Array.from({ length: count }, (_, i) => ({ key: null, value: Buffer.from(`v${i}`), timestamp: 1_000 + i }));
  const res = await client.request(Apis.Produce, 9, { acks: -1, timeoutMs: 10_000, topicData: [{ name: topic, partitionData: [{ index: partition, records: buildBatch(records) }] }] });
  expect(res.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NONE);
}

function jsonFile(name: string, content: unknown): string {
  const path = join(files, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

describe('kafka-topics.sh', () => {
  test('create, describe, alter, list and delete', async () => {
    expect(await topics('--create', '--topic', 'orders', '--partitions', '2', '--replication-factor', '1', '--config', 'retention.ms=1000')).toEqual({ stdout: 'Created topic orders.\n', stderr: '', code: 0 });
    const id = await topicId('orders');
    expect((await topics('--describe', '--topic', 'orders')).stdout).toBe(
      `Topic: orders\tTopicId: ${id}\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: retention.ms=1000\n` +
        `\tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1${ELR}\n` +
        `\tTopic: orders\tPartition: 1\tLeader: 1\tReplicas: 1\tIsr: 1${ELR}\n`,
    );
    expect(await topics('--alter', '--topic', 'orders', '--partitions', '3')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect((await topics('--describe', '--topic', 'orders', '--topics-with-overrides')).stdout).toBe(`Topic: orders\tTopicId: ${id}\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: retention.ms=1000\n`);
    expect((await topics('--list', '--topic', 'ord.*')).stdout).toBe('orders\n');
    expect(await topics('--delete', '--topic', 'orders')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect((await topics('--list', '--topic', 'orders')).stdout).toBe('\n');
  });

  test('a manual assignment, names that could collide in metrics, topics without overrides', async () => {
    expect((await topics('--create', '--topic', 'a_b', '--replica-assignment', '1,1,1')).stdout).toBe(
      "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.\nCreated topic a_b.\n",
    );
    const id = await topicId('a_b');
    const { stdout } = await topics('--describe', '--topic', 'a_b');
    expect(stdout.split('\n')[0]).toBe(`Topic: a_b\tTopicId: ${id}\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: `);
    expect((await topics('--describe', '--topic', 'a_b', '--topics-with-overrides')).stdout).toBe('');
    expect((await topics('--describe', '--topic', 'a_b', '--under-replicated-partitions')).stdout).toBe('');
    expect((await topics('--describe', '--topic', 'a_b', '--at-min-isr-partitions')).stdout.split('\n').length).toBe(4);
  });

  test('several topics come in the order of the HashMap Kafka describes them into', async () => {
    await topics('--create', '--topic', 'hc');
    await topics('--create', '--topic', 'hd');
    // "hc".hashCode() is 3323 and "hd".hashCode() 3324; a HashMap of two has four buckets: "hd" (0) before "hc" (3).
    const { stdout } = await topics('--describe', '--topic', 'hc,hd');
    expect(stdout.split('\n').filter((l) => l.startsWith('Topic:')).map((l) => l.split('\t')[0])).toEqual(['Topic: hd', 'Topic: hc']);
    expect((await topics('--list', '--topic', 'h.')).stdout).toBe('hc\nhd\n');
  });

  test("errors: an existing topic, a missing one, --if-not-exists and --if-exists", async () => {
    await topics('--create', '--topic', 'dup');
    expect(await topics('--create', '--topic', 'dup')).toEqual({ stdout: "Error while executing topic command : Topic 'dup' already exists.\n", stderr: '', code: 1 });
    expect(await topics('--create', '--topic', 'dup', '--if-not-exists')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(await topics('--describe', '--topic', 'missing')).toEqual({ stdout: "Error while executing topic command : Topic 'missing' does not exist as expected\n", stderr: '', code: 1 });
    expect(await topics('--delete', '--topic', 'missing', '--if-exists')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect((await topics('--create', '--topic', 'bad', '--config', 'no.such=1')).stdout).toBe('Error while executing topic command : Unknown topic config name: no.such\n');
    expect(await topics('--create', '--topic', 'wide', '--replication-factor', '3')).toEqual({ stdout: 'Error while executing topic command : Replication factor: 3 larger than available brokers: 1.\n', stderr: '', code: 1 });
    await topics('--create', '--topic', 'three', '--partitions', '3');
    expect((await topics('--alter', '--topic', 'three', '--partitions', '2')).stdout).toBe('Error while executing topic command : Topic currently has 3 partitions, which is higher than the requested 2.\n');
  });

  test('--exclude-internal leaves out __consumer_offsets', async () => {
    await client.request(Apis.FindCoordinator, 3, { key: 'g', keyType: 0 });
    const { stdout } = await topics('--list');
    const listed = stdout.trim().split('\n');
    expect((await topics('--list', '--exclude-internal')).stdout.trim().split('\n')).toEqual(listed.filter((t) => !t.startsWith('__')));
  });

  test('--help, usage errors and an unreachable broker', async () => {
    const help = await runTool('kafka-topics', ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout.split('\n')[0]).toBe('This tool helps to create, delete, describe, or change a topic.');
    const noServer = await runTool('kafka-topics', ['--list']);
    expect(noServer.code).toBe(1);
    expect(noServer.stderr.startsWith('--bootstrap-server must be specified\nThis tool helps to')).toBe(true);
    const twoActions = await runTool('kafka-topics', ['--list', '--describe', '--bootstrap-server', broker.bootstrap]);
    expect(twoActions.stderr.split('\n')[0]).toBe('Command must include exactly one action: --list, --describe, --create, --alter or --delete');
    const badCombo = await topics('--list', '--partitions', '2');
    expect(badCombo.stderr.split('\n')[0]).toBe('Option "[partitions]" can\'t be used with option "[list]"');
    const down = await runTool('kafka-topics', ['--bootstrap-server', '127.0.0.1:1', '--list']);
    expect(down.code).toBe(1);
    expect(down.stdout).toMatch(/^Error while executing topic command : .*127\.0\.0\.1:1.*\n$/);
  });
});

describe('kafka-get-offsets.sh', () => {
  test('latest, earliest and by timestamp; sorted as text', async () => {
    await topics('--create', '--topic', 'offs', '--partitions', '11');
    await produce('offs', 0, 3);
    await produce('offs', 10, 2);
    const run = (...args: string[]) => runTool('kafka-get-offsets', ['--bootstrap-server', broker.bootstrap, ...args]);
    const latest = await run('--topic', 'offs');
    expect(latest.stdout.split('\n').slice(0, 3)).toEqual(['offs:0:3', 'offs:1:0', 'offs:10:2']);
    expect((await run('--topic-partitions', 'offs:0,offs:10', '--time', 'earliest')).stdout).toBe('offs:0:0\noffs:10:0\n');
    expect((await run('--topic', 'offs', '--partitions', '0', '--time', '1001')).stdout).toBe('offs:0:1\n');
    expect((await run('--topic', 'offs', '--partitions', '0', '--time', '-3')).stdout).toBe('offs:0:2\n');
    expect(await run('--topic', 'nothing.like.this')).toEqual({ stdout: '', stderr: 'Error occurred: Could not match any topic-partitions with the specified filters\n', code: 1 });
    expect((await run('--topic-partitions', 'offs', '--topic', 'offs')).stderr).toBe('Error occurred: --topic-partitions cannot be used with --topic or --partitions\n');
  });

  test('usage error and an unreachable broker', async () => {
    const missing = await runTool('kafka-get-offsets', ['--topic', 'x']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.startsWith('Missing required argument "[bootstrap-server]"\nAn interactive shell for getting topic-partition offsets.\n')).toBe(true);
    const down = await runTool('kafka-get-offsets', ['--bootstrap-server', '127.0.0.1:1']);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^Error occurred: .*127\.0\.0\.1:1.*\n$/);
  });
});

describe('kafka-delete-records.sh', () => {
  test('deletes below the offsets and reports each partition', async () => {
    await topics('--create', '--topic', 'del', '--partitions', '2');
    await produce('del', 0, 5);
    const file = jsonFile('del.json', { partitions: [{ topic: 'del', partition: 0, offset: 3 }, { topic: 'del', partition: 1, offset: 7 }, { topic: 'gone', partition: 0, offset: 0 }], version: 1 });
    const res = await runTool('kafka-delete-records', ['--bootstrap-server', broker.bootstrap, '--offset-json-file', file]);
    expect(res.code).toBe(0);
    // Kafka's result map is a HashMap: these three keys iterate in this order.
    expect(res.stdout).toBe(
      'Executing records delete operation\nRecords delete operation completed:\n' +
        'partition: gone-0\terror: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: This server does not host this topic-partition.\n' +
        'partition: del-1\terror: org.apache.kafka.common.errors.OffsetOutOfRangeException: The requested offset is not within the range of offsets maintained by the server.\n' +
        'partition: del-0\tlow_watermark: 3\n',
    );
    expect((await runTool('kafka-get-offsets', ['--bootstrap-server', broker.bootstrap, '--topic-partitions', 'del:0', '--time', 'earliest'])).stdout).toBe('del:0:3\n');
  });

  test('a duplicate partition and missing options', async () => {
    const file = jsonFile('dup.json', { partitions: [{ topic: 'del', partition: 0, offset: 1 }, { topic: 'del', partition: 0, offset: 2 }] });
    const dup = await runTool('kafka-delete-records', ['--bootstrap-server', broker.bootstrap, '--offset-json-file', file]);
    expect(dup).toEqual({ stdout: '', stderr: 'Exception in thread "main" org.apache.kafka.server.common.AdminCommandFailedException: Offset json file contains duplicate topic partitions: del-0\n', code: 1 });
    const missing = await runTool('kafka-delete-records', ['--offset-json-file', file]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.split('\n')[0]).toBe('Missing required argument "[bootstrap-server]"');
  });
});

describe('kafka-log-dirs.sh', () => {
  test('describes the log dirs of the brokers, limited to the topic list', async () => {
    await topics('--create', '--topic', 'dirs', '--partitions', '1');
    await produce('dirs', 0, 1);
    const res = await runTool('kafka-log-dirs', ['--bootstrap-server', broker.bootstrap, '--describe', '--topic-list', 'dirs']);
    expect(res.code).toBe(0);
    const [querying, received, json] = res.stdout.split('\n');
    expect(querying).toBe('Querying brokers for log directories information');
    expect(received).toBe('Received log directory information from brokers 1');
    const size = (JSON.parse(json) as { brokers: { logDirs: { partitions: { size: number }[] }[] }[] }).brokers[0].logDirs[0].partitions[0].size;
    expect(size).toBeGreaterThan(0);
    expect(json).toBe(`{"brokers":[{"broker":1,"logDirs":[{"partitions":[{"partition":"dirs-0","size":${size},"offsetLag":0,"isFuture":false}],"error":null,"logDir":"${join(broker.logDir, 'data')}"}]}],"version":1}`);
  });

  test('an unknown broker', async () => {
    const res = await runTool('kafka-log-dirs', ['--bootstrap-server', broker.bootstrap, '--describe', '--broker-list', '1,7']);
    expect(res).toEqual({ stdout: '', stderr: 'ERROR: The given brokers do not exist from --broker-list: 7. Current existent brokers: 1\n', code: 1 });
  });
});

describe('kafka-leader-election.sh', () => {
  test('the preferred leader already leads; an unknown partition fails', async () => {
    await topics('--create', '--topic', 'elect', '--partitions', '2');
    const run = (...args: string[]) => runTool('kafka-leader-election', ['--bootstrap-server', broker.bootstrap, ...args]);
    expect(await run('--election-type', 'preferred', '--topic', 'elect', '--partition', '1')).toEqual({ stdout: 'Valid replica already elected for partitions elect-1\n', stderr: '', code: 0 });
    const file = jsonFile('elect.json', { partitions: [{ topic: 'elect', partition: 0 }, { topic: 'elect', partition: 1 }] });
    expect((await run('--election-type', 'PREFERRED', '--path-to-json-file', file)).stdout).toBe('Valid replica already elected for partitions elect-0, elect-1\n');
    const unknown = await run('--election-type', 'preferred', '--topic', 'nope', '--partition', '0');
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toMatch(/^Error completing leader election \(PREFERRED\) for partition: nope-0: org\.apache\.kafka\.common\.errors\.UnknownTopicOrPartitionException: .+\n$/);
    expect(unknown.stderr).toBe('1 replica(s) could not be elected\n');
  });

  test('option checks', async () => {
    const run = (...args: string[]) => runTool('kafka-leader-election', ['--bootstrap-server', broker.bootstrap, ...args]);
    expect((await run('--topic', 'elect', '--partition', '0')).stderr).toBe('Missing required option(s): election-type\n');
    expect((await run('--election-type', 'preferred')).stderr).toBe('One and only one of the following options is required: topic, all-topic-partitions, path-to-json-file\n');
    expect((await run('--election-type', 'preferred', '--topic', 'elect')).stderr).toBe('Missing required option(s): partition\n');
    const noServer = await runTool('kafka-leader-election', ['--election-type', 'preferred', '--all-topic-partitions']);
    expect(noServer).toEqual({ stdout: '', stderr: 'Missing required option(s): bootstrap-server\n', code: 1 });
  });
});

describe('kafka-broker-api-versions.sh', () => {
  test("every API the broker lists, usable against the tool's versions", async () => {
    const res = await runTool('kafka-broker-api-versions', ['--bootstrap-server', broker.bootstrap]);
    expect(res.code).toBe(0);
    const versions = await client.request(Apis.ApiVersions, 3, { clientSoftwareName: 't', clientSoftwareVersion: '1' });
    const produce = versions.apiKeys.find((k) => k.apiKey === 0)!;
    const lines = res.stdout.split('\n');
    expect(lines[0]).toBe(`127.0.0.1:${broker.port} (id: 1 rack: null) -> (`);
    expect(lines[1]).toBe(`\tProduce(0): ${produce.minVersion} to ${produce.maxVersion} [usable: ${Math.min(11, produce.maxVersion)}],`);
    expect(lines[lines.length - 2]).toBe(')');
    expect(lines.slice(1, -3).every((l) => /^\t[A-Za-z]+\(\d+\): (UNSUPPORTED|\d+( to \d+)? \[usable: \d+\]),$/.test(l))).toBe(true);
  });

  test('usage error and an unreachable broker', async () => {
    const missing = await runTool('kafka-broker-api-versions', []);
    expect(missing.code).toBe(1);
    const noServer = await runTool('kafka-broker-api-versions', ['--command-config', '/dev/null']);
    expect(noServer.stderr.startsWith('Missing required argument "[bootstrap-server]"\nThis tool helps to retrieve broker version information.\n')).toBe(true);
    const down = await runTool('kafka-broker-api-versions', ['--bootstrap-server', '127.0.0.1:1']);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^Error: .*127\.0\.0\.1:1.*\n$/);
  });
});
