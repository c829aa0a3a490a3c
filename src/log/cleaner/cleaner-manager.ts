// Which log the cleaner works on next and how far each log is clean (Kafka's LogCleanerManager): the
// `cleaner-offset-checkpoint` of each log dir, the logs being cleaned, and the filthiest compacted log: the
// largest dirty ratio among logs above min.cleanable.dirty.ratio or past max.compaction.lag.ms. A
// cleaning on demand takes any compacted log with something cleanable, waiving both thresholds.
import * as path from 'node:path';
import { readOffsetCheckpoint, writeOffsetCheckpoint } from '../checkpoint-file';
import type { LogLogger } from '../../logger';
import type { PartitionLog } from '../partition-log';
import { CleanableOffsets, LogToClean, cleanableOffsets, logToClean, maxCompactionDelay } from './log-to-clean';

export const CLEANER_OFFSET_CHECKPOINT = 'cleaner-offset-checkpoint';

function keyOf(log: PartitionLog): string {
  return `${log.topic}-${log.partition}`;
}

const isCompacted = (log: PartitionLog) => log.config.cleanupPolicy.includes('compact');

export class LogCleanerManager {
  private readonly inProgress = new Set<PartitionLog>();
  /** Logs whose cleaning failed on something other than an abort; Kafka leaves them alone until restart. */
  private readonly uncleanable = new Set<PartitionLog>();
  private readonly checkpoints = new Map<string, Map<string, number>>();
  /** Who waits for a log's cleaning or deletion in progress to end. */
  private readonly idleWaiters = new Map<PartitionLog, (() => void)[]>();

  constructor(
    private readonly logs: () => PartitionLog[],
    private readonly logger: LogLogger,
  ) {}

  /** The checkpointed clean offsets of a log dir, read once and kept up to date from then on. */
  private checkpointOf(logDir: string): Map<string, number> {
    let offsets = this.checkpoints.get(logDir);
    if (offsets === undefined) {
      try {
        offsets = readOffsetCheckpoint(path.join(logDir, CLEANER_OFFSET_CHECKPOINT));
      } catch (e) {
        this.logger.warn(`ignoring ${path.join(logDir, CLEANER_OFFSET_CHECKPOINT)}: ${(e as Error).message}`);
        offsets = new Map();
      }
      this.checkpoints.set(logDir, offsets);
    }
    return offsets;
  }

  /** Where the clean section of the log ends, if a cleaning has been checkpointed. */
  cleanOffset(log: PartitionLog): number | undefined {
    return this.checkpointOf(log.logDir).get(keyOf(log));
  }

  /** Sets the log's entry and rewrites its dir's file, dropping entries of logs no longer there. */
  updateCheckpoint(log: PartitionLog, offset: number): void {
    const offsets = this.checkpointOf(log.logDir);
    offsets.set(keyOf(log), offset);
    const present = new Map(this.logs().filter((l) => l.logDir === log.logDir).map((l) => [keyOf(l), l] as const));
    const entries = [...offsets.entries()]
      .filter(([k]) => present.has(k))
      .map(([k, o]) => ({ topic: present.get(k)!.topic, partition: present.get(k)!.partition, offset: o }))
      .sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
    try {
      writeOffsetCheckpoint(path.join(log.logDir, CLEANER_OFFSET_CHECKPOINT), entries);
    } catch (e) {
      this.logger.error(`writing ${CLEANER_OFFSET_CHECKPOINT} in ${log.logDir} failed: ${(e as Error).message}`);
    }
  }

  /** Picks the filthiest cleanable log and marks it in progress, or returns null if none needs cleaning. */
  grabFilthiestCompactedLog(now: number): LogToClean | null {
    const dirty: LogToClean[] = [];
    for (const log of this.logs()) {
      if (!this.mayClean(log)) continue;
      try {
        const offsets = this.dirtySection(log, now);
        const delay = maxCompactionDelay(log, offsets.firstDirtyOffset, now);
        const ltc = logToClean(log, offsets.firstDirtyOffset, offsets.firstUncleanableDirtyOffset, delay > 0);
        if (ltc.totalBytes > 0) dirty.push(ltc);
      } catch (e) {
        this.logger.error(`cannot compute what to clean of ${keyOf(log)}: ${(e as Error).message}`);
      }
    }
    const cleanable = dirty.filter(
      (l) => (l.needCompactionNow && l.cleanableBytes > 0) || l.cleanableRatio > l.log.config.minCleanableDirtyRatio,
    );
    if (cleanable.length === 0) return null;
    const filthiest = cleanable.reduce((a, b) => (b.cleanableRatio > a.cleanableRatio ? b : a));
    this.inProgress.add(filthiest.log);
    return filthiest;
  }

  /**
   * `log` to clean now whatever its dirty ratio and min.compaction.lag.ms, marked in progress; null
   * when it is not compacted, is closed, uncleanable or being cleaned, or has nothing cleanable
   * before its last stable offset and active segment.
   */
  grabForCleaningNow(log: PartitionLog, now: number): LogToClean | null {
    if (!this.mayClean(log)) return null;
    const offsets = this.dirtySection(log, now, 0);
    const ltc = logToClean(log, offsets.firstDirtyOffset, offsets.firstUncleanableDirtyOffset, true);
    if (ltc.cleanableBytes === 0) return null;
    this.inProgress.add(log);
    return ltc;
  }

  /** A compacted, open log that no one cleans now and whose cleaning has not failed. */
  private mayClean(log: PartitionLog): boolean {
    return isCompacted(log) && !log.isClosed && !this.inProgress.has(log) && !this.uncleanable.has(log);
  }

  /** Where `log`'s dirty section starts and where cleaning must stop; a checkpoint out of range is moved to the log start. */
  private dirtySection(log: PartitionLog, now: number, minCompactionLagMs?: number): CleanableOffsets {
    const offsets = cleanableOffsets(log, this.cleanOffset(log), now, minCompactionLagMs);
    if (offsets.forceUpdateCheckpoint) this.updateCheckpoint(log, offsets.firstDirtyOffset);
    return offsets;
  }

  /** Resolves once `log` is not being cleaned or having retention applied. */
  async idle(log: PartitionLog): Promise<void> {
    while (this.inProgress.has(log)) {
      await new Promise<void>((resolve) => this.idleWaiters.set(log, [...(this.idleWaiters.get(log) ?? []), resolve]));
    }
  }

  private done(log: PartitionLog): void {
    this.inProgress.delete(log);
    const waiters = this.idleWaiters.get(log);
    this.idleWaiters.delete(log);
    for (const resolve of waiters ?? []) resolve();
  }

  /** Compacted logs that also have retention (compact,delete), marked in progress until doneDeleting. */
  deletableLogs(): PartitionLog[] {
    const out = this.logs().filter(
      (l) => isCompacted(l) && l.config.cleanupPolicy.includes('delete') && !l.isClosed && !this.inProgress.has(l) && !this.uncleanable.has(l),
    );
    for (const l of out) this.inProgress.add(l);
    return out;
  }

  doneDeleting(logs: readonly PartitionLog[]): void {
    for (const l of logs) this.done(l);
  }

  /** The cleaning ended; with an offset it succeeded and the clean section now ends there. */
  doneCleaning(log: PartitionLog, endOffset?: number): void {
    if (endOffset !== undefined && !log.isClosed) this.updateCheckpoint(log, endOffset);
    this.done(log);
  }

  markUncleanable(log: PartitionLog): void {
    this.uncleanable.add(log);
  }

  isCleaning(log: PartitionLog): boolean {
    return this.inProgress.has(log);
  }
}
