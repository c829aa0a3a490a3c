// Kafka's LineMessageReader, which kafka-console-producer.sh turns input lines into records with:
// with parse.headers the line starts with "h1:v1,h2:v2" up to headers.delimiter, with parse.key a
// key follows up to key.separator, and the rest is the value; fields equal to null.marker become
// null. Its validation and error messages are Kafka's.

import { RecordHeader } from '../../../protocol/records';

export interface LineReaderConfig {
  parseKey: boolean;
  keySeparator: string;
  parseHeaders: boolean;
  headersDelimiter: string;
  headersSeparator: string;
  headersKeySeparator: string;
  ignoreError: boolean;
  nullMarker: string | null;
}

export interface ParsedLine {
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

/** The reader's settings from its properties; conflicting separators throw Kafka's messages. */
export function lineReaderConfig(props: ReadonlyMap<string, string>): LineReaderConfig {
  const bool = (name: string) => props.get(name)?.trim().toLowerCase() === 'true';
  const c: LineReaderConfig = {
    parseKey: bool('parse.key'),
    keySeparator: props.get('key.separator') ?? '\t',
    parseHeaders: bool('parse.headers'),
    headersDelimiter: props.get('headers.delimiter') ?? '\t',
    headersSeparator: props.get('headers.separator') ?? ',',
    headersKeySeparator: props.get('headers.key.separator') ?? ':',
    ignoreError: bool('ignore.error'),
    nullMarker: props.get('null.marker') ?? null,
  };
  if (c.headersDelimiter === c.headersSeparator) throw new Error('headers.delimiter and headers.separator may not be equal');
  if (c.headersDelimiter === c.headersKeySeparator) throw new Error('headers.delimiter and headers.key.separator may not be equal');
  if (c.headersSeparator === c.headersKeySeparator) throw new Error('headers.separator and headers.key.separator may not be equal');
  if (c.keySeparator === c.nullMarker) throw new Error('null.marker and key.separator may not be equal');
  if (c.headersSeparator === c.nullMarker) throw new Error('null.marker and headers.separator may not be equal');
  if (c.headersDelimiter === c.nullMarker) throw new Error('null.marker and headers.delimiter may not be equal');
  if (c.headersKeySeparator === c.nullMarker) throw new Error('null.marker and headers.key.separator may not be equal');
  return c;
}

/** One input line (without its line break) as a record; lineNumber counts from 1, for errors. */
export function parseLine(line: string, lineNumber: number, c: LineReaderConfig): ParsedLine {
  const part = (enabled: boolean, start: number, demarcation: string, name: string): string | null => {
    if (!enabled) return null;
    const index = line.indexOf(demarcation, start);
    if (index === -1) {
      if (c.ignoreError) return null;
      throw new Error(`No ${name} found on line number ${lineNumber}: '${line}'`);
    }
    return line.substring(start, index);
  };
  const headers = part(c.parseHeaders, 0, c.headersDelimiter, 'headers delimiter');
  const headerOffset = headers === null ? 0 : headers.length + c.headersDelimiter.length;
  const key = part(c.parseKey, headerOffset, c.keySeparator, 'key separator');
  const keyOffset = key === null ? 0 : key.length + c.keySeparator.length;
  const value = line.substring(headerOffset + keyOffset);
  return {
    key: key !== null && key !== c.nullMarker ? Buffer.from(key, 'utf8') : null,
    value: value !== c.nullMarker ? Buffer.from(value, 'utf8') : null,
    headers: headers !== null && headers !== c.nullMarker ? splitHeaders(headers, lineNumber, c) : [],
  };
}

function splitHeaders(headers: string, lineNumber: number, c: LineReaderConfig): RecordHeader[] {
  // headers.separator is a Java regex; Pattern.split drops trailing empty strings.
  const pairs = headers.split(new RegExp(c.headersSeparator));
  while (pairs.length > 1 && pairs[pairs.length - 1] === '') pairs.pop();
  return pairs.map((pair) => {
    const i = pair.indexOf(c.headersKeySeparator);
    if (i === -1) {
      if (c.ignoreError) return { key: pair, value: null };
      throw new Error(`No header key separator found in pair '${pair}' on line number ${lineNumber}`);
    }
    const key = pair.substring(0, i);
    if (key === c.nullMarker) throw new Error(`Header keys should not be equal to the null marker '${c.nullMarker}' as they can't be null`);
    const value = pair.substring(i + c.headersKeySeparator.length);
    return { key, value: value === c.nullMarker ? null : Buffer.from(value, 'utf8') };
  });
}
