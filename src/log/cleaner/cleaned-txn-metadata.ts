// What the cleaner knows of transactions as it walks a log in offset order (Kafka's
// CleanedTransactionMetadata): which batches belong to aborted transactions (from the `.txnindex`) and may
// go, and when a COMMIT or ABORT marker may go, which is only once no batch of its transaction is left.
// Aborted transactions whose marker stays are written to the cleaned segment's transaction index.
import { BatchHeader, isTransactional } from '../../../protocol/records/batch';
import { readEndTxnMarker } from '../producer-batches';
import { AbortedTxnEntry, TxnIndex } from '../txn-index';

interface OngoingAbort {
  txn: AbortedTxnEntry;
  /** Whether a batch of the transaction has been seen (and discarded) in this cleaning. */
  observedBatch: boolean;
}

export class CleanedTransactionMetadata {
  /** Aborted transactions not reached yet, by first offset. */
  private pending: AbortedTxnEntry[] = [];
  private readonly ongoingCommitted = new Set<bigint>();
  private readonly ongoingAborted = new Map<bigint, OngoingAbort>();
  /** The index of the segment being written, which receives the aborted transactions that keep their marker. */
  cleanedIndex: TxnIndex | null = null;

  addAbortedTransactions(txns: readonly AbortedTxnEntry[]): void {
    if (txns.length === 0) return;
    this.pending = [...this.pending, ...txns].sort((a, b) => a.firstOffset - b.firstOffset);
  }

  private consumeAbortedTxnsUpTo(offset: number): void {
    let n = 0;
    while (n < this.pending.length && this.pending[n].firstOffset <= offset) {
      const txn = this.pending[n++];
      if (!this.ongoingAborted.has(txn.producerId)) this.ongoingAborted.set(txn.producerId, { txn, observedBatch: false });
    }
    if (n > 0) this.pending = this.pending.slice(n);
  }

  /** A control batch was reached; true when it may be discarded. */
  onControlBatchRead(buf: Buffer, pos: number, h: BatchHeader): boolean {
    this.consumeAbortedTxnsUpTo(h.baseOffset + h.lastOffsetDelta);
    // An empty control batch was already cleaned.
    if (h.recordCount === 0) return true;
    const marker = readEndTxnMarker(buf, pos);
    if (marker === null) return false;
    if (marker.commit) return !this.ongoingCommitted.delete(h.producerId);
    const aborted = this.ongoingAborted.get(h.producerId);
    this.ongoingAborted.delete(h.producerId);
    if (aborted?.observedBatch) {
      // The marker stays until every batch of the transaction is gone.
      this.cleanedIndex?.append(aborted.txn);
      return false;
    }
    return true;
  }

  /** A data batch was reached; true when it belongs to an aborted transaction and may be discarded. */
  onBatchRead(h: BatchHeader): boolean {
    this.consumeAbortedTxnsUpTo(h.baseOffset + h.lastOffsetDelta);
    if (!isTransactional(h.attributes)) return false;
    const aborted = this.ongoingAborted.get(h.producerId);
    if (aborted) {
      aborted.observedBatch = true;
      return true;
    }
    this.ongoingCommitted.add(h.producerId);
    return false;
  }
}
