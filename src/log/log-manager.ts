// All partition logs of the broker across its log.dirs (Kafka's LogManager): loading with clean-shutdown
// detection, creation/deletion, broker-level checkpoints and the periodic flush/retention/checkpoint and
// producer expiry tasks, and the log cleaner for compacted topics.
import { LogDirDescription, LogDirsView, describeLogDirs } from './log-dirs';
import { Clock, Timer, realClock } from '../clock';
import * as fs from 'node:fs';
import { flushPendingWrites } from './pending-writes';
import * as path from 'node:path';
import { writeFileAtomicSync } from './atomic-file';
import { OffsetCheckpointEntry, readOffsetCheckpoint, writeOffsetCheckpoint } from './checkpoint-file';
import {
  CLEAN_SHUTDOWN_FILE,
  DELETE_DIR_SUFFIX,
  LOG_START_OFFSET_CHECKPOINT,
  RECOVERY_POINT_CHECKPOINT,
  REPLICATION_OFFSET_CHECKPOINT,
  deleteDirName,
  parsePartitionDirName,
} from './file-names';
import { DEFAULT_LOG_CONFIG, LogConfig, resolveLogConfig } from './log-config';
import { LogLogger, silentLogger } from '../logger';
import { PartitionLog } from './partition-log';
import { CleanerConfig, LogCleaner } from './cleaner/log-cleaner';

export interface BackgroundTaskOptions {
  /** log.retention.check.interval.ms (Kafka default 5 minutes). */
  retentionCheckIntervalMs?: number;
  /** How often flush.ms is checked (Kafka's log.flush.scheduler.interval.ms). */
  flushCheckIntervalMs?: number;
  /** Recovery point, log start and high watermark checkpoints (Kafka: 60 s). */
  checkpointIntervalMs?: number;
  /** producer.id.expiration.check.interval.ms (Kafka: 10 minutes). */
  producerIdExpirationCheckIntervalMs?: number;
}

export interface LogManagerOptions {
  logDirs: string[];
  defaultConfig?: LogConfig;
  /** Per-topic overrides applied on top of defaultConfig when logs are loaded. */
  topicConfig?: (topic: string) => Partial<LogConfig> | undefined;
  logger?: LogLogger;
  /** Time for appends, retention and the periodic tasks' timers (default: the real clock). */
  clock?: Clock;
  /** Periodic tasks to start right away; false leaves them off (call startTasks later). */
  tasks?: BackgroundTaskOptions | false;
  /** producer.id.expiration.ms (Kafka: one day). */
  producerIdExpirationMs?: number;
  /** The log.cleaner.* settings; without them (or disabled) compacted logs are never cleaned. */
  cleaner?: CleanerConfig;
}

const DEFAULT_TASKS: Required<BackgroundTaskOptions> = {
  retentionCheckIntervalMs: 300000,
  flushCheckIntervalMs: 1000,
  checkpointIntervalMs: 60000,
  producerIdExpirationCheckIntervalMs: 600000,
};

function key(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

export class LogManager implements LogDirsView {
  readonly logDirs: readonly string[];
  /** Whether each log dir had a `.kafka_cleanshutdown` marker at open. */
  readonly cleanShutdown: ReadonlyMap<string, boolean>;
  private readonly logs = new Map<string, PartitionLog>();
  private readonly timers: Timer[] = [];
  private readonly deletions = new Set<Promise<void>>();
  private closed = false;
  /** Cleans compacted logs, and applies retention to those that also have `delete`. */
  readonly cleaner: LogCleaner | null;

  private constructor(
    logDirs: string[],
    cleanShutdown: Map<string, boolean>,
    private defaultConfig: LogConfig,
    private readonly topicConfig: (topic: string) => Partial<LogConfig> | undefined,
    private readonly logger: LogLogger,
    private readonly clock: Clock,
    private readonly producerIdExpirationMs: number | undefined,
    cleanerConfig: CleanerConfig | undefined,
  ) {
    this.logDirs = logDirs;
    this.cleanShutdown = cleanShutdown;
    this.cleaner = cleanerConfig?.enable ? new LogCleaner(cleanerConfig, () => this.all(), clock, logger) : null;
  }

  static async open(opts: LogManagerOptions): Promise<LogManager> {
    const logger = opts.logger ?? silentLogger;
    const logDirs = opts.logDirs.map((d) => path.resolve(d));
    const clean = new Map<string, boolean>();
    const manager = new LogManager(
      logDirs,
      clean,
      opts.defaultConfig ?? resolveLogConfig(DEFAULT_LOG_CONFIG),
      opts.topicConfig ?? (() => undefined),
      logger,
      opts.clock ?? realClock,
      opts.producerIdExpirationMs,
      opts.cleaner,
    );
    for (const dir of logDirs) {
      fs.mkdirSync(dir, { recursive: true });
      clean.set(dir, manager.loadDir(dir));
    }
    // Indexes rebuilt by recovery reach their files before the broker serves anything.
    flushPendingWrites();
    if (opts.tasks !== false) manager.startTasks(opts.tasks ?? {});
    return manager;
  }

  private configFor(topic: string, overrides?: Partial<LogConfig>): LogConfig {
    return resolveLogConfig(this.defaultConfig, { ...this.topicConfig(topic), ...overrides });
  }

  private readCheckpoint(dir: string, name: string): Map<string, number> {
    try {
      return readOffsetCheckpoint(path.join(dir, name));
    } catch (e) {
      this.logger.warn(`ignoring ${path.join(dir, name)}: ${(e as Error).message}`);
      return new Map();
    }
  }

  /** Loads one log dir; returns whether it had been shut down cleanly. */
  private loadDir(dir: string): boolean {
    const marker = path.join(dir, CLEAN_SHUTDOWN_FILE);
    const hadCleanShutdown = fs.existsSync(marker);
    // Deleted right away, as Kafka does: a crash during or after loading must count as unclean.
    if (hadCleanShutdown) fs.rmSync(marker, { force: true });
    const recoveryPoints = this.readCheckpoint(dir, RECOVERY_POINT_CHECKPOINT);
    const startOffsets = this.readCheckpoint(dir, LOG_START_OFFSET_CHECKPOINT);
    const highWatermarks = this.readCheckpoint(dir, REPLICATION_OFFSET_CHECKPOINT);
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    if (!hadCleanShutdown && entries.some((e) => e.isDirectory())) {
      this.logger.warn(`log dir ${dir} was not shut down cleanly; recovering unflushed segments`);
    }

    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      if (entry.name.endsWith(DELETE_DIR_SUFFIX)) {
        this.removeInBackground(path.join(dir, entry.name));
        continue;
      }
      const tp = parsePartitionDirName(entry.name);
      if (tp === null) continue;
      const k = key(tp.topic, tp.partition);
      const existing = this.logs.get(k);
      if (existing) {
        this.logger.error(`${k} exists in both ${existing.logDir} and ${dir}; ignoring the copy in ${dir}`);
        continue;
      }
      try {
        const log = PartitionLog.open({
          logDir: dir,
          topic: tp.topic,
          partition: tp.partition,
          config: this.configFor(tp.topic),
          logger: this.logger,
          clock: this.clock,
          now: this.clock.now(),
          producerIdExpirationMs: this.producerIdExpirationMs,
          hadCleanShutdown,
          recoveryPointCheckpoint: recoveryPoints.get(k),
          logStartOffsetCheckpoint: startOffsets.get(k),
        });
        log.checkpointHighWatermark = highWatermarks.get(k);
        this.logs.set(k, log);
      } catch (e) {
        this.logger.error(`cannot load ${path.join(dir, entry.name)}, skipping it: ${(e as Error).message}`);
      }
    }
    return hadCleanShutdown;
  }

  get(topic: string, partition: number): PartitionLog | undefined {
    return this.logs.get(key(topic, partition));
  }

  all(): PartitionLog[] {
    return [...this.logs.values()];
  }

  describeLogDirs(): LogDirDescription[] {
    return describeLogDirs(this.logDirs, this.all());
  }

  /** The partition's log, created in the log dir holding the fewest partitions if it does not exist yet. */
  createPartition(topic: string, partition: number, topicId?: string, config?: Partial<LogConfig>): PartitionLog {
    const existing = this.get(topic, partition);
    if (existing) {
      if (topicId && !existing.topicId) existing.setTopicId(topicId);
      return existing;
    }
    const counts = new Map<string, number>(this.logDirs.map((d) => [d, 0]));
    for (const log of this.logs.values()) counts.set(log.logDir, (counts.get(log.logDir) ?? 0) + 1);
    const logDir = [...counts.entries()].sort((a, b) => a[1] - b[1])[0][0];
    const log = PartitionLog.create({
      logDir,
      topic,
      partition,
      topicId,
      config: this.configFor(topic, config),
      logger: this.logger,
      clock: this.clock,
      now: this.clock.now(),
      producerIdExpirationMs: this.producerIdExpirationMs,
    });
    this.logs.set(key(topic, partition), log);
    return log;
  }

  /** Re-reads the topic's overrides (plus any given here) into every loaded partition of the topic. */
  updateTopicConfig(topic: string, overrides: Partial<LogConfig> = {}): void {
    for (const log of this.logs.values()) {
      if (log.topic === topic) log.config = this.configFor(topic, overrides);
    }
  }

  /** Closes the log, renames its dir to `…-delete` and removes it in the background; resolves once it is gone. */
  deletePartition(topic: string, partition: number): Promise<void> {
    const log = this.get(topic, partition);
    if (!log) return Promise.resolve();
    this.logs.delete(key(topic, partition));
    log.close();
    const target = path.join(log.logDir, deleteDirName(topic, partition));
    fs.renameSync(log.dir, target);
    return this.removeInBackground(target);
  }

  private removeInBackground(dir: string): Promise<void> {
    const p = fs.promises
      .rm(dir, { recursive: true, force: true })
      .catch((e: Error) => this.logger.error(`removing ${dir} failed: ${e.message}`))
      .finally(() => this.deletions.delete(p));
    this.deletions.add(p);
    return p;
  }

  /** Writes recovery-point, log-start-offset and replication-offset checkpoints of every log dir. */
  checkpoint(): void {
    for (const dir of this.logDirs) {
      const logs = this.all()
        .filter((l) => l.logDir === dir)
        .sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
      const entry = (l: PartitionLog, offset: number): OffsetCheckpointEntry => ({
        topic: l.topic,
        partition: l.partition,
        offset,
      });
      try {
        writeOffsetCheckpoint(
          path.join(dir, RECOVERY_POINT_CHECKPOINT),
          logs.map((l) => entry(l, l.recoveryPoint)),
        );
        writeOffsetCheckpoint(
          path.join(dir, LOG_START_OFFSET_CHECKPOINT),
          logs.filter((l) => l.logStartOffset > l.segmentBaseOffsets()[0]).map((l) => entry(l, l.logStartOffset)),
        );
        writeOffsetCheckpoint(
          path.join(dir, REPLICATION_OFFSET_CHECKPOINT),
          logs.map((l) => entry(l, l.highWatermark)),
        );
      } catch (e) {
        this.logger.error(`writing checkpoints in ${dir} failed: ${(e as Error).message}`);
      }
    }
  }

  /** One retention pass over all logs but those the cleaner owns (compacted ones); returns the number of segments deleted. */
  runRetention(now: number = this.clock.now()): number {
    let deleted = 0;
    for (const log of this.all()) {
      if (this.cleaner !== null && log.config.cleanupPolicy.includes('compact')) continue;
      try {
        deleted += log.deleteOldSegments(now);
      } catch (e) {
        this.logger.error(`retention of ${log.topic}-${log.partition} failed: ${(e as Error).message}`);
      }
    }
    return deleted;
  }

  /** Flushes every log whose flush.ms has elapsed. */
  flushDue(now: number = this.clock.now()): void {
    for (const log of this.all()) {
      try {
        log.flushIfDue(now);
      } catch (e) {
        this.logger.error(`flushing ${log.topic}-${log.partition} failed: ${(e as Error).message}`);
      }
    }
  }

  /** Forgets producers idle past producer.id.expiration.ms in every log; returns how many went. */
  removeExpiredProducers(now: number = this.clock.now()): number {
    let removed = 0;
    for (const log of this.all()) {
      try {
        removed += log.removeExpiredProducers(now);
      } catch (e) {
        this.logger.error(`producer expiry of ${log.topic}-${log.partition} failed: ${(e as Error).message}`);
      }
    }
    return removed;
  }

  /** Starts the periodic tasks on the clock; real timers never keep the process alive. */
  startTasks(opts: BackgroundTaskOptions = {}): void {
    this.stopTasks();
    const o = { ...DEFAULT_TASKS, ...opts };
    const every = (ms: number, fn: () => void) => {
      // Kafka's Long.MAX_VALUE ("never") would overflow Node's timer and fire every millisecond.
      if (!(ms > 0 && ms <= 0x7fffffff)) return;
      this.timers.push(this.clock.setInterval(fn, ms));
    };
    every(o.retentionCheckIntervalMs, () => this.runRetention());
    every(o.flushCheckIntervalMs, () => this.flushDue());
    every(o.checkpointIntervalMs, () => this.checkpoint());
    every(o.producerIdExpirationCheckIntervalMs, () => this.removeExpiredProducers());
    this.cleaner?.start();
  }

  /** Stops the periodic tasks; the cleaner is stopped by close (it may be mid-cleaning). */
  stopTasks(): void {
    for (const t of this.timers.splice(0)) t.cancel();
  }

  /** Flushes and closes every log, writes checkpoints, then marks each log dir cleanly shut down. */
  async close(brokerEpoch = -1): Promise<void> {
    if (this.closed) return;
    this.stopTasks();
    await this.cleaner?.shutdown();
    const failedDirs = new Set<string>();
    for (const log of this.all()) {
      try {
        log.close();
      } catch (e) {
        failedDirs.add(log.logDir);
        this.logger.error(`closing ${log.topic}-${log.partition} failed: ${(e as Error).message}`);
      }
    }
    this.checkpoint();
    this.closed = true;
    await Promise.all([...this.deletions]);
    for (const dir of this.logDirs) {
      if (failedDirs.has(dir)) continue;
      writeFileAtomicSync(path.join(dir, CLEAN_SHUTDOWN_FILE), JSON.stringify({ version: 0, brokerEpoch }));
    }
  }
}
