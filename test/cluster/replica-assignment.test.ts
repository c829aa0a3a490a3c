// Kafka's replica placement against outputs derived by hand from AdminUtils (and the examples of its
// own javadoc and AdminRackAwareTest): the rack-alternated broker list, the rack-aware round-robin
// with its shift, and the refusal of brokers of which only some have a rack.
import { ErrorCode } from '../../protocol';
import { BrokerRack, assignReplicas, rackAlternatedBrokers } from '../../src/cluster/replica-assignment';

const onRacks = (racks: Record<number, string>): BrokerRack[] => Object.entries(racks).map(([id, rack]) => ({ id: Number(id), rack }));
const fixedAt = (startIndex: number, startPartitionId = 0) => [undefined, { startIndex, startPartitionId }] as const;

// Kafka's javadoc example: 0 -> rack1, 1 -> rack3, 2 -> rack3, 3 -> rack2, 4 -> rack2, 5 -> rack1.
const JAVADOC = onRacks({ 0: 'rack1', 1: 'rack3', 2: 'rack3', 3: 'rack2', 4: 'rack2', 5: 'rack1' });
// Six brokers in three racks: a: 1,2; b: 3,4; c: 5,6.
const SIX = onRacks({ 1: 'a', 2: 'a', 3: 'b', 4: 'b', 5: 'c', 6: 'c' });
const rackOf = (brokers: BrokerRack[], id: number) => brokers.find((b) => b.id === id)!.rack;

test('the rack-alternated list takes one broker of each rack in turn, racks by name and brokers by id', () => {
  expect(rackAlternatedBrokers(new Map(JAVADOC.map((b) => [b.id, b.rack!])))).toEqual([0, 3, 1, 5, 4, 2]);
  expect(rackAlternatedBrokers(new Map(JAVADOC.filter((b) => b.id !== 5).map((b) => [b.id, b.rack!])))).toEqual([0, 3, 1, 4, 2]);
  expect(rackAlternatedBrokers(new Map(SIX.map((b) => [b.id, b.rack!])))).toEqual([1, 3, 5, 2, 4, 6]);
});

test("Kafka's javadoc assignment: round-robin on the alternated list, followers shifted once it wraps", () => {
  expect(assignReplicas(JAVADOC, 7, 3, ...fixedAt(0))).toEqual([
    [0, 3, 1],
    [3, 1, 5],
    [1, 5, 4],
    [5, 4, 2],
    [4, 2, 0],
    [2, 0, 3],
    [0, 4, 2],
  ]);
});

test('six brokers in three racks, replication factor 3, start index and shift 2', () => {
  const eight = [
    [5, 4, 1],
    [2, 6, 3],
    [4, 1, 5],
    [6, 3, 2],
    [1, 5, 4],
    [3, 2, 6],
    [5, 3, 2],
    [2, 5, 4],
  ];
  expect(assignReplicas(SIX, 8, 3, ...fixedAt(2))).toEqual(eight);
  expect(assignReplicas(SIX, 3, 3, ...fixedAt(2))).toEqual(eight.slice(0, 3));
  expect(assignReplicas(SIX, 1, 3, ...fixedAt(2))).toEqual(eight.slice(0, 1));
  // Continuing a topic: partitions 6 and 7 alone come out as they do in the full run.
  expect(assignReplicas(SIX, 2, 3, ...fixedAt(2, 6))).toEqual(eight.slice(6));
});

test('whatever the start, every partition spans as many racks as it can, and leaders spread evenly', () => {
  for (let start = 0; start < 6; start++) {
    const assignment = assignReplicas(SIX, 12, 3, ...fixedAt(start));
    for (const replicas of assignment) {
      expect(new Set(replicas.map((id) => rackOf(SIX, id))).size).toBe(3);
      expect(new Set(replicas).size).toBe(3);
    }
    const leaders = assignment.map((r) => r[0]);
    for (const b of SIX) expect(leaders.filter((l) => l === b.id)).toHaveLength(2);
    const rf2 = assignReplicas(SIX, 12, 2, ...fixedAt(start));
    for (const replicas of rf2) expect(rackOf(SIX, replicas[0])).not.toBe(rackOf(SIX, replicas[1]));
  }
  // Random starts too (the broker's own choice).
  for (const replicas of assignReplicas(SIX, 30, 3)) expect(new Set(replicas.map((id) => rackOf(SIX, id))).size).toBe(3);
});

test('more replicas than racks: every rack first, then back to round-robin on the brokers', () => {
  const two = onRacks({ 0: 'r1', 1: 'r1', 2: 'r2', 3: 'r2' });
  expect(assignReplicas(two, 2, 3, ...fixedAt(0))).toEqual([
    [0, 2, 1],
    [2, 1, 3],
  ]);
});

test('without racks the rack-unaware placement is unchanged', () => {
  const plain = [3, 1, 2].map((id) => ({ id, rack: null }));
  expect(assignReplicas(plain, 4, 2, ...fixedAt(0))).toEqual([
    [1, 2],
    [2, 3],
    [3, 1],
    [1, 3],
  ]);
});

test('some brokers with a rack and some without is refused with Kafka\'s message, after the replication factor check', () => {
  const mixed: BrokerRack[] = [{ id: 1, rack: 'a' }, { id: 2, rack: null }];
  const failure = (rf: number) => {
    try {
      assignReplicas(mixed, 1, rf);
    } catch (e) {
      return [(e as { code: number }).code, (e as Error).message];
    }
    return null;
  };
  expect(failure(1)).toEqual([ErrorCode.UNKNOWN_SERVER_ERROR, 'Not all brokers have rack information for replica rack aware assignment.']);
  expect(failure(3)).toEqual([ErrorCode.INVALID_REPLICATION_FACTOR, 'Replication factor: 3 larger than available brokers: 2.']);
});
