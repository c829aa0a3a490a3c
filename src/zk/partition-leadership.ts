// The ZooKeeper-mode controller's leader and ISR decisions (PartitionStateMachine and
// ReplicaStateMachine with Kafka's leader election strategies): offline partitions, controlled
// shutdown, preferred replica election and unclean election, and the test controls' leader moves
// and ISR shrinks.

export interface LeaderAndIsr {
  leader: number;
  isr: number[];
}

export const NO_LEADER = -1;

/** The brokers a partition's leadership may go to, and how. */
export interface Candidates {
  /** Registered brokers, shutting down or not. */
  live: ReadonlySet<number>;
  /** Brokers in controlled shutdown: they leave every ISR and may not lead. */
  shuttingDown: { has(brokerId: number): boolean };
  /** unclean.leader.election.enable of the topic: a live out-of-sync replica may lead when no ISR member can. */
  unclean: boolean;
}

/** A new partition: the first live replica leads, the live replicas are the ISR; null while none is live. */
export function initialLeaderAndIsr(replicas: readonly number[], live: ReadonlySet<number>): LeaderAndIsr | null {
  const alive = replicas.filter((r) => live.has(r));
  return alive.length > 0 ? { leader: alive[0], isr: alive } : null;
}

/**
 * Where a partition goes when brokers come, go or shut down; null when it stays as it is.
 * - Leader alive and staying: dead and shutting-down followers leave the ISR.
 * - Leader shutting down: the first replica (assignment order) in the ISR that stays leads; with
 *   none, it keeps leading (controlled shutdown reports the partition as remaining).
 * - Leader dead or none: the first replica that is alive, staying and in the ISR leads, and the ISR
 *   keeps its live members. With none, and unclean election enabled, the first live staying replica
 *   leads alone (records only the old ISR had are lost).
 * - Otherwise no leader, and the ISR keeps one member, the replica with the latest data (the last
 *   leader when it was in the ISR), so it can lead again when it returns.
 */
export function nextLeaderAndIsr(replicas: readonly number[], current: LeaderAndIsr, c: Candidates): LeaderAndIsr | null {
  const staying = (r: number) => c.live.has(r) && !c.shuttingDown.has(r);
  const stayingIsr = current.isr.filter(staying);
  if (current.leader !== NO_LEADER && c.live.has(current.leader)) {
    if (c.shuttingDown.has(current.leader)) {
      const leader = replicas.find((r) => staying(r) && current.isr.includes(r));
      if (leader !== undefined) return { leader, isr: stayingIsr };
    }
    const isr = current.isr.filter((r) => r === current.leader || staying(r));
    return isr.length === current.isr.length ? null : { leader: current.leader, isr };
  }
  const leader = replicas.find((r) => staying(r) && current.isr.includes(r));
  if (leader !== undefined) return { leader, isr: stayingIsr };
  const unclean = c.unclean ? replicas.find(staying) : undefined;
  if (unclean !== undefined) return { leader: unclean, isr: [unclean] };
  const isr = current.isr.includes(current.leader) ? [current.leader] : current.isr.slice(-1);
  const unchanged = current.leader === NO_LEADER && isr.length === current.isr.length;
  return unchanged ? null : { leader: NO_LEADER, isr };
}

/**
 * Why `broker` may not take over leadership, or null when it may: the preferred election's rule
 * (PreferredReplicaPartitionLeaderElectionStrategy) for any replica, which must be assigned, alive,
 * not shutting down and in the ISR.
 */
export function ineligibleLeader(broker: number, replicas: readonly number[], current: LeaderAndIsr, c: Candidates): string | null {
  if (!replicas.includes(broker)) return `broker ${broker} is not a replica (replicas [${replicas}])`;
  if (!c.live.has(broker)) return `broker ${broker} is not alive`;
  if (c.shuttingDown.has(broker)) return `broker ${broker} is shutting down`;
  if (!current.isr.includes(broker)) return `broker ${broker} is not in the ISR [${current.isr}]`;
  return null;
}

/** PreferredReplicaPartitionLeaderElectionStrategy: the first assigned replica, if it is alive, staying and in the ISR. */
export function preferredLeaderAndIsr(replicas: readonly number[], current: LeaderAndIsr, c: Candidates): LeaderAndIsr | null {
  const preferred = replicas[0];
  if (preferred === current.leader || ineligibleLeader(preferred, replicas, current, c) !== null) return null;
  return { leader: preferred, isr: current.isr };
}

/**
 * Why the controller may not set a partition's ISR to `isr`, or null when it may: only removals
 * (ReplicaStateMachine's removeReplicasFromIsr), keeping the leader and at least one member.
 */
export function invalidIsrShrink(current: LeaderAndIsr, isr: readonly number[]): string | null {
  if (isr.length === 0) return 'the ISR may not be empty';
  if (new Set(isr).size !== isr.length) return `the ISR [${isr}] names a broker twice`;
  const outside = isr.filter((r) => !current.isr.includes(r));
  if (outside.length > 0) return `brokers [${outside}] are not in the current ISR [${current.isr}]`;
  if (current.leader === NO_LEADER) return 'the partition has no leader';
  if (!isr.includes(current.leader)) return `the ISR [${isr}] leaves out the leader ${current.leader}`;
  return null;
}
