// Fake time for in-process tests: timers run only when the test advances time, in deadline order.

import type { Clock, Timer } from '../../src/clock';

interface FakeTimer {
  at: number;
  seq: number;
  fn: () => void;
  /** Repeat period of an interval, 0 for a one-shot timer. */
  every: number;
  cancelled: boolean;
}

export class FakeClock implements Clock {
  private time: number;
  private seq = 0;
  private timers: FakeTimer[] = [];

  constructor(start = 1_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    return this.schedule(fn, ms, 0);
  }

  setInterval(fn: () => void, ms: number): Timer {
    return this.schedule(fn, ms, Math.max(1, ms));
  }

  private schedule(fn: () => void, ms: number, every: number): Timer {
    const timer = { at: this.time + Math.max(0, ms), seq: this.seq++, fn, every, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  /** Moves time forward by `ms`, running each timer that falls due on the way. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.time = due.at;
      if (due.every > 0) due.at += due.every;
      else this.timers.splice(this.timers.indexOf(due), 1);
      due.fn();
    }
    this.time = target;
  }

  get liveTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
}
