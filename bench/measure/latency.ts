// Latency percentiles from Node's HDR histogram (3 significant digits), recorded in microseconds.

import { RecordableHistogram, createHistogram } from 'node:perf_hooks';

export interface Percentiles {
  p50: number;
  p99: number;
  p999: number;
}

export class LatencyRecorder {
  private readonly histogram: RecordableHistogram = createHistogram();

  recordMs(ms: number): void {
    this.histogram.record(Math.max(1, Math.round(ms * 1000)));
  }

  /** In milliseconds. */
  percentiles(): Percentiles {
    const at = (p: number) => this.histogram.percentile(p) / 1000;
    return { p50: at(50), p99: at(99), p999: at(99.9) };
  }
}
