// The admin tools' parsing and formatting, in-process: Java's hash orders Kafka prints in, topic
// filters, replica assignments, describe lines, the log-dirs JSON, API version lines, JSON files.

import { ErrorCode } from '../../protocol';
import { includeList } from '../../src/tools/admin/admin-calls';
import { nodeApiVersionsText, nodeText } from '../../src/tools/admin/broker-api-versions';
import { parseOffsetJson } from '../../src/tools/admin/delete-records';
import { parseTime, topicPartitionsFilter } from '../../src/tools/admin/get-offsets';
import { javaHashMapJson, javaHashOrder, stringHash, topicPartitionHash } from '../../src/tools/java-order';
import { parseElectionJson } from '../../src/tools/admin/leader-election';
import { formatAsJson } from '../../src/tools/admin/log-dirs';
import { UncaughtError } from '../../src/tools/admin/partitions-json';
import { parseReplicaAssignment } from '../../src/tools/admin/topic-command';
import { describeLines, overriddenConfigs } from '../../src/tools/admin/topic-describe';
import { command as topicsCommand } from '../../src/tools/admin/topic-options';

describe('Java hash order', () => {
  test("String.hashCode and TopicPartition.hashCode are Java's", () => {
    expect(stringHash('hello')).toBe(99162322);
    expect(stringHash('')).toBe(0);
    expect(stringHash('polygenelubricants')).toBe(-2147483648);
    expect(topicPartitionHash('t', 0)).toBe(31 * 31 + 116);
  });

  test("Jackson writes LogDirsCommand's HashMaps in their iteration order", () => {
    expect(javaHashMapJson([['version', '1'], ['brokers', '[]']])).toBe('{"brokers":[],"version":1}');
    expect(javaHashMapJson([['logDir', '"/d"'], ['error', 'null'], ['partitions', '[]']])).toBe('{"partitions":[],"error":null,"logDir":"/d"}');
  });

  test('small integers come out ascending; past the table size they share buckets in insertion order', () => {
    expect(javaHashOrder([3, 1, 2], (x) => x)).toEqual([1, 2, 3]);
    expect(javaHashOrder([17, 1], (x) => x)).toEqual([17, 1]);
    expect(javaHashOrder([18, 1], (x) => x)).toEqual([1, 18]);
  });
});

describe('kafka-topics parsing and describe lines', () => {
  test('--topic is a comma-separated list or a regular expression matched whole', () => {
    const f = includeList('a.*,b');
    expect(['abc', 'b', 'bc', 'xa'].filter(f)).toEqual(['abc', 'b']);
    expect(() => includeList('(')).toThrow('( is an invalid regex.');
  });

  test('--replica-assignment lists brokers per partition', () => {
    expect(parseReplicaAssignment('1:2, 2:3')).toEqual([
      [1, 2],
      [2, 3],
    ]);
    expect(() => parseReplicaAssignment('1:1')).toThrow('Partition replica lists may not contain duplicate entries: 1');
    expect(() => parseReplicaAssignment('1:2,3')).toThrow('Partition 1 has different replication factor: [3]');
  });

  test('the topic line lists the non-default configs; partition lines end with the ELR fields', () => {
    const configs = [
      { name: 'retention.ms', value: '1000', isDefault: false },
      { name: 'min.insync.replicas', value: '2', isDefault: false },
      { name: 'segment.bytes', value: '1073741824', isDefault: true },
    ];
    const lines = describeLines(
      [{ name: 't', topicId: 'kMRXIbYxbEL19oh5wvh9Wg', configs, partitions: [{ partition: 0, leader: -1, replicas: [1, 2], isr: [] }] }],
      new Map(),
      new Set([1, 2]),
      { underReplicated: false, unavailable: false, underMinIsr: false, atMinIsr: false, withOverrides: false },
    );
    expect(lines).toEqual([
      `Topic: t\tTopicId: kMRXIbYxbEL19oh5wvh9Wg\tPartitionCount: 1\tReplicationFactor: 2\tConfigs: ${overriddenConfigs(configs)}`,
      '\tTopic: t\tPartition: 0\tLeader: none\tReplicas: 1,2\tIsr: \tElr: N/A\tLastKnownElr: N/A',
    ]);
    expect(overriddenConfigs(configs).split(',').sort()).toEqual(['min.insync.replicas=2', 'retention.ms=1000']);
  });

  test('reports show only the partitions they name, without the topic line', () => {
    const partitions = [
      { partition: 0, leader: 1, replicas: [1, 2], isr: [1, 2] },
      { partition: 1, leader: 1, replicas: [1, 2], isr: [1] },
    ];
    const report = { underReplicated: true, unavailable: false, underMinIsr: false, atMinIsr: false, withOverrides: false };
    expect(describeLines([{ name: 't', topicId: 'x', configs: [], partitions }], new Map(), new Set([1]), report)).toEqual([
      '\tTopic: t\tPartition: 1\tLeader: 1\tReplicas: 1,2\tIsr: 1\tElr: N/A\tLastKnownElr: N/A',
    ]);
  });

  test("the usage lists the topic configs one per line, as Kafka's does", () => {
    const usage = topicsCommand.usage();
    expect(usage.split('\n')[0]).toBe('This tool helps to create, delete, describe, or change a topic.');
    expect(usage).toContain('\n                                           \tcleanup.policy\n');
    expect(usage).toMatch(/^--topic <String: topic> +The topic to create, alter, describe or$/m);
  });
});

describe('kafka-get-offsets parsing', () => {
  test('--time takes names or a timestamp', () => {
    expect(parseTime('latest')).toBe(-1n);
    expect(parseTime('earliest')).toBe(-2n);
    expect(parseTime('-3')).toBe(-3n);
    expect(parseTime('1700000000000')).toBe(1700000000000n);
    expect(() => parseTime('soon')).toThrow(/^Malformed time argument soon\. Please use -1 or latest/);
  });

  test('--topic-partitions patterns: a partition, a range, open ranges, all', () => {
    const f = topicPartitionsFilter('a:1,b:2-4,c:5-,d:-2,e');
    const admitted = (t: string) => [0, 1, 2, 3, 4, 5, 6].filter((p) => f.partition(t, p));
    expect(admitted('a')).toEqual([1]);
    expect(admitted('b')).toEqual([2, 3]);
    expect(admitted('c')).toEqual([5, 6]);
    expect(admitted('d')).toEqual([0, 1]);
    expect(admitted('e')).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(f.topic('x')).toBe(false);
  });
});

describe('JSON files', () => {
  test('delete-records offsets; duplicates and malformed files are refused', () => {
    expect(parseOffsetJson({ partitions: [{ topic: 't', partition: 0, offset: 3 }], version: 1 })).toEqual([{ topic: 't', partition: 0, offset: 3n }]);
    expect(() => parseOffsetJson(undefined)).toThrow('The input string is not a valid JSON');
    expect(() => parseOffsetJson({})).toThrow('Missing partitions field');
    expect(() => parseOffsetJson({ version: 2, partitions: [] })).toThrow('Not supported version field value 2');
    const dup = { partitions: [{ topic: 't', partition: 0, offset: 1 }, { topic: 't', partition: 0, offset: 2 }] };
    expect(() => parseOffsetJson(dup)).toThrow('Offset json file contains duplicate topic partitions: t-0');
    try {
      parseOffsetJson(dup);
    } catch (err) {
      expect((err as UncaughtError).line()).toBe('Exception in thread "main" org.apache.kafka.server.common.AdminCommandFailedException: Offset json file contains duplicate topic partitions: t-0');
    }
  });

  test('leader-election partitions', () => {
    expect(parseElectionJson({ partitions: [{ topic: 't', partition: 1 }] })).toEqual([{ topic: 't', partition: 1 }]);
    expect(() => parseElectionJson({})).toThrow('Replica election data is missing "partitions" field');
    expect(() => parseElectionJson({ partitions: [{ topic: 't', partition: 1 }, { topic: 't', partition: 1 }] })).toThrow('Replica election data contains duplicate partitions: [t-1]');
  });
});

describe('kafka-log-dirs JSON and kafka-broker-api-versions lines', () => {
  test('log dirs as Jackson writes them, partitions limited to the topic list', () => {
    const dirs = new Map([
      [
        1,
        [
          {
            logDir: '/data',
            errorCode: ErrorCode.NONE,
            replicas: [
              { topic: 't', partition: 0, size: 10n, offsetLag: 0n, isFuture: false },
              { topic: 'u', partition: 0, size: 0n, offsetLag: 0n, isFuture: false },
            ],
          },
        ],
      ],
    ]);
    expect(formatAsJson(dirs, new Set(['t']))).toBe(
      '{"brokers":[{"broker":1,"logDirs":[{"partitions":[{"partition":"t-0","size":10,"offsetLag":0,"isFuture":false}],"error":null,"logDir":"/data"}]}],"version":1}',
    );
    const failed = new Map([[2, [{ logDir: '/bad', errorCode: ErrorCode.KAFKA_STORAGE_ERROR, replicas: [] }]]]);
    expect(formatAsJson(failed, new Set())).toBe('{"brokers":[{"broker":2,"logDirs":[{"partitions":[],"error":"org.apache.kafka.common.errors.KafkaStorageException","logDir":"/bad"}]}],"version":1}');
  });

  test("NodeApiVersions.toString(true): usable against this client's versions, unusable and unsupported ones marked", () => {
    const text = nodeApiVersionsText([
      { apiKey: 0, minVersion: 0, maxVersion: 12 },
      { apiKey: 3, minVersion: 13, maxVersion: 14 },
      { apiKey: 18, minVersion: 3, maxVersion: 3 },
      { apiKey: 1000, minVersion: 0, maxVersion: 1 },
    ]);
    const lines = text.split('\n');
    expect(lines[0]).toBe('(');
    expect(lines[1]).toBe('\tProduce(0): 0 to 12 [usable: 11],');
    expect(lines[2]).toBe('\tFetch(1): UNSUPPORTED,');
    expect(lines).toContain('\tMetadata(3): 13 to 14 [unusable: node too new],');
    expect(lines).toContain('\tApiVersions(18): 3 [usable: 3],');
    expect(lines[lines.length - 2]).toBe('\tUNKNOWN(1000): 0 to 1');
    expect(lines[lines.length - 1]).toBe(')');
    expect(nodeText({ nodeId: 1, host: 'h', port: 9092, rack: null })).toBe('h:9092 (id: 1 rack: null)');
  });
});
