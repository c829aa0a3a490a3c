// Long-poll fetches waiting for data. Waiters are indexed by partition, so an append wakes only the
// fetches that asked for that partition; nothing scans the whole set of waiting fetches. Consumers
// wait for the high watermark to move (`key`), followers for the log end (`replicaKey`).

import { Clock, Timer, realClock } from '../clock';

/** What Fetch handlers wait on. */
export interface FetchWaiting {
  wait(keys: readonly string[], neededBytes: number, timeoutMs: number): { done: Promise<void>; cancel: () => void };
  /** Set once the broker shuts down: fetches answer with what they have. */
  readonly closed: boolean;
}

interface Waiter {
  needed: number;
  keys: readonly string[];
  done: () => void;
}

export class FetchWaiters implements FetchWaiting {
  closed = false;
  private readonly byPartition = new Map<string, Set<Waiter>>();
  private readonly all = new Set<Waiter>();

  constructor(private readonly clock: Clock = realClock) {}

  static key(topic: string, partition: number): string {
    return `${topic}\u0000${partition}`;
  }

  static replicaKey(topic: string, partition: number): string {
    return `${topic}\u0000${partition}\u0000replica`;
  }

  /**
   * Resolves once `neededBytes` have been appended across `keys` (counted from this call), at the
   * deadline, or when the broker wakes everyone for shutdown. Returns a cancel function alongside.
   */
  wait(keys: readonly string[], neededBytes: number, timeoutMs: number): { done: Promise<void>; cancel: () => void } {
    let waiter!: Waiter;
    let timer: Timer | undefined;
    const done = new Promise<void>((resolve) => {
      waiter = {
        needed: neededBytes,
        keys,
        done: () => {
          timer?.cancel();
          this.remove(waiter);
          resolve();
        },
      };
    });
    timer = this.clock.setTimeout(waiter.done, Math.max(0, timeoutMs));
    this.all.add(waiter);
    for (const k of keys) {
      let set = this.byPartition.get(k);
      if (!set) this.byPartition.set(k, (set = new Set()));
      set.add(waiter);
    }
    return { done, cancel: waiter.done };
  }

  /** Called after bytes were appended (or became visible) in a partition. */
  appended(key: string, bytes: number): void {
    const set = this.byPartition.get(key);
    if (!set) return;
    for (const w of [...set]) {
      w.needed -= bytes;
      if (w.needed <= 0) w.done();
    }
  }

  /** Completes every fetch waiting on the key now (its high watermark moved). */
  wake(key: string): void {
    for (const w of [...(this.byPartition.get(key) ?? [])]) w.done();
  }

  /** Shutdown: every waiting fetch completes now, and later ones do not wait. */
  close(): void {
    this.closed = true;
    this.wakeAll();
  }

  /** Completes every waiting fetch now. */
  wakeAll(): void {
    for (const w of [...this.all]) w.done();
  }

  private remove(w: Waiter): void {
    if (!this.all.delete(w)) return;
    for (const k of w.keys) {
      const set = this.byPartition.get(k);
      if (!set) continue;
      set.delete(w);
      if (set.size === 0) this.byPartition.delete(k);
    }
  }
}
