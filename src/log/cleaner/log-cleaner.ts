// The log cleaner (Kafka's LogCleaner and its CleanerThreads): log.cleaner.threads workers, each with its
// own offset map, repeatedly clean the filthiest compacted log and then apply retention to compacted logs
// that also have `delete`; a worker with nothing to do waits log.cleaner.backoff.ms. Workers are async
// loops on the event loop: their I/O goes through the threadpool and they yield between chunks.
// cleanNow (a test control) cleans every compacted log at once, with its own offset map, waiving
// min.cleanable.dirty.ratio and min.compaction.lag.ms but never passing the last stable offset or
// touching the active segment, as a scheduled cleaning never does.
import { Clock, Timer } from '../../clock';
import type { LogLogger } from '../../logger';
import type { PartitionLog } from '../partition-log';
import { Cleaner, CleanerStats, CleaningAbortedError } from './cleaner';
import { LogCleanerManager } from './cleaner-manager';
import type { LogToClean } from './log-to-clean';
import { OffsetMap } from './offset-map';

export interface CleanerConfig {
  /** log.cleaner.enable */
  enable: boolean;
  /** log.cleaner.threads */
  numThreads: number;
  /** log.cleaner.dedupe.buffer.size, shared by the threads */
  dedupeBufferSize: number;
  /** log.cleaner.io.buffer.size, shared by the threads */
  ioBufferSize: number;
  /** log.cleaner.backoff.ms */
  backoffMs: number;
}

/** Kafka 3.9's defaults. */
export const DEFAULT_CLEANER_CONFIG: Readonly<CleanerConfig> = Object.freeze({
  enable: true,
  numThreads: 1,
  dedupeBufferSize: 128 * 1024 * 1024,
  ioBufferSize: 512 * 1024,
  backoffMs: 15_000,
});

export interface CleaningResult {
  log: PartitionLog;
  endOffset: number;
  stats: CleanerStats;
}

export class LogCleaner {
  readonly manager: LogCleanerManager;
  private readonly cleaners: Cleaner[];
  /** The cleaner of cleanNow, with an offset map of its own so workers run on beside it. */
  private readonly onDemand: Cleaner;
  /** The cleanNow call running: calls go one after another, sharing the one offset map. */
  private onDemandRun: Promise<unknown> = Promise.resolve();
  private running = false;
  private stopping = false;
  private readonly workers: Promise<void>[] = [];
  private readonly sleeps = new Set<{ timer: Timer; wake: () => void }>();

  constructor(
    private readonly config: CleanerConfig,
    private readonly logs: () => PartitionLog[],
    private readonly clock: Clock,
    private readonly logger: LogLogger,
  ) {
    this.manager = new LogCleanerManager(logs, logger);
    const threads = Math.max(1, config.numThreads);
    const memory = Math.min(config.dedupeBufferSize / threads, 0x7fffffff);
    const io = Math.max(1, Math.floor(config.ioBufferSize / threads));
    this.cleaners = Array.from({ length: threads }, () => new Cleaner(new OffsetMap(memory), io, (log) => this.checkDone(log), logger));
    this.onDemand = new Cleaner(new OffsetMap(memory), io, (log) => this.checkDone(log), logger);
  }

  private checkDone(log: PartitionLog): void {
    if (this.stopping) throw new CleaningAbortedError('the cleaner is shutting down');
    if (log.isClosed) throw new CleaningAbortedError(`${log.topic}-${log.partition} was closed`);
  }

  /**
   * One pass of a worker (Kafka's tryCleanFilthiestLog): cleans the filthiest log if one qualifies, then runs
   * retention on compact,delete logs. Returns what was cleaned, or null.
   */
  async cleanFilthiestLog(worker = 0): Promise<CleaningResult | null> {
    const now = this.clock.now();
    const ltc = this.manager.grabFilthiestCompactedLog(now);
    const result = ltc === null ? null : await this.cleanGrabbed(this.cleaners[worker], ltc, now);
    const deletable = this.manager.deletableLogs();
    try {
      for (const log of deletable) {
        try {
          log.deleteOldSegments(this.clock.now());
        } catch (e) {
          this.logger.error(`retention of ${log.topic}-${log.partition} failed: ${(e as Error).message}`);
        }
      }
    } finally {
      this.manager.doneDeleting(deletable);
    }
    return result;
  }

  /** Cleans a log the manager marked in progress, and marks it done; null when the cleaning aborted or failed. */
  private async cleanGrabbed(cleaner: Cleaner, ltc: LogToClean, now: number): Promise<CleaningResult | null> {
    const log = ltc.log;
    let endOffset: number | undefined;
    try {
      const done = await cleaner.clean(ltc, now);
      endOffset = done.endOffset;
      this.logger.info(`cleaned ${log.topic}-${log.partition} up to ${endOffset}: ${done.stats.bytesRead} bytes read, ${done.stats.bytesWritten} written`);
      return { log, endOffset, stats: done.stats };
    } catch (e) {
      if (e instanceof CleaningAbortedError) {
        this.logger.info(`cleaning of ${log.topic}-${log.partition} aborted: ${e.message}`);
      } else {
        this.logger.error(`cleaning ${log.topic}-${log.partition} failed, leaving it uncleaned: ${(e as Error).message}`);
        this.manager.markUncleanable(log);
      }
      return null;
    } finally {
      this.manager.doneCleaning(log, endOffset);
    }
  }

  /**
   * Cleans every compacted log now, up to its last stable offset and never its active segment,
   * whatever its dirty ratio and min.compaction.lag.ms: what the workers would clean were both
   * met. A log a worker is cleaning is waited for, then cleaned on. Answers how many logs it cleaned.
   */
  cleanNow(): Promise<number> {
    const run = this.onDemandRun.then(() => this.cleanAllNow());
    this.onDemandRun = run.catch(() => undefined);
    return run;
  }

  private async cleanAllNow(): Promise<number> {
    let cleaned = 0;
    for (const log of this.logs()) {
      let any = false;
      for (;;) {
        if (this.manager.isCleaning(log)) {
          await this.manager.idle(log);
          continue;
        }
        const ltc = this.manager.grabForCleaningNow(log, this.clock.now());
        if (ltc === null) break;
        const result = await this.cleanGrabbed(this.onDemand, ltc, this.clock.now());
        if (result === null) break;
        any = true;
        // A full offset map cleans part of the dirty section: the next round goes on from there.
        if (result.endOffset >= ltc.firstUncleanableOffset) break;
      }
      if (any) cleaned++;
    }
    return cleaned;
  }

  /** Starts the workers; each loops until shutdown. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    for (let i = 0; i < this.cleaners.length; i++) this.workers.push(this.work(i));
  }

  private async work(worker: number): Promise<void> {
    while (!this.stopping) {
      let cleaned: CleaningResult | null = null;
      try {
        cleaned = await this.cleanFilthiestLog(worker);
      } catch (e) {
        this.logger.error(`log cleaner ${worker} failed: ${(e as Error).message}`);
      }
      if (cleaned === null && !this.stopping) await this.sleep(this.config.backoffMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        wake: () => {
          entry.timer.cancel();
          this.sleeps.delete(entry);
          resolve();
        },
        timer: undefined as unknown as Timer,
      };
      entry.timer = this.clock.setTimeout(() => entry.wake(), ms);
      this.sleeps.add(entry);
    });
  }

  /** Stops the workers, aborting cleanings in progress (their `.cleaned` files are removed); resolves once they are idle. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    for (const s of [...this.sleeps]) s.wake();
    await Promise.all(this.workers.splice(0));
    this.running = false;
  }
}
