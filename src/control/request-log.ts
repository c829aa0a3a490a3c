// A broker's log of its last N requests: API, version, client, principal, listener, sizes, latency
// and the error codes answered, kept in a ring buffer of fixed capacity, readable with a filter
// (client id, API key or Kafka API name) and streamable live to subscribers. Off (capacity 0) by
// default: the dispatcher then checks `enabled` and builds no entry at all.

import { API_BY_KEY } from '../../protocol';

export interface RequestLogEntry {
  /** Broker clock milliseconds when the response was ready. */
  time: number;
  apiKey: number;
  /** Kafka's name of the API, e.g. "Produce". */
  api: string;
  version: number;
  correlationId: number;
  clientId: string | null;
  /** e.g. "User:ANONYMOUS". */
  principal: string;
  listener: string;
  /** host:port of the client. */
  remote: string;
  /** The request frame's size, without its 4-byte size prefix. */
  requestBytes: number;
  /** The response frame's size, without its 4-byte size prefix; 0 when there is no response. */
  responseBytes: number;
  /** From the request's arrival to its response being ready. */
  latencyMs: number;
  /** The distinct non-zero error codes in the response; empty when all is well. */
  errorCodes: number[];
}

export interface RequestFilter {
  clientId?: string;
  apiKey?: number;
  /** Kafka's API name, matched case-insensitively ("produce", "Metadata"). */
  api?: string;
}

export type RequestListener = (entry: RequestLogEntry) => void;

/** Bounds what a control-plane caller can ask the broker to hold. */
export const MAX_REQUEST_LOG_CAPACITY = 1_000_000;

const API_KEY_BY_NAME = new Map([...API_BY_KEY.values()].map((spec) => [spec.name.toLowerCase(), spec.apiKey]));

/** A validated filter: what an entry must have (undefined: anything). */
interface Match {
  readonly clientId: string | undefined;
  readonly apiKey: number | undefined;
}

interface Subscriber {
  readonly match: Match;
  readonly listener: RequestListener;
}

export class RequestLog {
  private ring: RequestLogEntry[] = [];
  /** Where the next entry goes once the ring is full (the oldest entry's slot). */
  private next = 0;
  private size = 0;
  private readonly subscribers = new Set<Subscriber>();

  constructor(capacity = 0) {
    this.resize(capacity);
  }

  get capacity(): number {
    return this.ring.length;
  }

  /** How many live subscribers there are. */
  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Whether requests are recorded; subscribers only hear of requests while it is. */
  get enabled(): boolean {
    return this.ring.length > 0;
  }

  /** Keeps the newest `capacity` entries; 0 turns the log off and forgets them all. */
  resize(capacity: number): void {
    if (!Number.isInteger(capacity) || capacity < 0 || capacity > MAX_REQUEST_LOG_CAPACITY) {
      throw new RangeError(`request log capacity must be an integer from 0 to ${MAX_REQUEST_LOG_CAPACITY}, not ${capacity}`);
    }
    const kept = capacity === 0 ? [] : this.ordered().slice(-capacity);
    this.ring = new Array<RequestLogEntry>(capacity);
    kept.forEach((entry, i) => (this.ring[i] = entry));
    this.size = kept.length;
    this.next = capacity === 0 ? 0 : this.size % capacity;
  }

  record(entry: RequestLogEntry): void {
    const capacity = this.ring.length;
    if (capacity === 0) return;
    this.ring[this.next] = entry;
    this.next = (this.next + 1) % capacity;
    if (this.size < capacity) this.size++;
    for (const s of this.subscribers) {
      if (!matches(s.match, entry)) continue;
      // A failing listener must not fail the request it hears of.
      try {
        s.listener(entry);
      } catch {
        this.subscribers.delete(s);
      }
    }
  }

  /** The entries matching `filter`, oldest first; only the newest `limit` of them when given. */
  entries(filter: RequestFilter = {}, limit?: number): RequestLogEntry[] {
    const match = compile(filter);
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) throw new RangeError(`limit must be a non-negative integer, not ${limit}`);
    const found = this.ordered().filter((e) => matches(match, e));
    return limit === undefined ? found : found.slice(found.length - Math.min(limit, found.length));
  }

  /**
   * Hands each later entry matching `filter` to `listener`, until the returned function is called.
   * A listener that throws is unsubscribed.
   */
  subscribe(filter: RequestFilter, listener: RequestListener): () => void {
    const subscriber: Subscriber = { match: compile(filter), listener };
    this.subscribers.add(subscriber);
    return () => {
      this.subscribers.delete(subscriber);
    };
  }

  /** Forgets every entry; capacity and subscribers stay. */
  clear(): void {
    this.ring = new Array<RequestLogEntry>(this.ring.length);
    this.next = 0;
    this.size = 0;
  }

  private ordered(): RequestLogEntry[] {
    if (this.size < this.ring.length) return this.ring.slice(0, this.size);
    return [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }
}

/** Checks a filter as it may come from a query string: known keys, a known API, consistent API and key. */
function compile(filter: RequestFilter): Match {
  if (typeof filter !== 'object' || filter === null) throw new TypeError('a request filter must be an object');
  for (const key of Object.keys(filter)) {
    if (key !== 'clientId' && key !== 'apiKey' && key !== 'api') throw new RangeError(`unknown request filter "${key}" (clientId, apiKey or api)`);
  }
  const { clientId, apiKey, api } = filter;
  if (clientId !== undefined && typeof clientId !== 'string') throw new TypeError(`clientId must be a string, not ${typeof clientId}`);
  if (apiKey !== undefined && !(Number.isInteger(apiKey) && API_BY_KEY.has(apiKey))) throw new RangeError(`unknown API key ${apiKey}`);
  let key = apiKey;
  if (api !== undefined) {
    const named = typeof api === 'string' ? API_KEY_BY_NAME.get(api.toLowerCase()) : undefined;
    if (named === undefined) throw new RangeError(`unknown API "${api}"`);
    if (apiKey !== undefined && apiKey !== named) throw new RangeError(`API "${api}" is key ${named}, not ${apiKey}`);
    key = named;
  }
  return { clientId, apiKey: key };
}

function matches(match: Match, entry: RequestLogEntry): boolean {
  return (match.apiKey === undefined || entry.apiKey === match.apiKey) && (match.clientId === undefined || entry.clientId === match.clientId);
}
