// Walks the batches of a `.log` file from a position, reading it in chunks rather than batch by batch.
import { BatchHeader, LOG_OVERHEAD, RECORD_BATCH_OVERHEAD, batchSizeAt, readBatchHeader } from '../../protocol/records/batch';
import { FileRecords } from './file-records';

const CHUNK_BYTES = 64 * 1024;

export interface ScannedBatch {
  position: number;
  size: number;
  header: BatchHeader;
  /** Holds the batch at `at`; the whole batch only when the scan asked for full batches. */
  buf: Buffer;
  at: number;
}

/** Why a scan stopped: it reached `end`, or found bytes that cannot be a batch (short or impossible size). */
export type ScanStop = 'end' | 'incomplete' | 'bad-size';

export interface ScanResult {
  /** First position not covered by a visited batch. */
  position: number;
  stop: ScanStop;
}

/** Return false from the visitor to stop early. */
export type BatchVisitor = (b: ScannedBatch) => boolean | void;

interface Window {
  buf: Buffer;
  start: number;
}

function covers(w: Window, pos: number, len: number): boolean {
  return pos >= w.start && pos + len <= w.start + w.buf.length;
}

/** Synchronous scan, used by recovery and at open; `full` loads each batch entirely (for CRC checks). */
export function scanBatchesSync(file: FileRecords, from: number, end: number, full: boolean, visit: BatchVisitor): ScanResult {
  const w: Window = { buf: Buffer.alloc(0), start: from };
  let pos = from;
  while (pos < end) {
    if (end - pos < LOG_OVERHEAD) return { position: pos, stop: 'incomplete' };
    if (!covers(w, pos, LOG_OVERHEAD)) {
      w.buf = file.readSync(pos, Math.min(CHUNK_BYTES, end - pos));
      w.start = pos;
    }
    const size = batchSizeAt(w.buf, pos - w.start);
    if (size < RECORD_BATCH_OVERHEAD) return { position: pos, stop: 'bad-size' };
    if (size > end - pos) return { position: pos, stop: 'incomplete' };
    const need = full ? size : RECORD_BATCH_OVERHEAD;
    if (!covers(w, pos, need)) {
      w.buf = file.readSync(pos, Math.min(Math.max(CHUNK_BYTES, need), end - pos));
      w.start = pos;
      if (w.buf.length < need) return { position: pos, stop: 'incomplete' };
    }
    const at = pos - w.start;
    if (visit({ position: pos, size, header: readBatchHeader(w.buf, at), buf: w.buf, at }) === false) {
      return { position: pos, stop: 'end' };
    }
    pos += size;
  }
  return { position: pos, stop: 'end' };
}

/** Asynchronous header-only scan for the read path: first batch (from `from`) that satisfies `match`. */
export async function findBatchAsync(
  file: FileRecords,
  from: number,
  end: number,
  match: (h: BatchHeader) => boolean,
  chunkBytes = 16 * 1024,
): Promise<ScannedBatch | null> {
  const w: Window = { buf: Buffer.alloc(0), start: from };
  let pos = from;
  while (end - pos >= RECORD_BATCH_OVERHEAD) {
    if (!covers(w, pos, RECORD_BATCH_OVERHEAD)) {
      w.buf = await file.read(pos, Math.min(chunkBytes, end - pos));
      w.start = pos;
      if (w.buf.length < RECORD_BATCH_OVERHEAD) return null;
    }
    const at = pos - w.start;
    const size = batchSizeAt(w.buf, at);
    if (size < RECORD_BATCH_OVERHEAD || size > end - pos) return null;
    const header = readBatchHeader(w.buf, at);
    if (match(header)) return { position: pos, size, header, buf: w.buf, at };
    pos += size;
  }
  return null;
}

export function lastOffsetOf(h: BatchHeader): number {
  return h.baseOffset + h.lastOffsetDelta;
}
