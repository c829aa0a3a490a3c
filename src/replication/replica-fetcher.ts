// A follower's fetcher for the partitions one leader broker leads (Kafka's ReplicaFetcherThread):
// one connection, every partition in one Fetch. A partition joins truncating: OffsetForLeaderEpoch
// for its latest epoch tells where its history and the leader's part, and the suffix past that is
// cut before any fetch. Fetched batches are appended as the leader wrote them, and the follower's
// high watermark follows the leader's. Partition errors hold that partition back for
// replica.fetch.backoff.ms; connection errors hold them all back and reconnect. Fetches run in an
// incremental fetch session with the leader (KIP-227, `client/fetch-session-handler.ts`): after
// the first, each names only partitions whose fetch offset or other parameters moved, and partitions
// no longer fetched (removed, or held back by an error) are forgotten. A session error makes the
// next fetch full, at once. Replication throttles (`replication-quotas.ts`): a throttled partition
// not caught up with the leader's high watermark stays out of the fetch while the follower quota is
// exceeded (with every partition out, the fetcher backs off), and what it receives is recorded.
// A follower lag (the FollowerLag test control) holds a partition N records behind the leader's
// log end: it asks the leader for that end (ListOffsets as a replica) and stays out of the fetch
// while within N of it, appending only whole batches that end N or more before it; with no lag
// set anywhere, the fetch loop checks one flag. Each round tells the lag it has caught up with its
// changes, so a test knows when no fetch sent before a change is still out.

import { Apis, ErrorCode, errorName } from '../../protocol';
import { batchSizeAt, readBatchHeader } from '../../protocol/records';
import { FetchSessionHandler, SessionPartition, byId } from '../client/fetch-session-handler';
import type { BrokerConnector } from '../client/broker-connector';
import type { KafkaConnection } from '../client/kafka-connection';
import { Clock } from '../clock';
import type { PartitionLog } from '../log/partition-log';
import type { FollowerLag, LagReader } from '../control/follower-lag';
import { Logger } from '../logger';
import type { FollowerReplicationQuota } from './replication-quotas';
import { TruncationPoint, truncationPoint } from './truncation';

/** Kafka 3.9's inter-broker versions: topic ids and replica state in Fetch, current leader epochs everywhere. */
const FETCH_VERSION = 17;
const OFFSET_FOR_LEADER_EPOCH_VERSION = 4;
const LIST_OFFSETS_VERSION = 7;
const LATEST_TIMESTAMP = -1n;
const EARLIEST_TIMESTAMP = -2n;

export interface FetcherSettings {
  brokerId: number;
  brokerEpoch: () => bigint;
  maxWaitMs: number;
  minBytes: number;
  /** replica.fetch.response.max.bytes */
  maxBytes: number;
  /** replica.fetch.max.bytes */
  partitionMaxBytes: number;
  backoffMs: number;
  socketTimeoutMs: number;
  /** follower.replication.throttled.rate over follower.replication.throttled.replicas. */
  quota?: FollowerReplicationQuota;
  /** Partitions held some records behind their leader (a test control). */
  lag?: FollowerLag;
  /** Opens a connection on the inter-broker listener's security protocol. */
  connect: BrokerConnector;
}

export interface FollowedPartition {
  topic: string;
  topicId: string;
  partition: number;
  /** The leader epoch this broker knows, sent as current_leader_epoch for fencing. */
  leaderEpoch: number;
  log: PartitionLog;
}

interface FetchState extends FollowedPartition {
  truncating: boolean;
  /** No request for the partition before this time, after an error. */
  delayedUntil: number;
  /** How far behind the leader's high watermark the last data left it; unknown before any fetch. */
  lag?: number;
  /** Under a follower lag: appends stop before this offset (the leader's log end less the lag). */
  appendLimit?: number;
  /** Delayed by the follower lag rather than an error: a lag change resumes it at once. */
  heldByLag: boolean;
}

export interface Endpoint {
  host: string;
  port: number;
}

export const partitionKey = (topic: string, partition: number): string => `${topic}-${partition}`;

export class ReplicaFetcher {
  private readonly partitions = new Map<string, FetchState>();
  private conn: KafkaConnection | null = null;
  private readonly session = new FetchSessionHandler();
  private stopped = false;
  private wakeUp: (() => void) | null = null;
  private lastFailure: string | null = null;
  /** Aborts a connection attempt in progress when the fetcher stops. */
  private readonly stopping = new AbortController();
  private readonly running: Promise<void>;
  private readonly prefix: string;
  private readonly lagReader: LagReader | undefined;

  constructor(
    readonly leaderId: number,
    private readonly endpoint: () => Endpoint | null,
    private readonly settings: FetcherSettings,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.prefix = `[ReplicaFetcher replicaId=${settings.brokerId}, leaderId=${leaderId}, fetcherId=0] `;
    this.lagReader = settings.lag?.read(() => this.lagChanged());
    this.running = this.run();
  }

  get size(): number {
    return this.partitions.size;
  }

  /** Follows a partition from its truncation on. */
  add(p: FollowedPartition): void {
    this.partitions.set(partitionKey(p.topic, p.partition), { ...p, truncating: true, delayedUntil: 0, heldByLag: false });
    this.log.info(`${this.prefix}Added ${p.topic}-${p.partition} at leader epoch ${p.leaderEpoch}, log end ${p.log.logEndOffset}`);
    this.wake();
  }

  /** Stops following a partition; a response in flight for it is dropped. */
  remove(key: string): void {
    if (this.partitions.delete(key)) this.log.info(`${this.prefix}Removed ${key}`);
  }

  following(key: string): FollowedPartition | undefined {
    return this.partitions.get(key);
  }

  keys(): string[] {
    return [...this.partitions.keys()];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.lagReader?.close();
    this.partitions.clear();
    this.stopping.abort();
    this.conn?.close();
    this.wake();
    await this.running;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      // The fetch of the previous round is answered: from here on every lag change holds.
      this.lagReader?.caughtUp();
      try {
        const now = this.clock.now();
        const due = [...this.partitions.values()].filter((p) => p.delayedUntil <= now);
        if (due.length === 0) {
          await this.sleep(Math.min(...[...this.partitions.values()].map((p) => p.delayedUntil)) - now);
          continue;
        }
        const conn = await this.connection();
        const truncating = due.filter((p) => p.truncating);
        if (truncating.length > 0) await this.truncate(conn, truncating);
        else {
          const unthrottled = due.filter((p) => !this.throttled(p));
          const fetching = this.settings.lag?.active ? await this.withinLag(conn, unthrottled, this.settings.lag) : unthrottled;
          // Kafka's fetcher with nothing to fetch waits replica.fetch.backoff.ms.
          if (fetching.length === 0) await this.sleep(this.settings.backoffMs);
          else await this.fetch(conn, fetching);
        }
        this.lastFailure = null;
      } catch (err) {
        if (this.stopped) break;
        // The same failure again (a dead leader refusing every reconnection) is worth one warning.
        const failure = `Error in fetch from broker ${this.leaderId}: ${(err as Error).message}`;
        if (failure === this.lastFailure) this.log.debug(this.prefix + failure);
        else this.log.warn(this.prefix + failure);
        this.lastFailure = failure;
        this.conn?.close();
        await this.sleep(this.settings.backoffMs);
      }
    }
    this.conn?.close();
  }

  private async connection(): Promise<KafkaConnection> {
    if (this.conn?.isOpen) return this.conn;
    const at = this.endpoint();
    if (!at) throw new Error(`broker ${this.leaderId} is not alive or has no endpoint on the inter-broker listener`);
    this.conn = await this.settings.connect(at.host, at.port, {
      clientId: `broker-${this.settings.brokerId}-fetcher-0`,
      timeoutMs: this.settings.socketTimeoutMs,
      signal: this.stopping.signal,
      clock: this.clock,
    });
    return this.conn;
  }

  /** Asks the leader where each partition's latest epoch ends and cuts the log there. */
  private async truncate(conn: KafkaConnection, states: FetchState[]): Promise<void> {
    const asking: { state: FetchState; epoch: number }[] = [];
    for (const state of states) {
      const epoch = state.log.leaderEpochCache.latestEpoch();
      if (epoch >= 0) {
        asking.push({ state, epoch });
        continue;
      }
      // A log without epochs keeps what is known committed, as Kafka's fetcher does.
      this.truncateLog(state, { offset: state.log.highWatermark, completed: true }, 'it holds no leader epochs');
      state.truncating = false;
    }
    if (asking.length === 0) return;
    const topics = new Map<string, { topic: string; partitions: { partition: number; currentLeaderEpoch: number; leaderEpoch: number }[] }>();
    for (const { state, epoch } of asking) {
      const t = topics.get(state.topic) ?? { topic: state.topic, partitions: [] };
      t.partitions.push({ partition: state.partition, currentLeaderEpoch: state.leaderEpoch, leaderEpoch: epoch });
      topics.set(state.topic, t);
    }
    const res = await conn.request(
      Apis.OffsetForLeaderEpoch,
      OFFSET_FOR_LEADER_EPOCH_VERSION,
      { replicaId: this.settings.brokerId, topics: [...topics.values()] },
      this.settings.socketTimeoutMs,
    );
    for (const t of res.topics) {
      for (const r of t.partitions) {
        const asked = asking.find((a) => a.state.topic === t.topic && a.state.partition === r.partition);
        if (!asked || !this.isCurrent(asked.state)) continue;
        if (r.errorCode !== ErrorCode.NONE) {
          this.partitionError(asked.state, r.errorCode);
          continue;
        }
        const leader = { epoch: r.leaderEpoch, endOffset: Number(r.endOffset) };
        const point = truncationPoint(asked.state.log, leader);
        this.truncateLog(asked.state, point, `the leader ends epoch ${asked.epoch} at offset ${leader.endOffset} (epoch ${leader.epoch})`);
        asked.state.truncating = !point.completed;
      }
    }
  }

  private async fetch(conn: KafkaConnection, states: FetchState[]): Promise<void> {
    const byKey = new Map(states.map((state) => [partitionKey(state.topic, state.partition), state]));
    const fetch = this.session.build(states.map((state) => this.sessionPartition(state)));
    // Every partition of the session may answer, named in this request or not.
    const sent = new Map<string, { state: FetchState; fetchOffset: number }>();
    for (const [key, p] of fetch.session) sent.set(key, { state: byKey.get(partitionKey(p.topic, p.partition))!, fetchOffset: Number(p.fetchOffset) });
    const { brokerId, maxWaitMs, minBytes, maxBytes, socketTimeoutMs } = this.settings;
    let res;
    try {
      res = await conn.request(
        Apis.Fetch,
        FETCH_VERSION,
        {
          replicaState: { replicaId: brokerId, replicaEpoch: this.settings.brokerEpoch() },
          maxWaitMs,
          minBytes,
          maxBytes,
          isolationLevel: 0,
          sessionId: fetch.metadata.sessionId,
          sessionEpoch: fetch.metadata.epoch,
          topics: groupByTopic(fetch.toSend, (p) => p),
          forgottenTopicsData: groupByTopic(fetch.toForget, (p) => p.partition),
        },
        maxWaitMs + socketTimeoutMs,
      );
    } catch (err) {
      this.session.handleError();
      throw err;
    }
    if (!this.session.handleResponse(res)) {
      const why = `the leader answered ${errorName(res.errorCode)} to fetch session ${fetch.metadata.sessionId} at epoch ${fetch.metadata.epoch}`;
      if (res.errorCode === ErrorCode.FETCH_SESSION_ID_NOT_FOUND || res.errorCode === ErrorCode.INVALID_FETCH_SESSION_EPOCH || res.errorCode === ErrorCode.NONE) {
        this.log.info(`${this.prefix}${why}; the next fetch is full`);
        return;
      }
      throw new Error(why);
    }
    for (const t of res.responses) {
      for (const r of t.partitions) {
        const request = sent.get(byId(t.topicId, r.partitionIndex));
        // Leadership or the log changed while the request was out: its answer no longer applies.
        if (!request || !this.isCurrent(request.state) || request.state.truncating || request.state.log.logEndOffset !== request.fetchOffset) continue;
        try {
          await this.processPartition(conn, request.state, r);
        } catch (err) {
          if (!this.isCurrent(request.state)) continue;
          this.log.warn(`${this.prefix}Error processing data for ${request.state.topic}-${r.partitionIndex}: ${(err as Error).message}`);
          request.state.truncating = true;
          request.state.delayedUntil = this.clock.now() + this.settings.backoffMs;
        }
      }
    }
  }

  /** ReplicaFetcherThread.shouldFollowerThrottle: an in-sync replica is never throttled. */
  private throttled(state: FetchState): boolean {
    const inSync = state.lag !== undefined && state.lag <= 0;
    return this.settings.quota?.shouldThrottle(state.topic, state.partition, inSync) ?? false;
  }

  private sessionPartition(state: FetchState): SessionPartition {
    const { log } = state;
    return {
      topic: state.topic,
      topicId: state.topicId,
      partition: state.partition,
      currentLeaderEpoch: state.leaderEpoch,
      fetchOffset: BigInt(log.logEndOffset),
      lastFetchedEpoch: log.leaderEpochCache.latestEpoch(),
      logStartOffset: BigInt(log.logStartOffset),
      partitionMaxBytes: this.settings.partitionMaxBytes,
    };
  }

  private async processPartition(
    conn: KafkaConnection,
    state: FetchState,
    r: { errorCode: number; highWatermark: bigint; logStartOffset: bigint; divergingEpoch?: { epoch: number; endOffset: bigint }; records: Buffer | null },
  ): Promise<void> {
    const { log } = state;
    if (r.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) return this.outOfRange(conn, state);
    if (r.errorCode !== ErrorCode.NONE) return this.partitionError(state, r.errorCode);
    const diverging = r.divergingEpoch;
    if (diverging && (diverging.epoch >= 0 || diverging.endOffset >= 0n)) {
      const leader = { epoch: diverging.epoch, endOffset: Number(diverging.endOffset) };
      const point = truncationPoint(log, leader);
      this.truncateLog(state, point, `the leader's history diverges at offset ${leader.endOffset} of epoch ${leader.epoch}`);
      state.truncating = !point.completed;
      return;
    }
    let records = wholeBatches(r.records);
    const held = this.settings.lag?.active ? this.settings.lag.recordsFor(state.topic, state.partition) : 0;
    if (held > 0) {
      // A lag set while this fetch was out: nothing is appended before the leader's end is known.
      if (state.appendLimit === undefined) return;
      const allowed = batchesBefore(records, state.appendLimit);
      if (allowed.length < records.length) this.holdForLag(state);
      records = allowed;
    }
    if (records.length > 0) {
      // An empty log starting inside the leader's first batch (a log start moved mid-batch) starts
      // at that batch instead, as Kafka's follower does.
      const first = readBatchHeader(records, 0);
      const end = log.logEndOffset;
      if (end === log.logStartOffset && first.baseOffset < end && first.baseOffset + first.lastOffsetDelta >= end) {
        log.truncateFullyAndStartAt(first.baseOffset);
      }
      log.appendAsFollower(records, this.clock.now());
    }
    log.highWatermark = Number(r.highWatermark);
    // Throttled traffic counts whether the replica is in sync or not, as Kafka counts it.
    this.settings.quota?.recordFetched(state.topic, state.partition, r.records?.length ?? 0);
    if (records.length > 0 || state.lag === undefined) state.lag = Math.max(0, Number(r.highWatermark) - log.logEndOffset);
    const leaderStart = Number(r.logStartOffset);
    if (leaderStart > log.logStartOffset && leaderStart <= log.highWatermark) log.deleteRecordsBefore(leaderStart);
  }

  /**
   * The fetch offset is outside the leader's log (Kafka's fetchOffsetAndTruncate): past its end,
   * cut back to it; before its start (retention moved on), start over empty at the leader's start.
   */
  private async outOfRange(conn: KafkaConnection, state: FetchState): Promise<void> {
    const leaderEnd = await this.leaderOffset(conn, state, LATEST_TIMESTAMP);
    if (leaderEnd === null || !this.isCurrent(state)) return;
    const { log } = state;
    if (leaderEnd < log.logEndOffset) {
      this.truncateLog(state, { offset: leaderEnd, completed: true }, `the leader's log ends at ${leaderEnd}`);
      return;
    }
    const leaderStart = await this.leaderOffset(conn, state, EARLIEST_TIMESTAMP);
    if (leaderStart === null || !this.isCurrent(state) || leaderStart <= log.logEndOffset) return;
    this.log.info(`${this.prefix}Restarting ${state.topic}-${state.partition} empty at the leader's log start ${leaderStart}`);
    log.truncateFullyAndStartAt(leaderStart);
  }

  private async leaderOffset(conn: KafkaConnection, state: FetchState, timestamp: bigint): Promise<number | null> {
    const res = await conn.request(
      Apis.ListOffsets,
      LIST_OFFSETS_VERSION,
      {
        replicaId: this.settings.brokerId,
        isolationLevel: 0,
        topics: [{ name: state.topic, partitions: [{ partitionIndex: state.partition, currentLeaderEpoch: state.leaderEpoch, timestamp }] }],
      },
      this.settings.socketTimeoutMs,
    );
    const r = res.topics[0]?.partitions[0];
    if (!r || r.errorCode !== ErrorCode.NONE) {
      this.partitionError(state, r?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR);
      return null;
    }
    return Number(r.offset);
  }

  private truncateLog(state: FetchState, point: TruncationPoint, why: string): void {
    const { log } = state;
    if (point.offset >= log.logEndOffset) return;
    this.log.info(`${this.prefix}Truncating ${state.topic}-${state.partition} from ${log.logEndOffset} to offset ${point.offset}: ${why}`);
    log.truncateTo(point.offset);
  }

  /**
   * The partitions a follower lag lets fetch now, each with where its appends stop; the others
   * wait replica.fetch.backoff.ms (or a lag change) before asking the leader's log end again.
   */
  private async withinLag(conn: KafkaConnection, states: FetchState[], lag: FollowerLag): Promise<FetchState[]> {
    const allowed: FetchState[] = [];
    for (const state of states) {
      const records = lag.recordsFor(state.topic, state.partition);
      state.appendLimit = undefined;
      if (records === 0) {
        allowed.push(state);
        continue;
      }
      const leaderEnd = await this.leaderOffset(conn, state, LATEST_TIMESTAMP);
      if (leaderEnd === null || !this.isCurrent(state)) continue;
      if (state.log.logEndOffset >= leaderEnd - records) {
        this.holdForLag(state);
        continue;
      }
      state.appendLimit = leaderEnd - records;
      allowed.push(state);
    }
    return allowed;
  }

  private holdForLag(state: FetchState): void {
    state.heldByLag = true;
    state.delayedUntil = this.clock.now() + this.settings.backoffMs;
  }

  /** A lag was set or cleared: partitions it held back are due again. */
  private lagChanged(): void {
    for (const state of this.partitions.values()) {
      if (!state.heldByLag) continue;
      state.heldByLag = false;
      state.delayedUntil = 0;
    }
    this.wake();
  }

  private partitionError(state: FetchState, code: number): void {
    state.heldByLag = false;
    state.delayedUntil = this.clock.now() + this.settings.backoffMs;
    this.log.info(`${this.prefix}${errorName(code)} for ${state.topic}-${state.partition} at leader epoch ${state.leaderEpoch}; retrying in ${this.settings.backoffMs} ms`);
  }

  private isCurrent(state: FetchState): boolean {
    return !this.stopped && this.partitions.get(partitionKey(state.topic, state.partition)) === state;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? this.clock.setTimeout(() => this.wake(), Math.max(0, ms)) : null;
      this.wakeUp = () => {
        timer?.cancel();
        resolve();
      };
    });
  }

  private wake(): void {
    const wakeUp = this.wakeUp;
    this.wakeUp = null;
    wakeUp?.();
  }
}

/** Consecutive partitions of one topic share a topic entry, as Kafka's FetchRequest.Builder writes them. */
function groupByTopic<P extends { topic: string; topicId: string }, T>(partitions: readonly P[], entry: (p: P) => T): { topic: string; topicId: string; partitions: T[] }[] {
  const topics: { topic: string; topicId: string; partitions: T[] }[] = [];
  for (const p of partitions) {
    const last = topics[topics.length - 1];
    if (last?.topicId === p.topicId) last.partitions.push(entry(p));
    else topics.push({ topic: p.topic, topicId: p.topicId, partitions: [entry(p)] });
  }
  return topics;
}

/** The batches at the front that end before `offset`: a follower lag never takes part of a batch. */
function batchesBefore(records: Buffer, offset: number): Buffer {
  let end = 0;
  while (end < records.length) {
    const header = readBatchHeader(records, end);
    if (header.baseOffset + header.lastOffsetDelta >= offset) break;
    end += batchSizeAt(records, end);
  }
  return records.subarray(0, end);
}

/** The complete batches at the front: a leader may cut the last one short at its size limit. */
function wholeBatches(records: Buffer | null): Buffer {
  if (!records) return Buffer.alloc(0);
  let end = 0;
  for (;;) {
    const size = batchSizeAt(records, end);
    if (size <= 0 || end + size > records.length) return records.subarray(0, end);
    end += size;
  }
}
