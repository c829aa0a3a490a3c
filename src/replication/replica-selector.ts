// The preferred read replica a partition leader names to a consumer (KIP-392, Kafka's ReplicaSelector
// plugins, by their class names in replica.selector.class). The candidates are the leader and the ISR
// followers holding the fetch offset (Kafka's findPreferredReadReplica); a selector picks one, and
// only a follower is ever named: the leader serves the fetch itself.

export const LEADER_SELECTOR = 'org.apache.kafka.common.replica.LeaderSelector';
export const RACK_AWARE_SELECTOR = 'org.apache.kafka.common.replica.RackAwareReplicaSelector';
/** The selectors kafka-ts implements; replica.selector.class takes no other class. */
export const REPLICA_SELECTORS: readonly string[] = [LEADER_SELECTOR, RACK_AWARE_SELECTOR];

/** One replica as a selector sees it (Kafka's ReplicaView). */
export interface ReplicaView {
  id: number;
  rack: string | null;
  logEndOffset: number;
  timeSinceLastCaughtUpMs: number;
}

/** What the fetch tells of its client (Kafka's ClientMetadata, of which the selectors read the rack). */
export interface ClientMetadata {
  rackId: string;
  listenerName: string;
}

export type ReplicaSelector = (client: ClientMetadata, replicas: readonly ReplicaView[], leader: ReplicaView) => ReplicaView;

const leaderSelector: ReplicaSelector = (_client, _replicas, leader) => leader;

/**
 * Kafka's RackAwareReplicaSelector: the leader when the client names no rack, when no replica is in
 * its rack, or when the leader is; otherwise the most caught-up replica of its rack (largest log end,
 * then the most recently caught up).
 */
const rackAwareSelector: ReplicaSelector = (client, replicas, leader) => {
  if (client.rackId === '') return leader;
  const sameRack = replicas.filter((r) => r.rack === client.rackId);
  if (sameRack.length === 0 || sameRack.includes(leader)) return leader;
  return sameRack.reduce((best, r) =>
    r.logEndOffset > best.logEndOffset || (r.logEndOffset === best.logEndOffset && r.timeSinceLastCaughtUpMs < best.timeSinceLastCaughtUpMs) ? r : best,
  );
};

/** The selector of replica.selector.class; null (Kafka's default) names no preferred replica at all. */
export function replicaSelectorOf(className: string | null): ReplicaSelector | null {
  if (className === null) return null;
  if (className === LEADER_SELECTOR) return leaderSelector;
  if (className === RACK_AWARE_SELECTOR) return rackAwareSelector;
  throw new Error(`replica.selector.class ${className} is not one of ${REPLICA_SELECTORS.join(', ')}`);
}

/** What the leader knows of an ISR follower. */
export interface FollowerProgress {
  id: number;
  state: { logEndOffset: number; logStartOffset: number; lastCaughtUpTimeMs: number };
}

export interface PreferredReplicaQuery {
  leaderId: number;
  leaderLogEndOffset: number;
  inSyncFollowers: readonly FollowerProgress[];
  /** The partition's replicas alive with an endpoint on the client's listener, with their rack. */
  reachable: ReadonlyMap<number, string | null>;
  fetchOffset: number;
  now: number;
}

/**
 * Kafka's findPreferredReadReplica: ISR followers whose log holds the fetch offset, and the leader,
 * go to the selector; the follower it picks, when reachable on the client's listener, is the
 * preferred read replica. -1 when it picks the leader.
 */
export function findPreferredReadReplica(selector: ReplicaSelector, client: ClientMetadata, q: PreferredReplicaQuery): number {
  const view = (id: number, logEndOffset: number, timeSinceLastCaughtUpMs: number): ReplicaView => ({ id, rack: q.reachable.get(id) ?? null, logEndOffset, timeSinceLastCaughtUpMs });
  const leader = view(q.leaderId, q.leaderLogEndOffset, 0);
  const replicas = q.inSyncFollowers
    .filter(({ state }) => state.logEndOffset >= q.fetchOffset && state.logStartOffset <= q.fetchOffset)
    .map(({ id, state }) => view(id, state.logEndOffset, q.now - state.lastCaughtUpTimeMs));
  replicas.push(leader);
  const selected = selector(client, replicas, leader);
  return selected !== leader && q.reachable.has(selected.id) ? selected.id : -1;
}
