// The "consumer" protocol type's payloads that group members exchange through JoinGroup and
// SyncGroup (Kafka's ConsumerProtocolSubscription and ConsumerProtocolAssignment, written at
// version 0, which every later version extends), and Kafka's RangeAssignor, which the leader runs.

export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

class Writer {
  private readonly parts: Buffer[] = [];

  int16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    this.parts.push(b);
    return this;
  }

  int32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    this.parts.push(b);
    return this;
  }

  string(s: string): this {
    const bytes = Buffer.from(s, 'utf8');
    this.int16(bytes.length);
    this.parts.push(bytes);
    return this;
  }

  nullBytes(): this {
    return this.int32(-1);
  }

  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

class Reader {
  private pos = 0;

  constructor(private readonly buf: Buffer) {}

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new Error('malformed consumer protocol payload');
  }

  int16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  int32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  string(): string {
    const length = this.int16();
    this.need(length);
    const s = this.buf.toString('utf8', this.pos, this.pos + length);
    this.pos += length;
    return s;
  }
}

/** A member's JoinGroup metadata: the topics it subscribes to. */
export function encodeSubscription(topics: readonly string[]): Buffer {
  const w = new Writer().int16(0).int32(topics.length);
  for (const t of topics) w.string(t);
  return w.nullBytes().done();
}

/** The topics of a member's JoinGroup metadata (any version: they all start alike). */
export function decodeSubscription(metadata: Buffer): string[] {
  const r = new Reader(metadata);
  r.int16();
  const count = r.int32();
  const topics: string[] = [];
  for (let i = 0; i < count; i++) topics.push(r.string());
  return topics;
}

export function encodeAssignment(assigned: readonly TopicPartitions[]): Buffer {
  const w = new Writer().int16(0).int32(assigned.length);
  for (const { topic, partitions } of assigned) {
    w.string(topic).int32(partitions.length);
    for (const p of partitions) w.int32(p);
  }
  return w.nullBytes().done();
}

/** The partitions a SyncGroup answer assigns; an empty payload (no assignment) is none. */
export function decodeAssignment(assignment: Buffer): TopicPartitions[] {
  if (assignment.length === 0) return [];
  const r = new Reader(assignment);
  r.int16();
  const count = r.int32();
  const out: TopicPartitions[] = [];
  for (let i = 0; i < count; i++) {
    const topic = r.string();
    const n = r.int32();
    const partitions: number[] = [];
    for (let j = 0; j < n; j++) partitions.push(r.int32());
    out.push({ topic, partitions });
  }
  return out;
}

/**
 * Kafka's RangeAssignor: per topic, its subscribers sorted by member id each take a contiguous range
 * of partitions, the first (partitions mod subscribers) of them one more.
 */
export function rangeAssign(
  members: readonly { memberId: string; topics: readonly string[] }[],
  partitionCounts: ReadonlyMap<string, number>,
): Map<string, TopicPartitions[]> {
  const result = new Map<string, TopicPartitions[]>(members.map((m) => [m.memberId, []]));
  const topics = [...new Set(members.flatMap((m) => m.topics))].sort();
  for (const topic of topics) {
    const count = partitionCounts.get(topic);
    if (count === undefined) continue;
    const subscribers = members
      .filter((m) => m.topics.includes(topic))
      .map((m) => m.memberId)
      .sort();
    const per = Math.floor(count / subscribers.length);
    const extra = count % subscribers.length;
    subscribers.forEach((memberId, i) => {
      const start = per * i + Math.min(i, extra);
      const length = per + (i < extra ? 1 : 0);
      if (length === 0) return;
      result.get(memberId)!.push({ topic, partitions: Array.from({ length }, (_, k) => start + k) });
    });
  }
  return result;
}
