// Faults a test injects into a broker's request path: answer an API with an error code (optionally
// only requests naming a topic, partition or group), after an optional delay, a given number of times
// or always; each fault counts how often it fired. The dispatcher asks `match` once per request,
// and pays one emptiness check when no fault is set.

export interface FaultSpec {
  /** The API key the fault applies to (Kafka's numbers: 0 Produce, 1 Fetch, 3 Metadata ...). */
  apiKey: number;
  /** The error code to answer with; none means the request is only delayed. */
  errorCode?: number;
  /** Only requests naming this topic (and partition) or group. */
  topic?: string;
  partition?: number;
  group?: string;
  /** Wait this long before answering (or before handling, without an error code). */
  delayMs?: number;
  /** How many requests it applies to; "always" by default. */
  count?: number | 'always';
}

export interface Fault {
  readonly id: number;
  readonly spec: FaultSpec;
  /** How many requests it applied to so far. */
  readonly fired: number;
  /** Requests it still applies to, or "always". */
  readonly remaining: number | 'always';
}

interface ActiveFault {
  id: number;
  spec: FaultSpec;
  fired: number;
  remaining: number | 'always';
}

export class RequestFaults {
  private readonly active: ActiveFault[] = [];
  private nextId = 1;

  inject(spec: FaultSpec): Fault {
    const count = spec.count ?? 'always';
    if (count !== 'always' && !(Number.isInteger(count) && count > 0)) throw new RangeError(`count must be a positive integer or "always", not ${count}`);
    const fault: ActiveFault = { id: this.nextId++, spec: { ...spec }, fired: 0, remaining: count };
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
  match(apiKey: number, request: unknown): FaultSpec | null {
    if (this.active.length === 0) return null;
    const fault = this.active.find((f) => f.spec.apiKey === apiKey && names(f.spec, request));
    if (!fault) return null;
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

/** Whether the request names the fault's topic, partition and group (each when set). */
function names(spec: FaultSpec, request: unknown): boolean {
  const body = request as Record<string, unknown>;
  if (spec.group !== undefined && groupOf(body) !== spec.group) return false;
  if (spec.topic === undefined) return true;
  const topics = Array.isArray(body.topics) ? (body.topics as Record<string, unknown>[]) : Array.isArray(body.topicData) ? (body.topicData as Record<string, unknown>[]) : [];
  return topics.some((t) => (t.name ?? t.topic) === spec.topic && (spec.partition === undefined || partitionsOf(t).includes(spec.partition)));
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
