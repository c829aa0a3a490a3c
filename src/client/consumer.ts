// A Kafka consumer on ClusterClient, as the Java client's KafkaConsumer works with the classic group
// protocol: partitions are assigned by hand or by membership of a group ("consumer" protocol type,
// range assignor run by the leader, heartbeats, offsets committed automatically every
// auto.commit.interval.ms and on close, LeaveGroup on close). poll() fetches from each partition's
// leader, decompresses batches into records, skips control batches and, under read_committed, the
// batches of aborted transactions the Fetch answer lists. Give each consumer its own ClusterClient:
// a broker answers a connection's requests in order, so a JoinGroup held for a rebalance would hold
// back another member's heartbeats on a shared connection.

import { Apis, ErrorCode, KafkaError, errorName, isRetriable } from '../../protocol';
import { ClusterClient } from './cluster-client';
import { ConsumerConfig, DEFAULT_CONSUMER_CONFIG, OffsetReset } from './consumer-config';
import { TopicPartitions, decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription, rangeAssign } from './consumer-protocol';
import { AbortedTransaction, ConsumerRecord, decodeFetchedRecords } from './fetched-records';
import type { TopicPartition } from './topic-partition';
import { TopicMetadata, sleep } from './topic-metadata';

export { consumerConfigFromProps } from './consumer-config';
export type { ConsumerConfig, OffsetReset } from './consumer-config';
export type { ConsumerRecord } from './fetched-records';
export type { TopicPartition } from './topic-partition';

/** Told when the group hands partitions out or takes them back (ConsumerRebalanceListener). */
export interface RebalanceListener {
  onPartitionsRevoked?(partitions: TopicPartition[]): void;
  onPartitionsAssigned?(partitions: TopicPartition[]): void;
}

interface PartitionState {
  tp: TopicPartition;
  /** The offset of the next record poll() returns; null until reset or seeked. */
  position: number | null;
  /** An explicit seek to the beginning or end, else null: the group's committed offset, then auto.offset.reset. */
  seekTo: 'earliest' | 'latest' | null;
  /** The offset the next Fetch asks for (past skipped control and aborted batches). */
  fetchOffset: number;
  buffered: ConsumerRecord[];
}

interface Membership {
  memberId: string;
  generationId: number;
  coordinator: number;
}

const tpKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;
const FETCH_MAX_VERSION = 12;
const OFFSET_FETCH_MAX_VERSION = 7;

export class Consumer {
  readonly config: ConsumerConfig;
  private readonly metadata: TopicMetadata;
  private readonly partitions = new Map<string, PartitionState>();
  private subscription: readonly string[] | RegExp | null = null;
  private membership: Membership | null = null;
  private rejoinNeeded = false;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  /** The subscribed topics and their partition counts when the group last assigned. */
  private joinedCounts = new Map<string, number>();
  private lastMetadataCheckMs = 0;
  private lastCommitMs = Date.now();
  private listener: RebalanceListener = {};
  private closed = false;

  constructor(
    private readonly client: ClusterClient,
    config: Partial<ConsumerConfig> = {},
  ) {
    this.config = { ...DEFAULT_CONSUMER_CONFIG, ...config };
    this.metadata = new TopicMetadata(client, this.config.allowAutoCreateTopics);
  }

  /** Consumes exactly these partitions, outside any group's assignment. */
  assign(partitions: readonly TopicPartition[]): void {
    this.subscription = null;
    this.setAssignment(partitions);
  }

  /** Joins the group (group.id) subscribed to these topics, or to every topic matching the pattern. */
  subscribe(topics: readonly string[] | RegExp, listener: RebalanceListener = {}): void {
    if (this.config.groupId === null) {
      throw new Error('To use the group management or offset commit APIs, you must provide a valid group.id in the consumer configuration.');
    }
    this.subscription = topics;
    this.listener = listener;
    this.rejoinNeeded = true;
  }

  assignment(): TopicPartition[] {
    return [...this.partitions.values()].map((s) => s.tp);
  }

  seek(tp: TopicPartition, offset: number): void {
    const s = this.state(tp);
    s.position = offset;
    s.fetchOffset = offset;
    s.seekTo = null;
    s.buffered = [];
  }

  seekToBeginning(tps: readonly TopicPartition[]): void {
    for (const tp of tps) this.resetTo(tp, 'earliest');
  }

  seekToEnd(tps: readonly TopicPartition[]): void {
    for (const tp of tps) this.resetTo(tp, 'latest');
  }

  /** The offset of the next record poll() returns for the partition, null while unknown. */
  position(tp: TopicPartition): number | null {
    return this.partitions.get(tpKey(tp.topic, tp.partition))?.position ?? null;
  }

  /**
   * Records fetched since the last poll, waiting up to timeoutMs for some. Rejoins the group first
   * when a rebalance is under way, and commits when auto-commit is due.
   */
  async poll(timeoutMs: number): Promise<ConsumerRecord[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.checkSubscribedTopics();
      if (this.rejoinNeeded && this.subscription !== null) await this.joinGroup();
      await this.maybeAutoCommit();
      await this.resolvePositions();
      const ready = this.takeBuffered();
      if (ready.length > 0) return ready;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return [];
      const fetched = await this.fetchOnce(Math.min(remaining, this.config.fetchMaxWaitMs));
      if (!fetched && this.partitions.size === 0) await sleep(Math.min(remaining, this.config.retryBackoffMs));
    }
  }

  /** Commits the positions of every assigned partition to the group. */
  async commit(): Promise<void> {
    const m = this.membership;
    if (this.config.groupId === null) return;
    const byTopic = new Map<string, { partitionIndex: number; committedOffset: bigint; committedMetadata: string }[]>();
    for (const s of this.partitions.values()) {
      if (s.position === null) continue;
      const list = byTopic.get(s.tp.topic) ?? [];
      list.push({ partitionIndex: s.tp.partition, committedOffset: BigInt(s.position), committedMetadata: '' });
      byTopic.set(s.tp.topic, list);
    }
    if (byTopic.size === 0) return;
    const coordinator = m?.coordinator ?? (await this.client.coordinator(this.config.groupId, 0));
    const res = await this.client.request(
      Apis.OffsetCommit,
      {
        groupId: this.config.groupId,
        generationIdOrMemberEpoch: m?.generationId ?? -1,
        memberId: m?.memberId ?? '',
        topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
      },
      { to: coordinator },
    );
    for (const t of res.topics) {
      for (const p of t.partitions) {
        if (p.errorCode === ErrorCode.REBALANCE_IN_PROGRESS || p.errorCode === ErrorCode.ILLEGAL_GENERATION || p.errorCode === ErrorCode.UNKNOWN_MEMBER_ID) {
          this.rejoinNeeded = true;
        } else if (p.errorCode !== ErrorCode.NONE) {
          throw new KafkaError(p.errorCode, `Offset commit failed on partition ${t.name}-${p.partitionIndex}: ${errorName(p.errorCode)}`);
        }
      }
    }
    this.lastCommitMs = Date.now();
  }

  /** Commits (with auto-commit), leaves the group and stops heartbeating. The cluster client stays the caller's. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopHeartbeat();
    try {
      if (this.config.groupId !== null && this.config.enableAutoCommit) await this.commit();
    } finally {
      const m = this.membership;
      this.membership = null;
      if (m && this.config.groupId !== null) {
        await this.client
          .request(Apis.LeaveGroup, { groupId: this.config.groupId, memberId: m.memberId, members: [{ memberId: m.memberId, reason: 'the consumer is being closed' }] }, { to: m.coordinator })
          .catch(() => undefined);
      }
    }
  }

  private state(tp: TopicPartition): PartitionState {
    const s = this.partitions.get(tpKey(tp.topic, tp.partition));
    if (!s) throw new Error(`No current assignment for partition ${tp.topic}-${tp.partition}`);
    return s;
  }

  private resetTo(tp: TopicPartition, seekTo: 'earliest' | 'latest' | null): void {
    const s = this.state(tp);
    s.position = null;
    s.seekTo = seekTo;
    s.buffered = [];
  }

  private setAssignment(partitions: readonly TopicPartition[]): void {
    const keep = new Map<string, PartitionState>();
    for (const tp of partitions) {
      const key = tpKey(tp.topic, tp.partition);
      keep.set(key, this.partitions.get(key) ?? { tp: { ...tp }, position: null, seekTo: null, fetchOffset: 0, buffered: [] });
    }
    this.partitions.clear();
    for (const [k, v] of keep) this.partitions.set(k, v);
  }

  private takeBuffered(): ConsumerRecord[] {
    const out: ConsumerRecord[] = [];
    for (const s of this.partitions.values()) {
      if (s.buffered.length === 0) continue;
      const room = this.config.maxPollRecords - out.length;
      if (room <= 0) break;
      const taken = s.buffered.splice(0, room);
      for (const r of taken) out.push(r);
      s.position = s.buffered.length > 0 ? s.buffered[0].offset : s.fetchOffset;
    }
    return out;
  }

  // ---- positions ----

  /** Finds the position of partitions that have none: the group's committed offset, else the reset policy. */
  private async resolvePositions(): Promise<void> {
    const unknown = [...this.partitions.values()].filter((s) => s.position === null);
    if (unknown.length === 0) return;
    if (this.config.groupId !== null && this.membership !== null) {
      const committed = await this.committedOffsets(unknown.filter((s) => s.seekTo === null).map((s) => s.tp));
      for (const s of unknown) {
        const offset = committed.get(tpKey(s.tp.topic, s.tp.partition));
        if (offset !== undefined && offset >= 0 && s.seekTo === null) {
          s.position = offset;
          s.fetchOffset = offset;
        }
      }
    }
    const toList = [...this.partitions.values()].filter((s) => s.position === null);
    const policy = (s: PartitionState): OffsetReset => s.seekTo ?? this.config.autoOffsetReset;
    for (const s of toList) {
      if (policy(s) === 'none') throw new Error(`Undefined offset with no reset policy for partitions: [${s.tp.topic}-${s.tp.partition}]`);
    }
    const offsets = await this.listOffsets(toList.map((s) => ({ tp: s.tp, timestamp: policy(s) === 'earliest' ? -2n : -1n })));
    for (const s of toList) {
      const o = offsets.get(tpKey(s.tp.topic, s.tp.partition));
      if (o === undefined) continue;
      s.position = o;
      s.fetchOffset = o;
      s.seekTo = null;
    }
  }

  private async committedOffsets(tps: readonly TopicPartition[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (tps.length === 0 || this.membership === null || this.config.groupId === null) return out;
    const byTopic = groupByTopic(tps);
    const res = await this.client.request(
      Apis.OffsetFetch,
      { groupId: this.config.groupId, topics: byTopic.map((t) => ({ name: t.topic, partitionIndexes: t.partitions })), requireStable: true },
      { to: this.membership.coordinator, maxVersion: OFFSET_FETCH_MAX_VERSION },
    );
    if (res.errorCode !== ErrorCode.NONE) throw new KafkaError(res.errorCode, `OffsetFetch failed: ${errorName(res.errorCode)}`);
    for (const t of res.topics) for (const p of t.partitions) if (p.errorCode === ErrorCode.NONE) out.set(tpKey(t.name, p.partitionIndex), Number(p.committedOffset));
    return out;
  }

  /** ListOffsets to each partition's leader: -2 earliest, -1 latest (the last stable offset under read_committed). */
  private async listOffsets(queries: readonly { tp: TopicPartition; timestamp: bigint }[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const byLeader = await this.byLeader(queries.map((q) => q.tp));
    await Promise.all(
      [...byLeader].map(async ([leader, tps]) => {
        const wanted = new Map(queries.map((q) => [tpKey(q.tp.topic, q.tp.partition), q.timestamp]));
        const res = await this.client.request(
          Apis.ListOffsets,
          {
            replicaId: -1,
            isolationLevel: this.config.isolationLevel,
            topics: groupByTopic(tps).map((t) => ({
              name: t.topic,
              partitions: t.partitions.map((p) => ({ partitionIndex: p, timestamp: wanted.get(tpKey(t.topic, p))! })),
            })),
          },
          { to: leader, minVersion: 1 },
        );
        for (const t of res.topics) {
          for (const p of t.partitions) {
            if (p.errorCode === ErrorCode.NONE) out.set(tpKey(t.name, p.partitionIndex), Number(p.offset));
            else if (isRetriable(p.errorCode)) this.metadata.invalidate(t.name);
            else throw new KafkaError(p.errorCode, `ListOffsets failed for ${t.name}-${p.partitionIndex}: ${errorName(p.errorCode)}`);
          }
        }
      }),
    );
    return out;
  }

  private async byLeader(tps: readonly TopicPartition[]): Promise<Map<number, TopicPartition[]>> {
    const out = new Map<number, TopicPartition[]>();
    for (const tp of tps) {
      const layout = await this.metadata.layout(tp.topic, 60_000, this.config.retryBackoffMs);
      const leader = layout.leaders[tp.partition] ?? -1;
      if (leader < 0) {
        this.metadata.invalidate(tp.topic);
        continue;
      }
      const list = out.get(leader) ?? [];
      list.push(tp);
      out.set(leader, list);
    }
    return out;
  }

  // ---- fetching ----

  /** One Fetch to every leader of partitions with a position and nothing buffered; true when any answered with records. */
  private async fetchOnce(maxWaitMs: number): Promise<boolean> {
    const fetchable = [...this.partitions.values()].filter((s) => s.position !== null && s.buffered.length === 0);
    if (fetchable.length === 0) return false;
    const byLeader = await this.byLeader(fetchable.map((s) => s.tp));
    if (byLeader.size === 0) {
      await sleep(this.config.retryBackoffMs);
      return false;
    }
    const answers = await Promise.all(
      [...byLeader].map(([leader, tps]) =>
        this.fetchFrom(leader, tps, maxWaitMs).catch(async (err: unknown) => {
          if (err instanceof KafkaError && !isRetriable(err.code)) throw err;
          // A lost connection or a moved leader: find the leaders again after a pause, as the Java consumer backs off.
          for (const tp of tps) this.metadata.invalidate(tp.topic);
          await sleep(this.config.retryBackoffMs);
          return false;
        }),
      ),
    );
    return answers.some((x) => x);
  }

  private async fetchFrom(leader: number, tps: readonly TopicPartition[], maxWaitMs: number): Promise<boolean> {
    const res = await this.client.request(
      Apis.Fetch,
      {
        replicaId: -1,
        maxWaitMs,
        minBytes: this.config.fetchMinBytes,
        maxBytes: this.config.fetchMaxBytes,
        isolationLevel: this.config.isolationLevel,
        sessionId: 0,
        sessionEpoch: -1,
        topics: groupByTopic(tps).map((t) => ({
          topic: t.topic,
          partitions: t.partitions.map((p) => ({
            partition: p,
            fetchOffset: BigInt(this.state({ topic: t.topic, partition: p }).fetchOffset),
            partitionMaxBytes: this.config.maxPartitionFetchBytes,
          })),
        })),
        forgottenTopicsData: [],
        rackId: '',
      },
      { to: leader, maxVersion: FETCH_MAX_VERSION, minVersion: 4 },
    );
    if (res.errorCode !== ErrorCode.NONE) throw new KafkaError(res.errorCode);
    let any = false;
    for (const t of res.responses) {
      for (const p of t.partitions) {
        const s = this.partitions.get(tpKey(t.topic, p.partitionIndex));
        if (!s || s.position === null) continue;
        if (p.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) {
          if (this.config.autoOffsetReset === 'none') throw new KafkaError(p.errorCode, `Fetch position ${s.fetchOffset} is out of range for partition ${t.topic}-${p.partitionIndex}`);
          this.resetTo(s.tp, this.config.autoOffsetReset);
          continue;
        }
        if (p.errorCode !== ErrorCode.NONE) {
          this.metadata.invalidate(t.topic);
          continue;
        }
        if (p.records && p.records.length > 0) {
          const aborted = (p.abortedTransactions ?? []).map((a): AbortedTransaction => ({ producerId: a.producerId, firstOffset: Number(a.firstOffset) }));
          this.appendRecords(s, p.records, aborted);
          any = any || s.buffered.length > 0;
        }
      }
    }
    return any;
  }

  /** Buffers the fetched records the consumer may return and moves the fetch offset past what it read. */
  private appendRecords(s: PartitionState, records: Buffer, aborted: AbortedTransaction[]): void {
    const decoded = decodeFetchedRecords(s.tp, records, s.fetchOffset, this.config.isolationLevel === 1, aborted);
    for (const r of decoded.records) s.buffered.push(r);
    s.fetchOffset = decoded.nextFetchOffset;
    if (s.buffered.length === 0) s.position = s.fetchOffset;
  }

  // ---- group membership ----

  /**
   * Rejoins when the subscribed topics changed since the group assigned: a listed topic appeared or
   * grew partitions (checked often while one is missing), or new topics match the pattern
   * (every metadata.max.age.ms).
   */
  private async checkSubscribedTopics(): Promise<void> {
    const sub = this.subscription;
    if (sub === null || this.membership === null || this.rejoinNeeded) return;
    const missing = !(sub instanceof RegExp) && sub.some((t) => !this.joinedCounts.has(t));
    const interval = missing ? Math.max(this.config.retryBackoffMs, 500) : this.config.metadataMaxAgeMs;
    if (Date.now() - this.lastMetadataCheckMs < interval) return;
    this.lastMetadataCheckMs = Date.now();
    if (!(sub instanceof RegExp)) for (const t of sub) this.metadata.invalidate(t);
    const counts = await this.subscribedTopics();
    const same = counts.size === this.joinedCounts.size && [...counts].every(([t, n]) => this.joinedCounts.get(t) === n);
    if (!same) this.rejoinNeeded = true;
  }

  private async subscribedTopics(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    const sub = this.subscription;
    if (sub instanceof RegExp) {
      for (const [name, layout] of await this.metadata.all()) {
        if (this.config.excludeInternalTopics && layout.isInternal) continue;
        if (fullMatch(sub, name)) counts.set(name, layout.leaders.length);
      }
    } else if (sub !== null) {
      for (const topic of sub) {
        try {
          counts.set(topic, (await this.metadata.layout(topic, 0)).leaders.length);
        } catch {
          // A missing topic is simply not assigned, as the Java consumer does.
        }
      }
    }
    return counts;
  }

  /** JoinGroup then SyncGroup, as the leader running the range assignor when chosen. */
  private async joinGroup(): Promise<void> {
    const groupId = this.config.groupId!;
    if (this.membership !== null && this.config.enableAutoCommit) await this.commit().catch(() => undefined);
    this.listener.onPartitionsRevoked?.(this.assignment());
    this.stopHeartbeat();
    const coordinator = await this.findCoordinator(groupId);
    const counts = await this.subscribedTopics();
    this.joinedCounts = counts;
    this.lastMetadataCheckMs = Date.now();
    // A listed topic is subscribed to even while it does not exist yet, as the Java consumer subscribes.
    const topics = (this.subscription instanceof RegExp || this.subscription === null ? [...counts.keys()] : [...this.subscription]).sort();
    let memberId = this.membership?.memberId ?? '';
    for (;;) {
      const join = await this.client.request(
        Apis.JoinGroup,
        {
          groupId,
          sessionTimeoutMs: this.config.sessionTimeoutMs,
          rebalanceTimeoutMs: this.config.rebalanceTimeoutMs,
          memberId,
          protocolType: 'consumer',
          protocols: [{ name: 'range', metadata: encodeSubscription(topics) }],
        },
        // The coordinator holds the answer until every member has rejoined, as long as the rebalance timeout (Kafka adds 5 s).
        { to: coordinator, timeoutMs: Math.max(this.client.requestTimeoutMs, this.config.rebalanceTimeoutMs + 5000) },
      );
      if (join.errorCode === ErrorCode.MEMBER_ID_REQUIRED) {
        memberId = join.memberId;
        continue;
      }
      if (join.errorCode === ErrorCode.UNKNOWN_MEMBER_ID) {
        memberId = '';
        continue;
      }
      if (isRetriable(join.errorCode) || join.errorCode === ErrorCode.REBALANCE_IN_PROGRESS) {
        await sleep(this.config.retryBackoffMs);
        continue;
      }
      if (join.errorCode !== ErrorCode.NONE) throw new KafkaError(join.errorCode, `JoinGroup failed: ${errorName(join.errorCode)}`);
      memberId = join.memberId;
      let assignments: { memberId: string; assignment: Buffer }[] = [];
      if (join.leader === join.memberId) {
        const members = join.members.map((m) => ({ memberId: m.memberId, topics: decodeSubscription(m.metadata) }));
        const allTopics = [...new Set(members.flatMap((m) => m.topics))];
        const partitionCounts = new Map<string, number>();
        for (const t of allTopics) {
          const n = counts.get(t) ?? (await this.metadata.layout(t, 0).then((l) => l.leaders.length, () => undefined));
          if (n !== undefined) partitionCounts.set(t, n);
        }
        assignments = [...rangeAssign(members, partitionCounts)].map(([id, assigned]) => ({ memberId: id, assignment: encodeAssignment(assigned) }));
      }
      const sync = await this.client.request(
        Apis.SyncGroup,
        { groupId, generationId: join.generationId, memberId, protocolType: 'consumer', protocolName: join.protocolName, assignments },
        { to: coordinator },
      );
      if (sync.errorCode === ErrorCode.REBALANCE_IN_PROGRESS) continue;
      if (sync.errorCode === ErrorCode.UNKNOWN_MEMBER_ID || sync.errorCode === ErrorCode.ILLEGAL_GENERATION) {
        memberId = sync.errorCode === ErrorCode.UNKNOWN_MEMBER_ID ? '' : memberId;
        continue;
      }
      if (sync.errorCode !== ErrorCode.NONE) throw new KafkaError(sync.errorCode, `SyncGroup failed: ${errorName(sync.errorCode)}`);
      this.membership = { memberId, generationId: join.generationId, coordinator };
      const assigned = decodeAssignment(sync.assignment).flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition })));
      this.setAssignment(assigned);
      for (const s of this.partitions.values()) {
        s.position = null;
        s.seekTo = null;
        s.buffered = [];
      }
      this.rejoinNeeded = false;
      this.startHeartbeat();
      this.listener.onPartitionsAssigned?.(assigned);
      return;
    }
  }

  private async findCoordinator(groupId: string): Promise<number> {
    for (;;) {
      try {
        return await this.client.coordinator(groupId, 0);
      } catch (err) {
        if (!(err instanceof KafkaError) || !isRetriable(err.code)) throw err;
        await sleep(this.config.retryBackoffMs);
      }
    }
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), this.config.heartbeatIntervalMs);
    this.heartbeatTimer.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  private async heartbeat(): Promise<void> {
    const m = this.membership;
    if (!m || this.rejoinNeeded) return;
    const res = await this.client
      .request(Apis.Heartbeat, { groupId: this.config.groupId!, generationId: m.generationId, memberId: m.memberId }, { to: m.coordinator })
      .catch(() => null);
    if (res && res.errorCode !== ErrorCode.NONE) this.rejoinNeeded = true;
  }

  private async maybeAutoCommit(): Promise<void> {
    if (!this.config.enableAutoCommit || this.membership === null) return;
    if (Date.now() - this.lastCommitMs < this.config.autoCommitIntervalMs) return;
    await this.commit().catch(() => undefined);
  }
}

function groupByTopic(tps: readonly TopicPartition[]): TopicPartitions[] {
  const m = new Map<string, number[]>();
  for (const tp of tps) m.set(tp.topic, [...(m.get(tp.topic) ?? []), tp.partition]);
  return [...m].map(([topic, partitions]) => ({ topic, partitions }));
}

/** A Java Pattern.matcher(name).matches(): the whole name. */
function fullMatch(pattern: RegExp, name: string): boolean {
  const whole = new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace('g', ''));
  return whole.test(name);
}
