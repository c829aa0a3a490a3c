// The ZooKeeper-mode controller's leader and ISR decisions (PartitionStateMachine and
// ReplicaStateMachine), with unclean leader election off: only an ISR member may lead.

export interface LeaderAndIsr {
  leader: number;
  isr: number[];
}

const NO_LEADER = -1;

/** A new partition: the first live replica leads, the live replicas are the ISR; null while none is live. */
export function initialLeaderAndIsr(replicas: readonly number[], live: ReadonlySet<number>): LeaderAndIsr | null {
  const alive = replicas.filter((r) => live.has(r));
  return alive.length > 0 ? { leader: alive[0], isr: alive } : null;
}

/**
 * Where a partition goes when brokers come and go; null when it stays as it is.
 * - Leader alive: dead followers leave the ISR.
 * - Leader dead or none: the first replica (assignment order) that is alive and in the ISR leads,
 *   and the ISR keeps its live members.
 * - No live ISR member: no leader, and the ISR keeps one member, the replica with the latest data
 *   (the last leader when it was in the ISR), so it can lead again when it returns.
 */
export function nextLeaderAndIsr(replicas: readonly number[], current: LeaderAndIsr, live: ReadonlySet<number>): LeaderAndIsr | null {
  const liveIsr = current.isr.filter((r) => live.has(r));
  if (current.leader !== NO_LEADER && live.has(current.leader)) {
    return liveIsr.length === current.isr.length ? null : { leader: current.leader, isr: liveIsr };
  }
  const leader = replicas.find((r) => live.has(r) && current.isr.includes(r));
  if (leader !== undefined) return { leader, isr: liveIsr };
  const isr = current.isr.includes(current.leader) ? [current.leader] : current.isr.slice(-1);
  const unchanged = current.leader === NO_LEADER && isr.length === current.isr.length;
  return unchanged ? null : { leader: NO_LEADER, isr };
}
