// The broker's group coordination: the membership state machine, committed offsets, and their
// persistence in __consumer_offsets, which is created on first use (with Kafka's settings) and read
// back at startup. Offsets expire after offsets.retention.minutes; offsets of deleted topics go too.

import { ErrorCode, KafkaError } from '../../protocol';
import type { Broker } from '../broker';
import { GroupCoordinator } from './group-coordinator';
import { GroupMetadataLog } from './group-metadata-log';
import { OffsetStore, commitErrorOf } from './offset-store';
import { OFFSETS_TOPIC } from './offsets-topic';
import { GroupSnapshot, realScheduler } from './types';

/** Kafka's settings for the offsets topic (offsets.topic.segment.bytes, compaction). */
const OFFSETS_TOPIC_CONFIGS = { 'cleanup.policy': 'compact', 'segment.bytes': '104857600', 'compression.type': 'producer' };
/** offsets.commit.timeout.ms */
const OFFSET_COMMIT_TIMEOUT_MS = 5000;
/** offsets.retention.check.interval.ms */
const RETENTION_CHECK_INTERVAL_MS = 600_000;

export interface CommitPartition {
  partitionIndex: number;
  offset: number;
  leaderEpoch: number;
  metadata: string | null;
}

export interface CommitRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** -1: the broker's offsets.retention.minutes applies. */
  retentionTimeMs: number;
  topics: { name: string; partitions: CommitPartition[] }[];
}

interface PartitionError {
  partitionIndex: number;
  errorCode: number;
}

export class GroupService {
  readonly coordinator: GroupCoordinator;
  private readonly offsets: OffsetStore;
  private readonly metadataLog: GroupMetadataLog;
  private expiryTimer?: NodeJS.Timeout;
  private creatingOffsetsTopic?: Promise<void>;
  /** Offsets partitions whose groups are in memory, and those being read back. */
  private readonly loaded = new Set<number>();
  private readonly loading = new Set<number>();

  constructor(private readonly broker: Broker) {
    const config = broker.config;
    this.metadataLog = new GroupMetadataLog({
      numPartitions: config.offsetsTopicNumPartitions,
      partitionLog: (p) => broker.leaderLog(OFFSETS_TOPIC, p),
      now: () => Date.now(),
      leaderEpoch: (p) => broker.leaderEpoch(OFFSETS_TOPIC, p),
    });
    this.offsets = new OffsetStore({ log: this.metadataLog });
    this.coordinator = new GroupCoordinator({
      scheduler: realScheduler,
      config,
      persist: (snapshot) => this.metadataLog.appendGroup(snapshot),
      onGroupRemoved: (groupId) => this.metadataLog.appendGroupTombstone(groupId),
      log: broker.log,
    });
  }

  /** Loads the groups of the offsets partitions this broker leads, then starts offset expiry. */
  async start(): Promise<void> {
    await this.leadershipChanged();
    this.expiryTimer = setInterval(() => this.expireOffsets(), RETENTION_CHECK_INTERVAL_MS);
    this.expiryTimer.unref();
  }

  /**
   * Follows leadership of __consumer_offsets partitions: groups of a partition this broker now
   * leads are read back from it (COORDINATOR_LOAD_IN_PROGRESS meanwhile); groups of a partition it
   * no longer leads are forgotten.
   */
  async leadershipChanged(): Promise<void> {
    const partitions = this.broker.topics.get(OFFSETS_TOPIC)?.partitions ?? [];
    const loads: Promise<void>[] = [];
    partitions.forEach((p, i) => {
      const leading = p.leader === this.broker.brokerId;
      if (leading && !this.loaded.has(i) && !this.loading.has(i)) loads.push(this.loadPartition(i));
      if (!leading && this.loaded.has(i)) {
        const mine = (groupId: string) => this.metadataLog.partitionFor(groupId) === i;
        this.coordinator.unloadGroups(mine);
        this.offsets.unload(mine);
        this.loaded.delete(i);
      }
    });
    await Promise.all(loads);
  }

  private async loadPartition(partition: number): Promise<void> {
    const log = this.broker.logs.get(OFFSETS_TOPIC, partition);
    if (!log) return;
    this.loading.add(partition);
    try {
      const started = Date.now();
      const loaded = await this.metadataLog.loadPartition(log);
      this.offsets.load(loaded);
      for (const snapshot of loaded.groups.values()) this.coordinator.loadGroup(snapshot);
      for (const groupId of loaded.offsets.keys()) {
        if (!loaded.groups.has(groupId)) this.coordinator.loadGroup(emptyGroup(groupId));
      }
      this.loaded.add(partition);
      if (loaded.groups.size + loaded.offsets.size > 0) {
        this.broker.log.info(`Loaded ${loaded.groups.size} groups and offsets of ${loaded.offsets.size} groups from ${OFFSETS_TOPIC}-${partition} in ${Date.now() - started} ms`);
      }
    } finally {
      this.loading.delete(partition);
    }
  }

  shutdown(): void {
    clearInterval(this.expiryTimer);
    this.coordinator.shutdown();
  }

  /** NONE when this broker leads the group's __consumer_offsets partition and has read it back. */
  checkCoordinator(groupId: string): number {
    const p = this.metadataLog.partitionFor(groupId);
    if (this.loading.has(p)) return ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
    const partition = this.broker.topics.get(OFFSETS_TOPIC)?.partitions[p];
    return partition?.leader === this.broker.brokerId && this.loaded.has(p) ? ErrorCode.NONE : ErrorCode.NOT_COORDINATOR;
  }

  /** FindCoordinator: the leader of the group's offsets partition, creating the topic on first use. */
  async coordinatorFor(groupId: string): Promise<number> {
    await this.ensureOffsetsTopic();
    const leader = this.broker.topics.get(OFFSETS_TOPIC)?.partitions[this.metadataLog.partitionFor(groupId)]?.leader ?? -1;
    if (leader < 0) throw new KafkaError(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'The coordinator is not available.');
    return leader;
  }

  /**
   * Stores the commits, then waits (up to offsets.commit.timeout.ms) until the offsets partition's
   * in-sync replicas have them, as Kafka's acks=-1 commit does.
   */
  async commitOffsets(req: CommitRequest): Promise<{ name: string; partitions: PartitionError[] }[]> {
    const now = Date.now();
    const known = (topic: string, p: number) => this.broker.topics.get(topic)?.partitions[p] !== undefined;
    const fenced = this.checkCoordinator(req.groupId) || this.coordinator.validateOffsetCommit(req.groupId, req.generationId, req.memberId, req.groupInstanceId);
    const expireTimestamp = req.retentionTimeMs >= 0 ? now + req.retentionTimeMs : -1;
    const accepted = req.topics.flatMap((t) =>
      t.partitions
        .filter((p) => !fenced && known(t.name, p.partitionIndex))
        .map((p) => ({ topic: t.name, partition: p.partitionIndex, offset: p.offset, leaderEpoch: p.leaderEpoch, metadata: p.metadata, expireTimestamp })),
    );
    const stored = new Map<string, number>();
    if (accepted.length > 0) {
      for (const r of this.offsets.commit(req.groupId, accepted, now)) stored.set(`${r.topic}\u0000${r.partition}`, r.errorCode);
      const replicated = await this.waitForReplication(req.groupId);
      for (const [key, code] of stored) if (code === ErrorCode.NONE) stored.set(key, replicated);
    }
    return req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({
        partitionIndex: p.partitionIndex,
        errorCode: fenced || (known(t.name, p.partitionIndex) ? stored.get(`${t.name}\u0000${p.partitionIndex}`)! : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION),
      })),
    }));
  }

  /** NONE once the group's offsets partition is replicated to its ISR up to its end, else the commit error. */
  private async waitForReplication(groupId: string): Promise<number> {
    const partition = this.metadataLog.partitionFor(groupId);
    const log = this.broker.logs.get(OFFSETS_TOPIC, partition);
    if (!log) return ErrorCode.NOT_COORDINATOR;
    const err = await this.broker.replicas.waitForReplication(OFFSETS_TOPIC, partition, log.logEndOffset - 1, OFFSET_COMMIT_TIMEOUT_MS);
    return err ? commitErrorOf(err.code) : ErrorCode.NONE;
  }

  fetchOffsets(groupId: string, topics: { name: string; partitionIndexes: number[] }[] | null, memberId: string | null, memberEpoch: number) {
    const errorCode = this.checkCoordinator(groupId) || this.coordinator.validateOffsetFetch(groupId, memberId, memberEpoch);
    if (errorCode) return { errorCode, topics: [] };
    const wanted = topics?.flatMap((t) => t.partitionIndexes.map((partition) => ({ topic: t.name, partition }))) ?? null;
    const byTopic = new Map<string, { partitionIndex: number; committedOffset: bigint; committedLeaderEpoch: number; metadata: string; errorCode: number }[]>();
    for (const t of topics ?? []) byTopic.set(t.name, []);
    for (const { topic, partition, committed } of this.offsets.fetch(groupId, wanted)) {
      if (!byTopic.has(topic)) byTopic.set(topic, []);
      byTopic.get(topic)!.push({
        partitionIndex: partition,
        committedOffset: BigInt(committed.offset),
        committedLeaderEpoch: committed.leaderEpoch,
        metadata: committed.metadata,
        errorCode: ErrorCode.NONE,
      });
    }
    return { errorCode: ErrorCode.NONE, topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })) };
  }

  deleteGroup(groupId: string): number {
    const errorCode = this.checkCoordinator(groupId) || this.coordinator.deleteGroup(groupId);
    if (errorCode === ErrorCode.NONE) this.offsets.deleteGroup(groupId);
    return errorCode;
  }

  /** OffsetDelete: only offsets the group is not consuming (Empty group, or unsubscribed topics). */
  deleteOffsets(groupId: string, topics: { name: string; partitions: number[] }[]) {
    const failed = (errorCode: number) => ({ errorCode, topics: [] });
    const notCoordinator = this.checkCoordinator(groupId);
    if (notCoordinator) return failed(notCoordinator);
    const info = this.coordinator.groupInfo(groupId);
    if (!info || info.state === 'Dead') return failed(ErrorCode.GROUP_ID_NOT_FOUND);
    if (info.state !== 'Empty' && info.protocolType !== 'consumer' && info.protocolType !== '') return failed(ErrorCode.NON_EMPTY_GROUP);
    const subscribed = info.state === 'Empty' ? new Set<string>() : info.subscribedTopics ?? new Set<string>();
    const deletable = topics.flatMap((t) =>
      subscribed.has(t.name) || !this.broker.topics.get(t.name) ? [] : t.partitions.map((partition) => ({ topic: t.name, partition })),
    );
    this.offsets.deleteOffsets(groupId, deletable);
    return {
      errorCode: ErrorCode.NONE,
      topics: topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((partitionIndex) => ({
          partitionIndex,
          errorCode: subscribed.has(t.name)
            ? ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC
            : this.broker.topics.get(t.name)?.partitions[partitionIndex]
              ? ErrorCode.NONE
              : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        })),
      })),
    };
  }

  /** A deleted topic takes its committed offsets with it. */
  topicDeleted(topic: string): void {
    for (const groupId of this.offsets.removeTopic(topic)) this.coordinator.removeIfEmpty(groupId);
  }

  private expireOffsets(): void {
    const retentionMs = this.broker.config.offsetsRetentionMinutes * 60_000;
    this.offsets.expire(Date.now(), retentionMs, (id) => this.coordinator.groupInfo(id));
    // Empty groups left without offsets (expired, or never committed) are dropped, as Kafka's sweep does.
    for (const { groupId } of this.coordinator.listGroups(['Empty'])) {
      if (!this.offsets.hasOffsets(groupId)) this.coordinator.removeIfEmpty(groupId);
    }
  }

  /** Creates __consumer_offsets on first use, as Kafka does, refusing when too few brokers are alive. */
  private async ensureOffsetsTopic(): Promise<void> {
    if (this.broker.topics.get(OFFSETS_TOPIC)) return;
    this.creatingOffsetsTopic ??= this.createOffsetsTopic().finally(() => (this.creatingOffsetsTopic = undefined));
    return this.creatingOffsetsTopic;
  }

  private async createOffsetsTopic(): Promise<void> {
    const { offsetsTopicNumPartitions, offsetsTopicReplicationFactor } = this.broker.config;
    const alive = this.broker.liveBrokerIds().length;
    if (alive < offsetsTopicReplicationFactor) {
      throw new KafkaError(
        ErrorCode.COORDINATOR_NOT_AVAILABLE,
        `Number of alive brokers '${alive}' does not meet the required replication factor '${offsetsTopicReplicationFactor}' for the offsets topic (configured via 'offsets.topic.replication.factor'). This error can be ignored if the cluster is starting up and not all brokers are up yet.`,
      );
    }
    await this.broker.createTopic(
      { name: OFFSETS_TOPIC, numPartitions: offsetsTopicNumPartitions, replicationFactor: offsetsTopicReplicationFactor, assignments: [], configs: OFFSETS_TOPIC_CONFIGS },
      false,
    );
  }
}

/** A group known only from its committed offsets (simple consumers): Empty, no protocol. */
function emptyGroup(groupId: string): GroupSnapshot {
  return { groupId, protocolType: '', generationId: 0, protocolName: null, leaderId: null, currentStateTimestamp: -1, members: [] };
}
