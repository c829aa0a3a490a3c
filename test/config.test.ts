// server.properties loading: Java Properties syntax, Kafka 3.9 defaults and precedence,
// overrides, unknown-key warnings and malformed-value errors.

import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { hostname, tmpdir } from 'os';
import { join } from 'path';
import { ConfigError, LONG_MAX, loadConfig, parseConfig } from '../src/config';
import { PropertiesSyntaxError, parseProperties } from '../src/properties';

const HOUR = 3_600_000;

function configOf(entries: Record<string, string>, warnings: string[] = []) {
  return parseConfig(new Map(Object.entries(entries)), (line) => warnings.push(line));
}

function errorOf(entries: Record<string, string>): ConfigError {
  try {
    configOf(entries);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(entries)}`);
}

describe('defaults', () => {
  it('match Kafka 3.9', () => {
    const warnings: string[] = [];
    const c = configOf({}, warnings);
    expect(warnings).toEqual([]);
    expect(c).toMatchObject({
      brokerId: -1,
      brokerIdGenerationEnable: true,
      reservedBrokerMaxId: 1000,
      brokerRack: null,
      listeners: [{ name: 'PLAINTEXT', host: '', port: 9092, securityProtocol: 'PLAINTEXT' }],
      advertisedListeners: [{ name: 'PLAINTEXT', host: hostname(), port: 9092, securityProtocol: 'PLAINTEXT' }],
      logDirs: ['/tmp/kafka-logs'],
      numPartitions: 1,
      defaultReplicationFactor: 1,
      autoCreateTopicsEnable: true,
      deleteTopicEnable: true,
      logSegmentBytes: 1073741824,
      logRollMs: 168 * HOUR,
      logIndexIntervalBytes: 4096,
      logIndexSizeMaxBytes: 10485760,
      logRetentionMs: 168 * HOUR,
      logRetentionBytes: -1,
      logRetentionCheckIntervalMs: 300000,
      logFlushIntervalMessages: LONG_MAX,
      logFlushIntervalMs: LONG_MAX,
      logFlushSchedulerIntervalMs: LONG_MAX,
      logFlushOffsetCheckpointIntervalMs: 60000,
      logMessageTimestampType: 'CreateTime',
      logCleanupPolicy: ['delete'],
      messageMaxBytes: 1048588,
      socketRequestMaxBytes: 104857600,
      offsetsTopicNumPartitions: 50,
      offsetsTopicReplicationFactor: 3,
      offsetsRetentionMinutes: 10080,
      groupInitialRebalanceDelayMs: 3000,
      groupMinSessionTimeoutMs: 6000,
      groupMaxSessionTimeoutMs: 1800000,
      groupMaxSize: 2147483647,
      zookeeperConnect: '',
      zookeeperSessionTimeoutMs: 18000,
      zookeeperConnectionTimeoutMs: 18000,
      interBrokerListenerName: 'PLAINTEXT',
      minInsyncReplicas: 1,
      replicaLagTimeMaxMs: 30000,
      replicaFetchWaitMaxMs: 500,
      replicaFetchMinBytes: 1,
      replicaFetchMaxBytes: 1048576,
      replicaFetchResponseMaxBytes: 10485760,
      replicaFetchBackoffMs: 1000,
      replicaSocketTimeoutMs: 30000,
    });
    expect([...c.listenerSecurityProtocolMap]).toEqual(
      expect.arrayContaining([
        ['PLAINTEXT', 'PLAINTEXT'],
        ['SSL', 'SSL'],
        ['SASL_PLAINTEXT', 'SASL_PLAINTEXT'],
        ['SASL_SSL', 'SASL_SSL'],
      ]),
    );
    expect(c.props.size).toBe(0);
  });

  it('keep every given key in props', () => {
    const c = configOf({ 'num.partitions': '3', 'num.io.threads': '8' });
    expect([...c.props]).toEqual([
      ['num.partitions', '3'],
      ['num.io.threads', '8'],
    ]);
  });
});

describe('precedence', () => {
  it('log.retention: ms > minutes > hours', () => {
    expect(configOf({ 'log.retention.hours': '2' }).logRetentionMs).toBe(2 * HOUR);
    expect(configOf({ 'log.retention.hours': '2', 'log.retention.minutes': '5' }).logRetentionMs).toBe(300000);
    const all = { 'log.retention.hours': '2', 'log.retention.minutes': '5', 'log.retention.ms': '1234' };
    expect(configOf(all).logRetentionMs).toBe(1234);
    expect(configOf({ 'log.retention.ms': '1234', 'log.retention.hours': '2' }).logRetentionMs).toBe(1234);
  });

  it('any negative retention means forever', () => {
    expect(configOf({ 'log.retention.ms': '-1' }).logRetentionMs).toBe(-1);
    expect(configOf({ 'log.retention.hours': '-1' }).logRetentionMs).toBe(-1);
    expect(configOf({ 'log.retention.minutes': '-5' }).logRetentionMs).toBe(-1);
  });

  it('log.roll.ms beats log.roll.hours', () => {
    expect(configOf({ 'log.roll.hours': '1' }).logRollMs).toBe(HOUR);
    expect(configOf({ 'log.roll.hours': '1', 'log.roll.ms': '500' }).logRollMs).toBe(500);
  });

  it('log.dirs beats log.dir and is a comma list', () => {
    expect(configOf({ 'log.dir': '/a' }).logDirs).toEqual(['/a']);
    expect(configOf({ 'log.dir': '/a', 'log.dirs': ' /b , /c ' }).logDirs).toEqual(['/b', '/c']);
  });

  it('log.flush.interval.ms falls back to the flush scheduler interval', () => {
    expect(configOf({ 'log.flush.scheduler.interval.ms': '2000' }).logFlushIntervalMs).toBe(2000);
    const both = { 'log.flush.scheduler.interval.ms': '2000', 'log.flush.interval.ms': '1000' };
    expect(configOf(both).logFlushIntervalMs).toBe(1000);
  });

  it('zookeeper.connection.timeout.ms falls back to the session timeout', () => {
    expect(configOf({ 'zookeeper.session.timeout.ms': '9000' }).zookeeperConnectionTimeoutMs).toBe(9000);
  });

  it('node.id names the broker when broker.id is absent', () => {
    expect(configOf({ 'node.id': '4' }).brokerId).toBe(4);
    expect(configOf({ 'node.id': '4', 'broker.id': '2' }).brokerId).toBe(2);
  });
});

describe('listeners', () => {
  it('parse names, hosts, ports and security protocols', () => {
    const c = configOf({
      listeners: 'plaintext://[::1]:9092, EXTERNAL://0.0.0.0:9093,INTERNAL://:0',
      'advertised.listeners': 'PLAINTEXT://[::1]:9092,EXTERNAL://kafka.example:19093',
      'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,EXTERNAL:sasl_ssl,INTERNAL:PLAINTEXT',
    });
    expect(c.listeners).toEqual([
      { name: 'PLAINTEXT', host: '::1', port: 9092, securityProtocol: 'PLAINTEXT' },
      { name: 'EXTERNAL', host: '0.0.0.0', port: 9093, securityProtocol: 'SASL_SSL' },
      { name: 'INTERNAL', host: '', port: 0, securityProtocol: 'PLAINTEXT' },
    ]);
    expect(c.advertisedListeners).toEqual([
      { name: 'PLAINTEXT', host: '::1', port: 9092, securityProtocol: 'PLAINTEXT' },
      { name: 'EXTERNAL', host: 'kafka.example', port: 19093, securityProtocol: 'SASL_SSL' },
    ]);
  });

  it('advertise this machine for an empty host', () => {
    const c = configOf({ listeners: 'PLAINTEXT://:9092', 'advertised.listeners': 'PLAINTEXT://:29092' });
    expect(c.listeners[0].host).toBe('');
    expect(c.advertisedListeners[0]).toMatchObject({ host: hostname(), port: 29092 });
  });

  it.each([
    ['listeners', 'foo', 'foo'],
    ['listeners', 'PLAINTEXT://localhost', 'PLAINTEXT://localhost'],
    ['listeners', 'PLAINTEXT://localhost:99999', '99999'],
    ['listeners', 'BOGUS://localhost:9092', 'No security protocol defined for listener BOGUS'],
    ['listeners', 'PLAINTEXT://:9092,SSL://:9092', 'different port'],
    ['listeners', 'PLAINTEXT://:9092,PLAINTEXT://:9093', 'different name'],
    ['listeners', '', 'at least one listener'],
    ['listener.security.protocol.map', 'PLAINTEXT:TLS', 'PLAINTEXT:TLS'],
    ['listener.security.protocol.map', 'PLAINTEXT', 'PLAINTEXT'],
  ])('reject %s=%s', (key, value, detail) => {
    const err = errorOf({ [key]: value });
    expect(err.message).toContain(key);
    expect(err.message).toContain(value);
    expect(err.message).toContain(detail);
  });

  it('reject advertising 0.0.0.0, also when defaulted from listeners', () => {
    const explicit = errorOf({ listeners: 'PLAINTEXT://:9092', 'advertised.listeners': 'PLAINTEXT://0.0.0.0:9092' });
    expect(explicit.message).toMatch(/advertised\.listeners: .*0\.0\.0\.0/);
    const defaulted = errorOf({ listeners: 'PLAINTEXT://0.0.0.0:9092' });
    expect(defaulted.message).toContain('set advertised.listeners');
  });

  it('reject advertised listener names missing from listeners', () => {
    const err = errorOf({ listeners: 'PLAINTEXT://:9092', 'advertised.listeners': 'SSL://host:9093' });
    expect(err.message).toContain('advertised.listeners');
    expect(err.message).toContain('SSL://host:9093');
  });
});

describe('malformed values', () => {
  it.each([
    ['num.partitions', 'abc', 'Not a number of type INT'],
    ['num.partitions', '0', 'at least 1'],
    ['num.partitions', '2147483648', 'Not a number of type INT'],
    ['num.partitions', '', 'Not a number'],
    ['log.segment.bytes', '-5', 'at least 14'],
    ['log.retention.ms', '1.5', 'Not a number of type LONG'],
    ['log.retention.bytes', '9223372036854775808', 'Not a number of type LONG'],
    ['offsets.topic.replication.factor', '40000', 'Not a number of type SHORT'],
    ['socket.request.max.bytes', '0', 'at least 1'],
    ['auto.create.topics.enable', 'yes', 'true or false'],
    ['log.message.timestamp.type', 'Bogus', 'CreateTime, LogAppendTime'],
    ['log.cleanup.policy', 'delete,shred', 'compact, delete'],
    ['num.io.threads', 'many', 'Not a number of type INT'],
    ['broker.id', '5000', 'reserved.broker.max.id'],
    ['log.dirs', '', 'at least one log directory'],
  ])('%s=%s', (key, value, detail) => {
    const err = errorOf({ [key]: value });
    expect(err.message).toContain(`Invalid value ${value} for configuration ${key}`);
    expect(err.message).toContain(detail);
  });

  it('the replica fetch wait must fit the socket timeout and the lag time, as Kafka requires', () => {
    expect(errorOf({ 'replica.fetch.wait.max.ms': '40000' }).message).toContain('replica.socket.timeout.ms');
    expect(errorOf({ 'replica.lag.time.max.ms': '400' }).message).toContain('replica.lag.time.max.ms');
    expect(configOf({ 'inter.broker.listener.name': 'internal' }).interBrokerListenerName).toBe('INTERNAL');
  });

  it('broker.id must be set when generation is off', () => {
    expect(errorOf({ 'broker.id.generation.enable': 'false' }).message).toContain('broker.id');
    expect(configOf({ 'broker.id.generation.enable': 'false', 'broker.id': '7' }).brokerId).toBe(7);
  });

  it('values are trimmed and booleans ignore case, as in Kafka', () => {
    const c = configOf({
      'num.partitions': ' 3 ',
      'delete.topic.enable': 'FALSE',
      'log.cleanup.policy': 'compact, delete',
    });
    expect(c.numPartitions).toBe(3);
    expect(c.deleteTopicEnable).toBe(false);
    expect(c.logCleanupPolicy).toEqual(['compact', 'delete']);
  });
});

describe('unknown keys', () => {
  it('warn once per key; accepted Kafka keys stay silent', () => {
    const warnings: string[] = [];
    configOf({ 'no.such.key': '1', 'num.network.threads': '3', 'socket.send.buffer.bytes': '102400' }, warnings);
    expect(warnings).toEqual(['WARN unknown config key no.such.key ignored']);
  });

  it('security keys are known, plain and per listener, but not made-up ones', () => {
    const warnings: string[] = [];
    configOf(
      {
        'ssl.keystore.location': '/k.p12',
        'listener.name.secure.ssl.client.auth': 'required',
        'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config': 'x required;',
        'sasl.enabled.mechanisms': 'PLAIN',
        'delegation.token.secret.key': 's',
        'connections.max.reauth.ms': '1000',
        'ssl.no.such.thing': '1',
        'listener.name.secure.sasl.bogus': '1',
      },
      warnings,
    );
    expect(warnings).toEqual(['WARN unknown config key ssl.no.such.thing ignored', 'WARN unknown config key listener.name.secure.sasl.bogus ignored']);
  });
});

describe('loadConfig', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kafka-ts-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function file(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  it('lets overrides beat the file, warning once for an unknown key given twice', () => {
    const path = file('a.properties', 'num.partitions=2\nbroker.id=1\nmystery=1\n');
    const warnings: string[] = [];
    const c = loadConfig(path, ['num.partitions=6', 'mystery=2', 'log.dirs=/x,/y'], (l) => warnings.push(l));
    expect(c.numPartitions).toBe(6);
    expect(c.brokerId).toBe(1);
    expect(c.logDirs).toEqual(['/x', '/y']);
    expect(c.props.get('mystery')).toBe('2');
    expect(warnings).toEqual(['WARN unknown config key mystery ignored']);
  });

  it('rejects an override without "="', () => {
    const path = file('b.properties', '');
    expect(() => loadConfig(path, ['num.partitions'], () => {})).toThrow(/num\.partitions/);
  });

  it('names the value and key of a malformed override', () => {
    const path = file('c.properties', '');
    expect(() => loadConfig(path, ['num.partitions=abc'], () => {})).toThrow(
      new ConfigError('Invalid value abc for configuration num.partitions: Not a number of type INT'),
    );
  });

  it('reports a missing file as a ConfigError', () => {
    expect(() => loadConfig(join(dir, 'missing.properties'), [], () => {})).toThrow(ConfigError);
  });

  it("loads the project's config/server.properties without warnings", () => {
    const warnings: string[] = [];
    const c = loadConfig(join(__dirname, '../../config/server.properties'), [], (l) => warnings.push(l));
    expect(warnings).toEqual([]);
    expect(c).toMatchObject({
      brokerId: 0,
      listeners: [{ name: 'PLAINTEXT', host: 'localhost', port: 9092 }],
      advertisedListeners: [{ name: 'PLAINTEXT', host: 'localhost', port: 9092 }],
      logDirs: ['./data/kafka-logs'],
      zookeeperConnect: '',
      offsetsTopicNumPartitions: 50,
    });
  });

  it("loads Kafka's own sample server.properties without warnings", () => {
    const kafkaSample = [
      'broker.id=0',
      'num.network.threads=3',
      'num.io.threads=8',
      'socket.send.buffer.bytes=102400',
      'socket.receive.buffer.bytes=102400',
      'socket.request.max.bytes=104857600',
      'log.dirs=/tmp/kafka-logs',
      'num.partitions=1',
      'num.recovery.threads.per.data.dir=1',
      'offsets.topic.replication.factor=1',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'log.retention.hours=168',
      'log.segment.bytes=1073741824',
      'log.retention.check.interval.ms=300000',
      'zookeeper.connect=localhost:2181',
      'zookeeper.connection.timeout.ms=18000',
      'group.initial.rebalance.delay.ms=0',
    ].join('\n');
    const warnings: string[] = [];
    const c = loadConfig(file('kafka.properties', kafkaSample), [], (l) => warnings.push(l));
    expect(warnings).toEqual([]);
    expect(c.zookeeperConnect).toBe('localhost:2181');
    expect(c.groupInitialRebalanceDelayMs).toBe(0);
  });
});

describe('Java Properties syntax', () => {
  const parse = (text: string) => Object.fromEntries(parseProperties(text));

  it('accepts "=", ":" and whitespace as separators', () => {
    expect(parse('a=1\nb: 2\nc 3\nd\t4\ne = 5\nf   :   6\ng\n')).toEqual({
      a: '1',
      b: '2',
      c: '3',
      d: '4',
      e: '5',
      f: '6',
      g: '',
    });
  });

  it('keeps later separators and trailing whitespace in the value', () => {
    expect(parse('a=b=c\nk::v\nt=x  ')).toEqual({ a: 'b=c', k: ':v', t: 'x  ' });
  });

  it('skips "#" and "!" comments and blank lines, also when indented', () => {
    expect(parse('# c\n  ! c\n\n   \n\ta=1\n#b=2\n')).toEqual({ a: '1' });
  });

  it('joins continued lines, dropping the next line’s indentation', () => {
    expect(parse('list=a,\\\n    b,\\\n\tc\nnext=1')).toEqual({ list: 'a,b,c', next: '1' });
  });

  it('does not continue a line ending in an escaped backslash', () => {
    expect(parse('path=C:\\\\dir\\\\\nnext=1')).toEqual({ path: 'C:\\dir\\', next: '1' });
  });

  it('does not continue a comment ending in a backslash', () => {
    expect(parse('# comment \\\na=1')).toEqual({ a: '1' });
  });

  it('does not treat "#" in a continuation as a comment', () => {
    expect(parse('a=x\\\n#y')).toEqual({ a: 'x#y' });
  });

  it('drops a backslash continuing past the end of the file', () => {
    expect(parse('a=x\\')).toEqual({ a: 'x' });
  });

  it('decodes escapes in keys and values', () => {
    expect(parse('a\\=b\\:c\\ d=\\u0041\\u00e9\\t\\n\\r\\f\\q\\\\')).toEqual({ 'a=b:c d': 'Aé\t\n\r\fq\\' });
  });

  it('accepts CRLF and CR line endings', () => {
    expect(parse('a=1\r\nb=2\rc=3')).toEqual({ a: '1', b: '2', c: '3' });
  });

  it('lets a later duplicate key win', () => {
    expect(parse('a=1\na=2')).toEqual({ a: '2' });
  });

  it('rejects a malformed \\u escape', () => {
    expect(() => parse('a=\\u12x4')).toThrow(PropertiesSyntaxError);
  });
});
