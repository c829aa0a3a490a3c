// Kafka's RequestMetrics: requests by type and version, and the six request times by type
// (RequestQueueTimeMs, LocalTimeMs, RemoteTimeMs, ResponseQueueTimeMs, ResponseSendTimeMs,
// TotalTimeMs). The dispatcher reports the handling of each request, the connection its response;
// both only index arrays and add numbers.

import { LatencyHistogram } from './latency-histogram';

/** When a request arrived and when its response was ready, as the connection timed it (performance.now() ms). */
export interface ResponseTiming {
  apiKey: number;
  received: number;
  ready: number;
}

export interface RequestMetrics {
  /** A request was handled: waited `queueMs` to start, ran `localMs` on the event loop, awaited `remoteMs`. */
  handled(apiKey: number, version: number, queueMs: number, localMs: number, remoteMs: number, now: number): void;
  /** Its response's turn came at `turn` (responses leave in request order) and was written. */
  responded(timing: ResponseTiming, turn: number): void;
}

export const REQUEST_TIMES = ['RequestQueueTimeMs', 'LocalTimeMs', 'RemoteTimeMs', 'ResponseQueueTimeMs', 'ResponseSendTimeMs', 'TotalTimeMs'] as const;
export type RequestTime = (typeof REQUEST_TIMES)[number];

/** One API's times, in REQUEST_TIMES order. */
export type ApiTimes = readonly LatencyHistogram[];

const MAX_API_KEY = 127;
const MAX_VERSION = 31;

export class RequestStats implements RequestMetrics {
  /** Requests by apiKey · (MAX_VERSION + 1) + version. */
  private readonly counts = new Float64Array((MAX_API_KEY + 1) * (MAX_VERSION + 1));
  private readonly times: (LatencyHistogram[] | undefined)[] = [];

  handled(apiKey: number, version: number, queueMs: number, localMs: number, remoteMs: number, now: number): void {
    if (apiKey < 0 || apiKey > MAX_API_KEY) return;
    this.counts[apiKey * (MAX_VERSION + 1) + Math.min(version, MAX_VERSION)]++;
    const t = this.timesOf(apiKey, now);
    t[0].record(queueMs, now);
    t[1].record(localMs, now);
    t[2].record(remoteMs, now);
  }

  responded(timing: ResponseTiming, turn: number): void {
    if (timing.apiKey < 0 || timing.apiKey > MAX_API_KEY) return;
    const now = performance.now();
    const t = this.timesOf(timing.apiKey, now);
    t[3].record(turn - timing.ready, now);
    t[4].record(now - turn, now);
    t[5].record(now - timing.received, now);
  }

  /** [apiKey, version, count] of every type and version seen. */
  requestCounts(): [number, number, number][] {
    const out: [number, number, number][] = [];
    this.counts.forEach((count, i) => {
      if (count > 0) out.push([Math.floor(i / (MAX_VERSION + 1)), i % (MAX_VERSION + 1), count]);
    });
    return out;
  }

  /** [apiKey, times] of every type seen. */
  apiTimes(): [number, ApiTimes][] {
    const out: [number, ApiTimes][] = [];
    this.times.forEach((t, apiKey) => t && out.push([apiKey, t]));
    return out;
  }

  private timesOf(apiKey: number, now: number): LatencyHistogram[] {
    let t = this.times[apiKey];
    if (!t) this.times[apiKey] = t = REQUEST_TIMES.map(() => new LatencyHistogram(now));
    return t;
  }
}

export const NO_REQUEST_METRICS: RequestMetrics = {
  handled: () => undefined,
  responded: () => undefined,
};
