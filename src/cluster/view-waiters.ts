// Waiting for the cluster view to reach a state (leaders elected, a topic deleted, leadership moved
// away): checked again after every change its owner reports, given up at a deadline on the clock.

import { Clock } from '../clock';

export class ViewWaiters {
  private waiting = new Set<() => void>();
  private closed = false;

  constructor(private readonly clock: Clock) {}

  /** Resolves once `ready()` holds, checked after each change, or after `timeoutMs`, or at close. */
  waitFor(ready: () => boolean, timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const check = () => {
        if (!ready() && !this.closed) return;
        finish();
      };
      const finish = () => {
        timer.cancel();
        this.waiting.delete(check);
        resolve();
      };
      const timer = this.clock.setTimeout(finish, Math.max(0, timeoutMs));
      this.waiting.add(check);
      check();
    });
  }

  /** The view changed: every waiter checks its condition. */
  changed(): void {
    for (const check of [...this.waiting]) check();
  }

  close(): void {
    this.closed = true;
    this.changed();
  }
}
