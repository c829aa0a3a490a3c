// Incremental fetch sessions (KIP-227), as Kafka 3.9's FetchManager, FetchSessionCache and fetch
// contexts do them. A full fetch (epoch 0) may create a session: the broker remembers the
// partitions and their fetch parameters, and later requests (epoch 1, 2, ...) name only what
// changed, plus forgotten partitions; their answers carry only partitions with something new. An
// epoch of -1 is sessionless and closes the session it names. The cache is eight shards of
// max.incremental.fetch.session.cache.slots / 8 sessions each (so fewer than eight slots means no
// sessions), each owning one eighth of the positive session ids. A full shard evicts, in this
// order: the session unused for longest if that is over 120 s; else the least valuable evictable
// session (unprivileged before privileged, then fewest partitions, then lowest id) when the new
// session is worth more. Follower sessions are privileged; sessions are evictable by all only when
// they were touched more than 120 s after their creation, unprivileged ones by followers always.

import { ErrorCode, FINAL_EPOCH, FetchMetadata, FetchPartitionRequest, INITIAL_EPOCH, INVALID_SESSION_ID, isFullFetch, nextEpoch } from '../../protocol';
import type { Clock } from '../clock';
import type { Logger } from '../logger';

/** Kafka's NumFetchSessionCacheShards. */
export const SHARDS = 8;
/** Kafka's MIN_INCREMENTAL_FETCH_SESSION_EVICTION_MS. */
export const MIN_EVICTION_MS = 120_000;
const INT32_MAX = 0x7fffffff;
const SESSION_ID_RANGE = Math.floor(INT32_MAX / SHARDS);

/** What a fetch asks of one partition. `topic` is null for a topic id this broker does not know. */
export interface FetchPartition extends FetchPartitionRequest {
  topic: string | null;
}

/** What an answer for one partition says, as far as a session cares. */
export interface PartitionOutcome {
  errorCode: number;
  highWatermark: bigint;
  logStartOffset: bigint;
  preferredReadReplica: number;
  divergingEpoch?: { epoch: number; endOffset: bigint };
  records: Buffer | null;
}

/** A partition remembered by a session (Kafka's CachedPartition). */
interface CachedPartition extends FetchPartition {
  highWatermark: bigint;
  localLogStartOffset: bigint;
}

export interface ForgottenPartition {
  /** Null for an unknown topic id. */
  topic: string | null;
  topicId: string;
  partition: number;
}

/** How one fetch is answered: which partitions it reads, then what goes in the response. */
export interface FetchContext {
  /** A session error (Kafka's SessionErrorContext): the answer is this code alone, session id 0. */
  readonly error: number;
  /** The partitions to read, in the order the response lists them. */
  readonly partitions: readonly FetchPartition[];
  /**
   * Called once with the outcome of each of `partitions`, in order: the response's error, session
   * id, and the partitions it carries (all of them, or those with changes for an incremental fetch).
   */
  respond<T extends PartitionOutcome>(outcomes: readonly T[]): { errorCode: number; sessionId: number; partitions: { partition: FetchPartition; outcome: T }[] };
}

/** What Fetch handlers use. */
export interface FetchSessions {
  /**
   * Kafka's FetchManager.newContext. `topicNames` resolves the topic ids of a session's partitions
   * that were unknown when they joined (v13+).
   */
  newContext(
    version: number,
    metadata: FetchMetadata,
    isFollower: boolean,
    fetchData: readonly FetchPartition[],
    toForget: readonly ForgottenPartition[],
    topicNames: (topicId: string) => string | undefined,
  ): FetchContext;
}

class FetchSession {
  /** Partitions by key, in the order responses list them; moved to the end when they return records. */
  readonly partitions = new Map<string, CachedPartition>();
  /** The size the cache last accounted for; -1 while not in the cache. */
  cachedSize = -1;
  lastUsedMs: number;
  evictableByAll = false;
  evictableByPrivileged = false;

  constructor(
    readonly id: number,
    readonly privileged: boolean,
    readonly usesTopicIds: boolean,
    readonly creationMs: number,
    public epoch: number,
  ) {
    this.lastUsedMs = creationMs;
  }

  key(p: ForgottenPartition): string {
    return partitionKey(this.usesTopicIds, p);
  }

  /** Kafka's FetchSession.update: adds or updates what the request names, drops what it forgets. */
  update(fetchData: readonly FetchPartition[], toForget: readonly ForgottenPartition[]): { added: number; updated: number; removed: number } {
    let added = 0;
    let updated = 0;
    let removed = 0;
    for (const p of fetchData) {
      const key = this.key(p);
      const cached = this.partitions.get(key);
      if (cached) {
        Object.assign(cached, requestParams(p));
        updated++;
      } else {
        this.partitions.set(key, { ...p, highWatermark: -1n, localLogStartOffset: -1n });
        added++;
      }
    }
    for (const p of toForget) if (this.partitions.delete(this.key(p))) removed++;
    return { added, updated, removed };
  }
}

/** Sessions on topic ids know partitions by id (a partition of an unknown id included), others by name. */
function partitionKey(usesTopicIds: boolean, p: ForgottenPartition): string {
  return `${usesTopicIds ? p.topicId : p.topic}:${p.partition}`;
}

function requestParams(p: FetchPartition) {
  const { fetchOffset, logStartOffset, partitionMaxBytes, currentLeaderEpoch, lastFetchedEpoch } = p;
  return { fetchOffset, logStartOffset, partitionMaxBytes, currentLeaderEpoch, lastFetchedEpoch };
}

/** Kafka's EvictableKey order: unprivileged first, then fewer partitions, then lower id. */
function compareEvictable(a: { privileged: boolean; size: number; id: number }, b: { privileged: boolean; size: number; id: number }): number {
  return Number(a.privileged) - Number(b.privileged) || a.size - b.size || a.id - b.id;
}

/** One shard of the cache (Kafka's FetchSessionCacheShard). */
class CacheShard {
  readonly sessions = new Map<number, FetchSession>();
  totalPartitions = 0;
  evictions = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly shardNum: number,
  ) {}

  /** A new session of `size` partitions if there is room or room can be made; its id, or INVALID_SESSION_ID. */
  maybeCreateSession(now: number, privileged: boolean, size: number, create: (id: number) => FetchSession): number {
    if (this.sessions.size >= this.maxEntries && !this.tryEvict(privileged, size, now)) return INVALID_SESSION_ID;
    const created = create(this.newSessionId());
    this.sessions.set(created.id, created);
    this.touch(created, now);
    return created.id;
  }

  private newSessionId(): number {
    const low = Math.max(1, this.shardNum * SESSION_ID_RANGE);
    const high = (this.shardNum + 1) * SESSION_ID_RANGE;
    for (;;) {
      const id = low + Math.floor(Math.random() * (high - low));
      if (!this.sessions.has(id)) return id;
    }
  }

  /** Kafka's tryEvict: the stalest session if unused past the eviction time, else the least valuable evictable one. */
  private tryEvict(privileged: boolean, size: number, now: number): boolean {
    let stalest: FetchSession | undefined;
    let cheapest: FetchSession | undefined;
    for (const s of this.sessions.values()) {
      if (!stalest || s.lastUsedMs < stalest.lastUsedMs || (s.lastUsedMs === stalest.lastUsedMs && s.id < stalest.id)) stalest = s;
      if (!(privileged ? s.evictableByPrivileged : s.evictableByAll)) continue;
      if (!cheapest || compareEvictable(keyOf(s), keyOf(cheapest)) < 0) cheapest = s;
    }
    if (!stalest) return false;
    if (now - stalest.lastUsedMs > MIN_EVICTION_MS) return this.evict(stalest);
    if (!cheapest || compareEvictable({ privileged, size, id: 0 }, keyOf(cheapest)) < 0) return false;
    return this.evict(cheapest);
  }

  private evict(session: FetchSession): boolean {
    this.remove(session);
    this.evictions++;
    return true;
  }

  remove(session: FetchSession): void {
    if (!this.sessions.delete(session.id)) return;
    this.totalPartitions -= session.cachedSize;
    session.cachedSize = -1;
  }

  /** Kafka's touch: last use, size accounting, and whether the session may be evicted, as of now. */
  touch(session: FetchSession, now: number): void {
    session.lastUsedMs = now;
    if (session.cachedSize !== -1) this.totalPartitions -= session.cachedSize;
    session.cachedSize = session.partitions.size;
    this.totalPartitions += session.cachedSize;
    const old = now - session.creationMs > MIN_EVICTION_MS;
    session.evictableByPrivileged = !session.privileged || old;
    session.evictableByAll = old;
  }
}

function keyOf(s: FetchSession): { privileged: boolean; size: number; id: number } {
  return { privileged: s.privileged, size: s.cachedSize, id: s.id };
}

const sessionless = (fetchData: readonly FetchPartition[]): FetchContext => ({
  error: ErrorCode.NONE,
  partitions: fetchData,
  respond: (outcomes) => ({ errorCode: ErrorCode.NONE, sessionId: INVALID_SESSION_ID, partitions: fetchData.map((partition, i) => ({ partition, outcome: outcomes[i] })) }),
});

const sessionError = (error: number): FetchContext => ({
  error,
  partitions: [],
  respond: () => ({ errorCode: error, sessionId: INVALID_SESSION_ID, partitions: [] }),
});

/** The broker's fetch session cache and Kafka's FetchManager over it. */
export class FetchSessionCache implements FetchSessions {
  private readonly shards: CacheShard[];
  /** Round-robin over the shards for new sessions. */
  private counter = 0;

  constructor(
    slots: number,
    private readonly clock: Clock,
    private readonly log?: Logger,
  ) {
    this.shards = Array.from({ length: SHARDS }, (_, i) => new CacheShard(Math.floor(slots / SHARDS), i));
  }

  /** Kafka's NumIncrementalFetchSessions. */
  get size(): number {
    return this.shards.reduce((n, s) => n + s.sessions.size, 0);
  }

  /** Kafka's NumIncrementalFetchPartitionsCached. */
  get totalPartitions(): number {
    return this.shards.reduce((n, s) => n + s.totalPartitions, 0);
  }

  /** Sessions evicted so far (Kafka's IncrementalFetchSessionEvictionsPerSec, as a count). */
  get evictions(): number {
    return this.shards.reduce((n, s) => n + s.evictions, 0);
  }

  /** The session's epoch and partition count, for tests and logs. */
  describe(sessionId: number): { epoch: number; partitions: number; privileged: boolean } | undefined {
    const s = this.shardOf(sessionId)?.sessions.get(sessionId);
    return s && { epoch: s.epoch, partitions: s.partitions.size, privileged: s.privileged };
  }

  /**
   * A session id outside every shard's range cannot name a session. (Kafka 3.9 indexes past its
   * shard list for ids of 8 * (2^31 - 1) / 8 and above, and fails the whole request.)
   */
  private shardOf(sessionId: number): CacheShard | undefined {
    return this.shards[Math.trunc(sessionId / SESSION_ID_RANGE)];
  }

  newContext(
    version: number,
    metadata: FetchMetadata,
    isFollower: boolean,
    fetchData: readonly FetchPartition[],
    toForget: readonly ForgottenPartition[],
    topicNames: (topicId: string) => string | undefined,
  ): FetchContext {
    if (isFullFetch(metadata)) {
      if (metadata.sessionId !== INVALID_SESSION_ID) {
        // Any session a full fetch names is closed.
        const shard = this.shardOf(metadata.sessionId);
        const session = shard?.sessions.get(metadata.sessionId);
        if (session) {
          shard!.remove(session);
          this.log?.debug(`Removed fetch session ${session.id}.`);
        }
      }
      return metadata.epoch === FINAL_EPOCH ? sessionless(fetchData) : this.fullContext(version >= 13, isFollower, fetchData);
    }
    const shard = this.shardOf(metadata.sessionId);
    const session = shard?.sessions.get(metadata.sessionId);
    if (!shard || !session) {
      this.log?.debug(`Session error for ${metadata.sessionId}: no such session ID found.`);
      return sessionError(ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
    }
    if (session.epoch !== metadata.epoch) {
      this.log?.debug(`Session error for ${metadata.sessionId}: expected epoch ${session.epoch}, but got ${metadata.epoch} instead.`);
      return sessionError(ErrorCode.INVALID_FETCH_SESSION_EPOCH);
    }
    if (session.usesTopicIds !== version >= 13) {
      this.log?.debug(`Session error for ${metadata.sessionId}: expected ${session.usesTopicIds ? 'to use topic IDs' : 'to not use topic IDs'}, but request version ${version} means that we can not.`);
      return sessionError(ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR);
    }
    const { added, updated, removed } = session.update(fetchData, toForget);
    if (session.partitions.size === 0) {
      this.log?.debug(`Created a new sessionless FetchContext and closing session id ${session.id}, epoch ${session.epoch}: after removing ${removed} partition(s), there are no more partitions left.`);
      shard.remove(session);
      return sessionless(fetchData);
    }
    shard.touch(session, this.clock.now());
    session.epoch = nextEpoch(session.epoch);
    this.log?.debug(
      `Created a new incremental FetchContext for session id ${session.id}, epoch ${session.epoch}: added ${added} partition(s), updated ${updated} partition(s), removed ${removed} partition(s)`,
    );
    return incremental(metadata, session, topicNames, this.log);
  }

  private fullContext(usesTopicIds: boolean, isFollower: boolean, fetchData: readonly FetchPartition[]): FetchContext {
    return {
      error: ErrorCode.NONE,
      partitions: fetchData,
      respond: (outcomes) => {
        const shard = this.shards[this.counter++ % SHARDS];
        this.counter %= SHARDS;
        const now = this.clock.now();
        const size = new Set(fetchData.map((p) => partitionKey(usesTopicIds, p))).size;
        const sessionId = shard.maybeCreateSession(now, isFollower, size, (id) => {
          const session = new FetchSession(id, isFollower, usesTopicIds, now, nextEpoch(INITIAL_EPOCH));
          fetchData.forEach((p, i) => session.partitions.set(session.key(p), { ...p, highWatermark: outcomes[i].highWatermark, localLogStartOffset: outcomes[i].logStartOffset }));
          return session;
        });
        this.log?.debug(`Full fetch context with session id ${sessionId} returning ${fetchData.length} partition(s)`);
        return { errorCode: ErrorCode.NONE, sessionId, partitions: fetchData.map((partition, i) => ({ partition, outcome: outcomes[i] })) };
      },
    };
  }
}

/** Kafka's IncrementalFetchContext: reads every partition of the session, answers only with what changed. */
function incremental(metadata: FetchMetadata, session: FetchSession, topicNames: (topicId: string) => string | undefined, log?: Logger): FetchContext {
  const cached = [...session.partitions.values()];
  for (const p of cached) if (session.usesTopicIds && p.topic === null) p.topic = topicNames(p.topicId) ?? null;
  return {
    error: ErrorCode.NONE,
    partitions: cached,
    respond: (outcomes) => {
      // Another request of the session came in between: this one is a duplicate.
      const expected = nextEpoch(metadata.epoch);
      if (session.epoch !== expected) {
        log?.info(`Incremental fetch session ${session.id} expected epoch ${expected}, but got ${session.epoch}.  Possible duplicate request.`);
        return { errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH, sessionId: session.id, partitions: [] };
      }
      const changed: { partition: FetchPartition; outcome: (typeof outcomes)[number] }[] = [];
      cached.forEach((p, i) => {
        const outcome = outcomes[i];
        if (!mustRespond(p, outcome)) return;
        changed.push({ partition: p, outcome });
        // Partitions that returned data go to the back, so the others come first next time.
        if (outcome.records && outcome.records.length > 0) {
          const key = session.key(p);
          session.partitions.delete(key);
          session.partitions.set(key, p);
        }
      });
      return { errorCode: ErrorCode.NONE, sessionId: session.id, partitions: changed };
    },
  };
}

/**
 * Kafka's CachedPartition.maybeUpdateResponseData: records, a new high watermark or log start, a
 * preferred read replica, an error or a diverging epoch put a partition in the response.
 */
function mustRespond(p: CachedPartition, outcome: PartitionOutcome): boolean {
  let must = (outcome.records?.length ?? 0) > 0;
  if (p.highWatermark !== outcome.highWatermark) {
    must = true;
    p.highWatermark = outcome.highWatermark;
  }
  if (p.localLogStartOffset !== outcome.logStartOffset) {
    must = true;
    p.localLogStartOffset = outcome.logStartOffset;
  }
  if (outcome.preferredReadReplica !== -1) must = true;
  if (outcome.errorCode !== ErrorCode.NONE) {
    // Re-sent once the error clears.
    p.highWatermark = -1n;
    must = true;
  }
  const d = outcome.divergingEpoch;
  if (d && (d.epoch >= 0 || d.endOffset >= 0n)) must = true;
  return must;
}
