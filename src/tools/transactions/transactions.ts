// kafka-transactions.sh, after Kafka 3.9's TransactionsCommand: list, describe, describe-producers, abort
// and find-hanging, with Kafka's tables (every cell padded to its column and followed by a tab, "None"
// for an absent value) and its "<what failed>: <cause>. Enable debug logging for additional detail." errors.
import { existsSync } from 'node:fs';
import { ClusterClient } from '../../client/cluster-client';
import { OptionSpec, ParsedOptions } from '../command-line';
import { BOOTSTRAP_SERVER, COMMAND_CONFIG, connectCluster } from '../cluster-options';
import { ArgumentError, ArgumentParser, HelpRequested, ParsedArgs, VersionRequested } from './arguments';
import { findHanging } from './find-hanging';
import { AbortSpec, TransactionDescription, abortSpecText, abortTransaction, describeProducers, describeTransaction, listTransactions } from './transactions-admin';
import { CommandFailure, Out, failure, prettyTable } from './transactions-output';

export const parser = new ArgumentParser(
  'This tool is used to analyze the transactional state of producers in the cluster. It can be used to detect and recover from hanging transactions.',
  [
    { name: '--version', alias: '-v', help: 'show the version of this Kafka distribution and exit' },
    { name: '--command-config', help: 'property file containing configs to be passed to admin client', metavar: 'FILE', type: 'string' },
    {
      name: '--bootstrap-server',
      help: 'hostname and port for the broker to connect to, in the form `host:port`  (multiple comma-separated entries can be given)',
      metavar: 'host:port',
      type: 'string',
      required: true,
    },
  ],
  [
    { name: 'list', help: 'list transactions', args: [] },
    {
      name: 'describe',
      help: 'describe the state of an active transactional-id',
      description: 'Describe the state of an active transactional-id.',
      args: [{ name: '--transactional-id', help: 'transactional id', type: 'string', required: true }],
    },
    {
      name: 'describe-producers',
      help: 'describe the states of active producers for a topic partition',
      args: [
        { name: '--broker-id', help: 'optional broker id to describe the producer state on a specific replica', type: 'int' },
        { name: '--topic', help: 'topic name', type: 'string', required: true },
        { name: '--partition', help: 'partition number', type: 'int', required: true },
      ],
    },
    {
      name: 'abort',
      help: 'abort a hanging transaction (requires administrative privileges)',
      args: [
        { name: '--topic', help: 'topic name', type: 'string', required: true },
        { name: '--partition', help: 'partition number', type: 'int', required: true },
        { name: '--start-offset', help: 'start offset of the transaction to abort', type: 'long' },
        { name: '--producer-id', help: 'producer id', type: 'long' },
        { name: '--producer-epoch', help: 'producer epoch', type: 'int' },
        { name: '--coordinator-epoch', help: 'coordinator epoch', type: 'int' },
      ],
      groups: [
        { title: 'Brokers on versions 3.0 and above', description: 'For newer brokers, only the start offset of the transaction to be aborted is required', args: ['--start-offset'] },
        {
          title: 'Brokers on versions older than 3.0',
          description: 'For older brokers, you must provide all of these arguments',
          args: ['--producer-id', '--producer-epoch', '--coordinator-epoch'],
        },
      ],
    },
    {
      name: 'find-hanging',
      help: 'find hanging transactions',
      args: [
        { name: '--broker-id', help: 'broker id to search for hanging transactions', type: 'int' },
        { name: '--max-transaction-timeout', help: 'maximum transaction timeout in minutes to limit the scope of the search', type: 'int', defaultValue: '15' },
        { name: '--topic', help: 'topic name to limit search to', type: 'string' },
        { name: '--partition', help: 'partition number', type: 'int' },
      ],
    },
  ],
);

async function list(client: ClusterClient, out: Out): Promise<void> {
  let byBroker;
  try {
    byBroker = await listTransactions(client);
  } catch (err) {
    throw failure('Failed to list transactions', err);
  }
  const rows = [...byBroker].flatMap(([broker, listings]) => listings.map((l) => [l.transactionalId, String(broker), String(l.producerId), l.state]));
  out(prettyTable(['TransactionalId', 'Coordinator', 'ProducerId', 'TransactionState'], rows));
}

async function describe(client: ClusterClient, args: ParsedArgs, out: Out, now: () => number): Promise<void> {
  const transactionalId = args.values.get('--transactional-id')!;
  let d: TransactionDescription;
  try {
    d = await describeTransaction(client, transactionalId);
  } catch (err) {
    throw failure(`Failed to describe transaction state of transactional-id \`${transactionalId}\``, err);
  }
  const start = d.transactionStartTimeMs;
  const row = [
    String(d.coordinatorId),
    transactionalId,
    String(d.producerId),
    String(d.producerEpoch),
    d.state,
    String(d.transactionTimeoutMs),
    start === null ? 'None' : String(start),
    start === null ? 'None' : String(now() - start),
    d.topicPartitions.join(','),
  ];
  out(
    prettyTable(
      ['CoordinatorId', 'TransactionalId', 'ProducerId', 'ProducerEpoch', 'TransactionState', 'TransactionTimeoutMs', 'CurrentTransactionStartTimeMs', 'TransactionDurationMs', 'TopicPartitions'],
      [row],
    ),
  );
}

async function describeProducersCommand(client: ClusterClient, args: ParsedArgs, out: Out): Promise<void> {
  const topic = args.values.get('--topic')!;
  const partition = Number(args.values.get('--partition'));
  const brokerId = args.values.has('--broker-id') ? Number(args.values.get('--broker-id')) : null;
  let producers;
  try {
    producers = (await describeProducers(client, [{ topic, partition }], brokerId)).get(`${topic}-${partition}`) ?? [];
  } catch (err) {
    throw failure(`Failed to describe producers for partition ${topic}-${partition} on ${brokerId === null ? 'leader' : `broker ${brokerId}`}`, err);
  }
  const rows = producers.map((p) => [
    String(p.producerId),
    String(p.producerEpoch),
    String(p.coordinatorEpoch ?? -1),
    String(p.lastSequence),
    String(p.lastTimestamp),
    p.currentTransactionStartOffset === null ? 'None' : String(p.currentTransactionStartOffset),
  ]);
  out(prettyTable(['ProducerId', 'ProducerEpoch', 'LatestCoordinatorEpoch', 'LastSequence', 'LastTimestamp', 'CurrentTransactionStartOffset'], rows));
}

async function abortSpecFromStartOffset(client: ClusterClient, topic: string, partition: number, startOffset: number): Promise<AbortSpec> {
  let producers;
  try {
    producers = (await describeProducers(client, [{ topic, partition }], null)).get(`${topic}-${partition}`) ?? [];
  } catch (err) {
    throw failure(`Failed to validate producer state for partition ${topic}-${partition}`, err);
  }
  const found = producers.find((p) => p.currentTransactionStartOffset === startOffset);
  if (found === undefined) throw new CommandFailure(`Could not find any open transactions starting at offset ${startOffset} on partition ${topic}-${partition}`);
  return { topic, partition, producerId: found.producerId, producerEpoch: found.producerEpoch, coordinatorEpoch: found.coordinatorEpoch ?? 0 };
}

async function abort(client: ClusterClient, args: ParsedArgs): Promise<void> {
  const v = args.values;
  const topic = v.get('--topic')!;
  const partition = Number(v.get('--partition'));
  if (!v.has('--start-offset') && !v.has('--producer-id')) {
    throw new CommandFailure(
      'The transaction to abort must be identified either with --start-offset (for brokers on 3.0 or above) or with --producer-id, --producer-epoch, and --coordinator-epoch (for older brokers)',
    );
  }
  let spec: AbortSpec;
  if (!v.has('--start-offset')) {
    if (!v.has('--producer-epoch')) throw new CommandFailure('Missing required argument --producer-epoch');
    if (!v.has('--coordinator-epoch')) throw new CommandFailure('Missing required argument --coordinator-epoch');
    // A transaction that hung before its producer's first marker shows coordinator epoch -1; 0 is at most any real epoch.
    const coordinatorEpoch = Math.max(0, Number(v.get('--coordinator-epoch')));
    spec = { topic, partition, producerId: BigInt(v.get('--producer-id')!), producerEpoch: Number(v.get('--producer-epoch')), coordinatorEpoch };
  } else {
    spec = await abortSpecFromStartOffset(client, topic, partition, Number(v.get('--start-offset')));
  }
  try {
    await abortTransaction(client, spec);
  } catch (err) {
    throw failure(`Failed to abort transaction ${abortSpecText(spec)}`, err);
  }
}

const CLUSTER_SPECS: ReadonlyMap<string, OptionSpec> = new Map([
  [BOOTSTRAP_SERVER.name, BOOTSTRAP_SERVER],
  [COMMAND_CONFIG.name, COMMAND_CONFIG],
]);

function clusterOptions(args: ParsedArgs): ParsedOptions {
  const values = new Map<string, string[]>();
  for (const name of CLUSTER_SPECS.keys()) {
    const value = args.values.get(`--${name}`);
    if (value !== undefined) values.set(name, [value]);
  }
  return new ParsedOptions(values, CLUSTER_SPECS);
}

/** buildAdminClient's failure to load --command-config, in Java's words for a missing file. */
function checkCommandConfig(path: string | undefined): void {
  if (path === undefined || existsSync(path)) return;
  throw new CommandFailure(`Failed to load admin client properties: ${path} (No such file or directory). Enable debug logging for additional detail.`);
}

export interface Io {
  out: Out;
  err: Out;
  now: () => number;
}

/** Runs the tool; returns the exit code. */
export async function runTransactions(argv: readonly string[], io: Io): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parser.parse(argv);
  } catch (err) {
    if (err instanceof HelpRequested) {
      io.out(parser.help(err.subcommand));
      return 0;
    }
    if (err instanceof VersionRequested) {
      io.out('3.9.0 (kafka-ts)\n');
      return 0;
    }
    if (err instanceof ArgumentError) {
      io.err(`${parser.usage(err.subcommand)}kafka-transactions.sh: error: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  let client: ClusterClient | undefined;
  try {
    checkCommandConfig(args.values.get('--command-config'));
    client = await connectCluster(clusterOptions(args), 'kafka-transactions');
    switch (args.command) {
      case 'list':
        await list(client, io.out);
        break;
      case 'describe':
        await describe(client, args, io.out, io.now);
        break;
      case 'describe-producers':
        await describeProducersCommand(client, args, io.out);
        break;
      case 'abort':
        await abort(client, args);
        break;
      default:
        await findHanging(client, args, io.out, io.now);
    }
    return 0;
  } catch (err) {
    io.err(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    client?.close();
  }
}

export async function main(): Promise<void> {
  process.exitCode = await runTransactions(process.argv.slice(2), {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    now: () => Date.now(),
  });
}
