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
  let killed: { which: string; ackedBefore: number } | undefined;
  let killError: unknown;
  for (let i = 0; !killed || acked.length < killed.ackedBefore + ACKED_AFTER_KILL; i++) {
    if (killError) throw killError;
    if (i === SENT_BEFORE_KILL) ctx.killBroker().then((which) => (killed = { which, ackedBefore: acked.length }), (err: unknown) => (killError = err));
    const key = `r${i}`;
    try {
      await send(key);
      acked.push(key);
    } catch (err) {
      failed++;
      ctx.log(`send ${key} failed: ${errorText(err)}`);
    }
  }
  return { acked, failed, killed: killed.which, ackedBefore: killed.ackedBefore };
}

/** The PASS detail: which broker died when, what was acknowledged and failed, and how many reads were duplicates. */
export function throughKillDetail(r: ThroughKill, reads: number, failures = `${r.failed} sends failed`): string {
  return `killed ${r.killed} after ${r.ackedBefore} acks; ${r.acked.length} acked (${failures}), all read back (${reads - r.acked.length} extra reads)`;
}
