// Kafka's rack-unaware replica placement (AdminUtils.assignReplicasToBrokersRackUnaware): the first
// replica of each partition round-robins from a random broker, and followers are shifted by a
// random amount that grows every time the partitions wrap around the broker list. Partitions added
// to a topic (CreatePartitions) continue its numbering from a fixed start, as Kafka does.

import { ErrorCode, KafkaError } from '../../protocol';

/** Kafka's fixedStartIndex and startPartitionId: where added partitions continue a topic's placement. */
export interface PlacementStart {
  startIndex: number;
  startPartitionId: number;
}

export function assignReplicas(
  brokerIds: readonly number[],
  partitions: number,
  replicationFactor: number,
  random: (n: number) => number = (n) => Math.floor(Math.random() * n),
  fixed?: PlacementStart,
): number[][] {
  const brokers = [...brokerIds].sort((a, b) => a - b);
  const n = brokers.length;
  if (replicationFactor > n) {
    throw new KafkaError(ErrorCode.INVALID_REPLICATION_FACTOR, `Replication factor: ${replicationFactor} larger than available brokers: ${n}.`);
  }
  const startIndex = fixed ? fixed.startIndex : random(n);
  let shift = fixed ? fixed.startIndex : random(n);
  const out: number[][] = [];
  for (let p = fixed?.startPartitionId ?? 0; out.length < partitions; p++) {
    if (p > 0 && p % n === 0) shift++;
    const first = (p + startIndex) % n;
    const replicas = [brokers[first]];
    for (let j = 0; j < replicationFactor - 1; j++) {
      replicas.push(brokers[(first + 1 + ((shift + j) % (n - 1))) % n]);
    }
    out.push(replicas);
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
