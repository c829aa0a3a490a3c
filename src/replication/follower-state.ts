// What a partition leader knows of one follower (Kafka's ReplicaState): the follower's log end, as
// its latest fetch offset tells, its log start, and when it was last caught up with the leader's log end, which
// decides whether it may stay in the ISR.

export class FollowerState {
  /** -1 until the follower has fetched from this leader. */
  logEndOffset = -1;
  /** The follower's log start, as its fetches report it; -1 until one did (DeleteRecords' low watermark waits for it). */
  logStartOffset = -1;
  private lastFetchLeaderLogEndOffset = -1;
  private lastFetchTimeMs = 0;

  /** A follower in the ISR when leadership began counts as caught up then; any other as never. */
  constructor(public lastCaughtUpTimeMs: number) {}

  /**
   * A fetch from `fetchOffset` while the leader's log ended at `leaderEndOffset`. Reaching the
   * leader's end counts as caught up now; reaching the end the leader had at the previous fetch
   * counts as caught up at that previous fetch.
   */
  fetched(fetchOffset: number, leaderEndOffset: number, now: number): void {
    if (fetchOffset >= leaderEndOffset) {
      this.lastCaughtUpTimeMs = Math.max(this.lastCaughtUpTimeMs, now);
    } else if (fetchOffset >= this.lastFetchLeaderLogEndOffset) {
      this.lastCaughtUpTimeMs = Math.max(this.lastCaughtUpTimeMs, this.lastFetchTimeMs);
    }
    this.logEndOffset = fetchOffset;
    this.lastFetchLeaderLogEndOffset = leaderEndOffset;
    this.lastFetchTimeMs = now;
  }

  isCaughtUp(leaderEndOffset: number, now: number, maxLagMs: number): boolean {
    return this.logEndOffset === leaderEndOffset || now - this.lastCaughtUpTimeMs <= maxLagMs;
  }
}
