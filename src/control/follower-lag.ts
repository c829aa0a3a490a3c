// How far behind its leader a follower broker holds a partition, a test control: the broker's replica
// fetcher leaves the partition out of its fetches while its log end is within `records` of the
// leader's, so acks=all waits, the high watermark stalls and the leader may drop the follower from
// the ISR after replica.lag.time.max.ms, as with a slow follower. Clearing the lag lets it catch up.

/** A lag change, told to the fetchers so a partition held back resumes at once. */
export type LagListener = () => void;

export class FollowerLag {
  private readonly lags = new Map<string, Map<number, number>>();
  private readonly listeners = new Set<LagListener>();

  /** Whether any partition is held back: the fetcher's only check when none is. */
  get active(): boolean {
    return this.lags.size > 0;
  }

  /** Holds `topic`-`partition` `records` records behind its leader's log end; 0 clears it. */
  set(topic: string, partition: number, records: number): void {
    if (!Number.isInteger(records) || records < 0) throw new RangeError(`A follower lag is a whole number of records, not ${records}`);
    if (!Number.isInteger(partition) || partition < 0) throw new RangeError(`No partition ${partition}`);
    const partitions = this.lags.get(topic) ?? new Map<number, number>();
    if (records === 0) partitions.delete(partition);
    else partitions.set(partition, records);
    if (partitions.size === 0) this.lags.delete(topic);
    else this.lags.set(topic, partitions);
    this.changed();
  }

  /** Clears one partition's lag, or every lag. */
  clear(topic?: string, partition?: number): void {
    if (topic === undefined) this.lags.clear();
    else if (partition === undefined) this.lags.delete(topic);
    else return this.set(topic, partition, 0);
    this.changed();
  }

  /** The records `topic`-`partition` is held behind its leader, 0 when it is not held. */
  recordsFor(topic: string, partition: number): number {
    return this.lags.get(topic)?.get(partition) ?? 0;
  }

  /** Calls `listener` after each change; returns the call that stops it. */
  onChange(listener: LagListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
