// kafka-console-producer.sh: reads standard input line by line and produces each line as a record,
// as Kafka 3.9's ConsoleProducer does with its LineMessageReader (--property parse.key=true etc.).
// The producer settings come from --producer.config, then --producer-property, then the tool's
// own options (--compression-codec, --request-required-acks, --batch-size, --timeout as linger.ms,
// ...). Without --sync a failed send is logged and the tool goes on, as Kafka's ErrorLoggingCallback.

import { createInterface } from 'node:readline';
import { Producer, producerConfigFromProps } from '../../client/producer';
import { OptionSpec, ParsedOptions, ToolCommand, ToolError, UsageError } from '../command-line';
import { readPropertiesFile } from '../cluster-options';
import { connectWithProps, parseKeyValueArgs, toolLogger } from './client-props';
import { lineReaderConfig, parseLine } from './line-reader';

const PROPERTY_DESCRIPTION =
  'A mechanism to pass user-defined properties in the form key=value to the message reader. This allows custom configuration for a user-defined message reader.' +
  'Default properties include:\n parse.key=false\n parse.headers=false\n ignore.error=false\n key.separator=\\t\n headers.delimiter=\\t\n headers.separator=,\n headers.key.separator=:\n' +
  ' null.marker=   When set, any fields (key, value and headers) equal to this will be replaced by null\nDefault parsing pattern when:\n parse.headers=true and parse.key=true:\n' +
  '  "h1:v1,h2:v2...\\tkey\\tvalue"\n parse.key=true:\n  "key\\tvalue"\n parse.headers=true:\n  "h1:v1,h2:v2...\\tvalue"';

const OPTIONS: OptionSpec[] = [
  { name: 'topic', arg: 'String: topic', description: 'REQUIRED: The topic id to produce messages to.' },
  { name: 'broker-list', arg: 'String: broker-list', description: 'DEPRECATED, use --bootstrap-server instead; ignored if --bootstrap-server is specified.  The broker list string in the form HOST1:PORT1,HOST2:PORT2.' },
  { name: 'bootstrap-server', arg: 'String: server to connect to', description: 'REQUIRED unless --broker-list(deprecated) is specified. The server(s) to connect to. The broker list string in the form HOST1:PORT1,HOST2:PORT2.' },
  { name: 'sync', description: 'If set message send requests to the brokers are synchronously, one at a time as they arrive.' },
  { name: 'compression-codec', arg: 'String: compression-codec', optionalArg: true, description: "The compression codec: either 'none', 'gzip', 'snappy', 'lz4', or 'zstd'.If specified without value, then it defaults to 'gzip'" },
  { name: 'batch-size', arg: 'Integer: size', defaultValue: '16384', description: 'Number of messages to send in a single batch if they are not being sent synchronously. please note that this option will be replaced if max-partition-memory-bytes is also set' },
  { name: 'message-send-max-retries', arg: 'Integer', defaultValue: '3', description: 'Brokers can fail receiving the message for multiple reasons, and being unavailable transiently is just one of them. This property specifies the number of retries before the producer give up and drop this message. This is the option to control `retries` in producer configs.' },
  { name: 'retry-backoff-ms', arg: 'Long', defaultValue: '100', description: 'Before each retry, the producer refreshes the metadata of relevant topics. Since leader election takes a bit of time, this property specifies the amount of time that the producer waits before refreshing the metadata. This is the option to control `retry.backoff.ms` in producer configs.' },
  { name: 'timeout', arg: 'Long: timeout_ms', defaultValue: '1000', description: 'If set and the producer is running in asynchronous mode, this gives the maximum amount of time a message will queue awaiting sufficient batch size. The value is given in ms. This is the option to control `linger.ms` in producer configs.' },
  { name: 'request-required-acks', arg: 'String: request required acks', defaultValue: '-1', description: 'The required `acks` of the producer requests' },
  { name: 'request-timeout-ms', arg: 'Integer: request timeout ms', defaultValue: '1500', description: 'The ack timeout of the producer requests. Value must be non-negative and non-zero.' },
  { name: 'metadata-expiry-ms', arg: 'Long: metadata expiration interval', defaultValue: '300000', description: "The period of time in milliseconds after which we force a refresh of metadata even if we haven't seen any leadership changes. This is the option to control `metadata.max.age.ms` in producer configs." },
  { name: 'max-block-ms', arg: 'Long: max block on send', defaultValue: '60000', description: 'The max time that the producer will block for during a send request.' },
  { name: 'max-memory-bytes', arg: 'Long: total memory in bytes', defaultValue: '33554432', description: 'The total memory used by the producer to buffer records waiting to be sent to the server. This is the option to control `buffer.memory` in producer configs.' },
  { name: 'max-partition-memory-bytes', arg: 'Integer: memory in bytes per partition', defaultValue: '16384', description: 'The buffer size allocated for a partition. When records are received which are smaller than this size the producer will attempt to optimistically group them together until this size is reached. This is the option to control `batch.size` in producer configs.' },
  { name: 'line-reader', arg: 'String: reader_class', defaultValue: 'org.apache.kafka.tools.LineMessageReader', description: 'The class name of the class to use for reading lines from standard in. By default each line is read as a separate message.' },
  { name: 'socket-buffer-size', arg: 'Integer: size', defaultValue: '102400', description: 'The size of the tcp RECV size. This is the option to control `send.buffer.bytes` in producer configs.' },
  { name: 'property', arg: 'String: prop', repeatable: true, description: PROPERTY_DESCRIPTION },
  { name: 'reader-config', arg: 'String: config file', description: 'Config properties file for the message reader. Note that [property] takes precedence over this config.' },
  { name: 'producer-property', arg: 'String: producer_prop', repeatable: true, description: 'A mechanism to pass user-defined properties in the form key=value to the producer. ' },
  { name: 'producer.config', arg: 'String: config file', description: 'Producer config properties file. Note that [producer-property] takes precedence over this config.' },
];

const LINE_READERS = ['org.apache.kafka.tools.LineMessageReader', 'kafka.tools.LineMessageReader'];

export const command = new ToolCommand('This tool helps to read data from standard input and publish it to Kafka.', OPTIONS);

/** The options that override a producer property, as CommandLineUtils.maybeMergeOptions: only when given. */
const MERGED: [string, string][] = [
  ['timeout', 'linger.ms'],
  ['request-required-acks', 'acks'],
  ['request-timeout-ms', 'request.timeout.ms'],
  ['message-send-max-retries', 'retries'],
  ['retry-backoff-ms', 'retry.backoff.ms'],
  ['socket-buffer-size', 'send.buffer.bytes'],
  ['max-memory-bytes', 'buffer.memory'],
  ['batch-size', 'batch.size'],
  ['max-partition-memory-bytes', 'batch.size'],
  ['metadata-expiry-ms', 'metadata.max.age.ms'],
  ['max-block-ms', 'max.block.ms'],
];

/** The producer's properties, in ConsoleProducerConfig.producerProps' order of precedence. */
export function producerProps(options: ParsedOptions): Map<string, string> {
  const props = new Map([...readPropertiesFile(options.value('producer.config')), ...parseKeyValueArgs(options.all('producer-property'))]);
  props.set('bootstrap.servers', options.value('bootstrap-server') ?? options.value('broker-list')!);
  const codec = options.has('compression-codec') ? options.value('compression-codec') || 'gzip' : 'none';
  props.set('compression.type', codec);
  if (!props.has('client.id')) props.set('client.id', 'console-producer');
  for (const [option, prop] of MERGED) {
    const value = options.value(option);
    if (value !== undefined && (options.has(option) || !props.has(prop))) props.set(prop, value);
  }
  return props;
}

/** The reader's properties: --reader-config, then topic, then --property. */
export function readerProps(options: ParsedOptions): Map<string, string> {
  return new Map([...readPropertiesFile(options.value('reader-config')), ['topic', options.value('topic')!], ...parseKeyValueArgs(options.all('property'))]);
}

export async function main(options: ParsedOptions): Promise<number> {
  const topic = options.value('topic');
  if (topic === undefined) throw new UsageError('Missing required argument "[topic]"');
  if (!options.has('bootstrap-server') && !options.has('broker-list')) throw new UsageError('Missing required argument "[bootstrap-server]"');
  const readerClass = options.value('line-reader')!;
  if (!LINE_READERS.includes(readerClass)) throw new ToolError(`only Kafka's LineMessageReader reads lines here, not ${readerClass}`);
  const reader = lineReaderConfig(readerProps(options));
  const props = producerProps(options);
  const config = producerConfigFromProps(props);
  const sync = options.has('sync');
  const log = toolLogger('org.apache.kafka.clients.producer.internals.ErrorLoggingCallback');
  const client = await connectWithProps(props, 'console-producer');
  const producer = new Producer(client, config);
  try {
    // A prompt before each line when a person types them, as Kafka prints one when System.console() exists.
    const prompt = () => {
      if (process.stdin.isTTY && process.stdout.isTTY) process.stdout.write('>');
    };
    let lineNumber = 0;
    prompt();
    for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
      lineNumber++;
      const parsed = parseLine(line, lineNumber, reader);
      const sent = producer.send({ topic, key: parsed.key, value: parsed.value, headers: parsed.headers });
      if (sync) {
        await sent;
        prompt();
        continue;
      }
      sent.catch((err: Error) => {
        const key = parsed.key === null ? 'null' : `${parsed.key.length} bytes`;
        const value = parsed.value === null ? 'null' : `${parsed.value.length} bytes`;
        log.error(`Error when sending message to topic ${topic} with key: ${key}, value: ${value} with error:`, err.message);
      });
      if (!producer.hasSpace) await producer.ready();
      prompt();
    }
  } finally {
    // Records already read are still sent when a later line fails, as Kafka's shutdown hook closes the producer.
    await producer.close();
    client.close();
  }
  return 0;
}
