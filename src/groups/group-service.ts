// The broker's group coordination: the membership state machine, committed offsets, and their
// persistence in __consumer_offsets, an internal topic created on first use (with Kafka's settings)
// and read back whenever this broker becomes the leader of one of its partitions. Offsets expire
// after offsets.retention.minutes; offsets of deleted topics go too. Transactional offset commits
// (TxnOffsetCommit) wait, pending, for the transaction's marker (WriteTxnMarkers calls
// completeTransaction).

import { ErrorCode } from '../../protocol';
import type { CoordinatorServices } from '../coordinator/coordinator-services';
import { InternalTopicCoordinator } from '../coordinator/internal-topic-coordinator';
import type { Timer } from '../clock';
import type { PartitionLog } from '../log/partition-log';
import { storeGroupErrorOf } from './append-errors';
import type { GroupCoordinatorConfig } from './coordinator-api';
import { GroupCoordinator } from './group-coordinator';
import { GroupMetadataLog } from './group-metadata-log';
import { OffsetStore } from './offset-store';
import { OFFSETS_TOPIC } from './offsets-topic';
import type { GroupSnapshot } from './types';

/** Kafka's settings for the offsets topic (offsets.topic.segment.bytes, compaction). */
const OFFSETS_TOPIC_CONFIGS = { 'cleanup.policy': 'compact', 'segment.bytes': '104857600', 'compression.type': 'producer' };
/** offsets.commit.timeout.ms */
const OFFSET_COMMIT_TIMEOUT_MS = 5000;
/** offsets.retention.check.interval.ms */
const RETENTION_CHECK_INTERVAL_MS = 600_000;

export interface GroupServiceConfig extends GroupCoordinatorConfig {
  offsetsTopicNumPartitions: number;
  offsetsTopicReplicationFactor: number;
  offsetsRetentionMinutes: number;
}

export interface GroupServiceDeps extends CoordinatorServices {
  config: GroupServiceConfig;
}

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

/** TxnOffsetCommit: offsets committed inside the producer's transaction. */
export interface TxnCommitRequest {
  transactionalId: string;
  groupId: string;
  producerId: bigint;
  producerEpoch: number;
  /** -1, "" and null before v3, which carry no member fields. */
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  topics: { name: string; partitions: CommitPartition[] }[];
}

interface PartitionError {
  partitionIndex: number;
  errorCode: number;
}

export class GroupService extends InternalTopicCoordinator {
  readonly coordinator: GroupCoordinator;
  private readonly offsets: OffsetStore;
  private readonly metadataLog: GroupMetadataLog;
  private readonly config: GroupServiceConfig;
  private expiryTimer?: Timer;

  constructor(deps: GroupServiceDeps) {
    const { config } = deps;
    super(deps, {
      topic: {
        name: OFFSETS_TOPIC,
        numPartitions: config.offsetsTopicNumPartitions,
        replicationFactor: config.offsetsTopicReplicationFactor,
        configs: OFFSETS_TOPIC_CONFIGS,
      },
      description: 'offsets topic',
      replicationFactorConfig: 'offsets.topic.replication.factor',
      writeTimeoutMs: OFFSET_COMMIT_TIMEOUT_MS,
    });
    this.config = config;
    this.metadataLog = new GroupMetadataLog({ numPartitions: config.offsetsTopicNumPartitions, writer: this, now: () => deps.clock.now() });
    this.offsets = new OffsetStore({ log: this.metadataLog });
    this.coordinator = new GroupCoordinator({
      clock: deps.clock,
      config,
      persist: async (snapshot) => storeGroupErrorOf(await this.metadataLog.storeGroup(snapshot)),
      onGroupRemoved: (groupId) => this.metadataLog.appendGroupTombstone(groupId),
      log: deps.log,
    });
  }

  /** Loads the groups of the offsets partitions this broker leads, then starts offset expiry. */
  async start(): Promise<void> {
    await this.leadershipChanged();
    this.expiryTimer = this.services.clock.setInterval(() => this.expireOffsets(), RETENTION_CHECK_INTERVAL_MS);
  }

  protected async loadPartition(partition: number, log: PartitionLog): Promise<void> {
    const started = this.services.clock.now();
    const loaded = await this.metadataLog.loadPartition(log);
    this.offsets.load(loaded);
    for (const snapshot of loaded.groups.values()) this.coordinator.loadGroup(snapshot);
    const offsetOnly = new Set([...loaded.offsets.keys(), ...[...loaded.pending.values()].flatMap((byGroup) => [...byGroup.keys()])]);
    for (const groupId of offsetOnly) {
      if (!loaded.groups.has(groupId)) this.coordinator.loadGroup(emptyGroup(groupId));
    }
    if (loaded.groups.size + loaded.offsets.size > 0) {
      const ms = this.services.clock.now() - started;
      this.services.log.info(`Loaded ${loaded.groups.size} groups and offsets of ${loaded.offsets.size} groups from ${OFFSETS_TOPIC}-${partition} in ${ms} ms`);
    }
  }

  protected unloadPartition(partition: number): void {
    const mine = (groupId: string) => this.partitionFor(groupId) === partition;
    this.coordinator.unloadGroups(mine);
    this.offsets.unload(mine);
  }

  shutdown(): void {
    this.expiryTimer?.cancel();
    this.coordinator.shutdown();
  }

  /**
   * Stores the commits and answers once the offsets partition's in-sync replicas have them (or
   * offsets.commit.timeout.ms passed), as Kafka's acks=-1 commit does.
   */
  async commitOffsets(req: CommitRequest): Promise<{ name: string; partitions: PartitionError[] }[]> {
    const now = this.services.clock.now();
    const known = (topic: string, p: number) => this.services.topic(topic)?.partitions[p] !== undefined;
    const fenced = this.checkCoordinator(req.groupId) || this.coordinator.validateOffsetCommit(req.groupId, req.generationId, req.memberId, req.groupInstanceId);
    const expireTimestamp = req.retentionTimeMs >= 0 ? now + req.retentionTimeMs : -1;
    const accepted = req.topics.flatMap((t) =>
      t.partitions
        .filter((p) => !fenced && known(t.name, p.partitionIndex))
        .map((p) => ({ topic: t.name, partition: p.partitionIndex, offset: p.offset, leaderEpoch: p.leaderEpoch, metadata: p.metadata, expireTimestamp })),
    );
    const stored = new Map<string, number>();
    if (accepted.length > 0) {
      for (const r of await this.offsets.commit(req.groupId, accepted, now)) stored.set(`${r.topic}\u0000${r.partition}`, r.errorCode);
    }
    return req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({
        partitionIndex: p.partitionIndex,
        errorCode: fenced || (known(t.name, p.partitionIndex) ? stored.get(`${t.name}\u0000${p.partitionIndex}`)! : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION),
      })),
    }));
  }

  /**
   * TxnOffsetCommit (Kafka's handleTxnCommitOffsets): partitions of unknown topics get
   * UNKNOWN_TOPIC_OR_PARTITION; the others the group's error (an empty group id is INVALID_GROUP_ID;
   * coordinator, generation and member checks) or the write's. An unknown group is created Empty.
   */
  async commitTransactionalOffsets(req: TxnCommitRequest): Promise<{ name: string; partitions: PartitionError[] }[]> {
    const now = this.services.clock.now();
    const known = (topic: string, p: number) => this.services.topic(topic)?.partitions[p] !== undefined;
    const accepted = req.topics.flatMap((t) =>
      t.partitions
        .filter((p) => known(t.name, p.partitionIndex))
        .map((p) => ({ topic: t.name, partition: p.partitionIndex, offset: p.offset, leaderEpoch: p.leaderEpoch, metadata: p.metadata })),
    );
    const stored = new Map<string, number>();
    if (accepted.length > 0) {
      const groupError =
        (req.groupId === '' ? ErrorCode.INVALID_GROUP_ID : ErrorCode.NONE) ||
        this.checkCoordinator(req.groupId) ||
        this.coordinator.validateOffsetCommit(req.groupId, req.generationId, req.memberId, req.groupInstanceId, true);
      const results = groupError
        ? accepted.map((o) => ({ ...o, errorCode: groupError }))
        : await this.offsets.commitTransactional(req.groupId, { producerId: req.producerId, producerEpoch: req.producerEpoch }, accepted, now);
      for (const r of results) stored.set(`${r.topic}\u0000${r.partition}`, r.errorCode);
    }
    return req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({
        partitionIndex: p.partitionIndex,
        errorCode: stored.get(`${t.name}\u0000${p.partitionIndex}`) ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      })),
    }));
  }

  /**
   * The marker of the producer's transaction is written to these partitions of the offsets topic:
   * its pending offsets of groups there become visible (commit) or are dropped (abort).
   */
  async completeTransaction(producerId: bigint, _producerEpoch: number, offsetsPartitions: number[], commit: boolean): Promise<void> {
    const partitions = new Set(offsetsPartitions);
    this.offsets.completeTransaction(producerId, (groupId) => partitions.has(this.partitionFor(groupId)), commit);
  }

  /** With `requireStable` (OffsetFetch v7+), a partition with a pending commit answers UNSTABLE_OFFSET_COMMIT. */
  fetchOffsets(groupId: string, topics: { name: string; partitionIndexes: number[] }[] | null, memberId: string | null, memberEpoch: number, requireStable = false) {
    const errorCode = this.checkCoordinator(groupId) || this.coordinator.validateOffsetFetch(groupId, memberId, memberEpoch);
    if (errorCode) return { errorCode, topics: [] };
    const wanted = topics?.flatMap((t) => t.partitionIndexes.map((partition) => ({ topic: t.name, partition }))) ?? null;
    const byTopic = new Map<string, { partitionIndex: number; committedOffset: bigint; committedLeaderEpoch: number; metadata: string; errorCode: number }[]>();
    for (const t of topics ?? []) byTopic.set(t.name, []);
    for (const { topic, partition, committed } of this.offsets.fetch(groupId, wanted)) {
      if (!byTopic.has(topic)) byTopic.set(topic, []);
      const unstable = requireStable && this.offsets.hasPendingCommit(groupId, { topic, partition });
      byTopic.get(topic)!.push(
        unstable
          ? { partitionIndex: partition, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT }
          : {
              partitionIndex: partition,
              committedOffset: BigInt(committed.offset),
              committedLeaderEpoch: committed.leaderEpoch,
              metadata: committed.metadata,
              errorCode: ErrorCode.NONE,
            },
      );
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
      subscribed.has(t.name) || !this.services.topic(t.name) ? [] : t.partitions.map((partition) => ({ topic: t.name, partition })),
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
            : this.services.topic(t.name)?.partitions[partitionIndex]
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
    const retentionMs = this.config.offsetsRetentionMinutes * 60_000;
    this.offsets.expire(this.services.clock.now(), retentionMs, (id) => this.coordinator.groupInfo(id));
    // Empty groups left without offsets (expired, or never committed) are dropped, as Kafka's sweep does.
    for (const { groupId } of this.coordinator.listGroups(['Empty'])) {
      if (!this.offsets.hasOffsets(groupId)) this.coordinator.removeIfEmpty(groupId);
    }
  }
}

/** A group known only from its committed offsets (simple consumers): Empty, no protocol. */
function emptyGroup(groupId: string): GroupSnapshot {
  return { groupId, protocolType: '', generationId: 0, protocolName: null, leaderId: null, currentStateTimestamp: -1, members: [] };
}
