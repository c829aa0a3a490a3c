// kafka-consumer-perf-test.sh: consumes --messages records as a member of a group and reports the
// throughput as Kafka 3.9's ConsumerPerformance does: its header, one summary row (or a row per
// --reporting-interval with --show-detailed-stats), rebalance and fetch times, %.4f numbers and
// dates as SimpleDateFormat("yyyy-MM-dd HH:mm:ss:SSS") prints them.

import { Consumer, consumerConfigFromProps } from '../../client/consumer';
import { OptionSpec, ParsedOptions, ToolCommand, UsageError } from '../command-line';
import { readPropertiesFile } from '../cluster-options';
import { connectWithProps } from './client-props';
import { DEFAULT_DATE_FORMAT, javaDateTime, javaFixed } from './java-format';
import { formatMetrics } from './perf-metrics';

const OPTIONS: OptionSpec[] = [
  { name: 'bootstrap-server', arg: 'String: server to connect to', description: 'REQUIRED: The server(s) to connect to.' },
  { name: 'topic', arg: 'String: topic', description: 'The topic to consume from.' },
  { name: 'include', arg: 'String: Java regex (String)', description: 'Regular expression specifying list of topics to include for consumption.' },
  { name: 'group', arg: 'String: gid', defaultValue: 'perf-consumer-<random>', description: 'The group id to consume on.' },
  { name: 'fetch-size', arg: 'Integer: size', defaultValue: '1048576', description: 'The amount of data to fetch in a single request.' },
  { name: 'from-latest', description: 'If the consumer does not already have an established offset to consume from, start with the latest message present in the log rather than the earliest message.' },
  { name: 'socket-buffer-size', arg: 'Integer: size', defaultValue: '2097152', description: 'The size of the tcp RECV size.' },
  { name: 'consumer.config', arg: 'String: config file', description: 'Consumer config properties file.' },
  { name: 'print-metrics', description: 'Print out the metrics.' },
  { name: 'show-detailed-stats', description: 'If set, stats are reported for each reporting interval as configured by reporting-interval' },
  { name: 'timeout', arg: 'Long: milliseconds', optionalArg: true, defaultValue: '10000', description: 'The maximum allowed time in milliseconds between returned records.' },
  { name: 'messages', arg: 'Long: count', description: 'REQUIRED: The number of messages to consume.' },
  { name: 'reporting-interval', arg: 'Long: interval_ms', defaultValue: '5000', description: 'Interval in milliseconds at which to print progress info.' },
  { name: 'date-format', arg: 'String: date format', defaultValue: DEFAULT_DATE_FORMAT, description: 'The date format to use for formatting the time field. See java.text.SimpleDateFormat for options.' },
  { name: 'hide-header', description: 'If set, skips printing the header for the stats' },
];

export const command = new ToolCommand('This tool is used to verify the consumer performance.', OPTIONS);

const EXTRA_HEADER = ', rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec';

export function header(detailed: boolean): string {
  return detailed ? `time, threadId, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec${EXTRA_HEADER}` : `start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec${EXTRA_HEADER}`;
}

const MB = 1024 * 1024;

/** The summary row: totals over the whole run, fetch rates over the time outside rebalances. */
export function summaryRow(r: { startMs: number; endMs: number; bytes: number; messages: number; joinTimeMs: number; dateFormat: string }): string {
  const elapsedSec = (r.endMs - r.startMs) / 1000.0;
  const fetchTimeMs = r.endMs - r.startMs - r.joinTimeMs;
  const mb = r.bytes / MB;
  return [
    javaDateTime(r.startMs, r.dateFormat),
    javaDateTime(r.endMs, r.dateFormat),
    javaFixed(mb, 4),
    javaFixed(mb / elapsedSec, 4),
    String(r.messages),
    javaFixed(r.messages / elapsedSec, 4),
    String(r.joinTimeMs),
    String(fetchTimeMs),
    javaFixed(mb / (fetchTimeMs / 1000.0), 4),
    javaFixed(r.messages / (fetchTimeMs / 1000.0), 4),
  ].join(', ');
}

/** A --show-detailed-stats row for the interval from startMs to endMs (printConsumerProgress). */
export function progressRow(p: { bytes: number; lastBytes: number; messages: number; lastMessages: number; startMs: number; endMs: number; joinTimeMs: number; dateFormat: string }): string {
  const elapsedMs = p.endMs - p.startMs;
  const intervalMb = (p.bytes - p.lastBytes) / MB;
  const fetchTimeMs = elapsedMs - p.joinTimeMs;
  const intervalMessages = p.messages - p.lastMessages;
  return [
    javaDateTime(p.endMs, p.dateFormat),
    '0',
    javaFixed(p.bytes / MB, 4),
    javaFixed((1000.0 * intervalMb) / elapsedMs, 4),
    String(p.messages),
    javaFixed((intervalMessages / elapsedMs) * 1000.0, 4),
    String(p.joinTimeMs),
    String(fetchTimeMs),
    javaFixed(fetchTimeMs <= 0 ? 0 : (1000.0 * intervalMb) / fetchTimeMs, 4),
    javaFixed(fetchTimeMs <= 0 ? 0 : (1000.0 * intervalMessages) / fetchTimeMs, 4),
  ].join(', ');
}

function longOption(options: ParsedOptions, name: string): number {
  const v = options.int(name);
  if (v === undefined) throw new UsageError(`Missing required argument "[${name}]"`);
  return v;
}

export async function main(options: ParsedOptions): Promise<number> {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  if (!options.has('messages')) throw new UsageError('Missing required argument "[messages]"');
  if (options.has('topic') === options.has('include')) throw new UsageError('Exactly one of the following arguments is required: [topic], [include]');
  if (!options.has('bootstrap-server')) throw new UsageError('Missing required argument "[bootstrap-server]"');
  const numMessages = longOption(options, 'messages');
  const timeoutMs = longOption(options, 'timeout');
  const reportingIntervalMs = longOption(options, 'reporting-interval');
  if (reportingIntervalMs <= 0) throw new Error('Reporting interval must be greater than 0.');
  const detailed = options.has('show-detailed-stats');
  const dateFormat = options.value('date-format')!;
  // An unknown pattern letter fails here, before any work, as SimpleDateFormat's constructor fails.
  javaDateTime(0, dateFormat);

  const props = new Map(readPropertiesFile(options.value('consumer.config')));
  props.set('bootstrap.servers', options.value('bootstrap-server')!);
  props.set('group.id', options.has('group') ? options.value('group')! : `perf-consumer-${Math.floor(Math.random() * 100_000)}`);
  props.set('max.partition.fetch.bytes', String(longOption(options, 'fetch-size')));
  props.set('auto.offset.reset', options.has('from-latest') ? 'latest' : 'earliest');
  if (!props.has('client.id')) props.set('client.id', 'perf-consumer-client');

  if (!options.has('hide-header')) print(header(detailed));
  const client = await connectWithProps(props, 'perf-consumer-client');
  const consumer = new Consumer(client, consumerConfigFromProps(props));
  let joinTimeMs = 0;
  let joinTimeInRound = 0;
  let joinStartMs = Date.now();
  let assigned = 0;
  const startMs = Date.now();
  consumer.subscribe(options.has('topic') ? [options.value('topic')!] : new RegExp(options.value('include')!), {
    onPartitionsRevoked: (partitions) => {
      assigned -= partitions.length;
      if (assigned <= 0) joinStartMs = Date.now();
    },
    onPartitionsAssigned: (partitions) => {
      if (assigned <= 0) {
        const elapsed = Date.now() - joinStartMs;
        joinTimeMs += elapsed;
        joinTimeInRound += elapsed;
      }
      assigned += partitions.length;
    },
  });

  let messages = 0;
  let bytes = 0;
  let lastMessages = 0;
  let lastBytes = 0;
  let now = Date.now();
  let lastReportMs = now;
  let lastConsumedMs = now;
  try {
    while (messages < numMessages && now - lastConsumedMs <= timeoutMs) {
      const records = await consumer.poll(100);
      now = Date.now();
      if (records.length > 0) lastConsumedMs = now;
      for (const r of records) {
        messages++;
        bytes += (r.key?.length ?? 0) + (r.value?.length ?? 0);
        if (now - lastReportMs >= reportingIntervalMs) {
          if (detailed) print(progressRow({ bytes, lastBytes, messages, lastMessages, startMs: lastReportMs, endMs: now, joinTimeMs: joinTimeInRound, dateFormat }));
          joinTimeInRound = 0;
          lastReportMs = now;
          lastMessages = messages;
          lastBytes = bytes;
        }
      }
    }
    if (messages < numMessages) {
      print(`WARNING: Exiting before consuming the expected number of messages: timeout (${timeoutMs} ms) exceeded. You can use the --timeout option to increase the timeout.`);
    }
    const endMs = Date.now();
    await consumer.close();
    if (!detailed) print(summaryRow({ startMs, endMs, bytes, messages, joinTimeMs, dateFormat }));
    if (options.has('print-metrics')) {
      const tags = { 'client-id': props.get('client.id')! };
      process.stdout.write(
        formatMetrics([
          { group: 'consumer-fetch-manager-metrics', name: 'records-consumed-total', tags, value: messages, isDouble: true },
          { group: 'consumer-fetch-manager-metrics', name: 'bytes-consumed-total', tags, value: bytes, isDouble: true },
        ]),
      );
    }
  } finally {
    client.close();
  }
  return 0;
}
