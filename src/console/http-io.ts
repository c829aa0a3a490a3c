// Small helpers of the console's HTTP server: JSON answers, a request body read as JSON with a size
// cap, and the typed reading of body fields and query parameters, each bad value a 400 naming it.

import { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest } from './api-error';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

/** The body as JSON ({} when empty); over maxBytes a 400 "too large". */
export async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new ApiError(400, `The request body is too large (over ${maxBytes} bytes)`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('The request body is not valid JSON');
  }
}

/** A JSON object body's fields, read with checks. */
export class Fields {
  private readonly o: Record<string, unknown>;

  constructor(body: unknown) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('The request body must be a JSON object');
    this.o = body as Record<string, unknown>;
  }

  has(name: string): boolean {
    return this.o[name] !== undefined && this.o[name] !== null;
  }

  /** The whole object, for a control that checks its own fields. */
  object(): Record<string, unknown> {
    return { ...this.o };
  }

  raw(name: string): unknown {
    return this.o[name];
  }

  string(name: string): string {
    const v = this.o[name];
    if (typeof v !== 'string' || v === '') throw badRequest(`${name} is required and must be a non-empty string`);
    return v;
  }

  optionalString(name: string): string | null {
    const v = this.o[name];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') throw badRequest(`${name} must be a string`);
    return v;
  }

  int(name: string, min = -Infinity): number {
    const v = this.o[name];
    const n = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min) throw badRequest(`${name} must be a whole number${min > -Infinity ? ` of at least ${min}` : ''}`);
    return n;
  }

  optionalInt(name: string, min = -Infinity): number | null {
    return this.has(name) ? this.int(name, min) : null;
  }

  bool(name: string): boolean {
    const v = this.o[name];
    if (v === undefined || v === null) return false;
    if (typeof v !== 'boolean') throw badRequest(`${name} must be true or false`);
    return v;
  }

  /** An object of string values ({k: v}); {} when absent. */
  stringMap(name: string): Map<string, string> {
    const v = this.o[name];
    if (v === undefined || v === null) return new Map();
    if (typeof v !== 'object' || Array.isArray(v)) throw badRequest(`${name} must be an object of strings`);
    const out = new Map<string, string>();
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean') throw badRequest(`${name}.${k} must be a string`);
      out.set(k, String(x));
    }
    return out;
  }

  stringList(name: string): string[] {
    const v = this.o[name];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw badRequest(`${name} must be a list of strings`);
    return v as string[];
  }
}

/** A query parameter as an integer in a range; absent gives the default. */
export function queryInt(q: URLSearchParams, name: string, dflt: number, min: number, max: number): number {
  const v = q.get(name);
  if (v === null || v === '') return dflt;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw badRequest(`${name} must be a whole number from ${min} to ${max}`);
  return Number(v);
}

/** "0,2" into partition numbers; absent or empty means all (null). */
export function queryPartitions(q: URLSearchParams): number[] | null {
  const v = q.get('partitions');
  if (v === null || v.trim() === '') return null;
  const parts = v.split(',').map((s) => s.trim());
  if (parts.some((p) => !/^\d+$/.test(p))) throw badRequest(`Invalid partitions ${JSON.stringify(v)}: use partition numbers separated by commas`);
  return [...new Set(parts.map(Number))];
}
