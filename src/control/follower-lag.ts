// How far behind its leader a follower broker holds a partition, a test control: the broker's replica
// fetchers leave the partition out of their fetches while its log end is within `records` of the
// leader's, so acks=all waits, the high watermark stalls and the leader may drop the follower from
// the ISR after replica.lag.time.max.ms, as with a slow follower. Clearing the lag lets it catch up.
// Fetchers read the lags as readers: told of each change, each reports when a fetch sent before it
// can no longer be in flight, so a caller can wait until the change holds (applied()).

/** A fetcher reading the lags. */
export interface LagReader {
  /** The reader acts on the latest change: nothing it sent before the change is still in flight. */
  caughtUp(): void;
  /** Stops reading: no more change calls, and applied() no longer waits for it. */
  close(): void;
}

interface Reader {
  changed: () => void;
  /** A change came after the reader last caught up. */
  behind: boolean;
}

export class FollowerLag {
  private readonly lags = new Map<string, Map<number, number>>();
  private readonly readers = new Set<Reader>();
  private appliedWaiters: (() => void)[] = [];

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

  /** A reader told of each change through `changed`, which reports back through caughtUp(). */
  read(changed: () => void): LagReader {
    const reader: Reader = { changed, behind: false };
    this.readers.add(reader);
    return {
      caughtUp: () => {
        if (!reader.behind) return;
        reader.behind = false;
        this.checkApplied();
      },
      close: () => {
        this.readers.delete(reader);
        this.checkApplied();
      },
    };
  }

  /** Resolves once every reader acts on the latest change. */
  applied(): Promise<void> {
    return new Promise((resolve) => {
      this.appliedWaiters.push(resolve);
      this.checkApplied();
    });
  }

  private changed(): void {
    for (const reader of this.readers) reader.behind = true;
    for (const reader of [...this.readers]) reader.changed();
  }

  private checkApplied(): void {
    if ([...this.readers].some((r) => r.behind)) return;
    const waiters = this.appliedWaiters;
    this.appliedWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
