// The consumer group tool's pure parts in-process: Java's HashMap iteration order (checked against
// a JVM's), the tables' layouts, and the parsing of --to-datetime, --by-duration and topic args.

import { formatDeleteOffsets, formatGroupListing, formatMembers, formatOffsets, formatResetCsv, formatResetPlan, formatState } from '../../src/tools/groups/consumer-groups-format';
import { stringHash, stringOrder, topicPartitionOrder } from '../../src/tools/java-order';
import { parseDateTime, parseDuration } from '../../src/tools/groups/reset-offsets';

describe("Java's HashMap order", () => {
  it('matches a JVM for String and TopicPartition keys', () => {
    expect(stringHash('orders')).toBe(-1008770331);
    expect(stringOrder(['producer_byte_rate', 'consumer_byte_rate', 'request_percentage'])).toEqual(['request_percentage', 'producer_byte_rate', 'consumer_byte_rate']);
    expect(stringOrder(['group-b', 'group-a', 'app', 'zz'])).toEqual(['app', 'zz', 'group-b', 'group-a']);
    const twenty = Array.from({ length: 20 }, (_, partition) => ({ topic: 'orders', partition }));
    expect(topicPartitionOrder(twenty).map((tp) => tp.partition)).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 0, 1, 2, 3, 4, 5, 6]);
    const mixed = ['a-topic', 'zeta', 'orders', 'x'].flatMap((topic) => [0, 1, 2, 3, 4].map((partition) => ({ topic, partition })));
    expect(topicPartitionOrder(mixed).map((tp) => `${tp.topic}-${tp.partition}`).join(',')).toBe(
      'zeta-0,zeta-1,zeta-4,zeta-2,zeta-3,x-4,x-3,x-2,x-1,a-topic-0,orders-0,x-0,orders-1,orders-2,a-topic-3,orders-3,a-topic-4,orders-4,a-topic-1,a-topic-2',
    );
  });
});

describe('tables', () => {
  it('widens the offsets columns to the data and shows "-" for missing values', () => {
    const long = 'a-consumer-id-longer-than-fifteen';
    expect(formatOffsets([{ group: 'g', topic: 't', partition: 0, offset: 5n, logEndOffset: 7n, lag: 2n, consumerId: long, host: '/127.0.0.1', clientId: 'c' }, { group: 'g', topic: 't', partition: 1, logEndOffset: 0n, consumerId: '-', host: '-', clientId: '-' }])).toBe(
      '\nGROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID                       HOST            CLIENT-ID' +
        `\ng               t               0          5               7               2               ${long} /127.0.0.1      c` +
        '\ng               t               1          -               0               -               -                                 -               -\n',
    );
  });

  it('adds GROUP-INSTANCE-ID only when a member has one, and the verbose ASSIGNMENT', () => {
    const member = { group: 'g', consumerId: 'm1', groupInstanceId: '', host: '/h', clientId: 'c', assignment: [{ topic: 't', partition: 10 }, { topic: 't', partition: 2 }, { topic: 'u', partition: 0 }] };
    expect(formatMembers([member], true)).toBe(
      '\nGROUP           CONSUMER-ID     HOST            CLIENT-ID       #PARTITIONS     ASSIGNMENT\ng               m1              /h              c               3               (0), (10,2)\n',
    );
    expect(formatMembers([{ ...member, groupInstanceId: 'i1', assignment: [] }], true)).toBe(
      '\nGROUP           CONSUMER-ID     GROUP-INSTANCE-ID HOST            CLIENT-ID       #PARTITIONS     ASSIGNMENT\ng               m1              i1                /h              c               0               -\n',
    );
  });

  it('lays out the state, listing, reset and delete-offsets tables', () => {
    expect(formatState({ group: 'g', coordinator: 'localhost:9092  (1)', assignmentStrategy: 'range', state: 'Stable', members: 2 })).toBe(
      '\nGROUP                     COORDINATOR (ID)          ASSIGNMENT-STRATEGY  STATE           #MEMBERS\ng                         localhost:9092  (1)       range                Stable          2\n',
    );
    expect(formatGroupListing([{ groupId: 'a-rather-long-group-id', state: 'Empty' }])).toBe(`${'GROUP'.padEnd(32)} ${'STATE'.padEnd(20)}\n${'a-rather-long-group-id'.padEnd(32)} ${'Empty'.padEnd(20)}\n`);
    const rows = [{ group: 'g', tp: { topic: 't', partition: 0 }, offset: 3n }];
    expect(formatResetPlan(1, rows)).toBe(`\n${'GROUP'.padEnd(30)} ${'TOPIC'.padEnd(30)} ${'PARTITION'.padEnd(10)} ${'NEW-OFFSET'.padEnd(15)}\n${'g'.padEnd(30)} ${'t'.padEnd(30)} ${'0'.padEnd(10)} ${'3'.padEnd(15)}\n`);
    expect(formatResetPlan(0, [])).toBe('');
    expect(formatResetCsv(rows, false)).toBe('t,0,3\n');
    expect(formatResetCsv(rows, true)).toBe('g,t,0,3\n');
    expect(formatDeleteOffsets([{ topic: 'x', partition: -1, status: 'Error: e' }])).toBe(`\n${'TOPIC'.padEnd(30)} ${'PARTITION'.padEnd(15)} ${'STATUS'.padEnd(15)}\n${'x'.padEnd(30)} ${'Not Provided'.padEnd(15)} ${'Error: e'.padEnd(15)}\n`);
  });
});

describe('parsing', () => {
  it("reads Kafka's datetime and ISO-8601 durations", () => {
    expect(parseDateTime('2024-01-02T03:04:05.678Z')).toBe(BigInt(Date.UTC(2024, 0, 2, 3, 4, 5, 678)));
    expect(parseDateTime('2024-01-02T03:04:05.678+01:00')).toBe(BigInt(Date.UTC(2024, 0, 2, 2, 4, 5, 678)));
    expect(parseDateTime('2024-01-02T03:04:05.678')).toBe(BigInt(new Date(2024, 0, 2, 3, 4, 5, 678).getTime()));
    expect(() => parseDateTime('yesterday')).toThrow('Unparseable date: "yesterday"');
    expect(parseDuration('P1DT2H3M4.5S')).toBe(86_400_000 + 7_200_000 + 180_000 + 4_500);
    expect(parseDuration('PT10M')).toBe(600_000);
    expect(() => parseDuration('P')).toThrow('Text cannot be parsed to a Duration: P');
  });

});
