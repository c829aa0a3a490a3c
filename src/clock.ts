// The one source of time: "now" and timers for sessions, rebalances, retention, ISR lag and
// expiry. The broker runs on the real clock; tests inject a fake one and move time themselves.

export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `fn` once after `ms`; real timers never keep the process alive. */
  setTimeout(fn: () => void, ms: number): Timer;
  /** Runs `fn` every `ms` until cancelled. */
  setInterval(fn: () => void, ms: number): Timer;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
  setInterval(fn, ms) {
    const t = setInterval(fn, ms);
    t.unref();
    return { cancel: () => clearInterval(t) };
  },
};

/** Resolves after `ms` on the clock: the pause of a retry backoff. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}

interface PendingTimer {
  /** When it falls due, on this clock. */
  at: number;
  fn: () => void;
  /** Repeat period of an interval, 0 for a one-shot timer. */
  every: number;
  /** The real timer that fires it if nobody advances time first. */
  real: ReturnType<typeof setTimeout>;
}

/**
 * Real time plus an offset a test moves forward: everything runs in real time (network waits,
 * long polls), and `advance` jumps ahead, firing at once every timer that the jump makes due, in
 * deadline order (an interval at most once per jump, then on its period from the new now).
 */
export class ControllableClock implements Clock {
  private offset = 0;
  private readonly pending = new Set<PendingTimer>();

  now(): number {
    return Date.now() + this.offset;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    return this.schedule(fn, ms, 0);
  }

  setInterval(fn: () => void, ms: number): Timer {
    return this.schedule(fn, ms, Math.max(1, ms));
  }

  /** How far this clock is ahead of real time. */
  get advancedMs(): number {
    return this.offset;
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`Time only moves forward: ${ms} ms`);
    this.offset += ms;
    const now = this.now();
    const due = [...this.pending].filter((t) => t.at <= now).sort((a, b) => a.at - b.at);
    for (const timer of due) {
      if (!this.pending.has(timer)) continue;
      this.fire(timer);
    }
  }

  private schedule(fn: () => void, ms: number, every: number): Timer {
    const timer: PendingTimer = { at: this.now() + Math.max(0, ms), fn, every, real: undefined as unknown as ReturnType<typeof setTimeout> };
    this.arm(timer);
    return { cancel: () => this.cancel(timer) };
  }

  private arm(timer: PendingTimer): void {
    timer.real = setTimeout(() => this.fire(timer), Math.max(0, timer.at - this.now()));
    timer.real.unref();
    this.pending.add(timer);
  }

  private fire(timer: PendingTimer): void {
    this.cancel(timer);
    if (timer.every > 0) {
      timer.at = this.now() + timer.every;
      this.arm(timer);
    }
    timer.fn();
  }

  private cancel(timer: PendingTimer): void {
    clearTimeout(timer.real);
    this.pending.delete(timer);
  }
}
