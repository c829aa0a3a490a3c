// Kafka's quota sensor: a Rate over a WindowedSum of `samples` windows of `windowMs` each
// (quota.window.num, quota.window.size.seconds), and the throttle time of QuotaUtils. The value is
// recorded first, then the rate checked against the bound, as Sensor.record(value, now, true) does;
// the rate's window is the time since the oldest sample, but never less than samples - 1 whole
// windows, so a fresh sensor does not read a burst as a huge rate. Replication quotas use Kafka's
// SimpleRate instead, whose window is never less than one window.

export interface QuotaWindow {
  samples: number;
  windowMs: number;
}

interface Sample {
  start: number;
  value: number;
}

export class RateSensor {
  private readonly samples: Sample[] = [];
  private current = 0;
  /** When it last recorded: idle sensors are dropped. */
  lastRecordMs = 0;

  /** `simple`: Kafka's SimpleRate (the window is at least one window, not samples - 1). */
  constructor(
    private readonly window: () => QuotaWindow,
    private readonly simple = false,
  ) {}

  record(value: number, now: number): void {
    const { samples, windowMs } = this.window();
    this.lastRecordMs = now;
    let sample = this.currentSample(now);
    if (now - sample.start >= windowMs) {
      this.current = (this.current + 1) % samples;
      if (this.current >= this.samples.length) {
        sample = { start: now, value: 0 };
        this.samples.push(sample);
      } else {
        sample = this.samples[this.current];
        sample.start = now;
        sample.value = 0;
      }
    }
    sample.value += value;
  }

  /** Per second over the rate's window. */
  measure(now: number): number {
    const windowMs = this.windowSize(now);
    let total = 0;
    for (const s of this.samples) total += s.value;
    return total / (windowMs / 1000);
  }

  /**
   * Rate.windowSize: purges expired samples, then the time since the oldest, at least samples - 1
   * windows (SimpleRate: at least one window).
   */
  windowSize(now: number): number {
    const { samples, windowMs } = this.window();
    for (const s of this.samples) {
      if (now - s.start >= samples * windowMs) {
        s.start = now;
        s.value = 0;
      }
    }
    if (this.samples.length === 0) this.samples.push({ start: now, value: 0 });
    let oldest = this.samples[0].start;
    for (const s of this.samples) oldest = Math.min(oldest, s.start);
    let elapsed = now - oldest;
    if (this.simple) return Math.max(elapsed, windowMs);
    const fullWindows = Math.floor(elapsed / windowMs);
    if (fullWindows < samples - 1) elapsed += (samples - 1 - fullWindows) * windowMs;
    return Math.max(elapsed, 1);
  }

  /**
   * Records and checks the bound: 0 within it, else QuotaUtils.throttleTime, the time the rate
   * needs to fall back to the bound: (rate - bound) / bound * window, rounded.
   */
  recordAndThrottle(value: number, bound: number, now: number): number {
    this.record(value, now);
    const rate = this.measure(now);
    if (rate <= bound) return 0;
    const throttle = Math.round(((rate - bound) / bound) * this.windowSize(now));
    return Number.isFinite(throttle) ? Math.min(throttle, INT_MAX) : INT_MAX;
  }

  private currentSample(now: number): Sample {
    if (this.samples.length === 0) this.samples.push({ start: now, value: 0 });
    return this.samples[this.current];
  }
}

const INT_MAX = 2147483647;
