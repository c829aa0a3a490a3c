import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorCode, KafkaError } from '../../protocol/errors';
import { formatCheckpoint, readOffsetCheckpoint, writeOffsetCheckpoint } from '../../src/log/checkpoint-file';
import { offsetFileName, parsePartitionDirName } from '../../src/log/file-names';
import { LeaderEpochCache } from '../../src/log/leader-epoch-cache';
import {
  DEFAULT_LOG_CONFIG,
  logConfigOverrides,
  resolveLogConfig,
} from '../../src/log/log-config';
import { readMetaProperties, writeMetaProperties } from '../../src/log/meta-properties';
import { formatProperties, parseProperties } from '../../src/properties';
import { makeTempDir, removeDir } from './helpers';

let tmp: string;
beforeEach(() => {
  tmp = makeTempDir();
});
afterEach(() => removeDir(tmp));

describe('log config', () => {
  test('Kafka 3.9 defaults', () => {
    expect(DEFAULT_LOG_CONFIG).toMatchObject({
      segmentBytes: 1073741824,
      segmentMs: 604800000,
      segmentIndexBytes: 10485760,
      indexIntervalBytes: 4096,
      retentionMs: 604800000,
      retentionBytes: -1,
      flushIntervalMessages: Infinity,
      flushIntervalMs: Infinity,
      messageTimestampType: 'CreateTime',
      maxMessageBytes: 1048588,
      cleanupPolicy: ['delete'],
      fileDeleteDelayMs: 60000,
    });
  });

  test('topic config keys become overrides', () => {
    const o = logConfigOverrides({
      'segment.bytes': '1048576',
      'retention.ms': '-1',
      'message.timestamp.type': 'LogAppendTime',
      'flush.messages': '9223372036854775807',
      'cleanup.policy': 'compact,delete',
      'min.insync.replicas': '2',
    });
    expect(o).toEqual({
      segmentBytes: 1048576,
      retentionMs: -1,
      messageTimestampType: 'LogAppendTime',
      flushIntervalMessages: Infinity,
      cleanupPolicy: ['compact', 'delete'],
    });
    expect(resolveLogConfig(DEFAULT_LOG_CONFIG, o).segmentMs).toBe(604800000);
  });

  test.each([
    ['segment.bytes', 'abc'],
    ['segment.bytes', '10'],
    ['max.message.bytes', '4294967296'],
    ['message.timestamp.type', 'WallClock'],
    ['cleanup.policy', 'shred'],
    ['retention.ms', '-2'],
  ])('%s=%s is INVALID_CONFIG naming key and value', (key, value) => {
    try {
      logConfigOverrides({ [key]: value });
      throw new Error('expected a failure');
    } catch (e) {
      expect(e).toBeInstanceOf(KafkaError);
      expect((e as KafkaError).code).toBe(ErrorCode.INVALID_CONFIG);
      expect((e as Error).message).toContain(key);
      expect((e as Error).message).toContain(value);
    }
  });
});

describe('names and checkpoints', () => {
  test('segment names are 20 digits; partition dirs parse', () => {
    expect(offsetFileName(0)).toBe('00000000000000000000');
    expect(offsetFileName(12345)).toBe('00000000000000012345');
    expect(parsePartitionDirName('my.topic-name-12')).toEqual({ topic: 'my.topic-name', partition: 12 });
    expect(parsePartitionDirName('t-0.0123456789abcdef0123456789abcdef-delete')).toBeNull();
    expect(parsePartitionDirName('t-0-future')).toBeNull();
    expect(parsePartitionDirName('.hidden-0')).toBeNull();
    expect(parsePartitionDirName('nodash')).toBeNull();
  });

  test('offset checkpoint round trip and text', () => {
    const file = path.join(tmp, 'recovery-point-offset-checkpoint');
    writeOffsetCheckpoint(file, [
      { topic: 'a', partition: 0, offset: 10 },
      { topic: 'b', partition: 3, offset: 0 },
    ]);
    expect(fs.readFileSync(file, 'utf8')).toBe('0\n2\na 0 10\nb 3 0\n');
    expect([...readOffsetCheckpoint(file)]).toEqual([
      ['a-0', 10],
      ['b-3', 0],
    ]);
    expect(formatCheckpoint(0, [])).toBe('0\n0\n');
    fs.writeFileSync(file, '0\n3\na 0 10\n');
    expect(() => readOffsetCheckpoint(file)).toThrow(/expected 3 entries/);
  });

  test('leader epoch cache follows Kafka assign/truncate rules', () => {
    const file = path.join(tmp, 'leader-epoch-checkpoint');
    const cache = LeaderEpochCache.empty(file);
    cache.assign(0, 0);
    cache.assign(0, 5);
    cache.assign(2, 10);
    cache.assign(5, 20);
    expect(fs.readFileSync(file, 'utf8')).toBe('0\n3\n0 0\n2 10\n5 20\n');
    cache.assign(4, 15);
    expect(cache.entries()).toEqual([
      { epoch: 0, startOffset: 0 },
      { epoch: 2, startOffset: 10 },
      { epoch: 4, startOffset: 15 },
    ]);
    cache.truncateFromStart(12);
    expect(cache.entries()[0]).toEqual({ epoch: 2, startOffset: 12 });
    cache.truncateFromEnd(15);
    expect(LeaderEpochCache.load(file).entries()).toEqual([{ epoch: 2, startOffset: 12 }]);
    expect(cache.epochForOffset(100)).toBe(2);
    expect(cache.epochForOffset(3)).toBe(-1);
  });
});

describe('meta.properties', () => {
  test('written like java.util.Properties#store and read back', () => {
    writeMetaProperties(tmp, { brokerId: 3, clusterId: 'q1Sh-9_ISia_zwGINzRvyQ' }, new Date(Date.UTC(2024, 2, 5, 9, 8, 7)));
    const text = fs.readFileSync(path.join(tmp, 'meta.properties'), 'utf8');
    expect(text).toBe('#\n#Tue Mar 05 09:08:07 UTC 2024\nversion=0\nbroker.id=3\ncluster.id=q1Sh-9_ISia_zwGINzRvyQ\n');
    expect(readMetaProperties(tmp)).toMatchObject({ version: 0, brokerId: 3, clusterId: 'q1Sh-9_ISia_zwGINzRvyQ' });
    expect(readMetaProperties(path.join(tmp, 'missing'))).toBeNull();
  });

  test('properties escaping round trips', () => {
    const text = formatProperties([['a:b', 'x=y #z'], ['k', ' lead']], new Date(0));
    expect(Object.fromEntries(parseProperties(text))).toEqual({ 'a:b': 'x=y #z', k: ' lead' });
    expect(Object.fromEntries(parseProperties('! comment\n  key : value\\\n   continued\nflag\n'))).toEqual({ key: 'valuecontinued', flag: '' });
  });
});
