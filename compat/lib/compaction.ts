// compaction: what a reader from the earliest offset must see once the log cleaner has run, and the
// loop that keeps rolling segments until it does (lib/harness.py and kafka-go/harness.go are the twins).

import { COMPACT_KEYS, COMPACT_ROUNDS, compactKey, compactValue, COMPACTION_WAIT_MS, ROLL_KEY, TOMBSTONE_KEY } from './data';

export interface ReadRecord {
  key: string | null;
  value: string | null;
}

/** Why what was read is not the compacted log yet (undefined once it is). ROLL_KEY records are ignored. */
export function compactionProblem(records: readonly ReadRecord[]): string | undefined {
  const byKey = new Map<string | null, (string | null)[]>();
  for (const r of records) if (r.key !== ROLL_KEY) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r.value]);
  const problems: string[] = [];
  const duplicated = [...byKey].filter(([, values]) => values.length > 1);
  if (duplicated.length) problems.push(`duplicates still present: ${duplicated.length} keys with more than one record (${duplicated.slice(0, 3).map(([k, v]) => `${k} ×${v.length}`).join(', ')})`);
  if (byKey.has(TOMBSTONE_KEY)) problems.push(`tombstoned ${TOMBSTONE_KEY} still present (${byKey.get(TOMBSTONE_KEY)!.length} records)`);
  const last = COMPACT_ROUNDS - 1;
  const wrong: string[] = [];
  for (let i = 0; i < COMPACT_KEYS; i++) {
    const key = compactKey(i);
    if (key === TOMBSTONE_KEY) continue;
    const values = byKey.get(key);
    if (!values) wrong.push(`${key} missing`);
    else if (values[values.length - 1] !== compactValue(last, key)) wrong.push(`${key}=${values[values.length - 1]}`);
  }
  if (wrong.length) problems.push(`wrong latest values: ${wrong.slice(0, 3).join(', ')}`);
  const unknown = [...byKey.keys()].filter((k) => k === null || !/^key-\d+$/.test(k) || Number(k.slice(4)) >= COMPACT_KEYS);
  if (unknown.length) problems.push(`unexpected keys ${unknown.slice(0, 3).join(', ')}`);
  return problems.length ? `${records.length} records read: ${problems.join('; ')}` : undefined;
}

/**
 * Produces one ROLL_KEY record (a new segment once segment.ms has passed) and reads the whole
 * partition, again and again, until compactionProblem finds nothing or COMPACTION_WAIT_MS passes;
 * the failure says what the last read still held.
 */
export async function awaitCompaction(roll: () => Promise<void>, readAll: () => Promise<ReadRecord[]>): Promise<string> {
  const started = Date.now();
  for (let rolls = 1; ; rolls++) {
    await roll();
    const read = await readAll();
    const problem = compactionProblem(read);
    if (!problem) return `compacted after ${Date.now() - started} ms and ${rolls} roll records: ${read.length} records read`;
    if (Date.now() - started > COMPACTION_WAIT_MS) throw new Error(`not compacted after ${COMPACTION_WAIT_MS / 1000} s: ${problem}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
