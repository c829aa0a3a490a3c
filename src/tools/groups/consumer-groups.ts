// kafka-consumer-groups.sh, following Kafka 3.9's ConsumerGroupCommand: --list (with --state),
// --describe (offsets, --members [--verbose], --state) of --group g... or --all-groups,
// --reset-offsets (dry run, --execute, --export), --delete and --delete-offsets, with Kafka's
// options, checks, tables and messages. As in Kafka, a failure met while acting on groups is
// printed on stdout as "Error: ..." and the exit code stays 0; usage errors exit 1.

import { ErrorCode, describeError, errorName } from '../../../protocol';
import { BrokerNotReachableError } from '../../client/cluster-client';
import { BOOTSTRAP_SERVER, connectCluster } from '../cluster-options';
import { OptionSpec, ParsedOptions, ToolCommand, ToolError, UsageError } from '../command-line';
import { TopicPartition } from '../../client/topic-partition';
import {
  MemberRow,
  PartitionRow,
  ResetRow,
  formatDeleteOffsets,
  formatGroupListing,
  formatMembers,
  formatOffsets,
  formatResetCsv,
  formatResetPlan,
  formatState,
} from './consumer-groups-format';
import { GroupAdmin, GroupDescription, LATEST, tpKey } from './group-admin';
import { stringOrder, topicPartitionOrder } from '../java-order';
import { KafkaApiError } from '../kafka-api-error';
import { PlannedOffset, RESET_SCENARIOS, partitionsOfTopicArgs, planOffsets, readResetFile } from './reset-offsets';

const OPTIONS: OptionSpec[] = [
  { ...BOOTSTRAP_SERVER, description: 'REQUIRED: The server(s) to connect to.' },
  { name: 'group', arg: 'String: consumer group', description: 'The consumer group we wish to act on.', repeatable: true },
  {
    name: 'topic',
    arg: 'String: topic',
    repeatable: true,
    description:
      "The topic whose consumer group information should be deleted or topic whose should be included in the reset offset process. In `reset-offsets` case, partitions can be specified using this format: `topic1:0,1,2`, where 0,1,2 are the partition to be included in the process. Reset-offsets also supports multiple topic inputs.",
  },
  { name: 'all-topics', description: 'Consider all topics assigned to a group in the `reset-offsets` process.' },
  { name: 'list', description: 'List all consumer groups.' },
  { name: 'describe', description: 'Describe consumer group and list offset lag (number of messages not yet processed) related to given group.' },
  { name: 'all-groups', description: 'Apply to all consumer groups.' },
  { name: 'delete', description: 'Pass in groups to delete topic partition offsets and ownership information over the entire consumer group. For instance --group g1 --group g2' },
  {
    name: 'timeout',
    arg: 'Long: timeout (ms)',
    defaultValue: '5000',
    description:
      'The timeout that can be set for some use cases. For example, it can be used when describing the group to specify the maximum amount of time in milliseconds to wait before the group stabilizes (when the group is just created, or is going through some changes).',
  },
  { name: 'command-config', arg: 'String: command config property file', description: 'Property file containing configs to be passed to Admin Client and Consumer.' },
  {
    name: 'reset-offsets',
    description:
      "Reset offsets of consumer group. Supports one consumer group at the time, and instances should be inactive\nHas 2 execution options: --dry-run (the default) to plan which offsets to reset, and --execute to update the offsets. Additionally, the --export option is used to export the results to a CSV format.\nYou must choose one of the following reset specifications: --to-datetime, --by-duration, --to-earliest, --to-latest, --shift-by, --from-file, --to-current, --to-offset.\nTo define the scope use --all-topics or --topic. One scope must be specified unless you use '--from-file'.",
  },
  { name: 'delete-offsets', description: 'Delete offsets of consumer group. Supports one consumer group at the time, and multiple topics.' },
  { name: 'dry-run', description: 'Only show results without executing changes on Consumer Groups. Supported operations: reset-offsets.' },
  { name: 'execute', description: 'Execute operation. Supported operations: reset-offsets.' },
  { name: 'export', description: 'Export operation execution to a CSV file. Supported operations: reset-offsets.' },
  { name: 'to-offset', arg: 'Long: offset', description: 'Reset offsets to a specific offset.' },
  { name: 'from-file', arg: 'String: path to CSV file', description: 'Reset offsets to values defined in CSV file.' },
  { name: 'to-datetime', arg: 'String: datetime', description: "Reset offsets to offset from datetime. Format: 'YYYY-MM-DDTHH:mm:SS.sss'" },
  { name: 'by-duration', arg: 'String: duration', description: "Reset offsets to offset by duration from current timestamp. Format: 'PnDTnHnMnS'" },
  { name: 'to-earliest', description: 'Reset offsets to earliest offset.' },
  { name: 'to-latest', description: 'Reset offsets to latest offset.' },
  { name: 'to-current', description: 'Reset offsets to current offset.' },
  { name: 'shift-by', arg: 'Long: number-of-offsets', description: "Reset offsets shifting current offset by 'n', where 'n' can be positive or negative." },
  {
    name: 'members',
    description: "Describe members of the group. This option may be used with '--describe' and '--bootstrap-server' options only.\nExample: --bootstrap-server localhost:9092 --describe --group group1 --members",
  },
  {
    name: 'verbose',
    description:
      "Provide additional information, if any, when describing the group. This option may be used with '--offsets'/'--members'/'--state' and '--bootstrap-server' options only.\nExample: --bootstrap-server localhost:9092 --describe --group group1 --members --verbose",
  },
  {
    name: 'offsets',
    description:
      "Describe the group and list all topic partitions in the group along with their offset lag. This is the default sub-action of and may be used with '--describe' and '--bootstrap-server' options only.\nExample: --bootstrap-server localhost:9092 --describe --group group1 --offsets",
  },
  {
    name: 'state',
    arg: 'String',
    optionalArg: true,
    description:
      "When specified with '--describe', includes the state of the group.\nExample: --bootstrap-server localhost:9092 --describe --group group1 --state\nWhen specified with '--list', it displays the state of all groups. It can also be used to list groups with specific states.\nExample: --bootstrap-server localhost:9092 --list --state stable,empty\nThis option may be used with '--describe', '--list' and '--bootstrap-server' options only.",
  },
];

export const command = new ToolCommand(
  'This tool helps to list all consumer groups, describe a consumer group, delete consumer group info, or reset consumer group offsets.',
  OPTIONS,
);

const ACTIONS = ['list', 'describe', 'delete', 'reset-offsets', 'delete-offsets'];
const VALID_STATES = ['PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead', 'Empty', 'Assigning', 'Reconciling'];

/** Kafka's checkArgs, in its order and words. */
export function checkArgs(o: ParsedOptions): void {
  if (!o.has('bootstrap-server')) throw new UsageError('Missing required argument "[bootstrap-server]"');
  const invalid = (used: string, others: readonly string[]) => {
    for (const other of others) if (o.has(other)) throw new UsageError(`Option "[${used}]" can't be used with option "[${other}]"`);
  };
  for (const [option, needs] of [
    ['members', ['describe']],
    ['verbose', ['describe']],
    ['offsets', ['describe']],
    ['state', ['describe', 'list']],
  ] as const) {
    if (o.has(option) && !needs.some((n) => o.has(n))) throw new UsageError(`Option ${option} is unavailable given other options on the command line`);
  }
  if (o.has('describe')) {
    if (!o.has('group') && !o.has('all-groups')) throw new UsageError('Option [describe] takes one of these options: [all-groups], [group]');
    if (['members', 'offsets', 'state'].filter((x) => o.has(x)).length > 1) throw new UsageError('Option [describe] takes at most one of these options: [members], [offsets], [state]');
    if (o.has('state') && o.value('state') !== undefined) throw new UsageError('Option [describe] does not take a value for [state]');
  }
  if (o.has('delete')) {
    if (!o.has('group') && !o.has('all-groups')) throw new UsageError('Option [delete] takes one of these options: [all-groups], [group]');
    if (o.has('topic')) throw new UsageError('The consumer does not support topic-specific offset deletion from a consumer group.');
  }
  if (o.has('delete-offsets') && (!o.has('group') || !o.has('topic'))) throw new UsageError('Option [delete-offsets] takes the following options: [topic], [group]');
  if (o.has('reset-offsets')) {
    if (o.has('dry-run') && o.has('execute')) throw new UsageError('Option [reset-offsets] only accepts one of [execute] and [dry-run]');
    if (!o.has('dry-run') && !o.has('execute')) {
      process.stderr.write(
        'WARN: No action will be performed as the --execute option is missing.In a future major release, the default behavior of this command will be to prompt the user before executing the reset rather than doing a dry run. You should add the --dry-run option explicitly if you are scripting this command and want to keep the current default behavior without prompting.\n',
      );
    }
    if (!o.has('group') && !o.has('all-groups')) throw new UsageError('Option [reset-offsets] takes one of these options: [all-groups], [group]');
    for (const scenario of RESET_SCENARIOS) if (o.has(scenario)) invalid(scenario, RESET_SCENARIOS.filter((s) => s !== scenario));
  }
  if (o.has('group')) invalid('group', ['all-groups', 'list']);
  if (o.has('topic')) invalid('topic', ['list', 'describe']);
  if (ACTIONS.filter((a) => o.has(a)).length !== 1) throw new UsageError(`Command must include exactly one action: ${ACTIONS.map((a) => `--${a}`).join(', ')}`);
}

/** "stable,empty" into Kafka's state names; an unknown one is a usage error listing the valid ones. */
export function parseStates(input: string): string[] {
  const states = input.split(',').map((s) => VALID_STATES.find((v) => v.toLowerCase() === s.trim().toLowerCase()));
  if (states.some((s) => s === undefined)) throw new UsageError(`Invalid state list '${input}'. Valid states are: ${VALID_STATES.join(', ')}`);
  return [...new Set(states as string[])];
}

const printError = (message: string) => process.stdout.write(`\nError: ${message}\n`);

export async function main(options: ParsedOptions): Promise<number> {
  checkArgs(options);
  const timeout = options.int('timeout')!;
  const states = options.has('list') && options.value('state') ? parseStates(options.value('state')!) : [];
  let client;
  try {
    client = await connectCluster(options, 'kafka-consumer-groups', 'command-config', new Map([['default.api.timeout.ms', String(timeout)]]));
  } catch (err) {
    if (err instanceof BrokerNotReachableError) throw new ToolError(err.message);
    throw err;
  }
  const admin = new GroupAdmin(client, (line) => process.stderr.write(`${line}\n`));
  try {
    if (options.has('list')) await listGroups(admin, options, states);
    else if (options.has('describe')) await describeGroups(admin, options);
    else if (options.has('delete')) await deleteGroups(admin, options);
    else if (options.has('reset-offsets')) await resetOffsets(admin, options);
    else await deleteOffsets(admin, options);
  } catch (err) {
    if (err instanceof UsageError || err instanceof ToolError) throw err;
    if (err instanceof BrokerNotReachableError) throw new ToolError(err.message);
    printError(`Executing consumer group command failed due to ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    client.close();
  }
  return 0;
}

async function listGroups(admin: GroupAdmin, options: ParsedOptions, states: string[]): Promise<void> {
  const groups = await admin.listGroups(states);
  if (options.has('state')) process.stdout.write(formatGroupListing(groups));
  else process.stdout.write(groups.map((g) => `${g.groupId}\n`).join(''));
}

async function groupIds(admin: GroupAdmin, options: ParsedOptions): Promise<string[]> {
  return options.has('all-groups') ? (await admin.listGroups()).map((g) => g.groupId) : options.all('group');
}

/** Kafka's shouldPrintMemberState: messages for a dead, empty or rebalancing group; whether to print its table. */
function shouldPrint(group: string, state: string, rows: number): boolean {
  switch (state) {
    case 'Dead':
      printError(`Consumer group '${group}' does not exist.`);
      break;
    case 'Empty':
      process.stderr.write(`\nConsumer group '${group}' has no active members.\n`);
      break;
    case 'PreparingRebalance':
    case 'CompletingRebalance':
    case 'Assigning':
    case 'Reconciling':
      process.stderr.write(`\nWarning: Consumer group '${group}' is rebalancing.\n`);
      break;
    case 'Stable':
      break;
    default:
      throw new Error(`Expected a valid consumer group state, but found '${state}'.`);
  }
  return state !== 'Dead' && rows > 0;
}

async function describeGroups(admin: GroupAdmin, options: ParsedOptions): Promise<void> {
  const ids = [...new Set(await groupIds(admin, options))].sort();
  const descriptions: GroupDescription[] = [];
  for (const id of ids) descriptions.push(await admin.describeGroup(id));
  for (const d of descriptions) {
    if (options.has('members')) {
      const rows: MemberRow[] = d.members.map((m) => ({
        group: d.groupId,
        consumerId: m.consumerId,
        groupInstanceId: m.groupInstanceId ?? '',
        host: m.host,
        clientId: m.clientId,
        assignment: m.assignment,
      }));
      if (shouldPrint(d.groupId, d.state, rows.length)) process.stdout.write(formatMembers(rows, options.has('verbose')));
    } else if (options.has('state')) {
      if (shouldPrint(d.groupId, d.state, 1)) {
        process.stdout.write(
          formatState({
            group: d.groupId,
            coordinator: `${d.coordinator.host}:${d.coordinator.port}  (${d.coordinator.nodeId})`,
            assignmentStrategy: d.partitionAssignor,
            state: d.state,
            members: d.members.length,
          }),
        );
      }
    } else {
      const rows = await offsetRows(admin, d);
      if (shouldPrint(d.groupId, d.state, rows.length)) process.stdout.write(formatOffsets(rows));
    }
  }
}

/** The offsets view's rows: members with partitions (most partitions first), then committed partitions no member owns. */
async function offsetRows(admin: GroupAdmin, d: GroupDescription): Promise<PartitionRow[]> {
  const committed = await admin.committedOffsets(d.groupId);
  const owned = [...d.members].filter((m) => m.assignment.length > 0).sort((a, b) => b.assignment.length - a.assignment.length);
  const assigned = new Set(owned.flatMap((m) => m.assignment.map(tpKey)));
  const unowned = [...committed.values()].map((c) => c.tp).filter((tp) => !assigned.has(tpKey(tp)));
  const groups: { tps: TopicPartition[]; consumerId: string; host: string; clientId: string }[] = owned.map((m) => ({ tps: m.assignment, consumerId: m.consumerId, host: m.host, clientId: m.clientId }));
  if (unowned.length > 0) groups.push({ tps: unowned, consumerId: '-', host: '-', clientId: '-' });
  const ends = await admin.listOffsets(groups.flatMap((g) => g.tps), LATEST);
  const rows: PartitionRow[] = [];
  for (const g of groups) {
    const sorted = [...g.tps].sort((a, b) => a.partition - b.partition);
    for (const tp of topicPartitionOrder(sorted)) {
      const offset = committed.get(tpKey(tp))?.offset;
      const logEndOffset = ends.get(tpKey(tp));
      const lag = offset !== undefined && offset !== -1n && logEndOffset !== undefined ? logEndOffset - offset : undefined;
      rows.push({ group: d.groupId, topic: tp.topic, partition: tp.partition, offset, logEndOffset, lag, consumerId: g.consumerId, host: g.host, clientId: g.clientId });
    }
  }
  return rows;
}

async function deleteGroups(admin: GroupAdmin, options: ParsedOptions): Promise<void> {
  const results = await admin.deleteGroups(await groupIds(admin, options));
  const succeeded = stringOrder([...results].filter(([, code]) => code === ErrorCode.NONE).map(([g]) => g));
  const failed = stringOrder([...results].filter(([, code]) => code !== ErrorCode.NONE).map(([g]) => g));
  if (failed.length === 0) {
    process.stdout.write(`Deletion of requested consumer groups ('${succeeded.join(', ')}') was successful.\n`);
    return;
  }
  printError('Deletion of some consumer groups failed:');
  for (const g of failed) process.stdout.write(`* Group '${g}' could not be deleted due to: java.util.concurrent.ExecutionException: ${describeError(results.get(g)!)}\n`);
  if (succeeded.length > 0) process.stdout.write(`\nThese consumer groups were deleted successfully: '${succeeded.join("'")}', '\n`);
}

async function resetOffsets(admin: GroupAdmin, options: ParsedOptions): Promise<void> {
  const ids = await groupIds(admin, options);
  const singleGroup = options.all('group').length === 1 ? options.all('group')[0] : undefined;
  const filePlan = options.has('from-file') ? readResetFile(options.required('from-file'), singleGroup) : undefined;
  const execute = options.has('execute');
  const planned = new Map<string, PlannedOffset[]>();
  for (const groupId of stringOrder([...new Set(ids)])) {
    const d = await admin.describeGroup(groupId);
    if (d.state !== 'Empty' && d.state !== 'Dead') {
      printError(`Assignments can only be reset if the group '${groupId}' is inactive, but the current state is ${d.state}.`);
      planned.set(groupId, []);
      continue;
    }
    let partitions: TopicPartition[] = [];
    if (options.has('all-topics')) partitions = [...(await admin.committedOffsets(groupId)).values()].map((c) => c.tp);
    else if (options.has('topic')) partitions = await partitionsOfTopicArgs(admin, options.all('topic'));
    else if (!options.has('from-file')) throw new UsageError('One of the reset scopes should be defined: --all-topics, --topic.');
    const offsets = await planOffsets(
      admin,
      options,
      groupId,
      partitions,
      filePlan,
      (line) => process.stderr.write(`WARN ${line}\n`),
      (text) => process.stdout.write(text),
    );
    if (execute) await admin.alterOffsets(groupId, offsets);
    planned.set(groupId, offsets);
  }
  const rows: ResetRow[] = [];
  for (const [group, offsets] of planned) {
    const byKey = new Map(offsets.map((o) => [tpKey(o.tp), o]));
    for (const tp of topicPartitionOrder(offsets.map((o) => o.tp))) rows.push({ group, tp, offset: byKey.get(tpKey(tp))!.offset });
  }
  if (options.has('export')) process.stdout.write(`${formatResetCsv(rows, singleGroup === undefined)}\n`);
  else process.stdout.write(formatResetPlan(planned.size, rows));
}

async function deleteOffsets(admin: GroupAdmin, options: ParsedOptions): Promise<void> {
  const groupId = options.value('group')!;
  const topics = options.all('topic');
  const statuses = new Map<string, { topic: string; partition: number; status: string }>();
  const partitions: TopicPartition[] = [];
  for (const arg of topics) {
    if (arg.includes(':')) {
      partitions.push(...(await partitionsOfTopicArgs(admin, [arg])));
      continue;
    }
    try {
      partitions.push(...(await admin.partitionsOf([arg])));
    } catch (err) {
      if (!(err instanceof KafkaApiError)) throw err;
      statuses.set(`${arg}-1`, { topic: arg, partition: -1, status: `Error: ${err.toString()}` });
    }
  }
  const unique = [...new Map(partitions.map((tp) => [tpKey(tp), tp])).values()];
  const { error, partitions: results } = unique.length > 0 ? await admin.deleteOffsets(groupId, unique) : { error: ErrorCode.NONE, partitions: new Map<string, number>() };
  const partitionError = (tp: TopicPartition) => (error !== ErrorCode.NONE ? error : (results.get(tpKey(tp)) ?? ErrorCode.NONE));
  const firstError = error !== ErrorCode.NONE ? error : (unique.map(partitionError).find((c) => c !== ErrorCode.NONE) ?? ErrorCode.NONE);
  switch (firstError) {
    case ErrorCode.NONE:
      process.stdout.write(`Request succeed for deleting offsets with topic ${topics.join(', ')} group ${groupId}\n`);
      break;
    case ErrorCode.INVALID_GROUP_ID:
      printError(`'${groupId}' is not valid.`);
      break;
    case ErrorCode.GROUP_ID_NOT_FOUND:
      printError(`'${groupId}' does not exist.`);
      break;
    case ErrorCode.GROUP_AUTHORIZATION_FAILED:
      printError(`Access to '${groupId}' is not authorized.`);
      break;
    case ErrorCode.NON_EMPTY_GROUP:
      printError(`Deleting offsets of a consumer group '${groupId}' is forbidden if the group is not empty.`);
      break;
    case ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC:
    case ErrorCode.TOPIC_AUTHORIZATION_FAILED:
    case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
      printError('Encounter some partition level error, see the follow-up details:');
      break;
    default:
      // Kafka prints the Errors constant here, e.g. COORDINATOR_NOT_AVAILABLE.
      printError(`Encounter some unknown error: ${errorName(firstError)}`);
  }
  for (const tp of unique) {
    const code = partitionError(tp);
    statuses.set(`${tp.topic}${tp.partition}`, {
      topic: tp.topic,
      partition: tp.partition,
      status: code === ErrorCode.NONE ? 'Successful' : `Error: ${describeError(code)}`,
    });
  }
  const rows = [...statuses].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
  process.stdout.write(formatDeleteOffsets(rows));
}
