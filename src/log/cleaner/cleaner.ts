// One cleaning of one log (Kafka's Cleaner.doClean): map the latest offset of every key in the dirty
// section, then rewrite the log from its start up to where the map ends, group by group, each group into
// one `.cleaned` segment that is swapped in for it. All reads are asynchronous and in chunks of half the
// I/O buffer, so produce and fetch keep running; only the swap itself is synchronous.
import { RECORD_BATCH_OVERHEAD, batchSizeAt, decodeBatch, isControl, readBatchHeader } from '../../../protocol/records/batch';
import type { LogLogger } from '../../logger';
import type { PartitionLog } from '../partition-log';
import { LogSegment } from '../segment';
import { ChunkBatch, filterBatches } from './batch-filter';
import { CleanedTransactionMetadata } from './cleaned-txn-metadata';
import { LogToClean, groupSegmentsBySize, segmentsInRange } from './log-to-clean';
import { OffsetMap } from './offset-map';

/** The cleaning was stopped (log closed, truncated or deleted, cleaner shutting down); nothing was swapped for the current group. */
export class CleaningAbortedError extends Error {
  constructor(why: string) {
    super(why);
    this.name = 'CleaningAbortedError';
  }
}

export interface CleanerStats {
  bytesRead: number;
  bytesWritten: number;
  messagesRead: number;
  messagesWritten: number;
  mapMessagesRead: number;
  bufferUtilization: number;
}

interface Chunk {
  buf: Buffer;
  batches: ChunkBatch[];
  bytes: number;
}

function wholeBatches(buf: Buffer): Chunk {
  const batches: ChunkBatch[] = [];
  let pos = 0;
  while (buf.length - pos >= RECORD_BATCH_OVERHEAD) {
    const size = batchSizeAt(buf, pos);
    if (size < RECORD_BATCH_OVERHEAD || size > buf.length - pos) break;
    batches.push({ at: pos, size, header: readBatchHeader(buf, pos) });
    pos += size;
  }
  return { buf, batches, bytes: pos };
}

export class Cleaner {
  constructor(
    private readonly map: OffsetMap,
    /** log.cleaner.io.buffer.size: half reads, half writes, as in Kafka. */
    private readonly ioBufferSize: number,
    /** Throws CleaningAbortedError when the cleaning must stop; called between chunks. */
    private readonly checkDone: (log: PartitionLog) => void,
    private readonly logger: LogLogger,
  ) {}

  /** Batches of `seg` from `from` on, a read buffer at a time (grown for a batch larger than it). */
  private async *chunks(log: PartitionLog, seg: LogSegment, from: number): AsyncGenerator<Chunk> {
    const readSize = Math.max(RECORD_BATCH_OVERHEAD, Math.floor(this.ioBufferSize / 2));
    const end = seg.size;
    let pos = from;
    while (pos < end) {
      this.checkDone(log);
      let chunk = wholeBatches(await seg.log.read(pos, Math.min(readSize, end - pos)));
      if (chunk.batches.length === 0) {
        const size = batchSizeAt(chunk.buf, 0);
        if (size < RECORD_BATCH_OVERHEAD || size > end - pos) throw new Error(`no valid batch at position ${pos} of ${seg.log.path}`);
        chunk = wholeBatches(await seg.log.read(pos, size));
      }
      yield chunk;
      pos += chunk.bytes;
    }
  }

  /** Cleans the log; returns the offset the clean section now ends at (the next cleaner checkpoint). */
  async clean(cleanable: LogToClean, now: number): Promise<{ endOffset: number; stats: CleanerStats }> {
    const log = cleanable.log;
    const truncations = log.truncationCount;
    const stats: CleanerStats = { bytesRead: 0, bytesWritten: 0, messagesRead: 0, messagesWritten: 0, mapMessagesRead: 0, bufferUtilization: 0 };
    const upperBound = cleanable.firstUncleanableOffset;
    await this.buildOffsetMap(log, cleanable.firstDirtyOffset, upperBound, stats);
    const endOffset = this.map.latestOffset + 1;
    const segments = log.segmentsSnapshot();
    const groups = groupSegmentsBySize(segmentsInRange(segments, 0, endOffset), log.config.segmentBytes, log.config.segmentIndexBytes, upperBound);
    const txn = new CleanedTransactionMetadata();
    for (const group of groups) {
      const next = segments[segments.indexOf(group[group.length - 1]) + 1];
      await this.cleanSegments(log, group, next.baseOffset, now, txn, upperBound, truncations, stats);
    }
    stats.bufferUtilization = this.map.utilization;
    return { endOffset, stats };
  }

  /** Kafka's buildOffsetMap: segments of [start, end) until the map is full, mid-segment if need be. */
  private async buildOffsetMap(log: PartitionLog, start: number, end: number, stats: CleanerStats): Promise<void> {
    this.map.clear();
    const dirty = segmentsInRange(log.segmentsSnapshot(), start, end);
    const txn = new CleanedTransactionMetadata();
    txn.addAbortedTransactions(log.collectAbortedTxns(start, end));
    for (let i = 0; i < dirty.length; i++) {
      const nextStart = i + 1 < dirty.length ? dirty[i + 1].baseOffset : end;
      if (await this.mapSegment(log, dirty[i], start, nextStart, txn, stats)) break;
    }
  }

  /** Returns true when the map filled up within this segment. */
  private async mapSegment(
    log: PartitionLog,
    seg: LogSegment,
    start: number,
    nextSegmentStart: number,
    txn: CleanedTransactionMetadata,
    stats: CleanerStats,
  ): Promise<boolean> {
    const map = this.map;
    for await (const { buf, batches } of this.chunks(log, seg, seg.startPosition(start))) {
      for (const { at, header: h } of batches) {
        const lastOffset = h.baseOffset + h.lastOffsetDelta;
        if (isControl(h.attributes)) {
          txn.onControlBatchRead(buf, at, h);
        } else if (!txn.onBatchRead(h)) {
          for (const r of decodeBatch(buf, at).records) {
            if (r.key === null || r.offset < start) continue;
            if (map.isFull) return true;
            map.put(r.key, r.offset);
          }
        }
        stats.mapMessagesRead += h.recordCount;
        if (lastOffset >= start) map.updateLatestOffset(lastOffset);
      }
    }
    // Offsets may have gaps: the map covers everything up to the next segment.
    map.updateLatestOffset(nextSegmentStart - 1);
    return false;
  }

  /** Kafka's cleanSegments: one group into one `.cleaned` segment, then the swap. */
  private async cleanSegments(
    log: PartitionLog,
    group: readonly LogSegment[],
    groupEnd: number,
    now: number,
    txn: CleanedTransactionMetadata,
    upperBoundOffset: number,
    truncations: number,
    stats: CleanerStats,
  ): Promise<void> {
    const cleaned = log.createCleanedSegment(group[0].baseOffset);
    txn.cleanedIndex = cleaned.txnIndex;
    try {
      const filter = {
        map: this.map,
        txn,
        lastRecordsOfActiveProducers: log.lastRecordsOfActiveProducers(),
        upperBoundOffset,
        now,
        deleteRetentionMs: log.config.deleteRetentionMs,
      };
      for (let i = 0; i < group.length; i++) {
        const seg = group[i];
        // Aborted transactions of the whole segment range: the cleaned segment's index is rebuilt from them.
        txn.addAbortedTransactions(log.collectAbortedTxns(seg.baseOffset, i + 1 < group.length ? group[i + 1].baseOffset : groupEnd));
        for await (const { buf, batches, bytes } of this.chunks(log, seg, 0)) {
          const res = filterBatches(buf, batches, filter);
          stats.bytesRead += bytes;
          stats.messagesRead += res.messagesRead;
          stats.messagesWritten += res.messagesRetained;
          stats.bytesWritten += res.bytesRetained;
          if (res.output.length > 0) {
            cleaned.append(res.maxOffset, res.maxTimestamp, res.offsetOfMaxTimestamp, Buffer.concat(res.output, res.bytesRetained));
          }
        }
      }
      cleaned.onBecomeInactive();
      await cleaned.flushAsync();
      cleaned.setLastModified(group[group.length - 1].lastModified());
      this.checkDone(log);
    } catch (e) {
      cleaned.deleteFiles();
      throw e;
    } finally {
      txn.cleanedIndex = null;
    }
    if (!log.replaceSegments(cleaned, group, truncations)) {
      throw new CleaningAbortedError(`${log.topic}-${log.partition} changed while being cleaned`);
    }
    this.logger.info(`cleaned segments ${group.map((s) => s.baseOffset).join(',')} of ${log.topic}-${log.partition} into ${cleaned.baseOffset}`);
  }
}
