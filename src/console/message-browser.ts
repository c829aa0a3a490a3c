// The message browser behind GET /api/topics/:name/messages: one page of at most `limit` matching
// records across the chosen partitions, read in chunks with Fetch at each leader, never a whole
// partition. A page spans, per partition, an offset range [low, high); its `prev` cursor reads
// backwards from the lows and its `next` cursor forwards from the highs, so paging either way
// shows every matching record once. Partitions are merged by timestamp (a k-way merge that keeps
// each partition's offset order, so a trimmed page resumes exactly). Each call stops at a time and
// a byte budget and says so; the cursors still resume where it stopped.

import { ClusterClient } from '../client/cluster-client';
import { badRequest } from './api-error';
import { PartitionBounds, PartitionReader } from './partition-reader';
import { RecordFilter } from './record-filter';
import { Decoding, RecordView, recordView } from './record-view';
import type { ConsumerRecord } from '../client/fetched-records';

export interface Budget {
  timeMs: number;
  bytes: number;
}

export const DEFAULT_BUDGET: Budget = { timeMs: 2000, bytes: 16 * 1024 * 1024 };
const MAX_FETCH_BYTES = 1024 * 1024;
const MAX_WINDOW = 100_000;

export type Start = { kind: 'earliest' } | { kind: 'latest' } | { kind: 'offset'; offset: number } | { kind: 'timestamp'; timestamp: number };

interface Cursor {
  direction: 'next' | 'prev';
  offsets: Map<number, number>;
}

export interface BrowseRequest {
  topic: string;
  partitions: number[] | null;
  start: Start;
  limit: number;
  cursor: string | null;
  filter: RecordFilter;
  decoding: Decoding;
  readCommitted: boolean;
}

export interface BrowsePage {
  records: RecordView[];
  next: string | null;
  prev: string | null;
  scanned: number;
  budget: { cut: false } | { cut: true; reason: 'time' | 'bytes' };
}

interface Matched {
  record: ConsumerRecord;
  compression: string;
}

export function parseStart(text: string | null): Start {
  if (text === null || text === '' || text === 'latest') return { kind: 'latest' };
  if (text === 'earliest') return { kind: 'earliest' };
  const m = /^(offset|timestamp):(.*)$/.exec(text);
  if (m && /^\d+$/.test(m[2].trim())) return m[1] === 'offset' ? { kind: 'offset', offset: Number(m[2]) } : { kind: 'timestamp', timestamp: Number(m[2]) };
  if (m) throw badRequest(`Invalid ${m[1]} ${JSON.stringify(m[2])}: it must be a non-negative whole number`);
  throw badRequest(`Invalid start ${JSON.stringify(text)}: use earliest, latest, offset:N or timestamp:MS`);
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify({ d: c.direction, o: Object.fromEntries(c.offsets) })).toString('base64url');
}

export function decodeCursor(text: string): Cursor {
  try {
    const raw = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { d?: unknown; o?: Record<string, unknown> };
    if ((raw.d !== 'next' && raw.d !== 'prev') || typeof raw.o !== 'object' || raw.o === null) throw new Error('shape');
    const offsets = new Map<number, number>();
    for (const [p, o] of Object.entries(raw.o)) {
      if (!/^\d+$/.test(p) || typeof o !== 'number' || !Number.isSafeInteger(o) || o < 0) throw new Error('offset');
      offsets.set(Number(p), o);
    }
    return { direction: raw.d, offsets };
  } catch {
    throw badRequest('Invalid cursor: use a cursor from a previous answer');
  }
}

export async function browse(client: ClusterClient, req: BrowseRequest, budget: Budget = DEFAULT_BUDGET): Promise<BrowsePage> {
  const reader = new PartitionReader(client, req.topic, req.readCommitted);
  const cursor = req.cursor === null ? null : decodeCursor(req.cursor);
  const leaders = await reader.leaders(cursor ? [...cursor.offsets.keys()] : req.partitions);
  const bounds = await reader.bounds(leaders);
  const clamp = (b: PartitionBounds, o: number) => Math.min(Math.max(o, b.start), b.end);
  let from: Map<number, number>;
  let forward: boolean;
  if (cursor) {
    forward = cursor.direction === 'next';
    from = new Map(bounds.map((b) => [b.partition, clamp(b, cursor.offsets.get(b.partition)!)]));
  } else if (req.start.kind === 'latest' || req.start.kind === 'earliest') {
    forward = req.start.kind === 'earliest';
    from = new Map(bounds.map((b) => [b.partition, forward ? b.start : b.end]));
  } else if (req.start.kind === 'offset') {
    const offset = req.start.offset;
    forward = true;
    from = new Map(bounds.map((b) => [b.partition, clamp(b, offset)]));
  } else {
    forward = true;
    const found = await reader.offsetsFor(leaders, BigInt(req.start.timestamp));
    from = new Map(bounds.map((b) => [b.partition, clamp(b, (found.get(b.partition) ?? -1) < 0 ? b.end : found.get(b.partition)!)]));
  }
  const scan = new Scan(reader, bounds, req, budget);
  const { low, high, records } = forward ? await scan.forward(from) : await scan.backward(from);
  const atStart = bounds.every((b) => low.get(b.partition)! <= b.start);
  const atEnd = bounds.every((b) => high.get(b.partition)! >= b.end);
  return {
    records: records.map((m) => recordView(m.record, m.compression, req.decoding)),
    prev: atStart ? null : encodeCursor({ direction: 'prev', offsets: low }),
    next: atEnd ? null : encodeCursor({ direction: 'next', offsets: high }),
    scanned: scan.scanned,
    budget: scan.cut === null ? { cut: false } : { cut: true, reason: scan.cut },
  };
}

/** One call's reading: what it scanned, the bytes and time it used, and why it stopped early. */
class Scan {
  scanned = 0;
  cut: 'time' | 'bytes' | null = null;
  private bytes = 0;
  private readonly startedAt = Date.now();

  constructor(
    private readonly reader: PartitionReader,
    private readonly bounds: readonly PartitionBounds[],
    private readonly req: BrowseRequest,
    private readonly budget: Budget,
  ) {}

  /** From each partition's offset upwards until `limit` records match. */
  async forward(from: Map<number, number>): Promise<{ low: Map<number, number>; high: Map<number, number>; records: Matched[] }> {
    const pos = new Map(from);
    const matched = new Map<number, Matched[]>(this.bounds.map((b) => [b.partition, []]));
    /** Partitions whose fetch returned nothing below their end: left where they are for the next call. */
    const stalled = new Set<number>();
    for (;;) {
      const active = this.bounds.filter((b) => pos.get(b.partition)! < b.end && !stalled.has(b.partition));
      if (active.length === 0 || total(matched) >= this.req.limit || this.overBudget()) break;
      for (const b of active) {
        if (this.overBudget()) break;
        const at = pos.get(b.partition)!;
        const chunk = await this.reader.fetch(b, at, this.fetchBytes());
        this.bytes += chunk.bytes;
        for (const m of chunk.records) {
          if (m.record.offset >= b.end) break;
          this.scanned++;
          if (this.req.filter(m.record)) matched.get(b.partition)!.push(m);
        }
        if (chunk.nextOffset > at) pos.set(b.partition, Math.min(chunk.nextOffset, b.end));
        else stalled.add(b.partition);
      }
    }
    const records = merge(matched, this.req.limit, (a, b) => a.record.timestamp < b.record.timestamp);
    for (const [p, rest] of matched) if (rest.length > 0) pos.set(p, rest[0].record.offset);
    return { low: from, high: pos, records };
  }

  /** From each partition's offset downwards, in windows of offsets read forwards, until `limit` records match. */
  async backward(from: Map<number, number>): Promise<{ low: Map<number, number>; high: Map<number, number>; records: Matched[] }> {
    const hi = new Map(from);
    const window = new Map(this.bounds.map((b) => [b.partition, Math.max(this.req.limit, 10)]));
    const matched = new Map<number, Matched[]>(this.bounds.map((b) => [b.partition, []]));
    const stalled = new Set<number>();
    for (;;) {
      const active = this.bounds.filter((b) => hi.get(b.partition)! > b.start && !stalled.has(b.partition));
      if (active.length === 0 || total(matched) >= this.req.limit || this.overBudget()) break;
      for (const b of active) {
        if (this.overBudget()) break;
        const top = hi.get(b.partition)!;
        const bottom = Math.max(b.start, top - window.get(b.partition)!);
        const found = await this.readRange(b, bottom, top);
        if (found === 'budget') break;
        if (found === 'stalled') {
          stalled.add(b.partition);
          continue;
        }
        matched.get(b.partition)!.push(...found.reverse());
        hi.set(b.partition, bottom);
        if (found.length < this.req.limit) window.set(b.partition, Math.min(window.get(b.partition)! * 2, MAX_WINDOW));
      }
    }
    const newestFirst = merge(matched, this.req.limit, (a, b) => a.record.timestamp > b.record.timestamp);
    for (const [p, rest] of matched) if (rest.length > 0) hi.set(p, rest[0].record.offset + 1);
    return { low: hi, high: from, records: newestFirst.reverse() };
  }

  /** The matching records in [bottom, top); when the budget runs out or a fetch returns nothing part way, the window is left unread. */
  private async readRange(b: PartitionBounds, bottom: number, top: number): Promise<Matched[] | 'budget' | 'stalled'> {
    const found: Matched[] = [];
    let at = bottom;
    let scanned = 0;
    while (at < top) {
      if (this.overBudget()) return 'budget';
      const chunk = await this.reader.fetch(b, at, this.fetchBytes());
      this.bytes += chunk.bytes;
      for (const m of chunk.records) {
        if (m.record.offset >= top) break;
        scanned++;
        if (this.req.filter(m.record)) found.push(m);
      }
      if (chunk.nextOffset <= at) return 'stalled';
      at = chunk.nextOffset;
    }
    this.scanned += scanned;
    return found;
  }

  private fetchBytes(): number {
    return Math.max(1, Math.min(MAX_FETCH_BYTES, this.budget.bytes - this.bytes));
  }

  private overBudget(): boolean {
    if (this.cut !== null) return true;
    if (this.bytes >= this.budget.bytes) this.cut = 'bytes';
    else if (Date.now() - this.startedAt >= this.budget.timeMs) this.cut = 'time';
    return this.cut !== null;
  }
}

function total(matched: ReadonlyMap<number, Matched[]>): number {
  let n = 0;
  for (const list of matched.values()) n += list.length;
  return n;
}

/** Takes up to `limit` records off the fronts of the per-partition lists, the one `before` the others first (ties by partition); what is left stays in the lists. */
function merge(lists: Map<number, Matched[]>, limit: number, before: (a: Matched, b: Matched) => boolean): Matched[] {
  const out: Matched[] = [];
  const heads = new Map([...lists.keys()].map((p) => [p, 0]));
  while (out.length < limit) {
    let best: number | null = null;
    for (const [p, list] of lists) {
      const i = heads.get(p)!;
      if (i >= list.length) continue;
      if (best === null || before(list[i], lists.get(best)![heads.get(best)!])) best = p;
    }
    if (best === null) break;
    out.push(lists.get(best)![heads.get(best)!]);
    heads.set(best, heads.get(best)! + 1);
  }
  for (const [p, list] of lists) lists.set(p, list.slice(heads.get(p)!));
  return out;
}
