// Moving replicas between this broker's log dirs (Kafka's ReplicaManager.alterReplicaLogDirs and
// ReplicaAlterLogDirsThread). A move creates the partition's future log in the destination dir and
// copies the current log into it in the background, batches as stored, chunk by chunk, yielding to
// the event loop between chunks while appends go on to the current log. The future log follows the
// current one as a follower follows its leader: its log start, and truncation where their leader
// epochs part. Once it has caught up, the log manager swaps it in within one synchronous step.
// A future log found at startup resumes copying once the partition is this broker's again.

import { ErrorCode, KafkaError } from '../../protocol';
import { readBatchHeader } from '../../protocol/records/batch';
import { Clock } from '../clock';
import { futureDirNameLength } from '../log/file-names';
import { UNDEFINED_EPOCH } from '../log/leader-epoch-cache';
import type { LogManager } from '../log/log-manager';
import type { PartitionLog } from '../log/partition-log';
import { Logger } from '../logger';
import { truncationPoint } from './truncation';

/** replica.fetch.max.bytes: how much of the current log one step copies. */
const DEFAULT_CHUNK_BYTES = 1024 * 1024;

export interface LogDirMoverOptions {
  logs: LogManager;
  clock: Clock;
  log: Logger;
  /** Whether the cluster knows the partition (not hosted here: REPLICA_NOT_AVAILABLE; unknown: UNKNOWN_TOPIC_OR_PARTITION). */
  partitionExists: (topic: string, partition: number) => boolean;
  chunkBytes?: number;
}

export class LogDirMover {
  /** The copy running for each future log. */
  private readonly running = new Map<PartitionLog, Promise<void>>();
  private stopped = false;

  constructor(private readonly opts: LogDirMoverOptions) {}

  /**
   * One partition of AlterReplicaLogDirs, with Kafka's checks in Kafka's order; returns the error code.
   * Moving to the dir holding the current log is a no-op (and cancels a move elsewhere); a new
   * destination for a partition already moving drops the old future log and starts over there.
   */
  alterReplicaLogDir(topic: string, partition: number, dir: string): number {
    const { logs } = this.opts;
    try {
      if (futureDirNameLength(topic, partition) > 255) throw new KafkaError(ErrorCode.INVALID_TOPIC_EXCEPTION, 'The topic name is too long.');
      if (!logs.isLogDirOnline(dir)) throw new KafkaError(ErrorCode.KAFKA_STORAGE_ERROR, `Log directory ${dir} is offline`);
      if (logs.isOffline(topic, partition)) throw new KafkaError(ErrorCode.KAFKA_STORAGE_ERROR, `Partition ${topic}-${partition} is offline`);
      const future = logs.getFuture(topic, partition);
      if (future && future.logDir !== dir) {
        this.opts.log.info(`Stopping the move of ${topic}-${partition} to ${future.logDir}: its destination is ${dir} now`);
        void logs.removeFutureLog(topic, partition);
      }
      // Before the log exists: it will be created in this dir (the request still answers REPLICA_NOT_AVAILABLE).
      logs.maybeUpdatePreferredLogDir(topic, partition, dir);
      const current = logs.get(topic, partition);
      if (!current) {
        if (!this.opts.partitionExists(topic, partition)) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `${topic}-${partition} does not exist`);
        // Kafka keeps REPLICA_NOT_AVAILABLE (not NOT_LEADER_OR_FOLLOWER) here for compatibility.
        throw new KafkaError(ErrorCode.REPLICA_NOT_AVAILABLE, `This broker holds no replica of ${topic}-${partition}`);
      }
      if (current.logDir === dir) {
        this.opts.log.info(`Current log directory ${dir} is same as requested log dir ${dir}. Skipping future replica creation.`);
      } else if (!logs.getFuture(topic, partition)) {
        this.start(logs.getOrCreateFutureLog(topic, partition, dir));
      }
      return ErrorCode.NONE;
    } catch (e) {
      if (e instanceof KafkaError) {
        this.opts.log.warn(`Unable to alter log dirs for ${topic}-${partition}: ${e.message}`);
        return e.code;
      }
      this.opts.log.error(`Error while changing replica dir for partition ${topic}-${partition}`, e);
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    }
  }

  /** Resumes the copy into the partition's future log, if it has one (found at startup) and no copy runs. */
  resume(topic: string, partition: number): void {
    const future = this.opts.logs.getFuture(topic, partition);
    if (future && this.opts.logs.get(topic, partition) && !this.running.has(future)) this.start(future);
  }

  /** Resolves once every copy running now has ended. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  /** Stops every copy at its next step; future logs stay for the next start to resume. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }

  private start(future: PartitionLog): void {
    if (this.stopped) return;
    this.opts.log.info(`Moving ${future.topic}-${future.partition} to ${future.logDir} from offset ${future.logEndOffset}`);
    const copy = this.copy(future)
      .catch((e) => this.opts.log.error(`Moving ${future.topic}-${future.partition} to ${future.logDir} failed`, e))
      .finally(() => this.running.delete(future));
    this.running.set(future, copy);
  }

  /** Copies until the future log is swapped in, or is no longer the partition's future log. */
  private async copy(future: PartitionLog): Promise<void> {
    const { logs, clock } = this.opts;
    const { topic, partition } = future;
    const chunkBytes = this.opts.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    for (;;) {
      const current = logs.get(topic, partition);
      if (this.stopped || !current || logs.getFuture(topic, partition) !== future || future.isClosed) return;
      follow(future, current);
      if (caughtUp(future, current)) {
        logs.replaceCurrentWithFutureLog(topic, partition);
        return;
      }
      const from = future.logEndOffset;
      let records: Buffer;
      try {
        ({ records } = await current.read(from, chunkBytes, { minOneBatch: true }));
      } catch (e) {
        // The current log moved on (truncated, retention, closed by a swap or a failure): look again.
        if (!(e instanceof KafkaError)) throw e;
        await yieldToEventLoop();
        continue;
      }
      if (records.length > 0 && logs.getFuture(topic, partition) === future && !future.isClosed && future.logEndOffset === from) {
        // An empty future log starting inside the first batch (a log start moved mid-batch) starts at that batch.
        const first = readBatchHeader(records, 0).baseOffset;
        if (first < from && from === future.logStartOffset) future.truncateFullyAndStartAt(first);
        future.appendAsFollower(records, clock.now());
      }
      await yieldToEventLoop();
    }
  }
}

/**
 * What the alter-log-dirs fetcher does before each fetch: start over at the current log's start when
 * the future log is behind it, cut the future log back where the two logs' epochs part, and take the
 * current log's log start and high watermark.
 */
function follow(future: PartitionLog, current: PartitionLog): void {
  if (future.logEndOffset < current.logStartOffset || future.logStartOffset > current.logEndOffset) {
    future.truncateFullyAndStartAt(current.logStartOffset);
  }
  // Each incomplete answer cuts the future log back to an older epoch, so this ends.
  for (let epoch = future.leaderEpochCache.latestEpoch(); epoch !== UNDEFINED_EPOCH; ) {
    const point = truncationPoint(future, current.leaderEpochCache.endOffsetFor(epoch, current.logEndOffset));
    if (point.offset < future.logEndOffset) future.truncateTo(point.offset);
    const next = future.leaderEpochCache.latestEpoch();
    if (point.completed || next >= epoch) break;
    epoch = next;
  }
  if (future.logEndOffset > current.logEndOffset) future.truncateTo(current.logEndOffset);
  future.highWatermark = current.highWatermark;
  if (current.logStartOffset > future.logStartOffset && current.logStartOffset <= future.highWatermark) {
    future.deleteRecordsBefore(current.logStartOffset);
  }
}

/**
 * Kafka swaps once the future log end equals the current one. Epochs the current log started with
 * no records after them (a leader elected on an empty or idle log) have nothing to copy them over,
 * so the future log takes them here; then the latest epochs agree and the swap loses none.
 */
function caughtUp(future: PartitionLog, current: PartitionLog): boolean {
  if (future.logEndOffset !== current.logEndOffset) return false;
  const latest = future.leaderEpochCache.latestEpoch();
  for (const e of current.leaderEpochCache.entries()) if (e.epoch > latest) future.leaderEpochCache.assign(e.epoch, e.startOffset);
  return future.leaderEpochCache.latestEpoch() === current.leaderEpochCache.latestEpoch();
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
