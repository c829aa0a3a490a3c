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

/**
 * group-leave, after a split of a two-partition topic: once one member leaves, the member that
 * stays owns both partitions and reads the five records then produced to each.
 */
export async function checkTakeover(stays: { seen: readonly { partition?: number }[] }, owned: () => number, leave: () => Promise<unknown>, producePerPartition: () => Promise<unknown>): Promise<void> {
  await leave();
  await waitFor('the remaining member to take both partitions', () => owned() === 2);
  await producePerPartition();
  await waitFor('10 records', () => stays.seen.length >= 10);
  checkEqual([...new Set(stays.seen.map((s) => s.partition))].sort(), [0, 1], 'partitions read after the leave');
}
