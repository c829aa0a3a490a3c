// A request-time histogram cheap enough for every request: log-spaced buckets (5 % wide) counted in
// two rotating windows, so percentiles describe the last one to two minutes, as Kafka's Yammer
// histograms (exponentially decaying reservoirs) describe recent requests rather than all of them.

const MIN_MS = 0.001;
const GROWTH = 1.05;
const LOG_GROWTH = Math.log(GROWTH);
/** Up to about 10^6 ms: MIN_MS · GROWTH^BUCKETS. */
const BUCKETS = 430;
const WINDOW_MS = 60_000;

export class LatencyHistogram {
  count = 0;
  sum = 0;
  private current = new Uint32Array(BUCKETS);
  private previous = new Uint32Array(BUCKETS);
  private windowStart: number;

  constructor(now: number) {
    this.windowStart = now;
  }

  /** `now` in performance.now() milliseconds, which the caller already has. */
  record(ms: number, now: number): void {
    if (now - this.windowStart >= WINDOW_MS) this.rotate(now);
    this.count++;
    this.sum += ms;
    this.current[bucketOf(ms)]++;
  }

  /** Each quantile (0-1) of the recent window, as the upper edge of its bucket; 0 with nothing recorded. */
  quantiles(qs: readonly number[], now: number): number[] {
    if (now - this.windowStart >= WINDOW_MS) this.rotate(now);
    let total = 0;
    for (let i = 0; i < BUCKETS; i++) total += this.current[i] + this.previous[i];
    if (total === 0) return qs.map(() => 0);
    return qs.map((q) => {
      const rank = Math.max(1, Math.ceil(q * total));
      let seen = 0;
      for (let i = 0; i < BUCKETS; i++) {
        seen += this.current[i] + this.previous[i];
        if (seen >= rank) return upperEdge(i);
      }
      return upperEdge(BUCKETS - 1);
    });
  }

  private rotate(now: number): void {
    // Two windows or more without a request: nothing recent is left.
    const idle = now - this.windowStart >= 2 * WINDOW_MS;
    const emptied = this.previous;
    this.previous = idle ? emptied.fill(0) : this.current;
    this.current = idle ? new Uint32Array(BUCKETS) : emptied.fill(0);
    this.windowStart = now;
  }
}

function bucketOf(ms: number): number {
  if (ms <= MIN_MS) return 0;
  return Math.min(BUCKETS - 1, Math.ceil(Math.log(ms / MIN_MS) / LOG_GROWTH));
}

function upperEdge(bucket: number): number {
  return bucket === 0 ? MIN_MS : MIN_MS * GROWTH ** bucket;
}
