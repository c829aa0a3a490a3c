// Kafka's DefaultMessageFormatter, which kafka-console-consumer.sh prints records with: optional
// "CreateTime:<ms>" (or LogAppendTime:<ms>, or NO_TIMESTAMP), "Partition:<n>", "Offset:<n>",
// headers ("k:v,k2:v2" or "NO_HEADERS"), key and value, in that order, joined by key.separator and
// ended by line.separator; a null key, value or header value prints as null.literal. Configured by
// the --property print.* and separator settings, and key.deserializer, value.deserializer,
// headers.deserializer (see deserializers.ts).

import { ConsumerRecord } from '../../client/consumer';
import { Deserialize, deserializer } from './deserializers';

export interface FormatterConfig {
  printTimestamp: boolean;
  printKey: boolean;
  printValue: boolean;
  printPartition: boolean;
  printOffset: boolean;
  printHeaders: boolean;
  keySeparator: Buffer;
  lineSeparator: Buffer;
  headersSeparator: Buffer;
  nullLiteral: Buffer;
  keyDeserializer?: Deserialize;
  valueDeserializer?: Deserialize;
  headersDeserializer?: Deserialize;
}

/**
 * The formatter's settings from its properties, as DefaultMessageFormatter.configure reads them; a
 * deserializer class it does not know is reported through `unknownDeserializer` and the bytes print as they are.
 */
export function formatterConfig(props: ReadonlyMap<string, string>, unknownDeserializer: (className: string) => void = () => undefined): FormatterConfig {
  const bool = (name: string, dflt: boolean) => {
    const v = props.get(name);
    return v === undefined ? dflt : v.trim().toLowerCase() === 'true';
  };
  const bytes = (name: string, dflt: string) => Buffer.from(props.get(name) ?? dflt, 'utf8');
  const deserializerFor = (name: string): Deserialize | undefined => {
    const className = props.get(name);
    if (className === undefined) return undefined;
    const d = deserializer(className);
    if (!d) unknownDeserializer(className);
    return d;
  };
  return {
    printTimestamp: bool('print.timestamp', false),
    printKey: bool('print.key', false),
    printValue: bool('print.value', true),
    printPartition: bool('print.partition', false),
    printOffset: bool('print.offset', false),
    printHeaders: bool('print.headers', false),
    keySeparator: bytes('key.separator', '\t'),
    lineSeparator: bytes('line.separator', '\n'),
    headersSeparator: bytes('headers.separator', ','),
    nullLiteral: bytes('null.literal', 'null'),
    keyDeserializer: deserializerFor('key.deserializer'),
    valueDeserializer: deserializerFor('value.deserializer'),
    headersDeserializer: deserializerFor('headers.deserializer'),
  };
}

/** The bytes DefaultMessageFormatter.writeTo prints for the record. */
export function formatRecord(record: ConsumerRecord, c: FormatterConfig): Buffer {
  const out: Buffer[] = [];
  const text = (s: string) => out.push(Buffer.from(s, 'utf8'));
  // As Kafka, a null becomes the null literal before it reaches the deserializer.
  const show = (b: Buffer | null, d: Deserialize | undefined) => (d ? d(b ?? c.nullLiteral) : (b ?? c.nullLiteral));
  // After each field comes the key separator when a later field prints, else the line separator.
  const fields: (() => void)[] = [];
  if (c.printTimestamp) fields.push(() => text(record.timestampType === 'NoTimestampType' ? 'NO_TIMESTAMP' : `${record.timestampType}:${record.timestamp}`));
  if (c.printPartition) fields.push(() => text(`Partition:${record.partition}`));
  if (c.printOffset) fields.push(() => text(`Offset:${record.offset}`));
  if (c.printHeaders) {
    fields.push(() => {
      if (record.headers.length === 0) text('NO_HEADERS');
      record.headers.forEach((h, i) => {
        text(`${h.key}:`);
        out.push(show(h.value, c.headersDeserializer));
        if (i < record.headers.length - 1) out.push(c.headersSeparator);
      });
    });
  }
  if (c.printKey) fields.push(() => out.push(show(record.key, c.keyDeserializer)));
  fields.forEach((write, i) => {
    write();
    out.push(i < fields.length - 1 || c.printValue ? c.keySeparator : c.lineSeparator);
  });
  if (c.printValue) {
    out.push(show(record.value, c.valueDeserializer));
    out.push(c.lineSeparator);
  }
  return Buffer.concat(out);
}
