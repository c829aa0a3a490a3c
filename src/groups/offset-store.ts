// Committed offsets of every group this broker coordinates, kept in memory and persisted through
// GroupMetadataLog; includes Kafka 2.1+ (KIP-211) offset expiry.
import { ErrorCode } from '../../protocol/errors';
import { commitErrorOf } from './append-errors';
import { GroupMetadataLog, LoadedOffsetsPartition, topicPartitionKey } from './group-metadata-log';
import { CommittedOffset, TopicPartitionOffset } from './types';

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

export class OffsetStore {
  private readonly log: GroupMetadataLog;
  private readonly maxMetadataSize: number;
  private readonly groups = new Map<string, Map<string, TopicPartitionOffset>>();

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
    const fits = (o: OffsetCommitInput) => (o.metadata ?? '').length <= this.maxMetadataSize;
    const accepted = offsets.filter(fits).map(
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
    const writeError = accepted.length > 0 ? commitErrorOf(await this.log.storeOffsets(groupId, accepted)) : ErrorCode.NONE;
    if (writeError === ErrorCode.NONE && accepted.length > 0) {
      let group = this.groups.get(groupId);
      if (!group) this.groups.set(groupId, (group = new Map()));
      for (const o of accepted) group.set(topicPartitionKey(o.topic, o.partition), o);
    }
    return offsets.map((o) => ({
      topic: o.topic,
      partition: o.partition,
      errorCode: fits(o) ? writeError : ErrorCode.OFFSET_METADATA_TOO_LARGE,
    }));
  }

  /** The committed offsets asked for (null: all the group has); unknown ones read as offset -1. */
  fetch(groupId: string, tps: TopicPartition[] | null): TopicPartitionOffset[] {
    const group = this.groups.get(groupId);
    if (tps === null) return group ? [...group.values()] : [];
    return tps.map((tp) => group?.get(topicPartitionKey(tp.topic, tp.partition)) ?? unknownOffset(tp));
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

  /** Removes all the group's offsets, with tombstones; returns how many there were. */
  deleteGroup(groupId: string): number {
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
  }

  groupIds(): string[] {
    return [...this.groups.keys()];
  }

  hasOffsets(groupId: string): boolean {
    return this.groups.has(groupId);
  }

  /** Installs the offsets of a partition just loaded from the log, replacing what was held for those groups. */
  load(state: Pick<LoadedOffsetsPartition, 'offsets'>): void {
    for (const [groupId, offsets] of state.offsets) {
      if (offsets.size > 0) this.groups.set(groupId, new Map(offsets));
    }
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
