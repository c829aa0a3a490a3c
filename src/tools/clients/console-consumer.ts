// kafka-console-consumer.sh: prints the records of a topic (or of the topics matching --include,
// or of one --partition from --offset) on standard output with Kafka's DefaultMessageFormatter, as
// Kafka 3.9's ConsoleConsumer does: a group of its own unless --group is given (then offsets are
// committed), --from-beginning or the latest records, --max-messages, --timeout-ms, and
// "Processed a total of N messages" on standard error at the end.

import { once } from 'node:events';
import { Consumer, ConsumerRecord, consumerConfigFromProps } from '../../client/consumer';
import { OptionSpec, ParsedOptions, ToolCommand, ToolError, UsageError } from '../command-line';
import { readPropertiesFile } from '../cluster-options';
import { connectWithProps, parseKeyValueArgs, toolLogger } from './client-props';
import { FormatterConfig, formatRecord, formatterConfig } from './message-formatter';

const PROPERTY_DESCRIPTION =
  'The properties to initialize the message formatter. Default properties include: \n print.timestamp=true|false\n print.key=true|false\n print.offset=true|false\n' +
  ' print.partition=true|false\n print.headers=true|false\n print.value=true|false\n key.separator=<key.separator>\n line.separator=<line.separator>\n' +
  ' headers.separator=<line.separator>\n null.literal=<null.literal>\n key.deserializer=<key.deserializer>\n value.deserializer=<value.deserializer>\n' +
  ' header.deserializer=<header.deserializer>\n\nUsers can also pass in customized properties for their formatter; more specifically, users can pass in properties' +
  " keyed with 'key.deserializer.', 'value.deserializer.' and 'headers.deserializer.' prefixes to configure their deserializers.";

const OPTIONS: OptionSpec[] = [
  { name: 'topic', arg: 'String: topic', description: 'The topic to consume on.' },
  { name: 'whitelist', arg: 'String: Java regex (String)', description: 'DEPRECATED, use --include instead; ignored if --include specified. Regular expression specifying list of topics to include for consumption.' },
  { name: 'include', arg: 'String: Java regex (String)', description: 'Regular expression specifying list of topics to include for consumption.' },
  { name: 'partition', arg: 'Integer: partition', description: "The partition to consume from. Consumption starts from the end of the partition unless '--offset' is specified." },
  { name: 'offset', arg: 'String: consume offset', defaultValue: 'latest', description: "The offset to consume from (a non-negative number), or 'earliest' which means from beginning, or 'latest' which means from end" },
  { name: 'consumer-property', arg: 'String: consumer_prop', repeatable: true, description: 'A mechanism to pass user-defined properties in the form key=value to the consumer.' },
  { name: 'consumer.config', arg: 'String: config file', description: 'Consumer config properties file. Note that [consumer-property] takes precedence over this config.' },
  { name: 'formatter', arg: 'String: class', defaultValue: 'org.apache.kafka.tools.consumer.DefaultMessageFormatter', description: 'The name of a class to use for formatting kafka messages for display.' },
  { name: 'formatter-config', arg: 'String: config file', description: 'Config properties file to initialize the message formatter. Note that [property] takes precedence over this config.' },
  { name: 'property', arg: 'String: prop', repeatable: true, description: PROPERTY_DESCRIPTION },
  { name: 'from-beginning', description: 'If the consumer does not already have an established offset to consume from, start with the earliest message present in the log rather than the latest message.' },
  { name: 'max-messages', arg: 'Integer: num_messages', description: 'The maximum number of messages to consume before exiting. If not set, consumption is continual.' },
  { name: 'timeout-ms', arg: 'Long: timeout_ms', description: 'If specified, exit if no message is available for consumption for the specified interval.' },
  { name: 'skip-message-on-error', description: 'If there is an error when processing a message, skip it instead of halt.' },
  { name: 'bootstrap-server', arg: 'String: server to connect to', description: 'REQUIRED: The server(s) to connect to.' },
  { name: 'key-deserializer', arg: 'String: deserializer for key', description: 'The name of the class to use for deserializing keys.' },
  { name: 'value-deserializer', arg: 'String: deserializer for values', description: 'The name of the class to use for deserializing values.' },
  { name: 'enable-systest-events', description: 'Log lifecycle events of the consumer in addition to logging consumed messages. (This is specific for system tests.)' },
  { name: 'isolation-level', arg: 'String', defaultValue: 'read_uncommitted', description: 'Set to read_committed in order to filter out transactional messages which are not committed. Set to read_uncommitted to read all messages.' },
  { name: 'group', arg: 'String: consumer group id', description: 'The consumer group id of the consumer.' },
];

export const command = new ToolCommand('This tool helps to read data from Kafka topics and outputs it to standard output.', OPTIONS);

/** Where to start in --partition mode: -2 earliest, -1 latest, else an offset (ListOffsetsRequest's constants). */
export function startOffset(options: ParsedOptions): number {
  if (options.has('offset')) {
    const text = options.value('offset')!;
    const lower = text.toLowerCase();
    if (lower === 'earliest') return -2;
    if (lower === 'latest') return -1;
    if (!/^\d+$/.test(text)) throw new UsageError(`The provided offset value '${text}' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long.`);
    return Number(text);
  }
  return options.has('from-beginning') ? -2 : -1;
}

/** The consumer's properties, as ConsoleConsumerOptions builds them; a conflict is a usage error. */
export function consumerProps(options: ParsedOptions): Map<string, string> {
  const fromFile = readPropertiesFile(options.value('consumer.config'));
  const extra = parseKeyValueArgs(options.all('consumer-property'));
  const groups = new Set<string>();
  if (options.has('group')) groups.add(options.value('group')!);
  if (fromFile.has('group.id')) groups.add(fromFile.get('group.id')!);
  if (extra.has('group.id')) groups.add(extra.get('group.id')!);
  if (groups.size > 1) {
    throw new UsageError(
      "The group ids provided in different places (directly using '--group', via '--consumer-property', or via '--consumer.config') do not match. " +
        `Detected group ids: ${[...groups].map((g) => `'${g}'`).join(', ')}`,
    );
  }
  if (groups.size > 0 && options.has('partition')) throw new UsageError('Options group and partition cannot be specified together.');
  const props = new Map([...fromFile, ...extra]);
  const fromBeginning = options.has('from-beginning');
  const reset = props.get('auto.offset.reset');
  if (reset !== undefined) {
    if (fromBeginning && reset !== 'earliest') throw new ToolError(`Can't simultaneously specify --from-beginning and 'auto.offset.reset=${reset}', please remove one option`);
  } else {
    props.set('auto.offset.reset', fromBeginning ? 'earliest' : 'latest');
  }
  props.set('bootstrap.servers', options.value('bootstrap-server')!);
  if (!props.has('client.id')) props.set('client.id', 'console-consumer');
  if (options.has('isolation-level') || !props.has('isolation.level')) props.set('isolation.level', options.value('isolation-level')!);
  if (groups.size === 0) {
    props.set('group.id', `console-consumer-${Math.floor(Math.random() * 100000)}`);
    // The generated group is not meant to be used again: no offsets to keep for it.
    if (!props.has('enable.auto.commit')) props.set('enable.auto.commit', 'false');
  } else {
    props.set('group.id', [...groups][0]);
  }
  return props;
}

const DEFAULT_FORMATTERS = ['org.apache.kafka.tools.consumer.DefaultMessageFormatter', 'kafka.tools.DefaultMessageFormatter'];
const NO_OP_FORMATTERS = ['org.apache.kafka.tools.consumer.NoOpMessageFormatter', 'kafka.tools.NoOpMessageFormatter'];

/** The formatter's settings: --formatter-config, then the deserializer options, then --property (formatterArgs). */
function formatter(options: ParsedOptions): FormatterConfig | null {
  const name = options.value('formatter')!;
  // Kafka reports a class it cannot load by its name alone.
  if (!DEFAULT_FORMATTERS.includes(name) && !NO_OP_FORMATTERS.includes(name)) throw new UsageError(name);
  if (NO_OP_FORMATTERS.includes(name)) return null;
  const props = readPropertiesFile(options.value('formatter-config'));
  const keyDeserializer = options.value('key-deserializer');
  if (keyDeserializer) props.set('key.deserializer', keyDeserializer);
  const valueDeserializer = options.value('value-deserializer');
  if (valueDeserializer) props.set('value.deserializer', valueDeserializer);
  for (const [k, v] of parseKeyValueArgs(options.all('property'))) props.set(k, v);
  const log = toolLogger('org.apache.kafka.tools.consumer.DefaultMessageFormatter');
  return formatterConfig(props, (className) => log.error(`Unable to instantiate a deserializer from ${className}`, `java.lang.ClassNotFoundException: ${className}`));
}

function checkArgs(options: ParsedOptions): void {
  const include = options.value('include') ?? options.value('whitelist');
  const given = [options.value('topic'), include].filter((x) => x !== undefined);
  if (given.length !== 1) {
    throw new UsageError(`Exactly one of --include/--topic is required. ${options.has('whitelist') ? '--whitelist is DEPRECATED use --include instead; ignored if --include specified.' : ''}`);
  }
  if (options.has('partition')) {
    if (!options.has('topic')) throw new UsageError('The topic is required when partition is specified.');
    if (options.has('from-beginning') && options.has('offset')) throw new UsageError('Options from-beginning and offset cannot be specified together.');
  } else if (options.has('offset')) {
    throw new UsageError('The partition is required when offset is specified.');
  }
  if (!options.has('bootstrap-server')) throw new UsageError('Missing required argument "[bootstrap-server]"');
}

export async function main(options: ParsedOptions): Promise<number> {
  checkArgs(options);
  const partition = options.int('partition');
  const offset = startOffset(options);
  const props = consumerProps(options);
  const format = formatter(options);
  const maxMessages = options.int('max-messages') ?? -1;
  const timeoutArg = options.int('timeout-ms');
  const timeoutMs = timeoutArg !== undefined && timeoutArg >= 0 ? timeoutArg : Infinity;
  const include = options.value('include') ?? options.value('whitelist');
  const log = toolLogger('org.apache.kafka.tools.consumer.ConsoleConsumer');

  const client = await connectWithProps(props, 'console-consumer');
  const consumer = new Consumer(client, consumerConfigFromProps(props));
  const topic = options.value('topic');
  if (topic !== undefined && partition !== undefined) {
    const tp = { topic, partition };
    consumer.assign([tp]);
    if (offset === -2) consumer.seekToBeginning([tp]);
    else if (offset === -1) consumer.seekToEnd([tp]);
    else consumer.seek(tp, offset);
  } else if (topic !== undefined) {
    consumer.subscribe([topic]);
  } else {
    consumer.subscribe(new RegExp(include!));
  }

  // A signal ends the loop; the consumer then closes (committing with a group) as Kafka's shutdown hook has it.
  let signal: NodeJS.Signals | null = null;
  const stop = (s: NodeJS.Signals) => {
    signal = s;
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  let count = 0;
  let pending: ConsumerRecord[] = [];
  try {
    let waitingSince = Date.now();
    while (signal === null && (maxMessages === -1 || count < maxMessages)) {
      if (pending.length === 0) {
        const elapsed = Date.now() - waitingSince;
        if (elapsed > timeoutMs) {
          log.error('Error processing message, terminating consumer process: ', 'org.apache.kafka.common.errors.TimeoutException');
          break;
        }
        pending = await consumer.poll(Math.min(timeoutMs - elapsed + 1, 1000));
        continue;
      }
      const record = pending.shift()!;
      waitingSince = Date.now();
      count++;
      if (format === null) continue;
      let bytes: Buffer;
      try {
        bytes = formatRecord(record, format);
      } catch (err) {
        if (!options.has('skip-message-on-error')) throw err;
        log.error('Error processing message, skipping this message: ', err);
        continue;
      }
      if (!(await write(bytes))) {
        process.stderr.write('Unable to write to standard out, closing consumer.\n');
        break;
      }
    }
    // Records polled but not printed are not committed: the group resumes from the first of them.
    const firstUnprinted = new Map<string, ConsumerRecord>();
    for (const r of pending) if (!firstUnprinted.has(`${r.topic}:${r.partition}`)) firstUnprinted.set(`${r.topic}:${r.partition}`, r);
    for (const r of firstUnprinted.values()) consumer.seek({ topic: r.topic, partition: r.partition }, r.offset);
    await consumer.close();
  } finally {
    client.close();
    process.stderr.write(`Processed a total of ${count} messages\n`);
  }
  if (signal === null) return 0;
  if (options.has('enable-systest-events')) process.stdout.write('shutdown_complete\n');
  // The JVM's exit status after a signal: 128 + its number.
  return signal === 'SIGINT' ? 130 : 143;
}

let stdoutBroken = false;

/** Writes to standard output, waiting when the pipe is full; false once nobody reads it. */
async function write(bytes: Buffer): Promise<boolean> {
  if (stdoutBroken) return false;
  if (process.stdout.listenerCount('error') === 0) {
    process.stdout.on('error', () => {
      stdoutBroken = true;
    });
  }
  if (!process.stdout.write(bytes)) await Promise.race([once(process.stdout, 'drain'), once(process.stdout, 'error')]);
  return !stdoutBroken;
}
