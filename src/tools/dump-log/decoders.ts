// How DumpLogSegments turns a record's key and value into text: Kafka's built-in Decoder classes
// (org.apache.kafka.tools.api.StringDecoder, IntegerDecoder, LongDecoder, DefaultDecoder, and their
// deprecated kafka.serializer names), or the __consumer_offsets / __transaction_state parsers.
import { DumpRecord } from './file-batches';
import { formatOffsetsRecord } from './offsets-decoder';
import { formatTransactionLogRecord } from './transaction-log-decoder';

/** Key and value as printed; undefined leaves the part out, as Kafka's None does. */
export type MessageParser = (record: DumpRecord) => { key?: string; payload?: string };

type Decoder = (bytes: Buffer) => string;

const API_PACKAGE = 'org.apache.kafka.tools.api.';
const DEPRECATED_PACKAGE = 'kafka.serializer.';

const DECODERS: Record<string, Decoder> = {
  StringDecoder: (b) => b.toString('utf8'),
  IntegerDecoder: (b) => String(b.readInt32BE(0)),
  LongDecoder: (b) => String(b.readBigInt64BE(0)),
  // Kafka prints the byte[] itself, i.e. its identity hash; the bytes in hex say more.
  DefaultDecoder: (b) => b.toString('hex'),
};

export const STRING_DECODER_CLASS = `${API_PACKAGE}StringDecoder`;

/**
 * The decoder a class name stands for. Kafka's deprecated names print a note on stdout, as Kafka does; a class
 * this tool cannot load (a custom jar) falls back to StringDecoder with a note on stderr.
 */
export function decoderFor(className: string, out: (line: string) => void, err: (line: string) => void): Decoder {
  if (className.startsWith(DEPRECATED_PACKAGE)) {
    const simple = className.slice(DEPRECATED_PACKAGE.length);
    if (DECODERS[simple] !== undefined) {
      out(`${className} is deprecated. Please use ${API_PACKAGE}${simple} instead`);
      return DECODERS[simple];
    }
  }
  if (className.startsWith(API_PACKAGE) && DECODERS[className.slice(API_PACKAGE.length)] !== undefined) {
    return DECODERS[className.slice(API_PACKAGE.length)];
  }
  err(`Decoder class ${className} cannot be loaded by this tool; using ${STRING_DECODER_CLASS}`);
  return DECODERS.StringDecoder;
}

export function decoderParser(keyDecoder: Decoder, valueDecoder: Decoder): MessageParser {
  return (record) => ({
    key: record.key === null ? undefined : keyDecoder(record.key),
    payload: record.value === null ? undefined : valueDecoder(record.value),
  });
}

export const offsetsParser: MessageParser = formatOffsetsRecord;
export const transactionLogParser: MessageParser = formatTransactionLogRecord;
