// Kafka's RequestMetrics: requests by type and version, and the six request times by type
// (RequestQueueTimeMs, LocalTimeMs, RemoteTimeMs, ResponseQueueTimeMs, ResponseSendTimeMs,
// TotalTimeMs). The connection and the dispatcher note a request's moments in its RequestTiming;
// once the response is written the connection records them all at once, which only indexes arrays
// and adds numbers. As Kafka does, a Fetch is also timed as FetchConsumer or FetchFollower.

import { API_BY_KEY, Apis } from '../../protocol';
import { LatencyHistogram } from './latency-histogram';

/** A request's moments, in performance.now() milliseconds. */
export interface RequestTiming {
  /** -1 until the dispatcher read the header; a request refused before that is not timed. */
  apiKey: number;
  version: number;
  /** A Fetch from a follower. */
  follower: boolean;
  received: number;
  /** The handler started (after decoding). */
  started: number;
  /** The handler returned (its first wait, for an async one). */
  handled: number;
  /** The response was ready. */
  answered: number;
}

export function requestTiming(received: number): RequestTiming {
  return { apiKey: -1, version: 0, follower: false, received, started: received, handled: received, answered: received };
}

export interface RequestMetrics {
  /** The response's turn came at `turn` (responses leave in request order) and it was written. */
  responded(timing: RequestTiming, turn: number): void;
}

export const REQUEST_TIMES = ['RequestQueueTimeMs', 'LocalTimeMs', 'RemoteTimeMs', 'ResponseQueueTimeMs', 'ResponseSendTimeMs', 'TotalTimeMs'] as const;

/** One request type's times, in REQUEST_TIMES order. */
export type RequestTimes = readonly LatencyHistogram[];

const MAX_API_KEY = 127;
const FETCH_CONSUMER = MAX_API_KEY + 1;
const FETCH_FOLLOWER = MAX_API_KEY + 2;
const REQUEST_TYPES = MAX_API_KEY + 3;
const VERSIONS = 32;

/** Kafka's request label: the API's name, or FetchConsumer / FetchFollower. */
export function requestName(type: number): string {
  if (type === FETCH_CONSUMER) return 'FetchConsumer';
  if (type === FETCH_FOLLOWER) return 'FetchFollower';
  return API_BY_KEY.get(type)?.name ?? String(type);
}

export class RequestStats implements RequestMetrics {
  /** Requests by type · VERSIONS + version. */
  private readonly counts = new Float64Array(REQUEST_TYPES * VERSIONS);
  private readonly times: (LatencyHistogram[] | undefined)[] = [];

  responded(timing: RequestTiming, turn: number): void {
    if (timing.apiKey < 0 || timing.apiKey > MAX_API_KEY) return;
    const now = performance.now();
    this.record(timing.apiKey, timing, turn, now);
    if (timing.apiKey === Apis.Fetch.apiKey) this.record(timing.follower ? FETCH_FOLLOWER : FETCH_CONSUMER, timing, turn, now);
  }

  /** [request type, version, count] of every type and version seen. */
  requestCounts(): [number, number, number][] {
    const out: [number, number, number][] = [];
    this.counts.forEach((count, i) => {
      if (count > 0) out.push([Math.floor(i / VERSIONS), i % VERSIONS, count]);
    });
    return out;
  }

  /** [request type, times] of every type seen. */
  requestTimes(): [number, RequestTimes][] {
    const out: [number, RequestTimes][] = [];
    this.times.forEach((t, type) => t && out.push([type, t]));
    return out;
  }

  private record(type: number, t: RequestTiming, turn: number, now: number): void {
    this.counts[type * VERSIONS + Math.min(t.version, VERSIONS - 1)]++;
    let h = this.times[type];
    if (!h) this.times[type] = h = REQUEST_TIMES.map(() => new LatencyHistogram(now));
    h[0].record(t.started - t.received, now);
    h[1].record(t.handled - t.started, now);
    h[2].record(t.answered - t.handled, now);
    h[3].record(turn - t.answered, now);
    h[4].record(now - turn, now);
    h[5].record(now - t.received, now);
  }
}

export const NO_REQUEST_METRICS: RequestMetrics = { responded: () => undefined };
