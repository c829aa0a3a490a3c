// Assertions whose messages become a FAIL's detail: short, with what was seen and what was wanted.

import { isDeepStrictEqual } from 'node:util';

function show(v: unknown): string {
  const s = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
  return s === undefined ? String(v) : s.length > 300 ? s.slice(0, 300) + '…' : s;
}

export function check(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

export function checkEqual<T>(actual: T, expected: T, what: string): void {
  if (!isDeepStrictEqual(actual, expected)) throw new Error(`${what}: got ${show(actual)}, want ${show(expected)}`);
}

/** Polls a condition (offsets reached, group stable) until it holds or the limit passes. */
export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A split group: each member read exactly `perMember` records, all of them from the partitions it owns. */
export function checkSplitReads(members: { seen: readonly { partition?: number }[]; partitions: readonly number[] }[], perMember: number): void {
  for (const m of members) {
    checkEqual<readonly (number | undefined)[]>([...new Set(m.seen.map((s) => s.partition))], m.partitions, 'partitions a member read');
    checkEqual(m.seen.length, perMember, 'records a member read');
  }
}
