// Committed offsets of every group this broker coordinates, kept in memory and persisted through
// GroupMetadataLog; includes Kafka 2.1+ (KIP-211) offset expiry. Transactional offset commits
// (TxnOffsetCommit) stay pending per producer, invisible to OffsetFetch, until the transaction's
// COMMIT marker is written to the group's offsets partition (an ABORT drops them), as Kafka's
// GroupMetadata.pendingTransactionalOffsetCommits.
import { ErrorCode } from '../../protocol/errors';
import { commitErrorOf } from './append-errors';
import { GroupMetadataLog, LoadedOffsetsPartition, TxnProducer, topicPartitionKey } from './group-metadata-log';
import { CommittedOffset, StoredOffset, TopicPartitionOffset } from './types';

/** offset.metadata.max.bytes default; like Kafka it is compared with the string's length in UTF-16 units. */
export const DEFAULT_MAX_METADATA_SIZE = 4096;

const CONSUMER_PROTOCOL_TYPE = 'consumer';
const NO_TIMESTAMP = -1;

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface OffsetCommitInput extends TopicPartition {
  offset: number;
  leaderEpoch: number;
  metadata: string | null;
  /** Set only when the committer asked for its own retention (OffsetCommit v1-v4); -1 or absent otherwise. */
  expireTimestamp?: number;
}

export interface PartitionErrorCode extends TopicPartition {
  errorCode: number;
}

/** What expiry needs to know of a group the coordinator has. */
export interface GroupExpiryInfo {
  state: string;
  /** "" for groups that only ever stored offsets. */
  protocolType: string;
  /** When the group entered its current state; -1 if unknown (e.g. loaded from an old record). */
  currentStateTimestamp: number;
  /** Topics the members subscribe to, when the group's protocol lets the coordinator know them. */
  subscribedTopics: Set<string> | null;
}

export interface OffsetStoreOptions {
  log: GroupMetadataLog;
  maxMetadataSize?: number;
}

/** An explicit expire timestamp wins over retention counted from `since`. */
function isExpired(c: CommittedOffset, since: number, now: number, retentionMs: number): boolean {
  return c.expireTimestamp !== NO_TIMESTAMP ? now >= c.expireTimestamp : now - since >= retentionMs;
}

function unknownOffset(tp: TopicPartition): TopicPartitionOffset {
  return {
    topic: tp.topic,
    partition: tp.partition,
    committed: { offset: -1, leaderEpoch: -1, metadata: '', commitTimestamp: NO_TIMESTAMP, expireTimestamp: NO_TIMESTAMP },
  };
}

/** A transactional commit waiting for its transaction's end; `order` is unset until its write succeeded. */
interface PendingTxnOffset extends TopicPartitionOffset {
  order?: number;
}

export class OffsetStore {
  private readonly log: GroupMetadataLog;
  private readonly maxMetadataSize: number;
  private readonly groups = new Map<string, Map<string, StoredOffset>>();
  /** Transactional commits not yet completed: by group, then producer id, then topic-partition. */
  private readonly txnPending = new Map<string, Map<bigint, Map<string, PendingTxnOffset>>>();
  /** The groups each producer has pending transactional commits in (Kafka's openGroupsForProducer). */
  private readonly groupsOfProducer = new Map<bigint, Set<string>>();
  /** Plain commits written but not yet replicated, by group then topic-partition: how many. */
  private readonly inFlight = new Map<string, Map<string, number>>();
  /** Orders writes issued from here after everything loaded (appends are synchronous, so issue order is log order). */
  private nextOrder = 0;

  constructor(opts: OffsetStoreOptions) {
    this.log = opts.log;
    this.maxMetadataSize = opts.maxMetadataSize ?? DEFAULT_MAX_METADATA_SIZE;
  }

  /**
   * Stores the commits whose metadata fits in one write to the group's partition and waits for the
   * ISR; the others get OFFSET_METADATA_TOO_LARGE. Memory changes only once the write is replicated,
   * as in Kafka, so a fetch never returns an offset a failover could lose.
   */
  async commit(groupId: string, offsets: OffsetCommitInput[], now: number): Promise<PartitionErrorCode[]> {
    const accepted = this.acceptable(offsets, now);
    let writeError: number = ErrorCode.NONE;
    if (accepted.length > 0) {
      const order = this.nextOrder++;
      this.countInFlight(groupId, accepted, 1);
      try {
        writeError = commitErrorOf(await this.log.storeOffsets(groupId, accepted));
      } finally {
        this.countInFlight(groupId, accepted, -1);
      }
      if (writeError === ErrorCode.NONE) for (const o of accepted) this.keepNewer(groupId, { ...o, order });
    }
    return this.answer(offsets, writeError);
  }

  /**
   * TxnOffsetCommit: the commits are pending for the producer from now on (OffsetFetch with
   * require_stable sees them as unstable) and written as a transactional batch of the producer; a
   * failed write puts back what was pending before. They become the group's offsets at the COMMIT marker.
   */
  async commitTransactional(groupId: string, producer: TxnProducer, offsets: OffsetCommitInput[], now: number): Promise<PartitionErrorCode[]> {
    const accepted = this.acceptable(offsets, now);
    if (accepted.length === 0) return this.answer(offsets, ErrorCode.NONE);
    const { producerId } = producer;
    let byProducer = this.txnPending.get(groupId);
    if (!byProducer) this.txnPending.set(groupId, (byProducer = new Map()));
    let mine = byProducer.get(producerId);
    if (!mine) byProducer.set(producerId, (mine = new Map()));
    let groups = this.groupsOfProducer.get(producerId);
    if (!groups) this.groupsOfProducer.set(producerId, (groups = new Set()));
    groups.add(groupId);
    const staged = accepted.map((offset) => {
      const key = topicPartitionKey(offset.topic, offset.partition);
      const o: PendingTxnOffset = { ...offset };
      const previous = mine.get(key);
      mine.set(key, o);
      return { key, o, previous };
    });
    const order = this.nextOrder++;
    const writeError = commitErrorOf(await this.log.storeOffsets(groupId, accepted, producer));
    // The transaction may have ended, or a later commit of the producer replaced these, meanwhile.
    const current = this.txnPending.get(groupId)?.get(producerId);
    for (const { key, o, previous } of staged) {
      if (current?.get(key) !== o) continue;
      if (writeError === ErrorCode.NONE) o.order = order;
      // What the log holds stays pending (Kafka forgets it here, yet reads it back on reloading).
      else if (previous) current.set(key, previous);
      else current.delete(key);
    }
    if (current?.size === 0) this.dropPending(groupId, producerId);
    return this.answer(offsets, writeError);
  }

  /**
   * A transaction's marker was written to offsets partitions this broker leads: the producer's
   * pending commits of groups in those partitions become the groups' offsets (COMMIT) or are dropped
   * (ABORT). A plain commit written after the transaction's own stays (Kafka's olderThan).
   */
  completeTransaction(producerId: bigint, inPartition: (groupId: string) => boolean, commit: boolean): void {
    for (const groupId of [...(this.groupsOfProducer.get(producerId) ?? [])]) {
      if (!inPartition(groupId)) continue;
      const pending = this.txnPending.get(groupId)?.get(producerId);
      this.dropPending(groupId, producerId);
      if (!commit || !pending) continue;
      for (const o of pending.values()) {
        // Not written yet: the marker cannot follow a write that has not happened; nothing to apply.
        if (o.order === undefined) continue;
        this.keepNewer(groupId, { topic: o.topic, partition: o.partition, committed: o.committed, order: o.order });
      }
    }
  }

  /** A commit of the partition is pending: a transaction's not yet completed, or a plain one not yet replicated. */
  hasPendingCommit(groupId: string, tp: TopicPartition): boolean {
    const key = topicPartitionKey(tp.topic, tp.partition);
    if (this.inFlight.get(groupId)?.has(key)) return true;
    for (const offsets of this.txnPending.get(groupId)?.values() ?? []) if (offsets.has(key)) return true;
    return false;
  }

  /** Commits whose metadata fits, as they would be stored. */
  private acceptable(offsets: OffsetCommitInput[], now: number): TopicPartitionOffset[] {
    return offsets.filter((o) => this.fits(o)).map(
      (o): TopicPartitionOffset => ({
        topic: o.topic,
        partition: o.partition,
        committed: {
          offset: o.offset,
          leaderEpoch: o.leaderEpoch,
          metadata: o.metadata ?? '',
          commitTimestamp: now,
          expireTimestamp: o.expireTimestamp ?? NO_TIMESTAMP,
        },
      }),
    );
  }

  private fits(o: OffsetCommitInput): boolean {
    return (o.metadata ?? '').length <= this.maxMetadataSize;
  }

  private answer(offsets: OffsetCommitInput[], writeError: number): PartitionErrorCode[] {
    return offsets.map((o) => ({
      topic: o.topic,
      partition: o.partition,
      errorCode: this.fits(o) ? writeError : ErrorCode.OFFSET_METADATA_TOO_LARGE,
    }));
  }

  /** The group's offset of the partition becomes `offset` unless one written later is there: a slower write issued earlier never replaces it. */
  private keepNewer(groupId: string, offset: StoredOffset): void {
    const group = this.groupOf(groupId);
    const key = topicPartitionKey(offset.topic, offset.partition);
    const current = group.get(key);
    if (!current || current.order < offset.order) group.set(key, offset);
  }

  private groupOf(groupId: string): Map<string, StoredOffset> {
    let group = this.groups.get(groupId);
    if (!group) this.groups.set(groupId, (group = new Map()));
    return group;
  }

  private countInFlight(groupId: string, offsets: TopicPartitionOffset[], delta: number): void {
    let group = this.inFlight.get(groupId);
    if (!group) this.inFlight.set(groupId, (group = new Map()));
    for (const o of offsets) {
      const key = topicPartitionKey(o.topic, o.partition);
      const n = (group.get(key) ?? 0) + delta;
      if (n > 0) group.set(key, n);
      else group.delete(key);
    }
    if (group.size === 0) this.inFlight.delete(groupId);
  }

  private dropPending(groupId: string, producerId: bigint): void {
    const byProducer = this.txnPending.get(groupId);
    byProducer?.delete(producerId);
    if (byProducer?.size === 0) this.txnPending.delete(groupId);
    const groups = this.groupsOfProducer.get(producerId);
    groups?.delete(groupId);
    if (groups?.size === 0) this.groupsOfProducer.delete(producerId);
  }

  /** Forgets every pending transactional commit of a group (deleted, or moved to another broker). */
  private dropAllPending(groupId: string): void {
    for (const producerId of [...(this.txnPending.get(groupId)?.keys() ?? [])]) this.dropPending(groupId, producerId);
  }

  /** The committed offsets asked for (null: all the group has); unknown ones read as offset -1. */
  fetch(groupId: string, tps: TopicPartition[] | null): TopicPartitionOffset[] {
    const group = this.groups.get(groupId);
    const visible = ({ topic, partition, committed }: StoredOffset): TopicPartitionOffset => ({ topic, partition, committed });
    if (tps === null) return group ? [...group.values()].map(visible) : [];
    return tps.map((tp) => {
      const stored = group?.get(topicPartitionKey(tp.topic, tp.partition));
      return stored ? visible(stored) : unknownOffset(tp);
    });
  }

  /** Removes the group's offsets of these partitions, with tombstones; returns the ones that existed. */
  deleteOffsets(groupId: string, tps: TopicPartition[]): TopicPartition[] {
    const group = this.groups.get(groupId);
    if (!group) return [];
    const removed = tps.filter((tp) => group.has(topicPartitionKey(tp.topic, tp.partition)));
    this.log.appendOffsetTombstones(groupId, removed);
    for (const tp of removed) group.delete(topicPartitionKey(tp.topic, tp.partition));
    if (group.size === 0) this.groups.delete(groupId);
    return removed;
  }

  /** Removes all the group's offsets, with tombstones, and its pending transactional commits; returns how many offsets there were. */
  deleteGroup(groupId: string): number {
    this.dropAllPending(groupId);
    const group = this.groups.get(groupId);
    if (!group) return 0;
    this.log.appendOffsetTombstones(groupId, [...group.values()]);
    this.groups.delete(groupId);
    return group.size;
  }

  /** Drops every group's offsets of a deleted topic; returns the groups left with no offsets. */
  removeTopic(topic: string): string[] {
    return this.removeWhere(() => (o) => o.topic === topic);
  }

  /** Drops groups from memory only (their offsets partition moved to another broker). */
  unload(belongs: (groupId: string) => boolean): void {
    for (const groupId of [...this.groups.keys()]) if (belongs(groupId)) this.groups.delete(groupId);
    for (const groupId of [...this.txnPending.keys()]) if (belongs(groupId)) this.dropAllPending(groupId);
  }

  groupIds(): string[] {
    return [...this.groups.keys()];
  }

  /** Committed offsets, or pending transactional ones (Kafka's GroupMetadata.hasOffsets). */
  hasOffsets(groupId: string): boolean {
    return this.groups.has(groupId) || this.txnPending.has(groupId);
  }

  /**
   * Installs the offsets of a partition just loaded from the log, replacing what was held for those
   * groups, with the commits of transactions still open pending for their producers.
   */
  load(state: LoadedOffsetsPartition): void {
    for (const [groupId, offsets] of state.offsets) {
      if (offsets.size > 0) this.groups.set(groupId, new Map(offsets));
    }
    for (const [producerId, byGroup] of state.pending) {
      for (const [groupId, offsets] of byGroup) {
        let byProducer = this.txnPending.get(groupId);
        if (!byProducer) this.txnPending.set(groupId, (byProducer = new Map()));
        byProducer.set(producerId, new Map(offsets));
        let groups = this.groupsOfProducer.get(producerId);
        if (!groups) this.groupsOfProducer.set(producerId, (groups = new Set()));
        groups.add(groupId);
      }
    }
    // Writes from now on come after everything read back.
    this.nextOrder = Math.max(this.nextOrder, state.endOffset);
  }

  /**
   * Kafka 2.1+ expiry (GroupMetadata.removeExpiredOffsets). An offset committed with its own expire
   * timestamp expires then; otherwise retention counts from:
   * - an Empty group's last state change (or the commit, when that is unknown): all its offsets;
   * - the commit, for a consumer group with members, only on topics it no longer subscribes to;
   * - the commit, for offsets of groups that have none (standalone committers).
   * Other groups with members keep their offsets. Writes tombstones; returns the groups whose last
   * offsets expired.
   */
  expire(now: number, retentionMs: number, groupInfo: (groupId: string) => GroupExpiryInfo | undefined): string[] {
    return this.removeWhere((groupId) => {
      const info = groupInfo(groupId);
      if (!info || info.protocolType === '') return (o) => isExpired(o.committed, o.committed.commitTimestamp, now, retentionMs);
      if (info.state === 'Empty') {
        const since = info.currentStateTimestamp >= 0 ? info.currentStateTimestamp : null;
        return (o) => isExpired(o.committed, since ?? o.committed.commitTimestamp, now, retentionMs);
      }
      const subscribed = info.subscribedTopics;
      if (info.protocolType === CONSUMER_PROTOCOL_TYPE && subscribed !== null) {
        return (o) => !subscribed.has(o.topic) && isExpired(o.committed, o.committed.commitTimestamp, now, retentionMs);
      }
      return null;
    });
  }

  /**
   * Removes the offsets that each group's selector picks (a null selector: none of that group's), writing
   * one batch of tombstones per group; returns the groups left with no offsets.
   */
  private removeWhere(selectorFor: (groupId: string) => ((o: TopicPartitionOffset) => boolean) | null): string[] {
    const emptied: string[] = [];
    for (const [groupId, group] of [...this.groups]) {
      const selected = selectorFor(groupId);
      const picked = selected ? [...group.values()].filter(selected) : [];
      if (picked.length === 0) continue;
      this.log.appendOffsetTombstones(groupId, picked);
      for (const o of picked) group.delete(topicPartitionKey(o.topic, o.partition));
      if (group.size === 0) {
        this.groups.delete(groupId);
        emptied.push(groupId);
      }
    }
    return emptied;
  }
}
