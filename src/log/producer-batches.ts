// How batches feed a partition's producer state (Kafka's UnifiedLog.analyzeAndValidateProducerState,
// updateProducers and LogLoader's rebuildProducerState): each batch with a producer id is checked
// from its header (and, for a control batch, its marker) into pending changes, which are applied
// once the batch is written; an aborted transaction goes into the `.txnindex` of the segment holding
// its marker. Opening a log loads the latest snapshot and replays the batches after it.
import type { LogLogger } from '../logger';
import { BatchHeader, buildBatch, decodeBatch, isControl, isTransactional } from '../../protocol/records/batch';
import { AppendOrigin, CompletedTxn, ProducerAppendInfo, ProducerStateManager, incrementSequence } from './producer-state';
import { LogSegment, floorSegment } from './segment';

export interface EndTxnMarker {
  producerId: bigint;
  producerEpoch: number;
  coordinatorEpoch: number;
  commit: boolean;
}

/** Producer state changes of one append, applied once its batches are written. */
export interface PendingProducerState {
  infos: Map<bigint, ProducerAppendInfo>;
  completed: CompletedTxn[];
}

export const noPendingChanges = (): PendingProducerState => ({ infos: new Map(), completed: [] });

const CONTROL_ABORT = 0;
const CONTROL_COMMIT = 1;

/** COMMIT/ABORT and coordinator epoch of a control batch, or null for other control records. */
export function readEndTxnMarker(buf: Buffer, pos: number): { commit: boolean; coordinatorEpoch: number } | null {
  const record = decodeBatch(buf, pos).records[0];
  if (!record?.key || record.key.length < 4 || !record.value || record.value.length < 6) return null;
  const type = record.key.readInt16BE(2);
  if (type !== CONTROL_ABORT && type !== CONTROL_COMMIT) return null;
  return { commit: type === CONTROL_COMMIT, coordinatorEpoch: record.value.readInt32BE(2) };
}

/** Kafka's control batch for an end-transaction marker: key [version 0][type], value [version 0][coordinatorEpoch]. */
export function endTxnMarkerBatch(marker: EndTxnMarker, leaderEpoch: number, now: number): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(marker.commit ? CONTROL_COMMIT : CONTROL_ABORT, 2);
  const value = Buffer.alloc(6);
  value.writeInt32BE(marker.coordinatorEpoch, 2);
  return buildBatch([{ key, value, timestamp: now }], {
    baseTimestamp: now,
    producerId: marker.producerId,
    producerEpoch: marker.producerEpoch,
    partitionLeaderEpoch: leaderEpoch,
    transactional: true,
    control: true,
  });
}

export function lastSequenceOf(h: BatchHeader): number {
  return h.baseSequence === -1 ? -1 : incrementSequence(h.baseSequence, h.lastOffsetDelta);
}

/** Checks one batch's producer state changes into `pending` (Kafka's updateProducers); throws KafkaError. */
export function analyzeBatch(
  ps: ProducerStateManager,
  buf: Buffer,
  pos: number,
  h: BatchHeader,
  firstOffset: number,
  lastOffset: number,
  timestamp: number,
  origin: AppendOrigin,
  pending: PendingProducerState,
): void {
  let info = pending.infos.get(h.producerId);
  if (info === undefined) {
    info = ps.prepareUpdate(h.producerId, origin);
    pending.infos.set(h.producerId, info);
  }
  if (isControl(h.attributes)) {
    const marker = readEndTxnMarker(buf, pos);
    if (marker === null) return;
    const completed = info.appendEndTxnMarker(marker.commit, marker.coordinatorEpoch, h.producerEpoch, firstOffset, timestamp);
    if (completed) pending.completed.push(completed);
  } else {
    info.appendDataBatch(h.producerEpoch, h.baseSequence, lastSequenceOf(h), timestamp, firstOffset, lastOffset, isTransactional(h.attributes));
  }
}

/** Applies written changes; aborted transactions go into `txnSegment`'s index (the segment holding the marker), if given. */
export function commitProducerState(ps: ProducerStateManager, pending: PendingProducerState, txnSegment: LogSegment | null): void {
  for (const info of pending.infos.values()) ps.update(info);
  for (const txn of pending.completed) {
    if (txn.aborted && txnSegment) {
      txnSegment.txnIndex.append({
        producerId: txn.producerId,
        firstOffset: txn.firstOffset,
        lastOffset: txn.lastOffset,
        lastStableOffset: ps.lastStableOffsetAfter(txn),
      });
    }
    ps.completeTxn(txn);
  }
}

/** The log as producer state is rebuilt from. */
export interface ReplayedLog {
  segments: readonly LogSegment[];
  logStartOffset: number;
  logEndOffset: number;
  logger: LogLogger;
}

/** Feeds the batches from the state's map end up to the log end into it; aborts from `txnIndexFrom` on are indexed again. */
export function replayProducerState(ps: ProducerStateManager, log: ReplayedLog, txnIndexFrom: number): void {
  const { segments, logEndOffset: endOffset } = log;
  const from = Math.max(ps.mapEndOffset, log.logStartOffset);
  for (let i = floorSegment(segments, from); from < endOffset && i < segments.length; i++) {
    const seg = segments[i];
    if (seg.baseOffset >= endOffset) break;
    seg.scanBatchesFrom(Math.max(from, seg.baseOffset), (b) => {
      const h = b.header;
      if (h.baseOffset >= endOffset) return false;
      const lastOffset = h.baseOffset + h.lastOffsetDelta;
      if (lastOffset < from || h.producerId < 0n) return true;
      const whole = b.at + b.size <= b.buf.length ? b.buf : seg.log.readSync(b.position, b.size);
      const at = whole === b.buf ? b.at : 0;
      const pending = noPendingChanges();
      try {
        analyzeBatch(ps, whole, at, h, h.baseOffset, lastOffset, h.maxTimestamp, 'replication', pending);
      } catch (e) {
        log.logger.warn(`skipping the producer state of batch ${h.baseOffset} in ${seg.log.path}: ${(e as Error).message}`);
        return true;
      }
      commitProducerState(ps, pending, h.baseOffset >= txnIndexFrom ? seg : null);
      return true;
    });
  }
  ps.updateMapEndOffset(endOffset);
  ps.takeSnapshot();
}

/**
 * Kafka's LogLoader/rebuildProducerState: the latest snapshot at or below the first recovered segment (or
 * the log end), then the log from there. Recovered segments get their `.txnindex` back on the way. A clean
 * shutdown without any snapshot is a log from before producer state existed: it starts empty at the end.
 */
export function loadProducerState(ps: ProducerStateManager, log: ReplayedLog, hadCleanShutdown: boolean, recoveredFrom: number | null, now: number): void {
  const { segments, logEndOffset } = log;
  ps.removeStraySnapshots(segments.map((s) => s.baseOffset));
  const snapshot = ps.loadLatestSnapshot(log.logStartOffset, recoveredFrom ?? logEndOffset, now, (m) => log.logger.warn(m));
  if (snapshot === null && hadCleanShutdown && recoveredFrom === null) {
    // Kafka's upgrade path: empty snapshots at the last two segment bases and the end, so a later
    // truncation or crash does not need a full scan either.
    for (const offset of [...segments.slice(-2).map((seg) => seg.baseOffset), logEndOffset]) {
      ps.updateMapEndOffset(offset);
      ps.takeSnapshot();
    }
    return;
  }
  replayProducerState(ps, log, recoveredFrom ?? Infinity);
}
