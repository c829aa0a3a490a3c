// kafka-topics.sh's command line, as Kafka 3.9's TopicCommand declares and checks it: the options
// with their descriptions, exactly one action, and the combinations it refuses.

import { TOPIC_CONFIGS } from '../../cluster/topic-configs';
import { OptionSpec, ParsedOptions, ToolCommand, UsageError } from '../command-line';
import { BOOTSTRAP_SERVER } from '../cluster-options';

const CONFIGS_CLI = ' (the kafka-configs CLI supports altering topic configs with a --bootstrap-server option)';

const OPTIONS: OptionSpec[] = [
  BOOTSTRAP_SERVER,
  {
    name: 'command-config',
    arg: 'String: command config property file',
    description: 'Property file containing configs to be passed to Admin Client. This is used only with --bootstrap-server option for describing and altering broker configs.',
  },
  { name: 'list', description: 'List all available topics.' },
  { name: 'create', description: 'Create a new topic.' },
  { name: 'delete', description: 'Delete a topic' },
  { name: 'alter', description: `Alter the number of partitions and replica assignment. Update the configuration of an existing topic via --alter is no longer supported here${CONFIGS_CLI}.` },
  { name: 'describe', description: 'List details for the given topics.' },
  { name: 'topic', arg: 'String: topic', description: 'The topic to create, alter, describe or delete. It also accepts a regular expression, except for --create option. Put topic name in double quotes and use the \'\\\' prefix to escape regular expression symbols; e.g. "test\\.topic".' },
  { name: 'topic-id', arg: 'String: topic-id', description: 'The topic-id to describe.This is used only with --bootstrap-server option for describing topics.' },
  {
    name: 'config',
    arg: 'String: name=value',
    repeatable: true,
    description:
      'A topic configuration override for the topic being created or altered. The following is a list of valid configurations: \n' +
      Object.keys(TOPIC_CONFIGS)
        .sort()
        .map((name) => `\t${name}`)
        .join('\n') +
      `\nSee the Kafka documentation for full details on the topic configs. It is supported only in combination with --create if --bootstrap-server option is used${CONFIGS_CLI}.`,
  },
  {
    name: 'delete-config',
    arg: 'String: name',
    repeatable: true,
    description: 'A topic configuration override to be removed for an existing topic (see the list of configurations under the --config option). Not supported with the --bootstrap-server option.',
  },
  {
    name: 'partitions',
    arg: 'Integer: # of partitions',
    description: 'The number of partitions for the topic being created or altered (WARNING: If partitions are increased for a topic that has a key, the partition logic or ordering of the messages will be affected). If not supplied for create, defaults to the cluster default.',
  },
  {
    name: 'replication-factor',
    arg: 'Integer: replication factor',
    description: 'The replication factor for each partition in the topic being created. If not supplied, defaults to the cluster default.',
  },
  {
    name: 'replica-assignment',
    arg: 'String: broker_id_for_part1_replica1 : broker_id_for_part1_replica2 , broker_id_for_part2_replica1 : broker_id_for_part2_replica2 , ...',
    description: 'A list of manual partition-to-broker assignments for the topic being created or altered.',
  },
  { name: 'under-replicated-partitions', description: 'if set when describing topics, only show under replicated partitions' },
  { name: 'unavailable-partitions', description: 'if set when describing topics, only show partitions whose leader is not available' },
  { name: 'under-min-isr-partitions', description: 'if set when describing topics, only show partitions whose isr count is less than the configured minimum.' },
  { name: 'at-min-isr-partitions', description: 'if set when describing topics, only show partitions whose isr count is equal to the configured minimum.' },
  { name: 'topics-with-overrides', description: 'if set when describing topics, only show topics that have overridden configs' },
  { name: 'if-exists', description: 'if set when altering or deleting or describing topics, the action will only execute if the topic exists.' },
  { name: 'if-not-exists', description: 'if set when creating topics, the action will only execute if the topic does not already exist.' },
  { name: 'exclude-internal', description: 'exclude internal topics when running list or describe command. The internal topics will be listed by default' },
  {
    name: 'partition-size-limit-per-response',
    arg: 'Integer: maximum number of partitions in one page.',
    description: 'The maximum partition size to be included in one DescribeTopicPartitions response.',
  },
];

export const command = new ToolCommand('This tool helps to create, delete, describe, or change a topic.', OPTIONS);

const ACTIONS = ['create', 'list', 'alter', 'describe', 'delete'];
const REPORTS = ['under-replicated-partitions', 'under-min-isr-partitions', 'at-min-isr-partitions', 'unavailable-partitions'];

/** jopt-simple's "[name]" for an option, as CommandLineUtils names options in its messages. */
const bracketed = (name: string) => `[${name}]`;

/** CommandLineUtils.checkInvalidArgs: `used` given with any of `invalid` is a usage error. */
function checkInvalid(options: ParsedOptions, used: string, invalid: readonly string[]): void {
  if (!options.has(used)) return;
  for (const other of invalid) {
    if (options.has(other)) throw new UsageError(`Option "${bracketed(used)}" can't be used with option "${bracketed(other)}"`);
  }
}

/** The actions other than these (TopicCommandOptions.invalidOptions). */
const actionsBut = (...allowed: string[]) => ACTIONS.filter((a) => !allowed.includes(a));

/** TopicCommandOptions.checkArgs: the checks that come before connecting. */
export function checkTopicArgs(options: ParsedOptions): void {
  if (ACTIONS.filter((a) => options.has(a)).length !== 1) throw new UsageError('Command must include exactly one action: --list, --describe, --create, --alter or --delete');
  if (!options.has('bootstrap-server')) throw new UsageError('--bootstrap-server must be specified');
  if (options.has('describe') && options.has('if-exists') && !options.has('topic') && !options.has('topic-id')) throw new UsageError('--topic or --topic-id is required to describe a topic');
  if (!options.has('list') && !options.has('describe') && !options.has('topic')) throw new UsageError(`Missing required argument "${bracketed('topic')}"`);
  if (options.has('alter')) {
    if (options.has('config')) throw new UsageError(`Option combination "${bracketed('bootstrap-server')},${bracketed('config')}" can't be used with option "${bracketed('alter')}"${CONFIGS_CLI}`);
    if (options.has('delete-config')) throw new UsageError(`Option combination "${bracketed('bootstrap-server')},${bracketed('delete-config')}" can't be used with option "${bracketed('alter')}"${CONFIGS_CLI}`);
    if (!options.has('partitions')) throw new UsageError(`Missing required argument "${bracketed('partitions')}"`);
  }
  checkInvalid(options, 'config', actionsBut('alter', 'create'));
  checkInvalid(options, 'delete-config', actionsBut('alter'));
  checkInvalid(options, 'partitions', actionsBut('alter', 'create'));
  checkInvalid(options, 'replication-factor', actionsBut('create'));
  checkInvalid(options, 'replica-assignment', actionsBut('alter', 'create'));
  if (options.has('create')) checkInvalid(options, 'replica-assignment', ['partitions', 'replication-factor']);
  for (const report of REPORTS) checkInvalid(options, report, [...actionsBut('describe'), 'topics-with-overrides']);
  checkInvalid(options, 'topics-with-overrides', [...actionsBut('describe'), ...REPORTS]);
  checkInvalid(options, 'if-exists', actionsBut('alter', 'delete', 'describe'));
  checkInvalid(options, 'if-not-exists', actionsBut('create'));
  checkInvalid(options, 'exclude-internal', actionsBut('list', 'describe'));
}
