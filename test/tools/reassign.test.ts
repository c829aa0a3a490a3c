// kafka-reassign-partitions.sh against Kafka 3.9's ReassignPartitionsCommand output: the JSON files and
// option checks in-process, --generate on a single broker, and --execute / --verify / --list / --cancel
// (with throttles) on a three-broker ZooKeeper cluster, one reassignment finishing and one held up by
// a frozen target broker.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Apis, ErrorCode } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import { formatReassignment, parseReassignment, parseTopicsToMove, validateForExecute } from '../../src/tools/reassign/reassignment-json';
import { command, validateArgs } from '../../src/tools/reassign/reassign-partitions';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { runTool } from '../helpers/run-tool';
import { connectClient } from '../helpers/test-client';
import { waitFor } from '../helpers/wait';
import { useZkCluster } from '../helpers/zk-cluster-harness';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'reassign-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function jsonFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const reassignTool = (...args: string[]) => runTool('kafka-reassign-partitions', args);

test('reassignment JSON: Kafka\'s compact form, sorted by topic and partition, "any" log dirs', () => {
  expect(
    formatReassignment([
      { topic: 'b', partition: 0, replicas: [3] },
      { topic: 'a', partition: 1, replicas: [2, 1] },
      { topic: 'a', partition: 0, replicas: [1, 2] },
    ]),
  ).toBe(
    '{"version":1,"partitions":[{"topic":"a","partition":0,"replicas":[1,2],"log_dirs":["any","any"]},{"topic":"a","partition":1,"replicas":[2,1],"log_dirs":["any","any"]},{"topic":"b","partition":0,"replicas":[3],"log_dirs":["any"]}]}',
  );
  const parsed = parseReassignment('{"partitions":[{"topic":"t","partition":0,"replicas":[1,2],"log_dirs":["any","/data/b"]}],"version":1}');
  expect(parsed).toEqual({ partitions: [{ topic: 't', partition: 0, replicas: [1, 2] }], logDirs: [{ topic: 't', partition: 0, broker: 2, logDir: '/data/b' }] });
  expect(formatReassignment(parsed.partitions, parsed.logDirs)).toBe('{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,2],"log_dirs":["any","/data/b"]}]}');
  expect(parseTopicsToMove('{"topics":[{"topic":"foo"},{"topic":"foo1"}],"version":1}')).toEqual(['foo', 'foo1']);

  expect(() => parseReassignment('{"version":2,"partitions":[]}')).toThrow('Not supported version field value 2');
  expect(() => parseReassignment('{"partitions":[{"topic":"t","partition":0,"replicas":[1,2],"log_dirs":["any"]}]}')).toThrow(
    'Size of replicas list [1, 2] is different from size of log dirs list [any] for partition t-0',
  );
  expect(() => validateForExecute(parseReassignment('{"partitions":[]}'))).toThrow('Partition reassignment list cannot be empty');
  expect(() => validateForExecute(parseReassignment('{"partitions":[{"topic":"t","partition":0,"replicas":[]}]}'))).toThrow('Partition replica list cannot be empty');
  expect(() =>
    validateForExecute(parseReassignment('{"partitions":[{"topic":"t","partition":0,"replicas":[1]},{"topic":"t","partition":0,"replicas":[2]}]}')),
  ).toThrow('Partition reassignment contains duplicate topic partitions: t-0');
  expect(() => validateForExecute(parseReassignment('{"partitions":[{"topic":"t","partition":0,"replicas":[1,1,2]}]}'))).toThrow(
    'Partition replica lists may not contain duplicate entries: t-0 contains multiple entries for 1',
  );
});

test('the command line: exactly one action, its required options, and only the options it takes', () => {
  const check = (...args: string[]) => () => validateArgs(command.parse(args), args.filter((a) => a.startsWith('--')).map((a) => a.slice(2)));
  expect(check('--bootstrap-server', 'x:1')).toThrow('Command must include exactly one action: --generate, --execute, --verify, --cancel, --list');
  expect(check('--bootstrap-server', 'x:1', '--list', '--verify')).toThrow('Command must include exactly one action');
  expect(check('--list')).toThrow('Missing required argument "[bootstrap-server]"');
  expect(check('--bootstrap-server', 'x:1', '--execute')).toThrow('Missing required argument "[reassignment-json-file]"');
  expect(check('--bootstrap-server', 'x:1', '--generate', '--broker-list', '1')).toThrow('Missing required argument "[topics-to-move-json-file]"');
  expect(check('--bootstrap-server', 'x:1', '--verify', '--reassignment-json-file', 'f', '--throttle', '5')).toThrow('Option "[throttle]" can\'t be used with action "[verify]"');
  expect(check('--bootstrap-server', 'x:1', '--list')()).toBe('list');
});

test('usage errors print the message and the usage on stderr, exit code 1; an unreachable server is one line', async () => {
  const res = await reassignTool('--bootstrap-server', '127.0.0.1:1', '--verify');
  expect(res.code).toBe(1);
  expect(res.stderr.split('\n')[0]).toBe('Missing required argument "[reassignment-json-file]"');
  expect(res.stderr).toContain('This tool helps to move topic partitions between replicas.');
  const unreachable = await reassignTool('--bootstrap-server', '127.0.0.1:1', '--list');
  expect(unreachable.code).toBe(1);
  expect(unreachable.stdout.split('\n').filter((l) => l !== '')).toEqual([expect.stringMatching(/^Error: .*127\.0\.0\.1:1/)]);
});

describe('on a single broker with two log dirs', () => {
  let broker: BrokerProcess | undefined;
  afterAll(() => cleanup(broker));

  test('--generate: the current assignment, then a proposal; Kafka\'s errors for bad input; --execute and --verify of a log dir move', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kafka-ts-test-'));
    const logDirs = [join(root, 'd0'), join(root, 'd1')];
    broker = await startBroker({ logDir: root, props: { 'broker.id': 4, 'log.dirs': logDirs.join(',') } });
    const client = await connectClient(broker.port);
    try {
      const res = await client.request(Apis.CreateTopics, 7, { topics: [{ name: 'gen', numPartitions: 3, replicationFactor: 1 }], timeoutMs: 5000 });
      expect(res.topics[0].errorCode).toBe(ErrorCode.NONE);
    } finally {
      client.close();
    }
    const topics = jsonFile('topics.json', { topics: [{ topic: 'gen' }], version: 1 });
    const generated = await reassignTool('--bootstrap-server', broker.bootstrap, '--generate', '--topics-to-move-json-file', topics, '--broker-list', '4');
    const current = formatReassignment([0, 1, 2].map((partition) => ({ topic: 'gen', partition, replicas: [4] })));
    expect(generated).toEqual({
      stdout: `Current partition replica assignment\n${current}\n\nProposed partition reassignment configuration\n${current}\n`,
      stderr: '',
      code: 0,
    });

    const tooFew = await reassignTool('--bootstrap-server', broker.bootstrap, '--generate', '--topics-to-move-json-file', topics, '--broker-list', '4,5');
    expect(tooFew.code).toBe(0);
    const unknownBrokersOnly = await reassignTool('--bootstrap-server', broker.bootstrap, '--generate', '--topics-to-move-json-file', topics, '--broker-list', '5');
    expect(unknownBrokersOnly).toEqual({ stdout: 'Error: Replication factor: 1 larger than available brokers: 0.\n', stderr: '', code: 1 });
    const dupBrokers = await reassignTool('--bootstrap-server', broker.bootstrap, '--generate', '--topics-to-move-json-file', topics, '--broker-list', '4,4');
    expect(dupBrokers.stdout).toBe('Error: Broker list contains duplicate entries: [4]\n');
    const missing = jsonFile('missing.json', { topics: [{ topic: 'nope' }], version: 1 });
    const noTopic = await reassignTool('--bootstrap-server', broker.bootstrap, '--generate', '--topics-to-move-json-file', missing, '--broker-list', '4');
    expect(noTopic).toEqual({ stdout: 'Error: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: Topic nope not found.\n', stderr: '', code: 1 });
    const list = await reassignTool('--bootstrap-server', broker.bootstrap, '--list');
    expect(list).toEqual({ stdout: 'No partition reassignments found.\n', stderr: '', code: 0 });

    // A move to the other log dir: the reassignment keeps broker 4, the replica changes directory.
    const where = await connectClient(broker.port);
    let from = '';
    try {
      // A record to copy: the broker swaps the moved log in once its copy has caught up, leader epoch included.
      const records = buildBatch([{ key: null, value: Buffer.from('moved') }]);
      const produced = await where.request(Apis.Produce, 9, { acks: -1, timeoutMs: 5000, topicData: [{ name: 'gen', partitionData: [{ index: 0, records }] }] });
      expect(produced.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NONE);
      const res = await where.request(Apis.DescribeLogDirs, 4, { topics: [{ topic: 'gen', partitions: [0] }] });
      from = res.results.find((r) => r.topics.length > 0)!.logDir;
    } finally {
      where.close();
    }
    const to = logDirs.find((d) => d !== from)!;
    const move = jsonFile('move.json', { version: 1, partitions: [{ topic: 'gen', partition: 0, replicas: [4], log_dirs: [to] }] });
    const moved = await reassignTool('--bootstrap-server', broker.bootstrap, '--execute', '--reassignment-json-file', move, '--replica-alter-log-dirs-throttle', '1000000');
    expect(moved).toEqual({
      stdout:
        'Current partition replica assignment\n\n' +
        '{"version":1,"partitions":[{"topic":"gen","partition":0,"replicas":[4],"log_dirs":["any"]}]}\n\n' +
        'Save this to use as the --reassignment-json-file option during rollback\n' +
        'Warning: You must run --verify periodically, until the reassignment completes, to ensure the throttle is removed.\n' +
        'The replica-alter-dir throttle limit was set to 1000000 B/s\n' +
        'Successfully started partition reassignment for gen-0\n' +
        `Successfully started moving log directory to ${to} for replica gen-0 with broker 4 \n`,
      stderr: '',
      code: 0,
    });
    let verified = { stdout: '', stderr: '', code: -1 };
    await waitFor(async () => {
      verified = await reassignTool('--bootstrap-server', broker!.bootstrap, '--verify', '--reassignment-json-file', move);
      return verified.stdout.includes('completed successfully.');
    }, 'the log dir move to complete');
    expect(verified).toEqual({
      stdout:
        'Status of partition reassignment:\nReassignment of partition gen-0 is completed.\n' +
        'Reassignment of replica gen-0-4 completed successfully.\n' +
        'Clearing broker-level throttles on broker 4\nClearing topic-level throttles on topic gen\n',
      stderr: '',
      code: 0,
    });
  });
});

describe('on a three-broker cluster', () => {
  const h = useZkCluster('reassign-tool', { 'replica.lag.time.max.ms': 2000 });

  test('--generate proposes valid placements; --execute with a throttle, --verify until done; a stuck one is listed, refused without --additional, cancelled', async () => {
    await h.startCluster();
    await h.createTopic('moving', [
      [1, 2],
      [2, 3],
    ]);
    const bootstrap = h.brokers.get(1)!.bootstrap;

    const topics = jsonFile('moving-topics.json', { topics: [{ topic: 'moving' }], version: 1 });
    const generated = await reassignTool('--bootstrap-server', bootstrap, '--generate', '--topics-to-move-json-file', topics, '--broker-list', '1,3', '--disable-rack-aware');
    expect(generated.code).toBe(0);
    const [title, current, blank, proposedTitle, proposedJson] = generated.stdout.split('\n');
    expect([title, current, blank, proposedTitle]).toEqual([
      'Current partition replica assignment',
      formatReassignment([
        { topic: 'moving', partition: 0, replicas: [1, 2] },
        { topic: 'moving', partition: 1, replicas: [2, 3] },
      ]),
      '',
      'Proposed partition reassignment configuration',
    ]);
    // Kafka's placement starts at a random broker: any assignment of both partitions onto brokers 1 and 3 is valid.
    const proposed = parseReassignment(proposedJson).partitions;
    expect(proposed.map((p) => p.partition)).toEqual([0, 1]);
    for (const p of proposed) expect([...p.replicas].sort()).toEqual([1, 3]);

    const target = jsonFile('target.json', formatReassignment([{ topic: 'moving', partition: 0, replicas: [1, 3] }]));
    const executed = await reassignTool('--bootstrap-server', bootstrap, '--execute', '--reassignment-json-file', target, '--throttle', '50000000');
    expect(executed).toEqual({
      stdout:
        'Current partition replica assignment\n\n' +
        '{"version":1,"partitions":[{"topic":"moving","partition":0,"replicas":[1,2],"log_dirs":["any","any"]}]}\n\n' +
        'Save this to use as the --reassignment-json-file option during rollback\n' +
        'Warning: You must run --verify periodically, until the reassignment completes, to ensure the throttle is removed.\n' +
        'The inter-broker throttle limit was set to 50000000 B/s\n' +
        'Successfully started partition reassignment for moving-0\n',
      stderr: '',
      code: 0,
    });
    const throttles = await (await h.client(1)).request(Apis.DescribeConfigs, 4, {
      resources: [{ resourceType: 2, resourceName: 'moving', configurationKeys: ['leader.replication.throttled.replicas', 'follower.replication.throttled.replicas'] }],
      includeSynonyms: false,
      includeDocumentation: false,
    });
    expect(Object.fromEntries(throttles.results[0].configs.map((c) => [c.name, c.value]))).toEqual({
      'leader.replication.throttled.replicas': '0:1,0:2',
      'follower.replication.throttled.replicas': '0:3',
    });

    let verified = { stdout: '', stderr: '', code: -1 };
    await waitFor(async () => {
      verified = await reassignTool('--bootstrap-server', bootstrap, '--verify', '--reassignment-json-file', target);
      return verified.stdout.includes('is completed.');
    }, 'the reassignment to complete');
    expect(verified).toEqual({
      stdout:
        'Status of partition reassignment:\nReassignment of partition moving-0 is completed.\n\n' +
        'Clearing broker-level throttles on brokers 1,2,3\nClearing topic-level throttles on topic moving\n',
      stderr: '',
      code: 0,
    });
    const cleared = await (await h.client(1)).request(Apis.DescribeConfigs, 4, {
      resources: [{ resourceType: 2, resourceName: 'moving', configurationKeys: ['follower.replication.throttled.replicas'] }],
      includeSynonyms: false,
      includeDocumentation: false,
    });
    expect(cleared.results[0].configs[0].value).toBe('');

    // Broker 2 frozen: a move of moving-0 back onto it cannot finish.
    const stuck = jsonFile('stuck.json', formatReassignment([{ topic: 'moving', partition: 0, replicas: [1, 2] }]));
    h.brokers.get(2)!.pause();
    try {
      const started = await reassignTool('--bootstrap-server', bootstrap, '--execute', '--reassignment-json-file', stuck);
      expect(started.code).toBe(0);
      expect(started.stdout.endsWith('Successfully started partition reassignment for moving-0\n')).toBe(true);
      expect(await reassignTool('--bootstrap-server', bootstrap, '--list')).toEqual({
        stdout: 'Current partition reassignments:\nmoving-0: replicas: 1,2,3. adding: 2. removing: 3.\n',
        stderr: '',
        code: 0,
      });
      const inProgress = await reassignTool('--bootstrap-server', bootstrap, '--verify', '--reassignment-json-file', stuck, '--preserve-throttles');
      expect(inProgress).toEqual({ stdout: 'Status of partition reassignment:\nReassignment of partition moving-0 is still in progress.\n\n', stderr: '', code: 0 });
      const refused = await reassignTool('--bootstrap-server', bootstrap, '--execute', '--reassignment-json-file', target);
      expect(refused).toEqual({
        stdout:
          'Cannot execute because there is an existing partition assignment.  Use --additional to override this and create a new partition assignment in addition to the existing one. The --additional flag can also be used to change the throttle by resubmitting the current reassignment.\n',
        stderr: '',
        code: 1,
      });
      const cancelled = await reassignTool('--bootstrap-server', bootstrap, '--cancel', '--reassignment-json-file', stuck, '--preserve-throttles');
      expect(cancelled).toEqual({
        stdout: 'Successfully cancelled partition reassignment for: moving-0\nNone of the specified partition moves are active.',
        stderr: '',
        code: 0,
      });
      expect((await reassignTool('--bootstrap-server', bootstrap, '--list')).stdout).toBe('No partition reassignments found.\n');
    } finally {
      h.brokers.get(2)!.resume();
    }
  }, 120_000);
});
