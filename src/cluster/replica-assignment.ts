// Kafka's replica placement (AdminUtils.assignReplicasToBrokers). Without racks
// (assignReplicasToBrokersRackUnaware) the first replica of each partition round-robins from a
// random broker, and followers are shifted by a random amount that grows every time the partitions
// wrap around the broker list. When every broker has a rack (assignReplicasToBrokersRackAware) the
// same round-robin runs over a rack-alternated broker list, and followers skip brokers whose rack (or
// who) already holds a replica until every rack (every broker) does. Some brokers with racks and
// some without is refused, as Kafka refuses it. Partitions added to a topic (CreatePartitions)
// continue its numbering from a fixed start, as Kafka does.

import { ErrorCode, KafkaError } from '../../protocol';
import type { BrokerInfo } from './cluster';

/** Kafka's fixedStartIndex and startPartitionId: where added partitions continue a topic's placement. */
export interface PlacementStart {
  startIndex: number;
  startPartitionId: number;
}

export type BrokerRack = Pick<BrokerInfo, 'id' | 'rack'>;

/** Kafka's message when only some brokers have a rack (an AdminOperationException: UNKNOWN_SERVER_ERROR on the wire). */
export const MIXED_RACKS = 'Not all brokers have rack information for replica rack aware assignment.';

export function assignReplicas(
  brokerList: readonly BrokerRack[],
  partitions: number,
  replicationFactor: number,
  random: (n: number) => number = (n) => Math.floor(Math.random() * n),
  fixed?: PlacementStart,
): number[][] {
  const n = brokerList.length;
  if (replicationFactor > n) {
    throw new KafkaError(ErrorCode.INVALID_REPLICATION_FACTOR, `Replication factor: ${replicationFactor} larger than available brokers: ${n}.`);
  }
  const withRack = brokerList.filter((b) => b.rack !== null).length;
  if (withRack > 0 && withRack < n) throw new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, MIXED_RACKS);
  const rackOf = new Map(brokerList.map((b) => [b.id, b.rack ?? '']));
  const brokers = withRack === 0 ? brokerList.map((b) => b.id).sort((a, b) => a - b) : rackAlternatedBrokers(rackOf);
  const numRacks = new Set(rackOf.values()).size;
  const startIndex = fixed ? fixed.startIndex : random(n);
  let shift = fixed ? fixed.startIndex : random(n);
  const out: number[][] = [];
  for (let p = fixed?.startPartitionId ?? 0; out.length < partitions; p++) {
    if (p > 0 && p % n === 0) shift++;
    const first = (p + startIndex) % n;
    if (withRack === 0) {
      out.push([brokers[first], ...Array.from({ length: replicationFactor - 1 }, (_, j) => brokers[replicaIndex(first, shift, j, n)])]);
      continue;
    }
    const replicas = [brokers[first]];
    const racks = new Set([rackOf.get(brokers[first])]);
    for (let k = 0; replicas.length < replicationFactor; k++) {
      const broker = brokers[replicaIndex(first, shift * numRacks, k, n)];
      const rack = rackOf.get(broker);
      if ((!racks.has(rack) || racks.size === numRacks) && (!replicas.includes(broker) || replicas.length === n)) {
        replicas.push(broker);
        racks.add(rack);
      }
    }
    out.push(replicas);
  }
  return out;
}

/** AdminUtils.replicaIndex: the follower `j` places after the first replica, shifted. */
function replicaIndex(first: number, shift: number, j: number, n: number): number {
  return (first + 1 + ((shift + j) % (n - 1))) % n;
}

/**
 * AdminUtils.getRackAlternatedBrokerList: one broker of each rack in turn (racks in name order,
 * brokers by id within a rack), e.g. rack1: 0,1,2; rack2: 3,4,5 gives 0,3,1,4,2,5.
 */
export function rackAlternatedBrokers(rackOf: ReadonlyMap<number, string>): number[] {
  const byRack = new Map<string, number[]>();
  for (const [id, rack] of rackOf) byRack.set(rack, [...(byRack.get(rack) ?? []), id]);
  const racks = [...byRack.keys()].sort();
  const queues = racks.map((r) => byRack.get(r)!.sort((a, b) => a - b));
  const out: number[] = [];
  for (let i = 0; out.length < rackOf.size; i = (i + 1) % racks.length) {
    const next = queues[i].shift();
    if (next !== undefined) out.push(next);
  }
  return out;
}

/** Checks a client-given assignment (CreateTopics replica_assignment). */
export function validateAssignment(assignment: readonly { partitionIndex: number; brokerIds: number[] }[], liveBrokers: readonly number[]): number[][] {
  const bad = (why: string) => new KafkaError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, why);
  const sorted = [...assignment].sort((a, b) => a.partitionIndex - b.partitionIndex);
  const rf = sorted[0].brokerIds.length;
  return sorted.map((a, i) => {
    if (a.partitionIndex !== i) throw bad('Partitions should be a consecutive 0-based integer sequence');
    if (a.brokerIds.length === 0) throw bad(`Replica assignment for partition ${i} is empty`);
    if (a.brokerIds.length !== rf) throw bad('All partitions should have the same number of replicas');
    if (new Set(a.brokerIds).size !== a.brokerIds.length) throw bad(`Duplicate brokers in replica assignment for partition ${i}`);
    const unknown = a.brokerIds.filter((b) => !liveBrokers.includes(b));
    if (unknown.length > 0) throw bad(`Unknown broker(s) in replica assignment: ${unknown.join(', ')}.`);
    return [...a.brokerIds];
  });
}
