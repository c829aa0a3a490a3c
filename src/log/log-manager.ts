// All partition logs of the broker across its log.dirs (Kafka's LogManager): loading with clean-shutdown
// detection, creation/deletion, broker-level checkpoints and the periodic flush/retention/checkpoint and
// producer expiry tasks, and the log cleaner for compacted topics. Also the JBOD side: future logs of
// replicas moving between dirs (created, swapped in for the current log, found again at load) and log
// dirs going offline on an I/O error.
import { LogDirDescription, LogDirsView, describeLogDirs } from './log-dirs';
import { ErrorCode, KafkaError } from '../../protocol/errors';
import { Clock, Timer, realClock } from '../clock';
import * as fs from 'node:fs';
import { flushPendingWrites, onPendingWriteFailure } from './pending-writes';
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
  futureDirName,
  parseFutureDirName,
  parsePartitionDirName,
  partitionDirName,
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
  /** Every log dir has failed: the broker must stop (Kafka halts). Default: nothing beyond the log line. */
  onAllLogDirsFailed?: (message: string) => void;
  /** The log.cleaner.* settings; without them (or disabled) compacted logs are never cleaned. */
  cleaner?: CleanerConfig;
}

/** A log dir went offline: the partitions whose current logs were in it. */
export type LogDirFailureListener = (dir: string, offlinePartitions: { topic: string; partition: number }[]) => void;
/** A future log replaced the current log of its partition. */
export type LogReplacedListener = (log: PartitionLog, previous: PartitionLog) => void;

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
  /** Replicas being moved to another dir (Kafka's futureLogs). */
  private readonly futureLogs = new Map<string, PartitionLog>();
  /** Where a partition's next log goes (AlterReplicaLogDirs before the log exists, or a move's target). */
  private readonly preferredLogDirs = new Map<string, string>();
  private readonly offlineDirs = new Set<string>();
  /** Partitions whose current log was in a dir that went offline. */
  private readonly offlinePartitions = new Set<string>();
  private readonly failureListeners = new Set<LogDirFailureListener>();
  private readonly replacedListeners = new Set<LogReplacedListener>();
  private onAllLogDirsFailed: (message: string) => void = () => {};
  private stopWatchingWrites: () => void = () => {};
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
    if (opts.onAllLogDirsFailed) manager.onAllLogDirsFailed = opts.onAllLogDirsFailed;
    manager.stopWatchingWrites = onPendingWriteFailure((file, e) => {
      const dir = logDirs.find((d) => file.startsWith(d + path.sep));
      if (dir) manager.logDirFailed(dir, e);
    });
    for (const dir of logDirs) {
      try {
        fs.mkdirSync(dir, { recursive: true });
        clean.set(dir, manager.loadDir(dir));
      } catch (e) {
        // Kafka's createAndValidateLogDirs: a dir that cannot be read starts offline.
        logger.error(`Failed to load log dir ${dir}, it is offline: ${(e as Error).message}`);
        manager.offlineDirs.add(dir);
      }
    }
    if (manager.offlineDirs.size === logDirs.length) {
      throw new Error(`None of the specified log dirs from ${logDirs.join(', ')} can be created or validated`);
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
      const future = parseFutureDirName(entry.name);
      const tp = future ?? parsePartitionDirName(entry.name);
      if (tp === null) continue;
      const k = key(tp.topic, tp.partition);
      const loaded = future ? this.futureLogs : this.logs;
      const existing = loaded.get(k);
      if (existing) {
        this.logger.error(`${k} exists in both ${existing.dir} and ${path.join(dir, entry.name)}; ignoring the copy in ${dir}`);
        continue;
      }
      try {
        const log = PartitionLog.open({
          logDir: dir,
          dirName: entry.name,
          onIoError: (e) => this.logDirFailed(dir, e),
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
        loaded.set(k, log);
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
    return describeLogDirs(this.logDirs, [...this.all(), ...this.futureLogs.values()], this.offlineDirs);
  }

  /** The partition's log, created in the log dir holding the fewest partitions if it does not exist yet. */
  createPartition(topic: string, partition: number, topicId?: string, config?: Partial<LogConfig>): PartitionLog {
    const existing = this.get(topic, partition);
    if (existing) {
      if (topicId && !existing.topicId) existing.setTopicId(topicId);
      return existing;
    }
    this.checkNotOffline(topic, partition);
    const log = this.newLog(topic, partition, this.preferredLogDirs.get(key(topic, partition)) ?? this.nextLogDir(), undefined, topicId, config);
    this.logs.set(key(topic, partition), log);
    return log;
  }

  /** The online dir holding the fewest partitions (Kafka's nextLogDirs, by partition count). */
  private nextLogDir(): string {
    const counts = new Map<string, number>(this.liveLogDirs().map((d) => [d, 0]));
    for (const log of [...this.logs.values(), ...this.futureLogs.values()]) {
      if (counts.has(log.logDir)) counts.set(log.logDir, counts.get(log.logDir)! + 1);
    }
    return [...counts.entries()].sort((a, b) => a[1] - b[1])[0][0];
  }

  private newLog(topic: string, partition: number, logDir: string, dirName: string | undefined, topicId?: string, config?: Partial<LogConfig>): PartitionLog {
    const log = PartitionLog.create({
      logDir,
      dirName,
      onIoError: (e) => this.logDirFailed(logDir, e),
      topic,
      partition,
      topicId,
      config: this.configFor(topic, config),
      logger: this.logger,
      clock: this.clock,
      now: this.clock.now(),
      producerIdExpirationMs: this.producerIdExpirationMs,
    });
    // Kafka: the preferred dir is satisfied once a log was created there.
    this.preferredLogDirs.delete(key(topic, partition));
    return log;
  }

  /** New broker-wide defaults (dynamic broker configs): every loaded log takes them under its topic's overrides. */
  setDefaultConfig(config: LogConfig): void {
    this.defaultConfig = config;
    for (const log of this.logs.values()) log.config = this.configFor(log.topic);
  }

  /** Re-reads the topic's overrides (plus any given here) into every loaded partition of the topic. */
  updateTopicConfig(topic: string, overrides: Partial<LogConfig> = {}): void {
    for (const log of this.logs.values()) {
      if (log.topic === topic) log.config = this.configFor(topic, overrides);
    }
  }

  /** Closes the log, renames its dir to `…-delete` and removes it in the background; resolves once it is gone. */
  deletePartition(topic: string, partition: number): Promise<void> {
    this.offlinePartitions.delete(key(topic, partition));
    const future = this.removeFutureLog(topic, partition);
    const log = this.get(topic, partition);
    if (!log) return future;
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
    for (const dir of this.liveLogDirs()) {
      const logs = [...this.all(), ...this.futureLogs.values()]
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

  /**
   * Compaction on demand: every compacted log cleaned now, as far as the cleaner may (its last
   * stable offset, never its active segment), waiving min.cleanable.dirty.ratio and
   * min.compaction.lag.ms. Answers how many logs were cleaned: none with log.cleaner.enable=false,
   * as Kafka then never compacts.
   */
  async runCleaner(): Promise<number> {
    return this.cleaner === null ? 0 : this.cleaner.cleanNow();
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
    for (const log of [...this.all(), ...this.futureLogs.values()]) {
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

  // --- Log dirs (JBOD): replicas moving between dirs, and dirs going offline ---

  /** Log dirs not offline. */
  liveLogDirs(): string[] {
    return this.logDirs.filter((d) => !this.offlineDirs.has(d));
  }

  /** Whether the dir is online; LOG_DIR_NOT_FOUND when it is not one of log.dirs (an absolute path, as Kafka compares). */
  isLogDirOnline(dir: string): boolean {
    if (!this.logDirs.includes(dir)) throw new KafkaError(ErrorCode.LOG_DIR_NOT_FOUND, `Log dir ${dir} is not found in the config.`);
    return !this.offlineDirs.has(dir);
  }

  /** Whether the partition's current log was in a dir that went offline (its requests get KAFKA_STORAGE_ERROR). */
  isOffline(topic: string, partition: number): boolean {
    // Asked for every partition of every produce and fetch: no key is built while no dir has failed.
    return this.offlinePartitions.size > 0 && this.offlinePartitions.has(key(topic, partition));
  }

  private checkNotOffline(topic: string, partition: number): void {
    if (this.isOffline(topic, partition)) throw new KafkaError(ErrorCode.KAFKA_STORAGE_ERROR, `Partition ${topic}-${partition} is offline`);
  }

  getFuture(topic: string, partition: number): PartitionLog | undefined {
    return this.futureLogs.get(key(topic, partition));
  }

  allFutures(): PartitionLog[] {
    return [...this.futureLogs.values()];
  }

  /** Kafka's maybeUpdatePreferredLogDir: remembered unless the current or future log already lives there. */
  maybeUpdatePreferredLogDir(topic: string, partition: number, dir: string): void {
    if (this.get(topic, partition)?.logDir === dir || this.getFuture(topic, partition)?.logDir === dir) return;
    this.preferredLogDirs.set(key(topic, partition), dir);
  }

  /**
   * The partition's future log in `dir` (Kafka's getOrCreateLog with isFuture): created empty, with
   * the current log's topic id, unless it exists. Refused with KAFKA_STORAGE_ERROR while any dir is
   * offline, so one partition never gets future logs in two dirs.
   */
  getOrCreateFutureLog(topic: string, partition: number, dir: string): PartitionLog {
    const existing = this.getFuture(topic, partition);
    if (existing) return existing;
    if (this.offlineDirs.size > 0) {
      throw new KafkaError(ErrorCode.KAFKA_STORAGE_ERROR, `Can not create log for ${topic}-${partition} because log directories ${[...this.offlineDirs].join(',')} are offline`);
    }
    const current = this.get(topic, partition);
    if (!current) throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, `No current log of ${topic}-${partition} to move`);
    if (current.logDir === dir) throw new Error(`Can not create the future log for ${topic}-${partition} in the current log directory of this partition`);
    const log = this.newLog(topic, partition, dir, futureDirName(topic, partition), current.topicId);
    this.futureLogs.set(key(topic, partition), log);
    this.logger.info(`Created log for partition ${topic}-${partition} in ${log.dir}`);
    return log;
  }

  /** Drops the partition's future log, its dir removed in the background; resolves once it is gone. */
  removeFutureLog(topic: string, partition: number): Promise<void> {
    const future = this.getFuture(topic, partition);
    if (!future) return Promise.resolve();
    this.futureLogs.delete(key(topic, partition));
    return this.closeAndDelete(future);
  }

  /**
   * Kafka's replaceCurrentWithFutureLog, done in one synchronous step so no append or read sees it
   * half done: the caught-up future dir is renamed to the partition's name and reopened as the
   * current log (taking its high watermark), the old dir renamed `…-delete` and removed in the
   * background. Listeners move everything that held the old log to the new one.
   */
  replaceCurrentWithFutureLog(topic: string, partition: number): PartitionLog {
    const k = key(topic, partition);
    const source = this.logs.get(k);
    const future = this.futureLogs.get(k);
    if (!source || !future) throw new Error(`No current and future log of ${k} to swap`);
    const checkpoints = { recoveryPointCheckpoint: future.logEndOffset, logStartOffsetCheckpoint: future.logStartOffset };
    future.close();
    this.futureLogs.delete(k);
    fs.renameSync(future.dir, path.join(future.logDir, partitionDirName(topic, partition)));
    const log = PartitionLog.open({
      logDir: future.logDir,
      onIoError: (e) => this.logDirFailed(future.logDir, e),
      topic,
      partition,
      config: source.config,
      logger: this.logger,
      clock: this.clock,
      now: this.clock.now(),
      producerIdExpirationMs: this.producerIdExpirationMs,
      hadCleanShutdown: true,
      ...checkpoints,
    });
    log.checkpointHighWatermark = source.highWatermark;
    this.logs.set(k, log);
    void this.closeAndDelete(source);
    this.logger.info(`The current replica of ${k} in ${source.logDir} was replaced by the future replica in ${log.logDir}`);
    for (const listener of this.replacedListeners) listener(log, source);
    this.checkpoint();
    return log;
  }

  onLogReplaced(listener: LogReplacedListener): () => void {
    this.replacedListeners.add(listener);
    return () => this.replacedListeners.delete(listener);
  }

  onLogDirFailure(listener: LogDirFailureListener): () => void {
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  private closeAndDelete(log: PartitionLog): Promise<void> {
    try {
      log.close();
      const target = path.join(log.logDir, deleteDirName(log.topic, log.partition));
      fs.renameSync(log.dir, target);
      return this.removeInBackground(target);
    } catch (e) {
      this.logger.error(`deleting ${log.dir} failed: ${(e as Error).message}`);
      return Promise.resolve();
    }
  }

  /** An I/O error in a log of `dir` (Kafka's LogDirFailureChannel): the whole dir goes offline. */
  private logDirFailed(dir: string, error: Error): void {
    this.logger.error(`Error while writing to a log in dir ${dir}: ${error.message}`);
    this.handleLogDirFailure(dir);
  }

  /**
   * Kafka's handleLogDirFailure: the dir's current and future logs leave at once (their partitions
   * answer KAFKA_STORAGE_ERROR from now on) and their files are closed once the failed operation
   * unwound; listeners hear of the partitions. With no dir left, the broker must stop.
   */
  handleLogDirFailure(dir: string): void {
    if (this.offlineDirs.has(dir) || !this.logDirs.includes(dir)) return;
    this.logger.warn(`Stopping serving logs in dir ${dir}`);
    this.offlineDirs.add(dir);
    const removed: PartitionLog[] = [];
    const offline: { topic: string; partition: number }[] = [];
    for (const logs of [this.logs, this.futureLogs]) {
      for (const [k, log] of logs) {
        if (log.logDir !== dir) continue;
        logs.delete(k);
        removed.push(log);
        if (logs === this.logs) {
          this.offlinePartitions.add(k);
          offline.push({ topic: log.topic, partition: log.partition });
        }
      }
    }
    this.logger.warn(`Logs for partitions ${offline.map((p) => key(p.topic, p.partition)).join(',')} are offline due to failure on log directory ${dir}`);
    if (this.offlineDirs.size === this.logDirs.length) {
      const message = `Shutdown broker because all log dirs in ${this.logDirs.join(', ')} have failed`;
      this.logger.error(message);
      this.onAllLogDirsFailed(message);
    }
    setImmediate(() => {
      for (const log of removed) {
        try {
          log.close();
        } catch {
          // The dir failed: its files are dropped as they are.
        }
      }
    });
    for (const listener of this.failureListeners) listener(dir, offline);
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

  /** The periodic tasks, the pending-write watch and the cleaner: what closing and abandoning both stop. */
  private async stopBackgroundWork(): Promise<void> {
    this.stopTasks();
    this.stopWatchingWrites();
    await this.cleaner?.shutdown();
  }

  /**
   * Lets go of every log as a dying process would: tasks and the cleaner stop, file handles close,
   * and nothing else is written (no checkpoint, no clean-shutdown marker), so the next open recovers.
   */
  async abandon(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.stopBackgroundWork();
    for (const log of [...this.all(), ...this.futureLogs.values()]) log.abandon();
  }

  /** Flushes and closes every log, writes checkpoints, then marks each log dir cleanly shut down. */
  async close(brokerEpoch = -1): Promise<void> {
    if (this.closed) return;
    await this.stopBackgroundWork();
    const failedDirs = new Set<string>(this.offlineDirs);
    for (const log of [...this.all(), ...this.futureLogs.values()]) {
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

