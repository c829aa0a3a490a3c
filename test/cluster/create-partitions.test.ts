// Growing a topic (CreatePartitions) through the topic admin on a fake cluster: Kafka's checks and
// messages, given assignments, and the placement Kafka continues from the existing partitions.
import { ErrorCode } from '../../protocol';
import type { BrokerInfo } from '../../src/cluster/cluster';
import { assignReplicas } from '../../src/cluster/replica-assignment';
import { TopicInfo } from '../../src/cluster/topic';
import { ClusterTopicAdmin } from '../../src/cluster/topic-admin';
import { ViewWaiters } from '../../src/cluster/view-waiters';
import { createLogger } from '../../src/logger';
import { FakeClock } from '../helpers/fake-clock';

const broker = (id: number): BrokerInfo => ({ id, endpoints: [], rack: null });

function setup(partitions: number[][], brokers = [broker(1), broker(2), broker(3)]) {
  const topics = new Map<string, TopicInfo>([['t', { name: 't', id: 'AAAAAAAAAAAAAAAAAAAAAQ', configs: {}, partitions: partitions.map((r) => ({ replicas: r, leader: r[0], leaderEpoch: 0, isr: r })) }]]);
  const added: number[][][] = [];
  const cluster = {
    topics: { get: (name: string) => topics.get(name), list: () => [...topics.values()] } as never,
    liveBrokers: () => brokers,
    createTopic: async () => undefined,
    deleteTopic: async () => undefined,
    setTopicConfigs: async () => undefined,
    topicExists: async () => true,
    addPartitions: async (_name: string, replicas: number[][]) => void added.push(replicas),
  };
  const admin = new ClusterTopicAdmin(cluster, { numPartitions: 1, defaultReplicationFactor: 1 }, new ViewWaiters(new FakeClock()), createLogger('test', () => undefined));
  return { admin, added };
}

test("Kafka's placement continues the topic's numbering from partition 0's first replica", () => {
  expect(assignReplicas([1, 2, 3].map(broker), 3, 2, undefined, { startIndex: 0, startPartitionId: 3 })).toEqual([
    [1, 3],
    [2, 1],
    [3, 2],
  ]);
});

test('new partitions are placed after the existing ones, with the topic\'s replication factor', async () => {
  const s = setup([[2, 3]]);
  await s.admin.createPartitions('t', 3, null, false);
  expect(s.added).toEqual([assignReplicas([1, 2, 3].map(broker), 2, 2, undefined, { startIndex: 1, startPartitionId: 1 })]);
  expect(s.added[0].every((r) => r.length === 2 && new Set(r).size === 2)).toBe(true);
});

test('given assignments are checked as Kafka checks them; validate_only writes nothing', async () => {
  const s = setup([[1, 2]]);
  const fails = (count: number, assignments: number[][] | null) => s.admin.createPartitions('t', count, assignments, false).then(() => null, (e) => [e.code, e.message]);
  expect(await fails(1, null)).toEqual([ErrorCode.INVALID_PARTITIONS, 'Topic already has 1 partitions.']);
  expect(await fails(0, null)).toEqual([ErrorCode.INVALID_PARTITIONS, 'Topic currently has 1 partitions, which is higher than the requested 0.']);
  expect(await fails(2, [[1, 9]])).toEqual([ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'Unknown broker(s) in replica assignment: 9.']);
  expect(await fails(3, [[1, 2]])).toEqual([ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'Increasing the number of partitions by 2 but 1 assignments provided.']);
  expect(await fails(2, [[1, 1]])).toEqual([ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'Duplicate brokers not allowed in replica assignment: 1, 1 for partition id 1.']);
  expect(await fails(3, [[1], [2, 3]])).toEqual([
    ErrorCode.INVALID_REPLICA_ASSIGNMENT,
    'Inconsistent replication factor between partitions, partition 0 has 2 while partitions [1] have replication factors [1], respectively.',
  ]);
  await s.admin.createPartitions('t', 2, [[3, 1]], true);
  expect(s.added).toEqual([]);
  await s.admin.createPartitions('t', 2, [[3, 1]], false);
  expect(s.added).toEqual([[[3, 1]]]);
  expect(await s.admin.createPartitions('nope', 2, null, false).catch((e) => e.code)).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
});

test("on racks, added partitions continue Kafka's rack-aware placement from partition 0's first replica", async () => {
  // Racks a: 1,2; b: 3,4; c: 5,6. Partition 0 starts on broker 5, index 4 among the brokers by id,
  // which then walks the rack-alternated list 1,3,5,2,4,6 with a shift of 4.
  const racked = [1, 2, 3, 4, 5, 6].map((id) => ({ id, endpoints: [], rack: 'abc'[Math.floor((id - 1) / 2)] }));
  const s = setup([[5, 4, 1], [2, 6, 3], [4, 1, 5]], racked);
  await s.admin.createPartitions('t', 5, null, false);
  expect(s.added).toEqual([[[3, 6, 1], [5, 1, 3]]]);
});

test('some brokers with a rack and some without: UNKNOWN_SERVER_ERROR before anything else, as RackAwareMode.Enforced', async () => {
  const s = setup([[1, 2]], [broker(1), { ...broker(2), rack: 'r' }, broker(3)]);
  const err = await s.admin.createPartitions('nope', 2, [[1, 2]], false).catch((e) => e);
  expect([err.code, err.message]).toEqual([
    ErrorCode.UNKNOWN_SERVER_ERROR,
    'Not all brokers have rack information. Add --disable-rack-aware in command line to make replica assignment without rack information.',
  ]);
  expect(s.added).toEqual([]);
});
