// ProducerAppendInfo/ProducerStateManager rules, in memory: sequences, epochs, the duplicate window,
// transactions and markers, the first unstable offset, expiry.
import { ErrorCode } from '../../protocol/errors';
import {
  AppendOrigin,
  ProducerStateManager,
  decrementSequence,
  incrementSequence,
} from '../../src/log/producer-state';
import { expectCode, makeTempDir, removeDir } from './helpers';

const INT32_MAX = 0x7fffffff;
const PID = 42n;

let dir: string;
let ps: ProducerStateManager;
let nextOffset: number;

beforeEach(() => {
  dir = makeTempDir();
  ps = new ProducerStateManager({ dir, name: 't-0', producerIdExpirationMs: 1000 });
  nextOffset = 0;
});
afterEach(() => removeDir(dir));

/** Appends a data batch of `count` records as the log would; returns its first offset. */
function data(epoch: number, firstSeq: number, count = 1, opts: { origin?: AppendOrigin; txn?: boolean; ts?: number; pid?: bigint } = {}): number {
  const info = ps.prepareUpdate(opts.pid ?? PID, opts.origin ?? 'client');
  const first = nextOffset;
  info.appendDataBatch(epoch, firstSeq, incrementSequence(firstSeq, count - 1), opts.ts ?? 100, first, first + count - 1, opts.txn ?? false);
  ps.update(info);
  nextOffset += count;
  return first;
}

function marker(epoch: number, commit: boolean, coordinatorEpoch = 0, origin: AppendOrigin = 'coordinator', pid = PID) {
  const info = ps.prepareUpdate(pid, origin);
  const done = info.appendEndTxnMarker(commit, coordinatorEpoch, epoch, nextOffset, 200);
  ps.update(info);
  if (done) ps.completeTxn(done);
  nextOffset++;
  return done;
}

describe('sequence numbers', () => {
  test('a producer without state is accepted at any sequence (KIP-360)', () => {
    data(0, 17, 3);
    expect(ps.lastEntry(PID)!.lastSeq).toBe(19);
  });

  test('the same epoch must continue right after the last sequence', () => {
    data(0, 0, 3);
    data(0, 3, 2);
    expectCode(() => data(0, 6), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expectCode(() => data(0, 2), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(ps.lastEntry(PID)!.lastSeq).toBe(4);
  });

  test('sequences wrap from Int32 max to 0', () => {
    data(0, INT32_MAX - 1, 2);
    expect(ps.lastEntry(PID)!.lastSeq).toBe(INT32_MAX);
    data(0, 0, 1);
    expect(ps.lastEntry(PID)!.lastSeq).toBe(0);
    expect(incrementSequence(INT32_MAX - 1, 3)).toBe(1);
    expect(decrementSequence(1, 3)).toBe(INT32_MAX - 1);
  });

  test('a new epoch must start at sequence 0 and forgets the old batches', () => {
    data(0, 0, 5);
    expectCode(() => data(1, 5), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    data(1, 0, 2);
    const e = ps.lastEntry(PID)!;
    expect([e.producerEpoch, e.lastSeq, e.batches.length]).toEqual([1, 1, 1]);
  });

  test('several batches of one append are checked against each other (once the producer has state)', () => {
    data(0, 0, 1);
    const info = ps.prepareUpdate(PID, 'client');
    info.appendDataBatch(0, 1, 2, 1, 1, 2, false);
    info.appendDataBatch(0, 3, 3, 1, 3, 3, false);
    expectCode(() => info.appendDataBatch(0, 5, 5, 1, 4, 4, false), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    // Nothing reaches the state until the append is applied.
    expect(ps.lastEntry(PID)!.lastSeq).toBe(0);
  });

  test('coordinator appends check epochs but not sequences; replication checks nothing', () => {
    data(2, 0, 1, { origin: 'coordinator' });
    data(2, 9, 1, { origin: 'coordinator' });
    expectCode(() => data(1, 0, 1, { origin: 'coordinator' }), ErrorCode.INVALID_PRODUCER_EPOCH);
    data(1, 50, 1, { origin: 'replication' });
    expect(ps.lastEntry(PID)!.producerEpoch).toBe(1);
  });

  test('an older epoch is INVALID_PRODUCER_EPOCH', () => {
    data(3, 0);
    expectCode(() => data(2, 1), ErrorCode.INVALID_PRODUCER_EPOCH);
  });
});

describe('duplicate window', () => {
  test('the last five batches of the current epoch are duplicates when first and last sequence match', () => {
    for (let i = 0; i < 6; i++) data(0, i * 2, 2);
    const e = ps.lastEntry(PID)!;
    expect(e.batches.length).toBe(5);
    expect(e.findDuplicate(0, 0, 1)).toBeUndefined();
    const dup = e.findDuplicate(0, 2, 3)!;
    expect([dup.lastOffset - dup.offsetDelta, dup.lastOffset]).toEqual([2, 3]);
    expect(e.findDuplicate(0, 10, 11)).toMatchObject({ lastOffset: 11 });
    expect(e.findDuplicate(0, 2, 2)).toBeUndefined();
    expect(e.findDuplicate(1, 2, 3)).toBeUndefined();
  });
});

describe('transactions', () => {
  test('a transactional batch opens a transaction at its first offset; the marker completes it', () => {
    data(0, 0, 2);
    const first = data(0, 2, 3, { txn: true });
    data(0, 5, 1, { txn: true });
    expect(ps.lastEntry(PID)!.currentTxnFirstOffset).toBe(first);
    expect(ps.firstUnstableOffset(0)).toBe(first);
    const done = marker(0, false)!;
    expect(done).toEqual({ producerId: PID, firstOffset: first, lastOffset: 6, aborted: true });
    expect(ps.lastEntry(PID)!.currentTxnFirstOffset).toBe(-1);
    // Completed but not replicated: still unstable until the high watermark passes the marker.
    expect(ps.firstUnstableOffset(6)).toBe(first);
    expect(ps.firstUnstableOffset(7)).toBeNull();
    expect(ps.hasTransactions).toBe(false);
  });

  test('a non-transactional write inside a transaction is INVALID_TXN_STATE', () => {
    data(0, 0, 1, { txn: true });
    expectCode(() => data(0, 1), ErrorCode.INVALID_TXN_STATE);
  });

  test('a marker without transactional data completes nothing but records the coordinator epoch', () => {
    expect(marker(0, true, 4)).toBeNull();
    expect(ps.lastEntry(PID)!.coordinatorEpoch).toBe(4);
  });

  test('markers are fenced by coordinator epoch and producer epoch', () => {
    data(2, 0, 1, { txn: true });
    marker(2, true, 5);
    data(2, 1, 1, { txn: true });
    expectCode(() => marker(2, true, 4), ErrorCode.TRANSACTION_COORDINATOR_FENCED);
    expectCode(() => marker(1, true, 5), ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(marker(2, false, 4, 'replication')).not.toBeNull();
  });

  test('a marker with a bumped epoch resets the sequence: the next batch starts at 0', () => {
    data(0, 0, 3, { txn: true });
    marker(1, false);
    const e = ps.lastEntry(PID)!;
    expect([e.producerEpoch, e.batches.length]).toEqual([1, 0]);
    expectCode(() => data(1, 3), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    data(1, 0);
  });

  test('the LSO after a completed transaction is the first other open transaction', () => {
    const a = data(0, 0, 1, { txn: true, pid: 1n });
    const b = data(0, 0, 1, { txn: true, pid: 2n });
    const info = ps.prepareUpdate(1n, 'coordinator');
    const done = info.appendEndTxnMarker(true, 0, 0, nextOffset, 1)!;
    ps.update(info);
    expect(done.firstOffset).toBe(a);
    expect(ps.lastStableOffsetAfter(done)).toBe(b);
    ps.completeTxn(done);
    expect(ps.firstUnstableOffset(nextOffset + 1)).toBe(b);
  });
});

describe('expiry and listing', () => {
  test('producers idle for producer.id.expiration.ms go unless a transaction is open', () => {
    data(0, 0, 1, { pid: 1n, ts: 100 });
    data(0, 0, 1, { pid: 2n, ts: 100, txn: true });
    data(0, 0, 1, { pid: 3n, ts: 900 });
    expect(ps.removeExpiredProducers(1099)).toBe(0);
    expect(ps.removeExpiredProducers(1100)).toBe(1);
    expect(ps.activeProducers().map((p) => p.producerId).sort()).toEqual([2n, 3n]);
    expect(ps.activeProducers().find((p) => p.producerId === 2n)).toEqual({
      producerId: 2n,
      producerEpoch: 0,
      lastSequence: 0,
      lastTimestamp: 100,
      coordinatorEpoch: -1,
      currentTxnStartOffset: 1,
    });
  });
});
