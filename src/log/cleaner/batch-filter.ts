// What the cleaner keeps of a chunk of batches (Kafka's MemoryRecords.filterTo with the cleaner's
// RecordFilter). A batch is dropped, kept as it is, rebuilt with the records it keeps, or kept as an
// empty header: the last batch of each active producer (its sequence and epoch) and the batch ending the
// cleaning round (the log's last offset) always keep at least their header. Records stay when they are
// the latest of their key (or past what the offset map covers); tombstones and markers of emptied
// transactions stay until the batch's delete horizon (KIP-534), which the first cleaning to see them sets
// to now + delete.retention.ms.
import {
  BatchHeader,
  DecodedRecord,
  buildEmptyBatch,
  buildRetainedBatch,
  decodeBatch,
  deleteHorizonOf,
  isControl,
} from '../../../protocol/records/batch';
import { LastRecord } from '../producer-state';
import { CleanedTransactionMetadata } from './cleaned-txn-metadata';
import { OffsetMap } from './offset-map';

export interface ChunkBatch {
  at: number;
  size: number;
  header: BatchHeader;
}

export interface CleanerFilter {
  map: OffsetMap;
  txn: CleanedTransactionMetadata;
  lastRecordsOfActiveProducers: ReadonlyMap<bigint, LastRecord>;
  /** The first uncleanable offset of this cleaning round. */
  upperBoundOffset: number;
  now: number;
  deleteRetentionMs: number;
}

export interface FilterResult {
  output: Buffer[];
  bytesRetained: number;
  /** Largest offset retained, -1 if nothing was. */
  maxOffset: number;
  maxTimestamp: number;
  offsetOfMaxTimestamp: number;
  messagesRead: number;
  messagesRetained: number;
}

type BatchRetention = 'delete' | 'delete-empty' | 'retain-empty';

function isLastBatchOfProducer(h: BatchHeader, last: LastRecord | undefined): boolean {
  if (last === undefined) return false;
  if (last.lastDataOffset >= 0) return h.baseOffset + h.lastOffsetDelta === last.lastDataOffset;
  return isControl(h.attributes) && h.producerEpoch === last.producerEpoch;
}

/** Kafka's Cleaner.shouldRetainRecord for a data record. */
function shouldRetainRecord(f: CleanerFilter, horizon: number | null, r: DecodedRecord): boolean {
  if (r.offset > f.map.latestOffset) return true;
  if (r.key === null) return false;
  const latest = r.offset >= f.map.get(r.key);
  const retainDeletes = horizon === null || f.now < horizon;
  return latest && (r.value !== null || retainDeletes);
}

export function filterBatches(buf: Buffer, batches: readonly ChunkBatch[], f: CleanerFilter): FilterResult {
  const res: FilterResult = {
    output: [],
    bytesRetained: 0,
    maxOffset: -1,
    maxTimestamp: -1,
    offsetOfMaxTimestamp: -1,
    messagesRead: 0,
    messagesRetained: 0,
  };
  const keep = (bytes: Buffer, maxOffset: number, h: BatchHeader, retained: number) => {
    res.output.push(bytes);
    res.bytesRetained += bytes.length;
    res.messagesRetained += retained;
    if (maxOffset > res.maxOffset) res.maxOffset = maxOffset;
    const maxTimestamp = bytes.readBigInt64BE(35);
    if (Number(maxTimestamp) > res.maxTimestamp) {
      res.maxTimestamp = Number(maxTimestamp);
      res.offsetOfMaxTimestamp = h.baseOffset + h.lastOffsetDelta;
    }
  };
  for (const { at, size, header: h } of batches) {
    const control = isControl(h.attributes);
    const lastOffset = h.baseOffset + h.lastOffsetDelta;
    // Markers piggy-back on the tombstone horizon: one goes only once its transaction is empty and the horizon passed.
    const canDiscard = control ? f.txn.onControlBatchRead(buf, at, h) : f.txn.onBatchRead(h);
    const horizon = deleteHorizonOf(h);
    const discardRecords = control ? canDiscard && horizon !== null && horizon <= f.now : canDiscard;
    let retention: BatchRetention;
    if (h.producerId >= 0n && isLastBatchOfProducer(h, f.lastRecordsOfActiveProducers.get(h.producerId))) retention = 'retain-empty';
    else if (lastOffset + 1 === f.upperBoundOffset) retention = 'retain-empty';
    else retention = discardRecords ? 'delete' : 'delete-empty';
    res.messagesRead += h.recordCount;
    if (retention === 'delete') continue;

    const records = discardRecords ? [] : decodeBatch(buf, at).records;
    const retained = control ? records : records.filter((r) => shouldRetainRecord(f, horizon, r));
    if (retained.length > 0) {
      const containsTombstones = retained.some((r) => r.value === null);
      const needHorizon = (containsTombstones || (canDiscard && control)) && horizon === null;
      const maxOffset = retained[retained.length - 1].offset;
      if (retained.length === records.length && !needHorizon) {
        keep(buf.subarray(at, at + size), lastOffset, h, retained.length);
      } else {
        const rebuilt = buildRetainedBatch(h, retained, needHorizon ? f.now + f.deleteRetentionMs : horizon);
        keep(rebuilt, maxOffset, h, retained.length);
      }
    } else if (retention === 'retain-empty') {
      keep(buildEmptyBatch(h), lastOffset, h, 0);
    }
  }
  return res;
}
