// Partition reassignment as ZooKeeper-mode Kafka keeps it (ReplicaAssignment): while a partition
// moves from its original replicas OR to a target TR, /brokers/topics/<t> lists TR ∪ OR (target
// first), with adding_replicas TR − OR and removing_replicas OR − TR. That znode is all the
// in-progress state there is, so a new controller resumes whatever the last one started.

import { Candidates, LeaderAndIsr, NO_LEADER } from './partition-leadership';
import { TopicAssignment } from './znode-payloads';

export interface PartitionAssignment {
  replicas: number[];
  adding: number[];
  removing: number[];
}

export function partitionAssignment(a: TopicAssignment, partition: number): PartitionAssignment {
  const key = String(partition);
  return { replicas: a.replicas[partition], adding: a.addingReplicas[key] ?? [], removing: a.removingReplicas[key] ?? [] };
}

export const isReassigning = (p: PartitionAssignment): boolean => p.adding.length > 0 || p.removing.length > 0;

export const originalReplicas = (p: PartitionAssignment): number[] => p.replicas.filter((r) => !p.adding.includes(r));

export const targetReplicas = (p: PartitionAssignment): number[] => p.replicas.filter((r) => !p.removing.includes(r));

/** ReplicaAssignment.reassignTo: the origin stays that of a reassignment already under way. */
export function reassignTo(current: PartitionAssignment, target: readonly number[]): PartitionAssignment {
  const origin = originalReplicas(current);
  const replicas = [...new Set([...target, ...origin])];
  return { replicas, adding: replicas.filter((r) => !origin.includes(r)), removing: replicas.filter((r) => !target.includes(r)) };
}

/** The partition's assignment once its reassignment is done (or cancelled, with the origin as target). */
export const settledAt = (target: readonly number[]): PartitionAssignment => ({ replicas: [...target], adding: [], removing: [] });

/** The topic assignment with one partition's replaced; adding/removing list only partitions that have some. */
export function withPartition(a: TopicAssignment, partition: number, p: PartitionAssignment): TopicAssignment {
  const key = String(partition);
  const replicas = a.replicas.map((r, i) => (i === partition ? [...p.replicas] : r));
  const set = (lists: Record<string, number[]>, list: number[]) => {
    const others = Object.fromEntries(Object.entries(lists).filter(([k]) => k !== key));
    return list.length > 0 ? { ...others, [key]: [...list] } : others;
  };
  return { ...a, replicas, addingReplicas: set(a.addingReplicas, p.adding), removingReplicas: set(a.removingReplicas, p.removing) };
}

/**
 * Leader and ISR under a new assignment; null when they fit it already. Replicas that leave also
 * leave the ISR; a leader that leaves (or is dead) hands over to the first target replica that is
 * alive, staying and in the ISR (ReassignPartitionLeaderElectionStrategy), else there is none.
 */
export function leaderAndIsrFor(next: PartitionAssignment, current: LeaderAndIsr, c: Candidates): LeaderAndIsr | null {
  const isr = current.isr.filter((r) => next.replicas.includes(r));
  const keeps = current.leader !== NO_LEADER && next.replicas.includes(current.leader) && c.live.has(current.leader);
  if (keeps) return isr.length === current.isr.length ? null : { leader: current.leader, isr };
  const leader = targetReplicas(next).find((r) => c.live.has(r) && !c.shuttingDown.has(r) && isr.includes(r));
  if (leader !== undefined) return { leader, isr };
  return current.leader === NO_LEADER && isr.length === current.isr.length ? null : { leader: NO_LEADER, isr };
}
