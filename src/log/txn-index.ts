// A segment's `.txnindex` (Kafka's TransactionIndex): one 34-byte entry per aborted transaction whose ABORT
// marker lies in the segment, [version int16=0][producerId int64][firstOffset int64][lastOffset int64]
// [lastStableOffset int64]. The file exists only once the first entry is written; entries are kept in
// memory after the first read, since read_committed fetches consult them on every request.
import * as fs from 'node:fs';

export const ABORTED_TXN_ENTRY_SIZE = 34;
const ENTRY_VERSION = 0;

export interface AbortedTxnEntry {
  producerId: bigint;
  firstOffset: number;
  /** Offset of the ABORT marker. */
  lastOffset: number;
  /** The last stable offset right after the marker was written. */
  lastStableOffset: number;
}

export interface TxnIndexSearch {
  aborted: AbortedTxnEntry[];
  /** An entry's LSO reached the upper bound: later segments cannot hold overlapping aborts. */
  complete: boolean;
}

export function encodeAbortedTxn(e: AbortedTxnEntry): Buffer {
  const buf = Buffer.alloc(ABORTED_TXN_ENTRY_SIZE);
  buf.writeInt16BE(ENTRY_VERSION, 0);
  buf.writeBigInt64BE(e.producerId, 2);
  buf.writeBigInt64BE(BigInt(e.firstOffset), 10);
  buf.writeBigInt64BE(BigInt(e.lastOffset), 18);
  buf.writeBigInt64BE(BigInt(e.lastStableOffset), 26);
  return buf;
}

export function decodeAbortedTxns(buf: Buffer, file = 'txnindex'): AbortedTxnEntry[] {
  if (buf.length % ABORTED_TXN_ENTRY_SIZE !== 0) {
    throw new Error(`transaction index ${file} has ${buf.length} bytes, not a multiple of ${ABORTED_TXN_ENTRY_SIZE}`);
  }
  const out: AbortedTxnEntry[] = [];
  for (let pos = 0; pos < buf.length; pos += ABORTED_TXN_ENTRY_SIZE) {
    const version = buf.readInt16BE(pos);
    if (version !== ENTRY_VERSION) throw new Error(`transaction index ${file} has an entry of unknown version ${version}`);
    out.push({
      producerId: buf.readBigInt64BE(pos + 2),
      firstOffset: Number(buf.readBigInt64BE(pos + 10)),
      lastOffset: Number(buf.readBigInt64BE(pos + 18)),
      lastStableOffset: Number(buf.readBigInt64BE(pos + 26)),
    });
  }
  return out;
}

export class TxnIndex {
  private cached: AbortedTxnEntry[] | null = null;
  private dirty = false;

  constructor(public path: string) {}

  private load(): AbortedTxnEntry[] {
    if (this.cached === null) {
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(this.path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        bytes = Buffer.alloc(0);
      }
      // A torn last entry (a crash mid-append) is dropped rather than failing every read.
      const whole = bytes.length - (bytes.length % ABORTED_TXN_ENTRY_SIZE);
      if (whole !== bytes.length) fs.truncateSync(this.path, whole);
      this.cached = decodeAbortedTxns(bytes.subarray(0, whole), this.path);
    }
    return this.cached;
  }

  entries(): readonly AbortedTxnEntry[] {
    return this.load();
  }

  append(e: AbortedTxnEntry): void {
    const entries = this.load();
    const last = entries[entries.length - 1];
    if (last && e.lastOffset <= last.lastOffset) {
      throw new Error(`aborted transaction at ${e.lastOffset} does not follow ${last.lastOffset} in ${this.path}`);
    }
    fs.appendFileSync(this.path, encodeAbortedTxn(e));
    entries.push(e);
    this.dirty = true;
  }

  /** Kafka's collectAbortedTxns: entries overlapping [fetchOffset, upperBoundOffset). */
  collect(fetchOffset: number, upperBoundOffset: number): TxnIndexSearch {
    const aborted: AbortedTxnEntry[] = [];
    for (const e of this.load()) {
      if (e.lastOffset >= fetchOffset && e.firstOffset < upperBoundOffset) aborted.push(e);
      if (e.lastStableOffset >= upperBoundOffset) return { aborted, complete: true };
    }
    return { aborted, complete: false };
  }

  /** Drops entries whose marker is at or after `offset`. */
  truncateTo(offset: number): void {
    const entries = this.load();
    const keep = entries.findIndex((e) => e.lastOffset >= offset);
    if (keep < 0) return;
    entries.length = keep;
    if (fs.existsSync(this.path)) fs.truncateSync(this.path, keep * ABORTED_TXN_ENTRY_SIZE);
  }

  /** Renames the file if it exists; the index follows the new name either way. */
  renameTo(file: string): void {
    try {
      fs.renameSync(this.path, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    this.path = file;
  }

  /** Empties the index (segment recovery rebuilds it). */
  reset(): void {
    fs.rmSync(this.path, { force: true });
    this.cached = [];
  }

  /** fsyncs entries appended since the last flush. */
  flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    let fd: number | undefined;
    try {
      fd = fs.openSync(this.path, 'r+');
      fs.fsyncSync(fd);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }
}
