// cluster-broker-killed's produce loop, the same for every TypeScript client: only how one record
// is sent differs (compat/lib/harness.py has the Python twin).

import { ACKED_AFTER_KILL, SENT_BEFORE_KILL } from './data';
import { Context, errorText } from './harness';

export interface ThroughKill {
  /** Keys of the records acknowledged, in order. */
  acked: string[];
  /** Sends that failed (the record is not acknowledged; a later one may be). */
  failed: number;
  /** The runner's word for the broker it killed. */
  killed: string;
  /** Records acknowledged when the kill was answered. */
  ackedBefore: number;
  /** The longest wait between two acknowledgements: how long the producer stalled on the kill (unknown to kcat). */
  longestStallMs?: number;
}

/**
 * Sends records r0, r1, … one at a time: `send` resolves once the record is acknowledged and
 * throws when the send failed (counted and logged, then the loop goes on). After SENT_BEFORE_KILL
 * sends it asks the runner to kill a broker, once, and keeps producing while the answer comes; it
 * stops once ACKED_AFTER_KILL more records were acknowledged after the answer.
 */
export async function produceThroughKill(ctx: Context, send: (key: string) => Promise<void>): Promise<ThroughKill> {
  const acked: string[] = [];
  let failed = 0;
  let lastAck = Date.now();
  let longestStallMs = 0;
  let killed: { which: string; ackedBefore: number } | undefined;
  let killError: unknown;
  for (let i = 0; !killed || acked.length < killed.ackedBefore + ACKED_AFTER_KILL; i++) {
    if (killError) throw killError;
    if (i === SENT_BEFORE_KILL) ctx.killBroker().then((which) => (killed = { which, ackedBefore: acked.length }), (err: unknown) => (killError = err));
    const key = `r${i}`;
    try {
      await send(key);
      acked.push(key);
      longestStallMs = Math.max(longestStallMs, Date.now() - lastAck);
      lastAck = Date.now();
    } catch (err) {
      failed++;
      ctx.log(`send ${key} failed: ${errorText(err)}`);
    }
  }
  return { acked, failed, killed: killed.which, ackedBefore: killed.ackedBefore, longestStallMs };
}

/** The PASS detail: which broker died when, what was acknowledged and failed, and how many reads were duplicates. */
export function throughKillDetail(r: ThroughKill, reads: number, failures = `${r.failed} sends failed`): string {
  return `killed ${r.killed} after ${r.ackedBefore} acks; ${r.acked.length} acked (${failures}), all read back (${reads - r.acked.length} extra reads)`;
}

/**
 * cluster-idempotent-leader-killed: `reads` are "partition/key" in read order. Every acknowledged
 * record is read exactly once, no record (acknowledged or not) twice, and each partition holds its
 * records in send order. Returns the PASS detail; throws otherwise.
 */
export function exactlyOnceDetail(r: ThroughKill, reads: string[]): string {
  const counts = new Map<string, number>();
  const lastByPartition = new Map<string, number>();
  for (const read of reads) {
    const [partition, key] = read.split('/');
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const index = Number(key.slice(1));
    if ((lastByPartition.get(partition) ?? -1) >= index) throw new Error(`partition ${partition} holds ${key} after r${lastByPartition.get(partition)}: out of send order`);
    lastByPartition.set(partition, index);
  }
  const twice = [...counts].filter(([, n]) => n > 1).map(([k]) => k);
  if (twice.length > 0) throw new Error(`${twice.length} records stored more than once (${twice.slice(0, 5).join(', ')})`);
  const missing = r.acked.filter((k) => !counts.has(k));
  if (missing.length > 0) throw new Error(`${missing.length} acknowledged records missing (${missing.slice(0, 5).join(', ')})`);
  const unacked = counts.size - r.acked.length;
  return `killed ${r.killed} after ${r.ackedBefore} acks; ${r.acked.length} acked (${r.failed} sends failed, ${unacked} of them stored), ${reads.length} read back, 0 duplicates, 0 missing, in send order${r.longestStallMs === undefined ? '' : `; longest stall ${r.longestStallMs} ms`}`;
}
