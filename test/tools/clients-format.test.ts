// The console tools' pure parts: DefaultMessageFormatter's layout, LineMessageReader's parsing and
// errors, Java's %.Nf and SimpleDateFormat, the perf tools' rows and argument handling.

import { ConsumerRecord } from '../../src/client/consumer';
import { progressRow, summaryRow } from '../../src/tools/clients/consumer-perf-test';
import { deserializer, javaDouble, javaFloat } from '../../src/tools/clients/deserializers';
import { javaDateTime, javaFixed } from '../../src/tools/clients/java-format';
import { lineReaderConfig, parseLine } from '../../src/tools/clients/line-reader';
import { formatRecord, formatterConfig } from '../../src/tools/clients/message-formatter';
import { formatMetrics } from '../../src/tools/clients/perf-metrics';
import { Stats, expandProducerProps } from '../../src/tools/clients/producer-perf-test';

const record: ConsumerRecord = {
  topic: 't',
  partition: 0,
  offset: 3,
  timestamp: 1700000000000,
  timestampType: 'CreateTime',
  key: Buffer.from('key'),
  value: Buffer.from('value'),
  headers: [
    { key: 'h1', value: Buffer.from('v1') },
    { key: 'h2', value: null },
  ],
};

const format = (props: Record<string, string>, r: ConsumerRecord = record) => formatRecord(r, formatterConfig(new Map(Object.entries(props)))).toString();

describe('DefaultMessageFormatter', () => {
  test('prints only the value by default', () => {
    expect(format({})).toBe('value\n');
  });

  test('prints every field in Kafka order, tab separated', () => {
    const all = { 'print.timestamp': 'true', 'print.partition': 'true', 'print.offset': 'true', 'print.headers': 'true', 'print.key': 'true' };
    expect(format(all)).toBe('CreateTime:1700000000000\tPartition:0\tOffset:3\th1:v1,h2:null\tkey\tvalue\n');
  });

  test('separators, null literal, LogAppendTime and no headers', () => {
    const r: ConsumerRecord = { ...record, key: null, headers: [], timestampType: 'LogAppendTime' };
    const props = { 'print.timestamp': 'true', 'print.headers': 'true', 'print.key': 'true', 'key.separator': ' | ', 'line.separator': ';', 'null.literal': 'NULL' };
    expect(format(props, r)).toBe('LogAppendTime:1700000000000 | NO_HEADERS | NULL | value;');
    expect(format({ 'print.timestamp': 'true' }, { ...record, timestamp: -1, timestampType: 'NoTimestampType' })).toBe('NO_TIMESTAMP\tvalue\n');
  });

  test('without the value the last field ends the line', () => {
    expect(format({ 'print.key': 'true', 'print.value': 'false', 'print.offset': 'TRUE ' })).toBe('Offset:3\tkey\n');
    expect(format({ 'print.headers': 'true', 'headers.separator': '|' })).toBe('h1:v1|h2:null\tvalue\n');
  });
});

describe('deserializers', () => {
  const S = 'org.apache.kafka.common.serialization.';
  const show = (name: string, bytes: Buffer) => deserializer(S + name)!(bytes).toString();

  test("print what the deserialized object's toString gives", () => {
    const long = Buffer.alloc(8);
    long.writeBigInt64BE(-5n);
    expect(show('LongDeserializer', long)).toBe('-5');
    const dbl = Buffer.alloc(8);
    dbl.writeDoubleBE(1e10);
    expect(show('DoubleDeserializer', dbl)).toBe('1.0E10');
    expect(show('BytesDeserializer', Buffer.from([0x41, 0x5c, 0x00, 0xff]))).toBe('A\\x5C\\x00\\xFF');
    expect(() => show('IntegerDeserializer', Buffer.from('null'))).not.toThrow();
    expect(() => show('IntegerDeserializer', Buffer.from('nul'))).toThrow('Size of data received by IntegerDeserializer is not 4');
    expect(deserializer('com.example.Custom')).toBeUndefined();
  });

  test("Java's Double.toString and Float.toString", () => {
    expect([100, 0.5, 1234567.25, 1e7, 1e-4, -0, 0.001].map(javaDouble)).toEqual(['100.0', '0.5', '1234567.25', '1.0E7', '1.0E-4', '-0.0', '0.001']);
    expect(javaFloat(Math.fround(0.1))).toBe('0.1');
    expect(javaFloat(Math.fround(3.4e38))).toBe('3.4E38');
  });

  test('the formatter runs a null through the deserializer as the null literal', () => {
    const r: ConsumerRecord = { ...record, key: null };
    expect(format({ 'print.key': 'true', 'key.deserializer': `${S}StringDeserializer`, 'value.deserializer': `${S}BytesDeserializer` }, r)).toBe('null\tvalue\n');
  });
});

describe('LineMessageReader', () => {
  const config = (props: Record<string, string>) => lineReaderConfig(new Map(Object.entries(props)));

  test('key, headers and null marker', () => {
    const c = config({ 'parse.key': 'true', 'parse.headers': 'true', 'null.marker': '<null>' });
    const parsed = parseLine('a:1,b:<null>\tk\tv\tw', 1, c);
    expect(parsed.key?.toString()).toBe('k');
    expect(parsed.value?.toString()).toBe('v\tw');
    expect(parsed.headers.map((h) => [h.key, h.value?.toString() ?? null])).toEqual([
      ['a', '1'],
      ['b', null],
    ]);
    expect(parseLine('<null>\t<null>\t<null>', 2, c)).toEqual({ key: null, value: null, headers: [] });
  });

  test("Kafka's errors", () => {
    expect(() => parseLine('novalue', 4, config({ 'parse.key': 'true' }))).toThrow("No key separator found on line number 4: 'novalue'");
    expect(() => parseLine('x\tv', 2, config({ 'parse.headers': 'true' }))).toThrow("No header key separator found in pair 'x' on line number 2");
    expect(parseLine('x\tv', 2, config({ 'parse.headers': 'true', 'ignore.error': 'true' })).headers).toEqual([{ key: 'x', value: null }]);
    expect(() => config({ 'headers.separator': ':' })).toThrow('headers.separator and headers.key.separator may not be equal');
    expect(() => config({ 'null.marker': '\t' })).toThrow('null.marker and key.separator may not be equal');
  });

  test('custom key separator', () => {
    const parsed = parseLine('user-1:hello:world', 1, config({ 'parse.key': 'true', 'key.separator': ':' }));
    expect([parsed.key?.toString(), parsed.value?.toString()]).toEqual(['user-1', 'hello:world']);
  });
});

describe('Java number and date formats', () => {
  test('%.Nf rounds half up from the shortest decimal', () => {
    expect(javaFixed(1.005, 2)).toBe('1.01');
    expect(javaFixed(0.125, 2)).toBe('0.13');
    expect(javaFixed(2.5, 0)).toBe('3');
    expect(javaFixed(99.96, 1)).toBe('100.0');
    expect(javaFixed(1e-7, 4)).toBe('0.0000');
    expect(javaFixed(123456.789, 6)).toBe('123456.789000');
    expect(javaFixed(Infinity, 4)).toBe('Infinity');
    expect(javaFixed(NaN, 4)).toBe('NaN');
  });

  test('yyyy-MM-dd HH:mm:ss:SSS in local time', () => {
    const d = new Date(2024, 0, 2, 3, 4, 5, 6).getTime();
    expect(javaDateTime(d)).toBe('2024-01-02 03:04:05:006');
    expect(javaDateTime(d, "yy/M/d 'at' H")).toBe('24/1/2 at 3');
  });
});

describe('perf tool output', () => {
  test("ProducerPerformance's window and summary lines", () => {
    const lines: string[] = [];
    const stats = new Stats(4, (l) => lines.push(l), 0);
    stats.record(10, 100, Date.now());
    expect(lines[0]).toMatch(/^1 records sent, (\d+\.\d|Infinity) records\/sec \((\d+\.\d{2}|Infinity) MB\/sec\), 10\.0 ms avg latency, 10\.0 ms max latency\.$/);
    stats.printTotal();
    expect(lines[1]).toMatch(/^1 records sent, (\d+\.\d{6}|Infinity) records\/sec \((\d+\.\d{2}|Infinity) MB\/sec\), 10\.00 ms avg latency, 10\.00 ms max latency, 10 ms 50th, 10 ms 95th, 10 ms 99th, 10 ms 99\.9th\.$/);
  });

  test("ConsumerPerformance's rows", () => {
    const startMs = new Date(2024, 0, 2, 3, 4, 5, 0).getTime();
    const row = summaryRow({ startMs, endMs: startMs + 2000, bytes: 2 * 1024 * 1024, messages: 1000, joinTimeMs: 1000, dateFormat: 'yyyy-MM-dd HH:mm:ss:SSS' });
    expect(row).toBe('2024-01-02 03:04:05:000, 2024-01-02 03:04:07:000, 2.0000, 1.0000, 1000, 500.0000, 1000, 1000, 2.0000, 1000.0000');
    const progress = progressRow({ bytes: 1024 * 1024, lastBytes: 0, messages: 10, lastMessages: 0, startMs, endMs: startMs + 1000, joinTimeMs: 0, dateFormat: 'yyyy-MM-dd HH:mm:ss:SSS' });
    expect(progress).toBe('2024-01-02 03:04:06:000, 0, 1.0000, 1.0000, 10, 10.0000, 0, 1000, 1.0000, 10.0000');
  });

  test('--producer-props takes several values', () => {
    expect(expandProducerProps(['--producer-props', 'a=1', 'b=2', '--topic', 't'])).toEqual(['--producer-props', 'a=1', '--producer-props', 'b=2', '--topic', 't']);
  });

  test("ToolsUtils.printMetrics' layout", () => {
    const out = formatMetrics([
      { group: 'g', name: 'long-name', tags: { 'client-id': 'c' }, value: 1.5, isDouble: true },
      { group: 'g', name: 'a', tags: {}, value: 2, isDouble: false },
    ]);
    expect(out).toBe('\nMetric Name                 Value\ng:a:{}                    : 2\ng:long-name:{client-id=c} : 1.500\n');
  });
});
