// Fetch (key 1), v0-17.
// Returns log bytes as stored, starting with the whole batch that contains the fetch offset, whole
// batches only, at least one batch for the first partition with data even past max_bytes or the
// partition limit (Kafka's minOneMessage). Long poll: with fewer than min_bytes available the fetch
// waits up to max_wait_ms, woken when the high watermark of a partition it asked for moves.
// Consumers read up to the high watermark (read_uncommitted) or the last stable offset
// (read_committed, v4+); every v4+ answer reports the last stable offset, and a read_committed one
// lists the aborted transactions overlapping the returned data (Kafka's collectAbortedTransactions),
// so the consumer can skip their records. A waiting read_committed fetch re-reads whenever the high
// watermark moves, which is when the last stable offset can move too. A fetch with a replica id
// (replica_id, or replica_state from v15) comes from a follower: it reads up to the log end, is
// woken by appends, its fetch offset is the follower's log end for the ISR and the high watermark,
// its log start (v5+) feeds DeleteRecords' low watermark, and a last_fetched_epoch that the
// leader's history does not continue gets a diverging epoch instead of records, for the follower to
// truncate. Fetch sessions (KIP-227, v7+, `fetch/fetch-sessions.ts`): epoch 0 may open a session,
// later epochs name only what changed and forgotten partitions (by name, by topic id from v13),
// read every partition of the session and answer only those with changes; session errors
// (FETCH_SESSION_ID_NOT_FOUND, INVALID_FETCH_SESSION_EPOCH, FETCH_SESSION_TOPIC_ID_ERROR) come at
// the top level with no partitions. Versions 0-3 predate record batches and get v0/v1 message sets
// (down-converted, transaction markers dropped); zstd data needs v10+. Consumer fetches under a
// consumer_byte_rate quota read at most the quota window's worth, their response size is recorded
// on the quota, and one over it is answered empty with throttle_time_ms (its bytes taken back; an
// incremental session keeps its id, a new one is not handed out), the connection then muted for
// that time (KIP-219), as Kafka's handleFetch does; followers' fetches are exempt. Follower fetches
// are under the leader's replication throttle instead: a throttled partition gets no data while the
// leader quota is exceeded and the follower is out of the ISR, and the data sent for throttled
// partitions is recorded on that quota (`replication/replication-quotas.ts`).
// Follower fetching (KIP-392): from v11 a consumer may fetch from a follower, which serves it up to
// the high watermark it learnt from the leader (an offset between that and its log end waits or
// answers empty, past its log end is OFFSET_OUT_OF_RANGE, which sends the consumer back to the
// leader); before v11 only the leader serves consumers. With replica.selector.class set, the leader
// asks it for each consumer partition from v11 (rack_id) and, when it prefers a follower, answers
// that partition with preferred_read_replica, its offsets and no records, at once.
// Authorization as Kafka's: a follower needs CLUSTER_ACTION on the cluster, else every partition is
// TOPIC_AUTHORIZATION_FAILED; a consumer needs READ on each topic (asked once per topic per request),
// its partitions TOPIC_AUTHORIZATION_FAILED otherwise, before the topic's existence is looked at.

import { Apis, ErrorCode, FINAL_EPOCH, INVALID_SESSION_ID, KafkaError, RequestOf, ResponseOf, Writer, codecFor } from '../../protocol';
import { Compression, batchAttributesAt, batchSizeAt, compressionOf, forEachBatch, readBatchHeader, toLegacy } from '../../protocol/records';
import { AclOperation } from '../auth/authorizer';
import { TopicInfo, ZERO_UUID } from '../cluster/topic';
import { FetchWaiters } from '../fetch/fetch-waiters';
import type { FetchPartition, ForgottenPartition } from '../fetch/fetch-sessions';
import type { PartitionLog } from '../log/partition-log';
import { throttle } from '../quotas/throttle';
import { clusterAuthorized, topicAuthorizer } from './authorize';
import { handler, RequestContext } from './handler';

type FetchRequest = RequestOf<typeof Apis.Fetch>;

interface PartitionResult {
  partitionIndex: number;
  errorCode: number;
  divergingEpoch?: { epoch: number; endOffset: bigint };
  highWatermark: bigint;
  lastStableOffset: bigint;
  logStartOffset: bigint;
  abortedTransactions: { producerId: bigint; firstOffset: bigint }[] | null;
  preferredReadReplica: number;
  records: Buffer;
}

const EMPTY = Buffer.alloc(0);
const READ_COMMITTED = 1;

export default handler(Apis.Fetch, 0, 17, async (req, ctx) => {
  if (replicaIdOf(req, ctx.version) >= 0) {
    const response = await fetch(req, ctx);
    ctx.replicationQuota.recordResponse(response.responses ?? []);
    return response;
  }
  if (!ctx.quotas.fetchQuotaEnabled) return fetch(req, ctx);
  const { principal } = ctx.session;
  const clientId = ctx.header.clientId;
  const windowBytes = Math.floor(ctx.quotas.maxFetchBytes(principal, clientId));
  const limited = windowBytes < req.maxBytes ? { ...req, maxBytes: windowBytes, minBytes: Math.min(req.minBytes, windowBytes) } : req;
  const response = await fetch(limited, ctx);
  const bytes = responseSize(response, ctx.version);
  const now = ctx.clock.now();
  const throttleMs = ctx.quotas.recordFetch(principal, clientId, bytes, now);
  if (throttleMs === 0) return response;
  ctx.quotas.unrecordFetch(principal, clientId, bytes, now);
  throttle(ctx.session, throttleMs);
  // Kafka's getThrottledResponse: an incremental session keeps its id, a full fetch gets none.
  const incremental = ctx.version >= 7 && req.sessionEpoch > 0;
  return { throttleTimeMs: throttleMs, errorCode: ErrorCode.NONE, sessionId: incremental ? response.sessionId : INVALID_SESSION_ID, responses: [] };
});

/** What the response puts on the wire (header included), which the consumer quota counts. */
function responseSize(response: ResponseOf<typeof Apis.Fetch>, version: number): number {
  const w = new Writer(256);
  codecFor(Apis.Fetch, version).response.encode(w, response);
  return w.size + RESPONSE_HEADER_BYTES;
}

/** Correlation id; the flexible header's empty tagged fields add one byte, which the estimate leaves out. */
const RESPONSE_HEADER_BYTES = 4;

async function fetch(req: FetchRequest, ctx: RequestContext): Promise<ResponseOf<typeof Apis.Fetch>> {
  const { version } = ctx;
  // Before v7 every fetch is sessionless (Kafka's FetchMetadata.LEGACY).
  const metadata = version >= 7 ? { sessionId: req.sessionId, epoch: req.sessionEpoch } : { sessionId: INVALID_SESSION_ID, epoch: FINAL_EPOCH };
  const replicaId = replicaIdOf(req, version);
  const topicName = (id: string) => ctx.metadata.topics.getById(id)?.name;
  const context = ctx.fetchSessions.newContext(version, metadata, replicaId >= 0, requested(req, version, topicName), forgotten(req, version, topicName), topicName);
  if (context.error !== ErrorCode.NONE) return answer(context.error, INVALID_SESSION_ID, []);
  const { partitions } = context;
  const respond = (results: PartitionResult[]) => {
    for (let i = 0; i < results.length; i++) ctx.metrics.fetched(partitions[i].topic, results[i].records.length, replicaId >= 0, results[i].errorCode);
    const r = context.respond(results);
    return answer(r.errorCode, r.sessionId, r.partitions);
  };
  const readable = readableTopics(ctx, replicaId);
  const waitKey = replicaId >= 0 ? FetchWaiters.replicaKey : FetchWaiters.key;
  const keys = partitions.flatMap((p) => (p.topic === null ? [] : [waitKey(p.topic, p.partition)]));
  const deadline = ctx.clock.now() + req.maxWaitMs;

  for (;;) {
    const waiting = req.maxWaitMs > 0 && req.minBytes > 0 ? ctx.fetchWaiters.wait(keys, 1, deadline - ctx.clock.now()) : null;
    const { results, bytes, answerNow } = await readAll(partitions, req, ctx, readable);
    if (!waiting) return respond(results);
    if (bytes >= req.minBytes || answerNow || ctx.clock.now() >= deadline || ctx.fetchWaiters.closed) {
      waiting.cancel();
      return respond(results);
    }
    await waiting.done;
    if (ctx.clock.now() >= deadline || ctx.fetchWaiters.closed) return respond((await readAll(partitions, req, ctx, readable)).results);
  }
}

/** Which of the session's partitions the request may read: by topic for a consumer, all or none for a follower. */
function readableTopics(ctx: RequestContext, replicaId: number): (topic: string | null) => boolean {
  if (replicaId < 0) {
    const readable = topicAuthorizer(ctx, AclOperation.READ);
    // A topic id not known here is UNKNOWN_TOPIC_ID, not a question for the authorizer.
    return (topic) => topic === null || readable(topic);
  }
  const allowed = clusterAuthorized(ctx, AclOperation.CLUSTER_ACTION);
  return () => allowed;
}

/** The follower's broker id, or -1 for a consumer. */
function replicaIdOf(req: FetchRequest, version: number): number {
  return version >= 15 ? req.replicaState.replicaId : req.replicaId;
}

/** The request's partitions: by name before v13, by topic id from v13 (a null name for an id not known here). */
function requested(req: FetchRequest, version: number, topicName: (id: string) => string | undefined): FetchPartition[] {
  return req.topics.flatMap((t) => {
    const named = topicOf(t, version, topicName);
    return t.partitions.map((p) => ({
      ...named,
      partition: p.partition,
      fetchOffset: p.fetchOffset,
      logStartOffset: p.logStartOffset,
      partitionMaxBytes: p.partitionMaxBytes,
      currentLeaderEpoch: p.currentLeaderEpoch,
      lastFetchedEpoch: p.lastFetchedEpoch,
    }));
  });
}

function forgotten(req: FetchRequest, version: number, topicName: (id: string) => string | undefined): ForgottenPartition[] {
  if (version < 7) return [];
  return req.forgottenTopicsData.flatMap((t) => {
    const named = topicOf(t, version, topicName);
    return t.partitions.map((partition) => ({ ...named, partition }));
  });
}

function topicOf(t: { topic: string; topicId: string }, version: number, topicName: (id: string) => string | undefined): { topic: string | null; topicId: string } {
  return version >= 13 ? { topic: topicName(t.topicId) ?? null, topicId: t.topicId } : { topic: t.topic, topicId: ZERO_UUID };
}

/** Consecutive partitions of one topic share a topic entry, as Kafka's FetchResponse builds it. */
function answer(errorCode: number, sessionId: number, partitions: { partition: FetchPartition; outcome: PartitionResult }[]): ResponseOf<typeof Apis.Fetch> {
  const responses: { topic: string; topicId: string; partitions: PartitionResult[] }[] = [];
  let last: (typeof responses)[number] | undefined;
  for (const { partition: p, outcome } of partitions) {
    const topic = p.topic ?? '';
    if (!last || last.topic !== topic || last.topicId !== p.topicId) responses.push((last = { topic, topicId: p.topicId, partitions: [] }));
    last.partitions.push(outcome);
  }
  return { throttleTimeMs: 0, errorCode, sessionId, responses: responses as never };
}

async function readAll(partitions: readonly FetchPartition[], req: FetchRequest, ctx: RequestContext, readable: (topic: string | null) => boolean) {
  const budget = ctx.version >= 3 ? req.maxBytes : Number.MAX_SAFE_INTEGER;
  // When every partition's limit fits the response limit, no read can take another's room: read all
  // partitions at once. Otherwise the room left decides each read, one after the other.
  const independent = partitions.reduce((sum, p) => sum + p.partitionMaxBytes, 0) <= budget;
  const results: PartitionResult[] = [];
  let bytes = 0;
  if (independent) {
    results.push(...(await Promise.all(partitions.map((p, i) => readPartition(p, p.partitionMaxBytes, i === 0, req, ctx, readable)))));
    // Kafka's minOneMessage goes to the first partition that has data, which is known only now.
    const first = results.findIndex(
      (r, i) => r.records.length > 0 || (r.errorCode === ErrorCode.NONE && r.preferredReadReplica < 0 && r.highWatermark > partitions[i].fetchOffset),
    );
    if (first > 0 && results[first].records.length === 0) {
      results[first] = await readPartition(partitions[first], budget, true, req, ctx, readable);
    }
    for (const r of results) bytes += r.records.length;
  } else {
    for (const p of partitions) {
      const result = await readPartition(p, Math.max(0, budget - bytes), bytes === 0, req, ctx, readable);
      bytes += result.records.length;
      results.push(result);
    }
  }
  // An error or a preferred read replica is answered at once, as Kafka's fetchMessages does. A
  // partition refused by the authorizer never reaches it: the others wait as usual, unless none is left.
  const refused = (r: PartitionResult) => r.errorCode === ErrorCode.TOPIC_AUTHORIZATION_FAILED;
  const answerNow = results.some((r) => (r.errorCode !== ErrorCode.NONE && !refused(r)) || r.preferredReadReplica >= 0) || (results.length > 0 && results.every(refused));
  return { results, bytes, answerNow };
}

async function readPartition(
  p: FetchPartition,
  budget: number,
  first: boolean,
  req: FetchRequest,
  ctx: RequestContext,
  readable: (topic: string | null) => boolean,
): Promise<PartitionResult> {
  const result: PartitionResult = {
    partitionIndex: p.partition,
    errorCode: ErrorCode.NONE,
    highWatermark: -1n,
    lastStableOffset: -1n,
    logStartOffset: -1n,
    abortedTransactions: null,
    preferredReadReplica: -1,
    records: EMPTY,
  };
  if (!readable(p.topic)) {
    result.errorCode = ErrorCode.TOPIC_AUTHORIZATION_FAILED;
    return result;
  }
  const topic = p.topic === null ? undefined : ctx.metadata.topics.get(p.topic);
  result.errorCode = topicError(p, topic);
  if (!topic || result.errorCode !== ErrorCode.NONE) return result;
  const replicaId = replicaIdOf(req, ctx.version);
  const readCommitted = replicaId < 0 && ctx.version >= 4 && req.isolationLevel === READ_COMMITTED;
  if (readCommitted) result.abortedTransactions = [];
  let log: PartitionLog;
  try {
    // Kafka's order: the partition hosted here, the preferred read replica, the leader epoch, then leadership.
    log = ctx.partitions.replicaLog(topic.name, p.partition);
    const preferred = ctx.version >= 11 && replicaId < 0 ? preferredReadReplica(p, topic.name, req, ctx) : -1;
    ctx.partitions.checkLeaderEpoch(topic.name, p.partition, p.currentLeaderEpoch);
    if (preferred >= 0) {
      // The consumer is sent to that replica: this answer has no records, only the leader's offsets.
      result.preferredReadReplica = preferred;
      fillOffsets(result, log);
      return result;
    }
    // From v11 a consumer may read a follower (KIP-392), up to the high watermark the leader gave it.
    if (replicaId >= 0 || ctx.version < 11) log = ctx.partitions.leaderLog(topic.name, p.partition);
    if (replicaId >= 0 && !topic.partitions[p.partition]?.replicas.includes(replicaId)) {
      throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, `Broker ${replicaId} is not a replica of ${topic.name}-${p.partition}.`);
    }
  } catch (err) {
    if (!(err instanceof KafkaError)) throw err;
    result.errorCode = err.code;
    return result;
  }
  const fetchOffset = Number(p.fetchOffset);
  if (replicaId >= 0 && p.lastFetchedEpoch >= 0) {
    const divergence = divergenceOf(log, p.lastFetchedEpoch, fetchOffset);
    if (divergence) {
      result.divergingEpoch = divergence;
      fillOffsets(result, log);
      return result;
    }
  }
  try {
    const read = await log.read(fetchOffset, Math.min(p.partitionMaxBytes, budget), {
      minOneBatch: first,
      maxOffset: replicaId >= 0 ? undefined : readCommitted ? log.lastStableOffset : log.highWatermark,
    });
    if (replicaId >= 0) ctx.replication.followerFetched(topic.name, p.partition, replicaId, fetchOffset, read.logEndOffset, Number(p.logStartOffset));
    if (ctx.version < 10 && usesZstd(read.records)) {
      result.errorCode = ErrorCode.UNSUPPORTED_COMPRESSION_TYPE;
    } else if (replicaId >= 0 && ctx.replicationQuota.shouldThrottle(topic.name, p.partition, replicaId)) {
      // Kafka's shouldLeaderThrottle: the records stay empty.
    } else {
      result.records = ctx.version >= 4 ? read.records : downConvert(read.records, ctx.version, Number(p.fetchOffset));
      if (readCommitted && read.records.length > 0) {
        const aborted = await log.abortedTransactions(fetchOffset, endOffsetOf(read.records));
        result.abortedTransactions = aborted.map((a) => ({ producerId: a.producerId, firstOffset: BigInt(a.firstOffset) }));
      }
    }
  } catch (err) {
    if (!(err instanceof KafkaError)) {
      ctx.log.error(`Error reading ${topic.name}-${p.partition}: ${err instanceof Error ? err.stack : err}`);
      result.errorCode = ErrorCode.UNKNOWN_SERVER_ERROR;
    } else {
      result.errorCode = err.code;
    }
  }
  // After a follower's fetch: the high watermark may have moved with it.
  fillOffsets(result, log);
  return result;
}

/** KIP-392: the follower the leader's replica.selector.class prefers for this consumer, -1 for none. */
function preferredReadReplica(p: FetchPartition, topic: string, req: FetchRequest, ctx: RequestContext): number {
  const client = { rackId: req.rackId, listenerName: ctx.session.listenerName };
  const preferred = ctx.replication.preferredReadReplica(topic, p.partition, client, Number(p.fetchOffset));
  if (preferred >= 0) ctx.log.debug(`Replica selector prefers replica ${preferred} of ${topic}-${p.partition} for rack '${req.rackId}' (client ${ctx.header.clientId})`);
  return preferred;
}

/**
 * An id or name not known here; or, for a session's partition, a topic deleted and created anew
 * under its name since it joined the session.
 */
function topicError(p: FetchPartition, topic: TopicInfo | undefined): number {
  if (p.topic === null) return ErrorCode.UNKNOWN_TOPIC_ID;
  if (!topic) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
  return p.topicId !== ZERO_UUID && topic.id !== p.topicId ? ErrorCode.INCONSISTENT_TOPIC_ID : ErrorCode.NONE;
}

function fillOffsets(result: PartitionResult, log: PartitionLog): void {
  result.highWatermark = BigInt(log.highWatermark);
  result.lastStableOffset = BigInt(log.lastStableOffset);
  result.logStartOffset = BigInt(log.logStartOffset);
}

/**
 * Kafka's follower fetch check: the follower's last epoch must end, in the leader's history, no
 * earlier than the fetch offset; otherwise where that epoch ends here is where the follower truncates.
 */
function divergenceOf(log: PartitionLog, lastFetchedEpoch: number, fetchOffset: number): { epoch: number; endOffset: bigint } | null {
  const end = log.leaderEpochCache.endOffsetFor(lastFetchedEpoch, log.logEndOffset);
  if (end.epoch >= lastFetchedEpoch && end.endOffset >= fetchOffset) return null;
  return { epoch: end.epoch, endOffset: BigInt(end.endOffset) };
}

/** The offset after the last batch of a read: the exclusive upper bound of the aborted transactions that matter. */
function endOffsetOf(records: Buffer): number {
  let last = 0;
  for (let pos = 0, size; pos < records.length && (size = batchSizeAt(records, pos)) > 0; pos += size) last = pos;
  const h = readBatchHeader(records, last);
  return h.baseOffset + h.lastOffsetDelta + 1;
}

/** Fetch v0-1 read message format v0, v2-3 format v1. */
function downConvert(records: Buffer, version: number, fetchOffset: number): Buffer {
  return records.length === 0 ? records : toLegacy(records, version <= 1 ? 0 : 1, { fromOffset: fetchOffset });
}

function usesZstd(records: Buffer): boolean {
  let found = false;
  forEachBatch(records, (pos, _size, magic) => {
    if (magic >= 2 && compressionOf(batchAttributesAt(records, pos)) === Compression.ZSTD) found = true;
  });
  return found;
}
