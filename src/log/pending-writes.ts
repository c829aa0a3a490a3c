// Appends to log and index files are queued in memory and written together, in order: by
// `flushPendingWrites()` (the server calls it before any response leaves, so nothing is acknowledged
// before it reached the OS), before any read of a queued range, or at the end of the event-loop turn.

export interface PendingWriter {
  readonly path: string;
  /** Writes what is queued; throws when the write fails. */
  writePending(): void;
}

const queued = new Set<PendingWriter>();
const failureListeners = new Set<(path: string, error: Error) => void>();

/** Hears of every queued write that failed (the log manager takes the file's log dir offline); returns an unsubscribe. */
export function onPendingWriteFailure(listener: (path: string, error: Error) => void): () => void {
  failureListeners.add(listener);
  return () => failureListeners.delete(listener);
}
let flushScheduled = false;

export function queuePendingWrite(writer: PendingWriter): void {
  queued.add(writer);
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushPendingWrites);
  }
}

/** Called by a writer that wrote its queue itself (before a read, a truncation, a close). */
export function dequeuePendingWrite(writer: PendingWriter): void {
  queued.delete(writer);
}

/** Writes every queued append. A file that fails to write is taken offline by its owner. */
export function flushPendingWrites(): void {
  flushScheduled = false;
  for (const writer of queued) {
    try {
      writer.writePending();
    } catch (e) {
      if (failureListeners.size === 0) process.stderr.write(`ERROR writing ${writer.path} failed: ${(e as Error).message}\n`);
      for (const listener of failureListeners) listener(writer.path, e as Error);
    }
  }
}
