// kafka-producer-perf-test.sh: produces --num-records records of --record-size random letters (or
// payloads from --payload-file, or increasing numbers) at up to --throughput records/s, and reports
// as Kafka 3.9's ProducerPerformance does: a progress line every 5 s and a summary line with
// latency percentiles (latencies sampled as Kafka samples them), same wording and number formats.
// With --transactional-id or --transaction-duration-ms the records go in transactions committed
// every --transaction-duration-ms (3000 by default).

import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Producer, producerConfigFromProps } from '../../client/producer';
import { OptionSpec, ParsedOptions, ToolCommand, UsageError } from '../command-line';
import { readPropertiesFile } from '../cluster-options';
import { connectWithProps } from './client-props';
import { javaFixed } from './java-format';
import { formatMetrics } from './perf-metrics';

const OPTIONS: OptionSpec[] = [
  { name: 'topic', arg: 'TOPIC', description: 'produce messages to this topic' },
  { name: 'num-records', arg: 'NUM-RECORDS', description: 'number of messages to produce' },
  { name: 'record-size', arg: 'RECORD-SIZE', description: 'message size in bytes. Note that you must provide exactly one of --record-size or --payload-file or --payload-monotonic.' },
  {
    name: 'payload-file',
    arg: 'PAYLOAD-FILE',
    description:
      'file to read the message payloads from. This works only for UTF-8 encoded text files. Payloads will be read from this file and a payload will be randomly selected when sending messages. Note that you must provide exactly one of --record-size or --payload-file or --payload-monotonic.',
  },
  { name: 'payload-monotonic', description: 'payload is monotonically increasing integer. Note that you must provide exactly one of --record-size or --payload-file or --payload-monotonic.' },
  { name: 'payload-delimiter', arg: 'PAYLOAD-DELIMITER', defaultValue: '\\n', description: 'provides delimiter to be used when --payload-file is provided. Defaults to new line. Note that this parameter will be ignored if --payload-file is not provided.' },
  { name: 'throughput', arg: 'THROUGHPUT', description: 'throttle maximum message throughput to *approximately* THROUGHPUT messages/sec. Set this to -1 to disable throttling.' },
  { name: 'producer-props', arg: 'PROP-NAME=PROP-VALUE', repeatable: true, description: 'kafka producer related configuration properties like bootstrap.servers,client.id etc. These configs take precedence over those passed via --producer.config.' },
  { name: 'producer.config', arg: 'CONFIG-FILE', description: 'producer config properties file.' },
  { name: 'print-metrics', description: 'print out metrics at the end of the test.' },
  {
    name: 'transactional-id',
    arg: 'TRANSACTIONAL-ID',
    description:
      'The transactional id to use. This config takes precedence over the transactional.id specified via --producer.config or --producer-props. Note that if the transactional id is not specified while --transaction-duration-ms is provided, the default value for the transactional id will be performance-producer- followed by a random uuid.',
  },
  {
    name: 'transaction-duration-ms',
    arg: 'TRANSACTION-DURATION',
    description:
      'The max age of each transaction. The commitTransaction will be called after this time has elapsed. The value should be greater than 0. If the transactional id is specified via --producer-props, --producer.config, or --transactional-id but --transaction-duration-ms is not specified, the default value will be 3000.',
  },
];

export const command = new ToolCommand('This tool is used to verify the producer performance.', OPTIONS);

/** --producer-props takes several values (argparse's nargs "+"): each becomes its own --producer-props. */
export function expandProducerProps(argv: readonly string[]): string[] {
  const out: string[] = [];
  let inProps = false;
  for (const arg of argv) {
    if (arg === '--producer-props') inProps = true;
    else if (arg.startsWith('--')) {
      inProps = false;
      out.push(arg);
    } else if (inProps) out.push('--producer-props', arg);
    else out.push(arg);
  }
  return out;
}

/** Kafka's ProducerPerformance.Stats: totals, a 5 s reporting window and sampled latencies. */
export class Stats {
  private readonly start = Date.now();
  private windowStart = Date.now();
  private readonly sampling: number;
  private readonly latencies: number[];
  private iteration = 0;
  private index = 0;
  private count = 0;
  private bytes = 0;
  private maxLatency = 0;
  private totalLatency = 0;
  private windowCount = 0;
  private windowMaxLatency = 0;
  private windowTotalLatency = 0;
  private windowBytes = 0;

  constructor(
    numRecords: number,
    private readonly print: (line: string) => void,
    private readonly reportingIntervalMs = 5000,
  ) {
    this.sampling = Math.floor(numRecords / Math.min(numRecords, 500000));
    this.latencies = new Array<number>(Math.floor(numRecords / this.sampling) + 1).fill(0);
  }

  get totalCount(): number {
    return this.count;
  }

  record(latency: number, bytes: number, time: number): void {
    this.count++;
    this.bytes += bytes;
    this.totalLatency += latency;
    this.maxLatency = Math.max(this.maxLatency, latency);
    this.windowCount++;
    this.windowBytes += bytes;
    this.windowTotalLatency += latency;
    this.windowMaxLatency = Math.max(this.windowMaxLatency, latency);
    if (this.iteration % this.sampling === 0) this.latencies[this.index++] = latency;
    if (time - this.windowStart >= this.reportingIntervalMs) {
      this.printWindow();
      this.newWindow();
    }
    this.iteration++;
  }

  printWindow(): void {
    const elapsed = Date.now() - this.windowStart;
    const recsPerSec = (1000.0 * this.windowCount) / elapsed;
    const mbPerSec = (1000.0 * this.windowBytes) / elapsed / (1024.0 * 1024.0);
    this.print(
      `${this.windowCount} records sent, ${javaFixed(recsPerSec, 1)} records/sec (${javaFixed(mbPerSec, 2)} MB/sec), ` +
        `${javaFixed(this.windowTotalLatency / this.windowCount, 1)} ms avg latency, ${javaFixed(this.windowMaxLatency, 1)} ms max latency.`,
    );
  }

  private newWindow(): void {
    this.windowStart = Date.now();
    this.windowCount = 0;
    this.windowMaxLatency = 0;
    this.windowTotalLatency = 0;
    this.windowBytes = 0;
  }

  printTotal(): void {
    const elapsed = Date.now() - this.start;
    const recsPerSec = (1000.0 * this.count) / elapsed;
    const mbPerSec = (1000.0 * this.bytes) / elapsed / (1024.0 * 1024.0);
    const [p50, p95, p99, p999] = this.percentiles(0.5, 0.95, 0.99, 0.999);
    this.print(
      `${this.count} records sent, ${javaFixed(recsPerSec, 6)} records/sec (${javaFixed(mbPerSec, 2)} MB/sec), ` +
        `${javaFixed(this.totalLatency / this.count, 2)} ms avg latency, ${javaFixed(this.maxLatency, 2)} ms max latency, ` +
        `${p50} ms 50th, ${p95} ms 95th, ${p99} ms 99th, ${p999} ms 99.9th.`,
    );
  }

  private percentiles(...ps: number[]): number[] {
    const size = Math.min(this.index, this.latencies.length);
    const sorted = this.latencies.slice(0, size).sort((a, b) => a - b);
    // Java sorts only the sampled prefix and may index one past it, into the zeros after.
    const all = [...sorted, ...this.latencies.slice(size)];
    return ps.map((p) => all[Math.floor(p * size)] ?? 0);
  }
}

/** Kafka's ThroughputThrottler: sleeps when the sends so far run ahead of the target rate. */
class Throttler {
  constructor(
    private readonly target: number,
    private readonly startMs: number,
  ) {}

  /** How long to sleep before the next send, 0 for none. */
  delayMs(sentSoFar: number, nowMs: number): number {
    if (this.target < 0) return 0;
    if (this.target === 0) return Infinity;
    const elapsed = nowMs - this.startMs;
    if (elapsed <= 0 || (sentSoFar / elapsed) * 1000 <= this.target) return 0;
    return Math.max(0, (sentSoFar / this.target) * 1000 - elapsed);
  }
}

/** Random letters A-Z to take payloads from without making each one afresh. */
function letterPool(size: number): Buffer {
  const pool = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) pool[i] = 65 + Math.floor(Math.random() * 26);
  return pool;
}

function number(options: ParsedOptions, name: string): number | undefined {
  const v = options.value(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`argument --${name}: could not convert '${v}'`);
  return n;
}

function readPayloads(path: string, delimiter: string, print: (line: string) => void): Buffer[] {
  print(`Reading payloads from: ${resolve(path)}`);
  if (!existsSync(path) || statSync(path).size === 0) throw new Error('File does not exist or empty file provided.');
  const payloads = readFileSync(path, 'utf8')
    .split(new RegExp(delimiter))
    .filter((s) => s !== '')
    .map((s) => Buffer.from(s, 'utf8'));
  print(`Number of messages read: ${payloads.length}`);
  return payloads;
}

export async function main(options: ParsedOptions): Promise<number> {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  for (const required of ['topic', 'num-records', 'throughput']) if (!options.has(required)) throw new UsageError(`argument --${required} is required`);
  const payloadKinds = ['record-size', 'payload-file', 'payload-monotonic'].filter((o) => options.has(o));
  if (payloadKinds.length !== 1) throw new UsageError('one of the arguments --record-size --payload-file --payload-monotonic is required');
  const topic = options.value('topic')!;
  const numRecords = number(options, 'num-records')!;
  const recordSize = number(options, 'record-size');
  const throughput = number(options, 'throughput')!;
  if (numRecords <= 0) throw new UsageError('--num-records should be greater than zero');
  if (recordSize !== undefined && recordSize <= 0) throw new UsageError('--record-size should be greater than zero');
  if (!options.has('producer-props') && !options.has('producer.config')) throw new UsageError('Either --producer-props or --producer.config must be specified.');

  const delimiterArg = options.value('payload-delimiter')!;
  const payloads = options.has('payload-file') ? readPayloads(options.value('payload-file')!, delimiterArg === '\\n' ? '\n' : delimiterArg, print) : [];
  const props = new Map(readPropertiesFile(options.value('producer.config')));
  for (const prop of options.all('producer-props')) {
    const pieces = prop.split('=');
    if (pieces.length !== 2) throw new Error(`Invalid property: ${prop}`);
    props.set(pieces[0], pieces[1]);
  }
  if (!props.has('client.id')) props.set('client.id', 'perf-producer-client');
  const durationArg = number(options, 'transaction-duration-ms');
  if (durationArg !== undefined && durationArg <= 0) throw new UsageError('--transaction-duration-ms should be greater than zero');
  const transactional = durationArg !== undefined || options.has('transactional-id') || props.has('transactional.id');
  if (transactional) props.set('transactional.id', options.value('transactional-id') ?? props.get('transactional.id') ?? `performance-producer-${randomUUID()}`);
  const transactionDurationMs = durationArg ?? 3000;

  const client = await connectWithProps(props, 'perf-producer-client');
  const producer = new Producer(client, producerConfigFromProps(props));
  const pool = recordSize !== undefined ? letterPool(Math.max(recordSize * 64, 1 << 20)) : Buffer.alloc(0);
  let errors = 0;
  let transactionSize = 0;
  let transactionStartMs = 0;
  try {
    if (transactional) await producer.initTransactions();
    // The clock starts once the producer is ready, as Kafka's does.
    const stats = new Stats(numRecords, print);
    const throttler = new Throttler(throughput, Date.now());
    for (let i = 0; i < numRecords; i++) {
      let payload: Buffer;
      if (payloads.length > 0) payload = payloads[Math.floor(Math.random() * payloads.length)];
      else if (recordSize !== undefined) {
        const at = Math.floor(Math.random() * (pool.length - recordSize + 1));
        payload = pool.subarray(at, at + recordSize);
      } else payload = Buffer.from(String(i), 'utf8');
      if (transactional && transactionSize === 0) {
        producer.beginTransaction();
        transactionStartMs = Date.now();
      }
      const sendStartMs = Date.now();
      producer.send({ topic, value: payload }).then(
        () => {
          const now = Date.now();
          stats.record(now - sendStartMs, payload.length, now);
        },
        (err: Error) => {
          errors++;
          process.stderr.write(`${err.name === 'KafkaError' ? 'org.apache.kafka.common.KafkaException' : err.name}: ${err.message}\n`);
        },
      );
      transactionSize++;
      if (transactional && transactionDurationMs <= sendStartMs - transactionStartMs) {
        await producer.commitTransaction();
        transactionSize = 0;
      }
      if (!producer.hasSpace) await producer.ready();
      const delay = throttler.delayMs(i, sendStartMs);
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      else if (i % 100 === 99) await new Promise((r) => setImmediate(r));
    }
    if (transactional && transactionSize !== 0) await producer.commitTransaction();
    await producer.close();
    stats.printTotal();
    if (options.has('print-metrics')) {
      const tags = { 'client-id': props.get('client.id')! };
      process.stdout.write(
        formatMetrics([
          { group: 'producer-metrics', name: 'record-send-total', tags, value: stats.totalCount, isDouble: true },
          { group: 'producer-metrics', name: 'record-error-total', tags, value: errors, isDouble: true },
        ]),
      );
    }
  } finally {
    client.close();
  }
  return 0;
}
