// The leader's side of one partition (the leader half of Kafka's Partition): what each follower
// has fetched, the ISR, and the high watermark, the smallest log end over the ISR, which never
// moves back. Produce requests with acks=all wait here for the high watermark to pass their records,
// DeleteRecords for the low watermark (the smallest log start over the live replicas) to pass its offset.

import type { Clock } from '../clock';
import type { PartitionLog } from '../log/partition-log';
import { FollowerState } from './follower-state';

export type ReplicationOutcome = 'replicated' | 'timeout' | 'resigned';

interface HighWatermarkWaiter {
  offset: number;
  done: (outcome: ReplicationOutcome) => void;
}

/** Whether a broker is alive: the low watermark counts the replicas of live brokers only. */
export type BrokerAlive = (brokerId: number) => boolean;

export class LeaderPartition {
  private readonly followers = new Map<number, FollowerState>();
  private committedIsr: number[];
  /** The ISR being written, if a change is in flight; Kafka allows one at a time. */
  private pendingIsr: number[] | null = null;
  private epoch: number;
  /** The log end when this leader epoch began: a follower must reach it to join the ISR. */
  private epochStartOffset: number;
  private readonly waiters = new Set<HighWatermarkWaiter>();
  /** DeleteRecords waiting for every live replica's log start to pass their offset. */
  private readonly lowWatermarkWaiters = new Set<HighWatermarkWaiter>();
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(
    readonly log: PartitionLog,
    private readonly brokerId: number,
    leaderEpoch: number,
    replicas: readonly number[],
    isr: readonly number[],
    private readonly clock: Clock,
    private readonly alive: BrokerAlive = () => true,
  ) {
    log.initHighWatermark();
    this.committedIsr = [...isr];
    this.epoch = leaderEpoch;
    this.epochStartOffset = this.startEpoch(leaderEpoch);
    this.addFollowers(replicas, isr);
    this.unsubscribe = log.onAppend(() => this.maybeIncrementHighWatermark());
    this.maybeIncrementHighWatermark();
  }

  get leaderEpoch(): number {
    return this.epoch;
  }

  /** The ISR as the cluster holds it (a change being written counts once written). */
  get isr(): readonly number[] {
    return this.committedIsr;
  }

  get isrChangePending(): boolean {
    return this.pendingIsr !== null;
  }

  /** The cluster's latest word while this broker still leads: a new leader epoch, replicas or ISR. */
  update(leaderEpoch: number, replicas: readonly number[], isr: readonly number[]): void {
    if (leaderEpoch !== this.epoch) {
      this.epoch = leaderEpoch;
      this.epochStartOffset = this.startEpoch(leaderEpoch);
      // A new epoch restarts every follower's lag clock, as Kafka's makeLeader does.
      const now = this.clock.now();
      for (const [id, f] of this.followers) f.lastCaughtUpTimeMs = isr.includes(id) ? now : 0;
    }
    if (this.pendingIsr === null) this.committedIsr = [...isr];
    for (const id of [...this.followers.keys()]) if (!replicas.includes(id)) this.followers.delete(id);
    this.addFollowers(replicas, isr);
    this.maybeIncrementHighWatermark();
    this.checkLowWatermark();
  }

  /**
   * Records a follower's fetch. Returns the ISR with the follower added when it has just caught
   * up (its log end reached the high watermark and this epoch's start: Kafka's maybeExpandIsr), else null.
   */
  followerFetched(replicaId: number, fetchOffset: number, leaderEndOffset: number, logStartOffset = -1): number[] | null {
    const follower = this.followers.get(replicaId);
    if (!follower || this.closed) return null;
    follower.fetched(fetchOffset, leaderEndOffset, this.clock.now());
    if (logStartOffset >= 0) follower.logStartOffset = logStartOffset;
    this.maybeIncrementHighWatermark();
    this.checkLowWatermark();
    const joins =
      this.pendingIsr === null &&
      !this.committedIsr.includes(replicaId) &&
      fetchOffset >= this.log.highWatermark &&
      fetchOffset >= this.epochStartOffset;
    return joins ? [...this.committedIsr, replicaId] : null;
  }

  /** ISR followers that have not caught up with the log end within maxLagMs (Kafka's getOutOfSyncReplicas). */
  outOfSyncReplicas(maxLagMs: number): number[] {
    const end = this.log.logEndOffset;
    const now = this.clock.now();
    return this.committedIsr.filter((id) => {
      const f = this.followers.get(id);
      return f !== undefined && !f.isCaughtUp(end, now, maxLagMs);
    });
  }

  /** The ISR's followers with what the leader knows of each (the candidates for a consumer's preferred read replica). */
  inSyncFollowers(): { id: number; state: Readonly<FollowerState> }[] {
    return this.committedIsr.flatMap((id) => {
      const state = this.followers.get(id);
      return state ? [{ id, state }] : [];
    });
  }

  /** Follower log ends, for the ISR change log lines. */
  followerLogEnd(id: number): number {
    return this.followers.get(id)?.logEndOffset ?? -1;
  }

  beginIsrChange(isr: number[]): void {
    this.pendingIsr = [...isr];
  }

  /** Ends the change in flight: written, or not (the cluster's view then tells what the ISR is). */
  endIsrChange(written: boolean): void {
    if (written && this.pendingIsr) this.committedIsr = this.pendingIsr;
    this.pendingIsr = null;
    this.maybeIncrementHighWatermark();
  }

  /**
   * The smallest log end over the ISR, counting members being added (Kafka's maximal ISR); a
   * follower that has not fetched yet holds it where it is. It only ever moves up.
   */
  maybeIncrementHighWatermark(): void {
    if (this.closed) return;
    let hw = this.log.logEndOffset;
    for (const id of new Set([...this.committedIsr, ...(this.pendingIsr ?? [])])) {
      const f = this.followers.get(id);
      if (f) hw = Math.min(hw, f.logEndOffset);
    }
    if (hw > this.log.highWatermark) this.log.highWatermark = hw;
    const reached = this.log.highWatermark;
    for (const w of [...this.waiters]) if (w.offset <= reached) w.done('replicated');
  }

  /** Resolves once the high watermark reaches `offset`, after `timeoutMs`, or when this broker stops leading. */
  waitForHighWatermark(offset: number, timeoutMs: number): Promise<ReplicationOutcome> {
    return this.waitIn(this.waiters, offset, timeoutMs, () => this.log.highWatermark >= offset);
  }

  /** A waiter in `waiters` until `reached` holds (checked at once), the timeout passes, or leadership ends. */
  private waitIn(waiters: Set<HighWatermarkWaiter>, offset: number, timeoutMs: number, reached: () => boolean): Promise<ReplicationOutcome> {
    if (this.closed) return Promise.resolve('resigned');
    if (reached()) return Promise.resolve('replicated');
    return new Promise((resolve) => {
      const waiter: HighWatermarkWaiter = {
        offset,
        done: (outcome) => {
          timer.cancel();
          waiters.delete(waiter);
          resolve(outcome);
        },
      };
      const timer = this.clock.setTimeout(() => waiter.done('timeout'), Math.max(0, timeoutMs));
      waiters.add(waiter);
    });
  }

  /**
   * Kafka's lowWatermarkIfLeader: the smallest log start over this log and the replicas on live
   * brokers (a replica that has not fetched yet holds it at -1).
   */
  lowWatermark(): number {
    let low = this.log.logStartOffset;
    for (const [id, f] of this.followers) if (this.alive(id) && f.logStartOffset < low) low = f.logStartOffset;
    return low;
  }

  /** DelayedDeleteRecords: resolves once the low watermark reaches `offset`, after `timeoutMs`, or when this broker stops leading. */
  waitForLowWatermark(offset: number, timeoutMs: number): Promise<ReplicationOutcome> {
    return this.waitIn(this.lowWatermarkWaiters, offset, timeoutMs, () => this.lowWatermark() >= offset);
  }

  /** Replicas or live brokers changed, or a follower's log start moved: waiting deletions may be done. */
  checkLowWatermark(): void {
    if (this.lowWatermarkWaiters.size === 0) return;
    const low = this.lowWatermark();
    for (const w of [...this.lowWatermarkWaiters]) if (w.offset <= low) w.done('replicated');
  }

  /** This broker no longer leads the partition: waiting produces and deletions learn it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    for (const w of [...this.waiters, ...this.lowWatermarkWaiters]) w.done('resigned');
  }

  private addFollowers(replicas: readonly number[], isr: readonly number[]): void {
    const now = this.clock.now();
    for (const id of replicas) {
      if (id !== this.brokerId && !this.followers.has(id)) this.followers.set(id, new FollowerState(isr.includes(id) ? now : 0));
    }
  }

  /** Kafka's makeLeader: the new epoch starts at the log end, so followers truncate to what this leader has. */
  private startEpoch(epoch: number): number {
    const cache = this.log.leaderEpochCache;
    cache.assign(epoch, this.log.logEndOffset);
    const latest = cache.latestEntry();
    return latest?.epoch === epoch ? latest.startOffset : this.log.logEndOffset;
  }
}
