// kafka-transactions.sh against Kafka 3.9's TransactionsCommand output: its tables (cells padded to the
// column, each followed by a tab, "None" placeholders), argparse4j usage errors, and list / describe /
// describe-producers / find-hanging / abort against a real broker with a transaction opened by hand.
import { Apis, ErrorCode } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import type { KafkaConnection } from '../../src/client/kafka-connection';
import { runTransactions } from '../../src/tools/transactions/transactions';
import { prettyTable } from '../../src/tools/transactions/transactions-output';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { runTool } from '../helpers/run-tool';
import { connectClient } from '../helpers/test-client';
import { waitFor } from '../helpers/wait';

const T0 = 1_700_000_000_000;

const lastLine = (text: string): string => text.trimEnd().split('\n').pop()!;

async function run(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const code = await runTransactions(args, { out: (t) => (out += t), err: (t) => (err += t), now: () => T0 + 5000 });
  return { out, err, code };
}

test('tables: every cell padded to its column and followed by a tab, as prettyPrintTable prints them', () => {
  expect(prettyTable(['TransactionalId', 'Coordinator', 'ProducerId', 'TransactionState'], [['a-long-transactional-id', '0', '12', 'Ongoing']])).toBe(
    'TransactionalId        \tCoordinator\tProducerId\tTransactionState\t\n' + 'a-long-transactional-id\t0          \t12        \tOngoing         \t\n',
  );
  expect(prettyTable(['ProducerId'], [])).toBe('ProducerId\t\n');
});

test('usage errors are argparse4j\'s: the usage, then "kafka-transactions.sh: error: ...", exit code 1', async () => {
  expect(await run('list')).toEqual({
    out: '',
    err:
      'usage: kafka-transactions.sh [-h] [-v] [--command-config FILE]\n' +
      '                             --bootstrap-server host:port COMMAND ...\n' +
      'kafka-transactions.sh: error: argument --bootstrap-server is required\n',
    code: 1,
  });
  const noCommand = await run('--bootstrap-server', 'localhost:9092');
  expect(lastLine(noCommand.err)).toBe('kafka-transactions.sh: error: too few arguments');
  const bad = await run('--bootstrap-server', 'localhost:9092', 'frobnicate');
  expect(lastLine(bad.err)).toBe(
    "kafka-transactions.sh: error: argument COMMAND: invalid choice: 'frobnicate' (choose from 'list', 'describe', 'describe-producers', 'abort', 'find-hanging')",
  );
  const missing = await run('--bootstrap-server', 'localhost:9092', 'describe');
  expect(missing).toEqual({
    out: '',
    err:
      'usage: kafka-transactions.sh --bootstrap-server host:port describe\n' +
      '       [-h] --transactional-id TRANSACTIONAL_ID\n' +
      'kafka-transactions.sh: error: argument --transactional-id is required\n',
    code: 1,
  });
  const notInt = await run('--bootstrap-server', 'localhost:9092', 'describe-producers', '--topic', 't', '--partition', 'x');
  expect(lastLine(notInt.err)).toBe("kafka-transactions.sh: error: argument --partition: could not convert 'x' to Integer");
  const help = await run('-h');
  expect(help.code).toBe(0);
  expect(help.out).toContain('\nThis tool is used to analyze the transactional state of producers in the\ncluster. It can be used to detect and recover from hanging transactions.\n');
  expect(help.out).toContain('    describe-producers   describe the states of active producers for a topic partition');
  const abortHelp = await run('--bootstrap-server', 'x:1', 'abort', '--help');
  expect(abortHelp.out).toContain('Brokers on versions 3.0 and above:\n  For newer brokers, only the start offset of the transaction to be aborted is\n  required\n');
});

test('a missing --command-config file: Kafka\'s one-line failure', async () => {
  expect(await run('--bootstrap-server', 'x:1', '--command-config', '/nonexistent/admin.properties', 'list')).toEqual({
    out: '',
    err: 'Failed to load admin client properties: /nonexistent/admin.properties (No such file or directory). Enable debug logging for additional detail.\n',
    code: 1,
  });
});

test('an unreachable bootstrap server: one line naming the address, exit code 1', async () => {
  const res = await runTool('kafka-transactions', ['--bootstrap-server', '127.0.0.1:1', 'list']);
  expect(res.code).toBe(1);
  expect(res.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
  expect(res.stderr).toContain('127.0.0.1:1');
});

describe('against a broker with an open transaction', () => {
  let broker: BrokerProcess | undefined;
  let client: KafkaConnection;
  let producerId = -1n;

  beforeAll(async () => {
    // Without verification a transactional write needs no AddPartitionsToTxn: how a hanging transaction is made.
    broker = await startBroker({ props: { 'transaction.partition.verification.enable': false } });
    client = await connectClient(broker.port);
    const created = await client.request(Apis.CreateTopics, 7, { topics: [{ name: 'payments', numPartitions: 1, replicationFactor: 1 }], timeoutMs: 5000 });
    expect(created.topics[0].errorCode).toBe(ErrorCode.NONE);
    await waitFor(async () => (await client.request(Apis.FindCoordinator, 4, { keyType: 1, coordinatorKeys: ['pay-1'] })).coordinators[0].errorCode === ErrorCode.NONE, 'a transaction coordinator');
    let init = { errorCode: -1, producerId: -1n, producerEpoch: -1 };
    await waitFor(async () => {
      init = await client.request(Apis.InitProducerId, 4, { transactionalId: 'pay-1', transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 });
      return init.errorCode === ErrorCode.NONE;
    }, 'InitProducerId to succeed');
    producerId = init.producerId;
    const added = await client.request(Apis.AddPartitionsToTxn, 3, {
      v3AndBelowTransactionalId: 'pay-1',
      v3AndBelowProducerId: producerId,
      v3AndBelowProducerEpoch: init.producerEpoch,
      v3AndBelowTopics: [{ name: 'payments', partitions: [0] }],
    });
    expect(added.resultsByTopicV3AndBelow[0].resultsByPartition[0].partitionErrorCode).toBe(ErrorCode.NONE);
    const records = buildBatch([{ key: null, value: Buffer.from('a'), timestamp: T0 }, { key: null, value: Buffer.from('b'), timestamp: T0 }], {
      baseTimestamp: T0,
      producerId,
      producerEpoch: init.producerEpoch,
      baseSequence: 0,
      transactional: true,
    });
    const produced = await client.request(Apis.Produce, 9, { transactionalId: 'pay-1', acks: -1, timeoutMs: 5000, topicData: [{ name: 'payments', partitionData: [{ index: 0, records }] }] });
    expect(produced.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NONE);
  });

  afterAll(async () => {
    client?.close();
    await cleanup(broker);
  });

  test('list: the transaction, its coordinator, producer id and state', async () => {
    const res = await runTool('kafka-transactions', ['--bootstrap-server', broker!.bootstrap, 'list']);
    expect(res).toEqual({
      stdout: prettyTable(['TransactionalId', 'Coordinator', 'ProducerId', 'TransactionState'], [['pay-1', '0', String(producerId), 'Ongoing']]),
      stderr: '',
      code: 0,
    });
  });

  test('describe: the coordinator\'s view, with the start time and duration', async () => {
    const res = await runTool('kafka-transactions', ['--bootstrap-server', broker!.bootstrap, 'describe', '--transactional-id', 'pay-1']);
    expect(res.code).toBe(0);
    const [header, row, end] = res.stdout.split('\n');
    expect(header.split('\t')).toEqual([
      'CoordinatorId',
      'TransactionalId',
      'ProducerId',
      'ProducerEpoch',
      'TransactionState',
      'TransactionTimeoutMs',
      'CurrentTransactionStartTimeMs',
      'TransactionDurationMs',
      'TopicPartitions',
      '',
    ]);
    const cells = row.split('\t').map((c) => c.trimEnd());
    expect(cells.slice(0, 6)).toEqual(['0', 'pay-1', String(producerId), '0', 'Ongoing', '60000']);
    expect(Number(cells[6])).toBeGreaterThan(T0);
    expect(Number(cells[7])).toBeGreaterThanOrEqual(0);
    expect(cells[8]).toBe('payments-0');
    expect(end).toBe('');

    const unknown = await run('--bootstrap-server', broker!.bootstrap, 'describe', '--transactional-id', 'nobody');
    expect(unknown).toEqual({
      out: '',
      err: 'Failed to describe transaction state of transactional-id `nobody`: DescribeTransactions request for transactionalId `nobody` failed because the ID could not be found. Enable debug logging for additional detail.\n',
      code: 1,
    });
  });

  test('describe-producers: the open transaction\'s start offset; on an unknown partition, Kafka\'s error line', async () => {
    const res = await run('--bootstrap-server', broker!.bootstrap, 'describe-producers', '--topic', 'payments', '--partition', '0');
    expect(res.code).toBe(0);
    expect(res.out).toBe(
      prettyTable(['ProducerId', 'ProducerEpoch', 'LatestCoordinatorEpoch', 'LastSequence', 'LastTimestamp', 'CurrentTransactionStartOffset'], [[String(producerId), '0', '-1', '1', String(T0), '0']]),
    );
    const onBroker = await run('--bootstrap-server', broker!.bootstrap, 'describe-producers', '--topic', 'payments', '--partition', '0', '--broker-id', '0');
    expect(onBroker.out).toBe(res.out);
    const unknown = await run('--bootstrap-server', broker!.bootstrap, 'describe-producers', '--topic', 'payments', '--partition', '7');
    expect(unknown).toEqual({
      out: '',
      err: 'Failed to describe producers for partition payments-7 on leader: This server does not host this topic-partition.. Enable debug logging for additional detail.\n',
      code: 1,
    });
  });

  test('find-hanging: an open transaction its coordinator still tracks is not hanging; the scope is required', async () => {
    const res = await run('--bootstrap-server', broker!.bootstrap, 'find-hanging', '--topic', 'payments', '--max-transaction-timeout', '0');
    expect(res).toEqual({ out: 'Topic\tPartition\tProducerId\tProducerEpoch\tCoordinatorEpoch\tStartOffset\tLastTimestamp\tDuration(min)\t\n', err: '', code: 0 });
    const unscoped = await run('--bootstrap-server', broker!.bootstrap, 'find-hanging');
    expect(unscoped).toEqual({ out: '', err: 'The `find-hanging` command requires either --topic or --broker-id to limit the scope of the search\n', code: 1 });
  });

  test('find-hanging: a transaction its coordinator does not know is hanging until aborted with --producer-id', async () => {
    const created = await client.request(Apis.CreateTopics, 7, { topics: [{ name: 'ghosts', numPartitions: 1, replicationFactor: 1 }], timeoutMs: 5000 });
    expect(created.topics[0].errorCode).toBe(ErrorCode.NONE);
    const init = await client.request(Apis.InitProducerId, 4, { transactionalId: 'ghost', transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 });
    expect(init.errorCode).toBe(ErrorCode.NONE);
    const records = buildBatch([{ key: null, value: Buffer.from('boo'), timestamp: T0 }], {
      baseTimestamp: T0,
      producerId: init.producerId,
      producerEpoch: init.producerEpoch,
      baseSequence: 0,
      transactional: true,
    });
    const produced = await client.request(Apis.Produce, 9, { transactionalId: 'ghost', acks: -1, timeoutMs: 5000, topicData: [{ name: 'ghosts', partitionData: [{ index: 0, records }] }] });
    expect(produced.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NONE);

    const headers = ['Topic', 'Partition', 'ProducerId', 'ProducerEpoch', 'CoordinatorEpoch', 'StartOffset', 'LastTimestamp', 'Duration(min)'];
    const hanging = await run('--bootstrap-server', broker!.bootstrap, 'find-hanging', '--topic', 'ghosts', '--max-transaction-timeout', '0');
    expect(hanging).toEqual({ out: prettyTable(headers, [['ghosts', '0', String(init.producerId), '0', '-1', '0', String(T0), '0']]), err: '', code: 0 });
    const onBroker = await run('--bootstrap-server', broker!.bootstrap, 'find-hanging', '--broker-id', '0', '--max-transaction-timeout', '0');
    expect(onBroker.out).toBe(hanging.out);

    const aborted = await run('--bootstrap-server', broker!.bootstrap, 'abort', '--topic', 'ghosts', '--partition', '0', '--producer-id', String(init.producerId), '--producer-epoch', '0', '--coordinator-epoch', '-1');
    expect(aborted).toEqual({ out: '', err: '', code: 0 });
    expect((await run('--bootstrap-server', broker!.bootstrap, 'find-hanging', '--topic', 'ghosts', '--max-transaction-timeout', '0')).out).toBe(prettyTable(headers, []));
  });

  test('abort: Kafka\'s checks of the arguments, then an ABORT marker at the leader closes the transaction on the partition', async () => {
    const bootstrap = broker!.bootstrap;
    expect((await run('--bootstrap-server', bootstrap, 'abort', '--topic', 'payments', '--partition', '0')).err).toBe(
      'The transaction to abort must be identified either with --start-offset (for brokers on 3.0 or above) or with --producer-id, --producer-epoch, and --coordinator-epoch (for older brokers)\n',
    );
    expect((await run('--bootstrap-server', bootstrap, 'abort', '--topic', 'payments', '--partition', '0', '--producer-id', '5')).err).toBe('Missing required argument --producer-epoch\n');
    expect((await run('--bootstrap-server', bootstrap, 'abort', '--topic', 'payments', '--partition', '0', '--start-offset', '99')).err).toBe(
      'Could not find any open transactions starting at offset 99 on partition payments-0\n',
    );

    const aborted = await runTool('kafka-transactions', ['--bootstrap-server', bootstrap, 'abort', '--topic', 'payments', '--partition', '0', '--start-offset', '0']);
    expect(aborted).toEqual({ stdout: '', stderr: '', code: 0 });
    const after = await run('--bootstrap-server', bootstrap, 'describe-producers', '--topic', 'payments', '--partition', '0');
    expect(after.out.split('\n')[1].split('\t').map((c) => c.trimEnd())).toEqual([String(producerId), '0', '0', '1', expect.any(String), 'None', '']);
  });
});
