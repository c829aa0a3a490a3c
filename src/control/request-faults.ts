// Faults a test injects into a broker's request path and its connections, each a given number of
// times or always, each counting how often it fired:
// - error: answer an API (optionally only requests naming a topic, partition or group) with an
//   error code, and/or after a delay;
// - drop-connection: close the connection of such a request before it is handled, or after it is
//   handled (a produce is appended) without sending the response;
// - black-hole: answer nothing at all; requests on new and existing connections are read and
//   dropped, the connections stay open (count = requests swallowed);
// - refuse-connections: new connections are reset (TCP RST) the moment they are accepted, unread
//   (count = connections refused). A client sees what a down broker gives it, a connection error,
//   but as ECONNRESET rather than ECONNREFUSED: a refusal the kernel makes never reaches the
//   process, so it could be neither counted nor ended after a count.
// When several faults apply, the first injected fires. The dispatcher asks `match` once per request
// and the socket server `matchConnection` once per accepted connection; each pays one emptiness
// check when no fault is set. `inject` validates its spec fully (it may come from JSON): anything
// amiss is a RangeError saying what.

/** Which requests a fault applies to. */
interface RequestScope {
  /** The API key (Kafka's numbers: 0 Produce, 1 Fetch, 3 Metadata ...). */
  apiKey: number;
  /** Only requests naming this topic (and partition) or group. */
  topic?: string;
  partition?: number;
  group?: string;
}

interface Repetition {
  /** How many times it fires; "always" (until removed) by default. */
  count?: number | 'always';
  /**
   * error, drop-connection: wait this long before handling the request (or before answering with
   * the error, or closing before handling); refuse-connections: hold each connection this long
   * before resetting it; black-hole: go dark this long after being injected.
   */
  delayMs?: number;
}

/** The original fault: no kind, or "error". */
export interface ErrorFaultSpec extends RequestScope, Repetition {
  kind?: 'error';
  /** The error code to answer with; none means the request is only delayed. */
  errorCode?: number;
}

export interface DropConnectionFaultSpec extends RequestScope, Repetition {
  kind: 'drop-connection';
  /** Before the request is handled, or after (its response is never sent). */
  when: 'before' | 'after';
}

export interface BlackHoleFaultSpec extends Repetition {
  kind: 'black-hole';
}

export interface RefuseConnectionsFaultSpec extends Repetition {
  kind: 'refuse-connections';
}

export type FaultSpec = ErrorFaultSpec | DropConnectionFaultSpec | BlackHoleFaultSpec | RefuseConnectionsFaultSpec;

/** What a request triggers, its kind always set. */
export type RequestFault = (ErrorFaultSpec & { kind: 'error' }) | DropConnectionFaultSpec | BlackHoleFaultSpec;

type StoredSpec = RequestFault | RefuseConnectionsFaultSpec;

export interface Fault {
  readonly id: number;
  /** The spec as injected, with its kind filled in. */
  readonly spec: FaultSpec;
  /** How many requests (or connections) it applied to so far. */
  readonly fired: number;
  /** How many it still applies to, or "always". */
  readonly remaining: number | 'always';
}

/** Thrown by the dispatcher for a drop-connection fault: the connection closes without answering. */
export class InjectedConnectionDrop extends Error {}

interface ActiveFault {
  id: number;
  spec: StoredSpec;
  fired: number;
  remaining: number | 'always';
  /** When a delayed black hole starts swallowing, in `now` milliseconds; 0 for at once. */
  from: number;
}

export class RequestFaults {
  private readonly active: ActiveFault[] = [];
  private nextId = 1;

  constructor(private readonly now: () => number = () => performance.now()) {}

  inject(spec: FaultSpec): Fault {
    const checked = validated(spec);
    const from = checked.kind === 'black-hole' && checked.delayMs ? this.now() + checked.delayMs : 0;
    const fault: ActiveFault = { id: this.nextId++, spec: checked, fired: 0, remaining: checked.count ?? 'always', from };
    this.active.push(fault);
    return this.view(fault);
  }

  /** The faults still set, with their counts. */
  list(): Fault[] {
    return this.active.map((f) => this.view(f));
  }

  remove(id: number): boolean {
    const i = this.active.findIndex((f) => f.id === id);
    if (i >= 0) this.active.splice(i, 1);
    return i >= 0;
  }

  clear(): void {
    this.active.length = 0;
  }

  /** The fault this request triggers, counted as fired (and gone once its count is used up), or null. */
  match(apiKey: number, request: unknown, topicName: TopicNames = NO_TOPIC_IDS): RequestFault | null {
    if (this.active.length === 0) return null;
    const fault = this.active.find((f) => this.applies(f.spec, f.from, apiKey, request, topicName));
    return fault ? (this.fire(fault) as RequestFault) : null;
  }

  /** The refuse-connections fault a newly accepted connection triggers, counted as fired, or null. */
  matchConnection(): RefuseConnectionsFaultSpec | null {
    if (this.active.length === 0) return null;
    const fault = this.active.find((f) => f.spec.kind === 'refuse-connections');
    return fault ? (this.fire(fault) as RefuseConnectionsFaultSpec) : null;
  }

  private applies(spec: StoredSpec, from: number, apiKey: number, request: unknown, topicName: TopicNames): boolean {
    switch (spec.kind) {
      case 'refuse-connections':
        return false;
      case 'black-hole':
        return from === 0 || this.now() >= from;
      default:
        return spec.apiKey === apiKey && names(spec, request, topicName);
    }
  }

  private fire(fault: ActiveFault): StoredSpec {
    fault.fired++;
    if (fault.remaining !== 'always' && --fault.remaining === 0) this.active.splice(this.active.indexOf(fault), 1);
    return fault.spec;
  }

  private view(f: ActiveFault): Fault {
    return {
      id: f.id,
      spec: f.spec,
      get fired() {
        return f.fired;
      },
      get remaining() {
        return f.remaining;
      },
    };
  }
}

const SCOPE = ['apiKey', 'topic', 'partition', 'group'];
const REPETITION = ['count', 'delayMs'];
const FIELDS: Record<StoredSpec['kind'], readonly string[]> = {
  error: ['kind', ...SCOPE, ...REPETITION, 'errorCode'],
  'drop-connection': ['kind', ...SCOPE, ...REPETITION, 'when'],
  'black-hole': ['kind', ...REPETITION],
  'refuse-connections': ['kind', ...REPETITION],
};

/** setTimeout's longest delay; a longer one would fire at once. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/** A copy of the spec with its kind set and its undefined fields left out, or a RangeError on anything amiss. */
function validated(input: unknown): StoredSpec {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new RangeError(`a fault spec must be an object, not ${describe(input)}`);
  const raw = input as Record<string, unknown>;
  const kind = raw.kind ?? 'error';
  if (typeof kind !== 'string' || !Object.hasOwn(FIELDS, kind)) throw new RangeError(`unknown fault kind ${describe(kind)}: one of ${Object.keys(FIELDS).join(', ')}`);
  const allowed = FIELDS[kind as StoredSpec['kind']];
  const spec: Record<string, unknown> = { kind };
  for (const [field, value] of Object.entries(raw)) {
    if (!allowed.includes(field)) throw new RangeError(`the ${kind} fault has no field "${field}" (its fields: ${allowed.join(', ')})`);
    if (value !== undefined && field !== 'kind') spec[field] = value;
  }
  const { apiKey, errorCode, topic, partition, group, delayMs, count, when } = spec;
  if (allowed.includes('apiKey')) {
    if (apiKey === undefined) throw new RangeError(`the ${kind} fault needs an apiKey`);
    integer('apiKey', apiKey, 0, 32767);
  }
  if (errorCode !== undefined) integer('errorCode', errorCode, -32768, 32767);
  if (topic !== undefined) text('topic', topic);
  if (group !== undefined) text('group', group);
  if (partition !== undefined) {
    integer('partition', partition, 0, 2 ** 31 - 1);
    if (topic === undefined) throw new RangeError('a fault on a partition needs its topic');
  }
  if (delayMs !== undefined && !(typeof delayMs === 'number' && delayMs >= 0 && delayMs <= MAX_DELAY_MS)) {
    throw new RangeError(`delayMs must be a number of milliseconds from 0 to ${MAX_DELAY_MS}, not ${describe(delayMs)}`);
  }
  if (count !== undefined && count !== 'always' && !(Number.isSafeInteger(count) && (count as number) > 0)) {
    throw new RangeError(`count must be a positive integer or "always", not ${describe(count)}`);
  }
  if (kind === 'drop-connection' && when !== 'before' && when !== 'after') throw new RangeError(`a drop-connection fault needs when: "before" or "after", not ${describe(when)}`);
  return spec as unknown as StoredSpec;
}

function integer(field: string, value: unknown, min: number, max: number): void {
  if (!(Number.isInteger(value) && (value as number) >= min && (value as number) <= max)) throw new RangeError(`${field} must be an integer from ${min} to ${max}, not ${describe(value)}`);
}

function text(field: string, value: unknown): void {
  if (typeof value !== 'string' || value === '') throw new RangeError(`${field} must be a non-empty string, not ${describe(value)}`);
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : value === undefined ? 'none' : Array.isArray(value) ? 'an array' : String(value);
}

/** A topic's name from its id, for requests that name topics by id (Fetch v13+). */
export type TopicNames = (topicId: string) => string | undefined;

const NO_TOPIC_IDS: TopicNames = () => undefined;

/** Whether the request names the fault's topic, partition and group (each when set). */
function names(spec: RequestScope, request: unknown, topicName: TopicNames): boolean {
  const body = request as Record<string, unknown>;
  if (spec.group !== undefined && groupOf(body) !== spec.group) return false;
  if (spec.topic === undefined) return true;
  const topics = Array.isArray(body.topics) ? (body.topics as Record<string, unknown>[]) : Array.isArray(body.topicData) ? (body.topicData as Record<string, unknown>[]) : [];
  return topics.some((t) => nameOf(t, topicName) === spec.topic && (spec.partition === undefined || partitionsOf(t).includes(spec.partition)));
}

function nameOf(topic: Record<string, unknown>, topicName: TopicNames): unknown {
  const named = topic.name ?? topic.topic;
  if (typeof named === 'string' && named !== '') return named;
  return typeof topic.topicId === 'string' ? topicName(topic.topicId) : named;
}

function groupOf(body: Record<string, unknown>): unknown {
  if (body.groupId !== undefined) return body.groupId;
  if (Array.isArray(body.groups)) return (body.groups[0] as Record<string, unknown> | undefined)?.groupId;
  return body.key;
}

function partitionsOf(topic: Record<string, unknown>): number[] {
  const listed = (topic.partitions ?? topic.partitionData ?? topic.partitionIndexes) as unknown;
  if (!Array.isArray(listed)) return [];
  return listed.map((p) => (typeof p === 'number' ? p : Number((p as Record<string, unknown>).partitionIndex ?? (p as Record<string, unknown>).partition ?? (p as Record<string, unknown>).index)));
}
