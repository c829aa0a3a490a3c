// kafka-dump-log.sh, after Kafka 3.9's DumpLogSegments: prints the batches and records of `.log` segments,
// the entries of `.index` / `.timeindex` (checked against their segment), producer state `.snapshot`
// files and `.txnindex` aborted-transaction indexes, each in Kafka's line formats, then the mismatches
// it found on stderr. Offline: it only reads files, so it works on a stopped broker's log dirs.
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { crc32c } from '../../../protocol/records/crc32c';
import { PRODUCER_SNAPSHOT_VERSION, SnapshotEntry, decodeProducerSnapshot } from '../../log/producer-snapshot';
import { decodeAbortedTxns } from '../../log/txn-index';
import { OptionSpec, ParsedOptions, ToolCommand } from '../command-line';
import { MessageParser, STRING_DECODER_CLASS, decoderFor, decoderParser, offsetsParser, transactionLogParser } from './decoders';
import { CorruptRecordError, DumpBatch, DumpRecord, readFileBatches } from './file-batches';
import { CorruptIndexError, DumpErrors, dumpIndex, dumpTimeIndex } from './index-dump';

const INT32_MAX = 0x7fffffff;
const RECORD_INDENT = '|';

const OPTIONS: OptionSpec[] = [
  { name: 'print-data-log', description: 'If set, printing the messages content when dumping data logs. Automatically set if any decoder option is specified.' },
  { name: 'verify-index-only', description: 'If set, just verify the index log without printing its content.' },
  {
    name: 'index-sanity-check',
    description:
      'If set, just checks the index sanity without printing its content. This is the same check that is executed on broker startup to determine if an index needs rebuilding or not.',
  },
  { name: 'files', arg: 'String: file1, file2, ...', description: 'REQUIRED: The comma separated list of data and index log files to be dumped.' },
  { name: 'max-message-size', arg: 'Integer: size', description: 'Size of largest message.', defaultValue: String(5 * 1024 * 1024) },
  {
    name: 'max-bytes',
    arg: 'Integer: size',
    description: 'Limit the amount of total batches read in bytes avoiding reading the whole .log file(s).',
    defaultValue: String(INT32_MAX),
  },
  { name: 'deep-iteration', description: 'If set, uses deep instead of shallow iteration. Automatically set if print-data-log is enabled.' },
  {
    name: 'value-decoder-class',
    arg: 'String',
    optionalArg: true,
    description:
      'If set, used to deserialize the messages. This class should implement org.apache.kafka.tools.api.Decoder trait. Custom jar should be available in kafka/libs directory.',
    defaultValue: STRING_DECODER_CLASS,
  },
  {
    name: 'key-decoder-class',
    arg: 'String',
    optionalArg: true,
    description:
      'If set, used to deserialize the keys. This class should implement org.apache.kafka.tools.api.Decoder trait. Custom jar should be available in kafka/libs directory.',
    defaultValue: STRING_DECODER_CLASS,
  },
  { name: 'offsets-decoder', description: 'If set, log data will be parsed as offset data from the __consumer_offsets topic.' },
  { name: 'transaction-log-decoder', description: 'If set, log data will be parsed as transaction metadata from the __transaction_state topic.' },
  { name: 'skip-record-metadata', description: 'Whether to skip printing metadata for each record.' },
];

export const command = new ToolCommand(
  'This tool helps to parse a log file and dump its contents to the console, useful for debugging a seemingly corrupt log segment.',
  OPTIONS,
);

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

interface DumpSettings {
  printContents: boolean;
  deepIteration: boolean;
  skipRecordMetadata: boolean;
  verifyOnly: boolean;
  indexSanityOnly: boolean;
  maxBytes: number;
  parser: MessageParser;
}

function settingsOf(options: ParsedOptions, output: Output): DumpSettings {
  const printContents = ['print-data-log', 'offsets-decoder', 'transaction-log-decoder', 'value-decoder-class', 'key-decoder-class'].some((o) => options.has(o));
  const line = (write: (t: string) => void) => (text: string) => write(`${text}\n`);
  let parser: MessageParser;
  if (options.has('offsets-decoder')) parser = offsetsParser;
  else if (options.has('transaction-log-decoder')) parser = transactionLogParser;
  else {
    const valueDecoder = decoderFor(options.value('value-decoder-class')!, line(output.out), line(output.err));
    const keyDecoder = decoderFor(options.value('key-decoder-class')!, line(output.out), line(output.err));
    parser = decoderParser(keyDecoder, valueDecoder);
  }
  return {
    printContents,
    deepIteration: options.has('deep-iteration') || printContents,
    skipRecordMetadata: options.has('skip-record-metadata'),
    verifyOnly: options.has('verify-index-only'),
    indexSanityOnly: options.has('index-sanity-check'),
    maxBytes: options.int('max-bytes')!,
    parser,
  };
}

/** printBatchLevel: the batch line. */
export function batchLine(batch: DumpBatch): string {
  const head =
    batch.magic >= 2
      ? `baseOffset: ${batch.baseOffset} lastOffset: ${batch.lastOffset} count: ${batch.count} baseSequence: ${batch.baseSequence} ` +
        `lastSequence: ${batch.lastSequence} producerId: ${batch.producerId} producerEpoch: ${batch.producerEpoch} ` +
        `partitionLeaderEpoch: ${batch.partitionLeaderEpoch} isTransactional: ${batch.isTransactional} isControl: ${batch.isControl} ` +
        `deleteHorizonMs: ${batch.deleteHorizonMs === null ? 'OptionalLong.empty' : `OptionalLong[${batch.deleteHorizonMs}]`}`
      : `offset: ${batch.lastOffset}`;
  return (
    `${head} position: ${batch.position} ${batch.timestampType}: ${batch.maxTimestamp} size: ${batch.sizeInBytes} magic: ${batch.magic} ` +
    `compresscodec: ${batch.compression} crc: ${batch.checksum} isvalid: ${batch.isValid}`
  );
}

const CONTROL_TYPES = ['ABORT', 'COMMIT', 'LEADER_CHANGE', 'SNAPSHOT_HEADER', 'SNAPSHOT_FOOTER', 'KRAFT_VERSION', 'KRAFT_VOTERS'];

/** The control record's description: an end-transaction marker, or Kafka's ControlRecordType name. */
function controlText(record: DumpRecord): string {
  const typeId = record.key !== null && record.key.length >= 4 ? record.key.readInt16BE(2) : -1;
  const type = CONTROL_TYPES[typeId] ?? 'UNKNOWN';
  if ((type === 'ABORT' || type === 'COMMIT') && record.value !== null && record.value.length >= 6) {
    return ` endTxnMarker: ${type} coordinatorEpoch: ${record.value.readInt32BE(2)}`;
  }
  return ` controlType: ${type}(${typeId})`;
}

/** One record's line of a deep iteration. */
export function recordLine(batch: DumpBatch, record: DumpRecord, settings: Pick<DumpSettings, 'printContents' | 'skipRecordMetadata' | 'parser'>): string {
  let line = '';
  let prefix = `${RECORD_INDENT} `;
  if (!settings.skipRecordMetadata) {
    line +=
      `${prefix}offset: ${record.offset} ${batch.timestampType}: ${record.timestamp} ` +
      `keySize: ${record.key === null ? -1 : record.key.length} valueSize: ${record.value === null ? -1 : record.value.length}`;
    prefix = ' ';
    if (batch.magic >= 2) line += ` sequence: ${record.sequence} headerKeys: [${record.headers.map((h) => h.key).join(',')}]`;
    // Kafka's own format string has the stray brace.
    if (record.legacy !== undefined) line += ` isValid: ${record.legacy.isValid} crc: ${record.legacy.crc}}`;
    if (batch.isControl) line += controlText(record);
  }
  if (settings.printContents && !batch.isControl) {
    const { key, payload } = settings.parser(record);
    if (key !== undefined) {
      line += `${prefix}key: ${key}`;
      prefix = ' ';
    }
    if (payload !== undefined) line += ` payload: ${payload}`;
  }
  return line;
}

function dumpLog(file: string, settings: DumpSettings, errors: DumpErrors, output: Output): void {
  output.out(`Log starting offset: ${Number(basename(file).split('.')[0])}\n`);
  const { batches, sliceBytes } = readFileBatches(file, settings.maxBytes);
  let validBytes = 0;
  let lastOffset = -1;
  for (const batch of batches) {
    output.out(`${batchLine(batch)}\n`);
    if (settings.deepIteration) {
      for (const record of batch.records()) {
        if (lastOffset !== -1 && record.offset !== lastOffset + 1) DumpErrors.add(errors.nonConsecutiveOffsets, resolve(file), [lastOffset, record.offset], true);
        lastOffset = record.offset;
        output.out(`${recordLine(batch, record, settings)}\n`);
      }
    }
    validBytes += batch.sizeInBytes;
  }
  const trailing = sliceBytes - validBytes;
  if (trailing > 0 && settings.maxBytes === INT32_MAX) output.out(`Found ${trailing} invalid bytes at the end of ${basename(file)}\n`);
}

/** Kafka's DefaultRecordBatch.decrementSequence. */
function decrementSequence(sequence: number, decrement: number): number {
  return sequence < decrement ? INT32_MAX - (decrement - sequence) + 1 : sequence - decrement;
}

/** ProducerStateManager.readSnapshot's own checks, with its messages; the rest is our reader's. */
function readSnapshotEntries(file: string): SnapshotEntry[] {
  const buf = readFileSync(file);
  if (buf.length >= 6) {
    const version = buf.readInt16BE(0);
    if (version !== PRODUCER_SNAPSHOT_VERSION) throw new CorruptSnapshotError(`Snapshot contained an unknown file version ${version}`);
    const stored = buf.readUInt32BE(2);
    const computed = crc32c(buf, 6);
    if (stored !== computed) throw new CorruptSnapshotError(`Snapshot is corrupt (CRC is no longer valid). Stored crc: ${stored}. Computed crc: ${computed}`);
  }
  try {
    return decodeProducerSnapshot(buf, resolve(file));
  } catch (err) {
    throw new CorruptSnapshotError((err as Error).message);
  }
}

class CorruptSnapshotError extends Error {}

function dumpProducerSnapshot(file: string, output: Output): void {
  let entries: SnapshotEntry[];
  try {
    entries = readSnapshotEntries(file);
  } catch (err) {
    if (!(err instanceof CorruptSnapshotError)) throw err;
    output.err(`${err.message}\n`);
    return;
  }
  for (const e of entries) {
    let line =
      `producerId: ${e.producerId} producerEpoch: ${e.producerEpoch} coordinatorEpoch: ${e.coordinatorEpoch} ` +
      `currentTxnFirstOffset: ${e.currentTxnFirstOffset >= 0 ? `OptionalLong[${e.currentTxnFirstOffset}]` : 'OptionalLong.empty'} lastTimestamp: ${e.timestamp} `;
    // Kafka's snapshot reader keeps a batch only for producers that had one (lastOffset ≥ 0).
    if (e.lastOffset >= 0) {
      line +=
        `firstSequence: ${decrementSequence(e.lastSequence, e.offsetDelta)} lastSequence: ${e.lastSequence} ` +
        `lastOffset: ${e.lastOffset} offsetDelta: ${e.offsetDelta} timestamp: ${e.timestamp}`;
    }
    output.out(`${line}\n`);
  }
}

function dumpTxnIndex(file: string, output: Output): void {
  for (const t of decodeAbortedTxns(readFileSync(file), resolve(file))) {
    output.out(`version: 0 producerId: ${t.producerId} firstOffset: ${t.firstOffset} lastOffset: ${t.lastOffset} lastStableOffset: ${t.lastStableOffset}\n`);
  }
}

/** Dumps every file of --files in turn, then reports the problems found; returns the exit code. */
export function dumpLogSegments(options: ParsedOptions, output: Output): number {
  const files = options.required('files').split(',');
  const settings = settingsOf(options, output);
  const errors = new DumpErrors();
  const print = (line: string): void => output.out(`${line}\n`);
  try {
    for (const file of files) {
      output.out(`Dumping ${file}\n`);
      const suffix = file.slice(file.lastIndexOf('.'));
      switch (suffix) {
        case '.log':
          dumpLog(file, settings, errors, output);
          break;
        case '.index':
          dumpIndex(file, settings.indexSanityOnly, settings.verifyOnly, errors, print);
          break;
        case '.timeindex':
          dumpTimeIndex(file, settings.indexSanityOnly, settings.verifyOnly, errors, print);
          break;
        case '.snapshot':
          dumpProducerSnapshot(file, output);
          break;
        case '.txnindex':
          dumpTxnIndex(file, output);
          break;
        default:
          output.err(`Ignoring unknown file ${file}\n`);
      }
    }
  } catch (err) {
    // Kafka lets these escape main: the JVM prints them and exits with 1.
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT' ? (err as NodeJS.ErrnoException).path : undefined;
    output.err(`Exception in thread "main" ${javaExceptionName(err)}: ${missing ?? (err as Error).message}\n`);
    return 1;
  }
  for (const line of errors.lines()) output.err(`${line}\n`);
  return 0;
}

function javaExceptionName(err: unknown): string {
  if (err instanceof CorruptRecordError) return 'org.apache.kafka.common.errors.CorruptRecordException';
  if (err instanceof CorruptIndexError) return 'org.apache.kafka.common.errors.CorruptIndexException';
  if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'java.nio.file.NoSuchFileException';
  return 'org.apache.kafka.common.KafkaException';
}

export async function main(options: ParsedOptions): Promise<number> {
  return dumpLogSegments(options, { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) });
}
