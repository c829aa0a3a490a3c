// kafka-reassign-partitions.sh, after Kafka 3.9's ReassignPartitionsCommand: --generate proposes an
// assignment (AdminUtils' placement), --execute starts reassignments and log-dir moves (with optional
// throttles), --verify reports their progress and clears the throttles once done, --cancel stops them,
// --list shows those under way. Messages and JSON are Kafka's; like Kafka, failures go to stdout.
import { ClusterClient } from '../../client/cluster-client';
import { OptionSpec, ParsedOptions, ToolCommand, UsageError } from '../command-line';
import { COMMAND_CONFIG, connectCluster } from '../cluster-options';
import { listReassignments } from './reassign-admin';
import { Out } from './reassign-common';
import { execute } from './reassign-execute';
import { generate } from './reassign-generate';
import { cancel, verify } from './reassign-verify';
import { tpName } from '../../client/topic-partition';
import { TerseError, compareTopicPartitions } from './reassignment-json';

const ACTIONS = ['generate', 'execute', 'verify', 'cancel', 'list'] as const;
type Action = (typeof ACTIONS)[number];

const OPTIONS: OptionSpec[] = [
  {
    name: 'verify',
    description:
      'Verify if the reassignment completed as specified by the --reassignment-json-file option. If there is a throttle engaged for the replicas specified, and the rebalance has completed, the throttle will be removed',
  },
  { name: 'generate', description: 'Generate a candidate partition reassignment configuration. Note that this only generates a candidate assignment, it does not execute it.' },
  { name: 'execute', description: 'Kick off the reassignment as specified by the --reassignment-json-file option.' },
  { name: 'cancel', description: 'Cancel an active reassignment.' },
  { name: 'list', description: 'List all active partition reassignments.' },
  { name: 'bootstrap-server', arg: 'String: Server(s) to use for bootstrapping', description: 'REQUIRED: the server(s) to use for bootstrapping.' },
  { ...COMMAND_CONFIG, arg: 'String: Admin client property file' },
  {
    name: 'reassignment-json-file',
    arg: 'String: manual assignment json file path',
    description:
      'The JSON file with the partition reassignment configurationThe format to use is - \n{"partitions":\n\t[{"topic": "foo",\n\t  "partition": 1,\n\t  "replicas": [1,2,3],\n\t  "log_dirs": ["dir1","dir2","dir3"] }],\n"version":1\n}\nNote that "log_dirs" is optional. When it is specified, its length must equal the length of the replicas list. The value in this list can be either "any" or the absolution path of the log directory on the broker. If absolute log directory path is specified, the replica will be moved to the specified log directory on the broker.',
  },
  {
    name: 'topics-to-move-json-file',
    arg: 'String: topics to reassign json file path',
    description:
      'Generate a reassignment configuration to move the partitions of the specified topics to the list of brokers specified by the --broker-list option. The format to use is - \n{"topics":\n\t[{"topic": "foo"},{"topic": "foo1"}],\n"version":1\n}',
  },
  {
    name: 'broker-list',
    arg: 'String: brokerlist',
    description: 'The list of brokers to which the partitions need to be reassigned in the form "0,1,2". This is required if --topics-to-move-json-file is used to generate reassignment configuration',
  },
  { name: 'disable-rack-aware', description: 'Disable rack aware replica assignment' },
  {
    name: 'throttle',
    arg: 'Long: throttle',
    description:
      'The movement of partitions between brokers will be throttled to this value (bytes/sec). This option can be included with --execute when a reassignment is started, and it can be altered by resubmitting the current reassignment along with the --additional flag. The throttle rate should be at least 1 KB/s.',
    defaultValue: '-1',
  },
  {
    name: 'replica-alter-log-dirs-throttle',
    arg: 'Long: replicaAlterLogDirsThrottle',
    description:
      'The movement of replicas between log directories on the same broker will be throttled to this value (bytes/sec). This option can be included with --execute when a reassignment is started, and it can be altered by resubmitting the current reassignment along with the --additional flag. The throttle rate should be at least 1 KB/s.',
    defaultValue: '-1',
  },
  { name: 'timeout', arg: 'Long: timeout', description: 'The maximum time in ms to wait for log directory replica assignment to begin.', defaultValue: '10000' },
  { name: 'additional', description: 'Execute this reassignment in addition to any other ongoing ones. This option can also be used to change the throttle of an ongoing reassignment.' },
  { name: 'preserve-throttles', description: 'Do not modify broker or topic throttles.' },
];

export const command = new ToolCommand('This tool helps to move topic partitions between replicas.', OPTIONS);

const REQUIRED: Record<Action, string[]> = {
  verify: ['reassignment-json-file'],
  generate: ['topics-to-move-json-file', 'broker-list'],
  execute: ['reassignment-json-file'],
  cancel: ['reassignment-json-file'],
  list: [],
};

const PERMITTED: Record<Action, string[]> = {
  verify: ['bootstrap-server', 'command-config', 'preserve-throttles'],
  generate: ['bootstrap-server', 'broker-list', 'command-config', 'disable-rack-aware'],
  execute: ['additional', 'bootstrap-server', 'command-config', 'throttle', 'replica-alter-log-dirs-throttle', 'timeout'],
  cancel: ['bootstrap-server', 'command-config', 'preserve-throttles', 'timeout'],
  list: ['bootstrap-server', 'command-config'],
};

/** validateAndParseArgs: exactly one action, its required options, and no option it does not take. */
export function validateArgs(options: ParsedOptions, given: readonly string[]): Action {
  const actions = ACTIONS.filter((a) => options.has(a));
  if (actions.length !== 1) throw new UsageError(`Command must include exactly one action: ${ACTIONS.map((a) => `--${a}`).join(', ')}`);
  const action = actions[0];
  options.required('bootstrap-server');
  for (const name of REQUIRED[action]) options.required(name);
  for (const name of given) {
    if (name !== action && !REQUIRED[action].includes(name) && !PERMITTED[action].includes(name)) {
      throw new UsageError(`Option "[${name}]" can't be used with action "[${action}]"`);
    }
  }
  return action;
}

/** The long options on the command line, in order (jopt-simple's OptionSet.specs()). */
function givenOptions(argv: readonly string[]): string[] {
  const names = argv.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')[0]);
  return [...new Set(names)];
}

async function list(client: ClusterClient, out: Out): Promise<void> {
  const ongoing = (await listReassignments(client)).sort(compareTopicPartitions);
  if (ongoing.length === 0) {
    out('No partition reassignments found.\n');
    return;
  }
  const lines = ongoing.map(
    (r) =>
      `${tpName(r)}: replicas: ${r.replicas.join(',')}.` +
      (r.addingReplicas.length > 0 ? ` adding: ${r.addingReplicas.join(',')}.` : '') +
      (r.removingReplicas.length > 0 ? ` removing: ${r.removingReplicas.join(',')}.` : ''),
  );
  out(`Current partition reassignments:\n${lines.join('\n')}\n`);
}

/** Runs the validated action; failures are printed on stdout as Kafka prints them. Returns the exit code. */
export async function runReassign(options: ParsedOptions, argv: readonly string[], out: Out): Promise<number> {
  const action = validateArgs(options, givenOptions(argv));
  let client: ClusterClient | undefined;
  try {
    client = await connectCluster(options, 'reassign-partitions-tool');
    if (action === 'generate') await generate(client, options, out);
    else if (action === 'execute') await execute(client, options, out);
    else if (action === 'verify') await verify(client, options, out);
    else if (action === 'cancel') await cancel(client, options, out);
    else await list(client, out);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    out(err instanceof TerseError ? `${err.message}\n` : `Error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    client?.close();
  }
}

export async function main(options: ParsedOptions): Promise<number> {
  return runReassign(options, process.argv.slice(2), (t) => process.stdout.write(t));
}
