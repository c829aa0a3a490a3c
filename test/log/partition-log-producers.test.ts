// Producer state through the partition log on real temp dirs: duplicates and sequence errors, transactions
// and markers, the last stable offset, .txnindex and abortedTransactions, snapshots on roll and close,
// loading after clean and unclean shutdowns, truncation, follower appends, expiry by the log manager.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorCode } from '../../protocol/errors';
import { buildBatch, decodeBatch, isControl, isTransactional, readBatchHeader } from '../../protocol/records/batch';
import { LogConfig } from '../../src/log/log-config';
import { LogManager } from '../../src/log/log-manager';
import { flushPendingWrites } from '../../src/log/pending-writes';
import { AppendInfo, PartitionLog } from '../../src/log/partition-log';
import { listSnapshotOffsets, readProducerSnapshot } from '../../src/log/producer-snapshot';
import { FakeClock } from '../helpers/fake-clock';
import { expectCode, makeTempDir, removeDir, segmentFiles, splitBatches, testConfig } from './helpers';

const T0 = 1_700_000_000_000;

let tmp: string;
let opened: PartitionLog[] = [];

beforeEach(() => {
  tmp = makeTempDir();
});
afterEach(() => {
  for (const l of opened) l.close();
  opened = [];
  removeDir(tmp);
});

function createLog(overrides: Partial<LogConfig> = {}): PartitionLog {
  const l = PartitionLog.create({ logDir: tmp, topic: 'tx', partition: 0, config: testConfig(overrides), now: T0 });
  opened.push(l);
  return l;
}

function reopen(l: PartitionLog, clean: boolean, overrides: Partial<LogConfig> = {}, now = T0, recoveryPoint = 0): PartitionLog {
  if (!l.isClosed) l.close();
  opened = opened.filter((x) => x !== l);
  const r = PartitionLog.open({
    logDir: tmp,
    topic: 'tx',
    partition: 0,
    config: testConfig(overrides),
    now,
    hadCleanShutdown: clean,
    recoveryPointCheckpoint: recoveryPoint,
  });
  opened.push(r);
  return r;
}

interface P {
  pid?: bigint;
  epoch?: number;
  seq: number;
  count?: number;
  txn?: boolean;
  ts?: number;
}

function pbatch(p: P): Buffer {
  const count = p.count ?? 1;
  const ts = p.ts ?? T0;
  const records = Array.from({ length: count }, (_, i) => ({ key: Buffer.from(`k${p.seq + i}`), value: Buffer.from(`v${p.seq + i}`), timestamp: ts }));
  return buildBatch(records, {
    producerId: p.pid ?? 7n,
    producerEpoch: p.epoch ?? 0,
    baseSequence: p.seq,
    transactional: p.txn ?? false,
    baseTimestamp: ts,
  });
}

function put(l: PartitionLog, p: P, origin?: 'client' | 'coordinator'): AppendInfo {
  return l.append(pbatch(p), { leaderEpoch: 0, now: T0, origin });
}

function plain(l: PartitionLog, count = 1): AppendInfo {
  const records = Array.from({ length: count }, (_, i) => ({ key: null, value: Buffer.from(`p${i}`), timestamp: T0 }));
  return l.append(buildBatch(records, { baseTimestamp: T0 }), { leaderEpoch: 0, now: T0 });
}

function endTxn(l: PartitionLog, commit: boolean, opts: { pid?: bigint; epoch?: number; coordinatorEpoch?: number } = {}): AppendInfo {
  return l.appendEndTxnMarker(
    { producerId: opts.pid ?? 7n, producerEpoch: opts.epoch ?? 0, coordinatorEpoch: opts.coordinatorEpoch ?? 0, commit },
    { leaderEpoch: 0, now: T0 + 5 },
  );
}

async function readAll(l: PartitionLog): Promise<Buffer[]> {
  const r = await l.read(l.logStartOffset, 1 << 20, { minOneBatch: true });
  return splitBatches(r.records);
}

describe('idempotent appends', () => {
  test('a retried batch among the last five answers its original offsets and writes nothing', () => {
    const l = createLog();
    plain(l, 2);
    const first = put(l, { seq: 0, count: 3, ts: T0 + 1 });
    put(l, { seq: 3, count: 2 });
    const size = l.size;
    const again = put(l, { seq: 0, count: 3, ts: T0 + 1 });
    expect(again).toMatchObject({ duplicate: true, firstOffset: first.firstOffset, lastOffset: first.lastOffset, logAppendTime: T0 + 1 });
    expect(first.duplicate).toBe(false);
    expect(l.size).toBe(size);
    expect(l.logEndOffset).toBe(7);
  });

  test('with LogAppendTime a duplicate answers the time the original was appended', () => {
    const l = createLog({ messageTimestampType: 'LogAppendTime' });
    l.append(pbatch({ seq: 0, ts: 5 }), { leaderEpoch: 0, now: T0 + 50 });
    const again = l.append(pbatch({ seq: 0, ts: 5 }), { leaderEpoch: 0, now: T0 + 90 });
    expect(again).toMatchObject({ duplicate: true, firstOffset: 0, logAppendTime: T0 + 50 });
    expect(l.activeProducers()[0].lastTimestamp).toBe(T0 + 50);
  });

  test('a sequence gap is OUT_OF_ORDER_SEQUENCE_NUMBER, an older epoch INVALID_PRODUCER_EPOCH; nothing is written', () => {
    const l = createLog();
    put(l, { seq: 0, epoch: 1 });
    expectCode(() => put(l, { seq: 2, epoch: 1 }), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expectCode(() => put(l, { seq: 1, epoch: 0 }), ErrorCode.INVALID_PRODUCER_EPOCH);
    expectCode(() => put(l, { seq: 3, epoch: 2 }), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(l.logEndOffset).toBe(1);
    put(l, { seq: 0, epoch: 2 });
    expect(l.activeProducers()).toEqual([
      { producerId: 7n, producerEpoch: 2, lastSequence: 0, lastTimestamp: T0, coordinatorEpoch: -1, currentTxnStartOffset: -1 },
    ]);
  });

  test('a bad batch later in a multi-batch append leaves the log and the state untouched', () => {
    const l = createLog();
    put(l, { seq: 0 });
    const records = Buffer.concat([pbatch({ seq: 1 }), pbatch({ seq: 5 })]);
    expectCode(() => l.append(records, { leaderEpoch: 0, now: T0 }), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(l.logEndOffset).toBe(1);
    put(l, { seq: 1 });
  });

  test('coordinator appends skip sequence checks but not epochs', () => {
    const l = createLog();
    put(l, { seq: 0, epoch: 3, txn: true }, 'coordinator');
    put(l, { seq: 9, epoch: 3, txn: true }, 'coordinator');
    expectCode(() => put(l, { seq: 10, epoch: 2, txn: true }, 'coordinator'), ErrorCode.INVALID_PRODUCER_EPOCH);
  });

  test('batches without a producer id leave no state', () => {
    const l = createLog();
    plain(l, 5);
    expect(l.activeProducers()).toEqual([]);
    expect(l.lastStableOffset).toBe(5);
  });
});

describe('transactions', () => {
  test('an open transaction holds the LSO at its first offset; COMMIT releases it once the high watermark passes', () => {
    const l = createLog();
    plain(l);
    const t = put(l, { seq: 0, count: 2, txn: true });
    plain(l);
    put(l, { seq: 2, txn: true });
    expect(l.lastStableOffset).toBe(t.firstOffset);
    expect(l.activeProducers()[0].currentTxnStartOffset).toBe(t.firstOffset);
    l.initHighWatermark();
    l.highWatermark = 5;
    const marker = endTxn(l, true);
    expect(marker.firstOffset).toBe(5);
    expect(l.lastStableOffset).toBe(t.firstOffset);
    l.highWatermark = 6;
    expect(l.lastStableOffset).toBe(6);
    expect(segmentFiles(l.dir, '.txnindex')).toEqual([]);
  });

  test('the marker is a transactional control batch with Kafka key and value', async () => {
    const l = createLog();
    put(l, { seq: 0, txn: true, epoch: 4 });
    endTxn(l, false, { epoch: 4, coordinatorEpoch: 9 });
    const batches = await readAll(l);
    const h = readBatchHeader(batches[1]);
    expect(isControl(h.attributes) && isTransactional(h.attributes)).toBe(true);
    expect([h.producerId, h.producerEpoch, h.baseSequence, h.recordCount]).toEqual([7n, 4, -1, 1]);
    const r = decodeBatch(batches[1]).records[0];
    expect(r.key!.toString('hex')).toBe('00000000');
    expect(r.value!.toString('hex')).toBe('000000000009');
  });

  test('ABORT writes a .txnindex entry; abortedTransactions finds overlapping aborts', async () => {
    const l = createLog();
    put(l, { pid: 1n, seq: 0, txn: true }); // 0
    put(l, { pid: 2n, seq: 0, txn: true }); // 1
    endTxn(l, false, { pid: 1n }); // 2: LSO after it is still 1 (producer 2 open)
    endTxn(l, true, { pid: 2n }); // 3
    put(l, { pid: 1n, seq: 1, txn: true }); // 4
    endTxn(l, false, { pid: 1n }); // 5
    expect(segmentFiles(l.dir, '.txnindex')).toEqual(['00000000000000000000.txnindex']);
    const bytes = fs.readFileSync(path.join(l.dir, '00000000000000000000.txnindex'));
    expect(bytes.length).toBe(68);
    expect([Number(bytes.readBigInt64BE(10)), Number(bytes.readBigInt64BE(18)), Number(bytes.readBigInt64BE(26))]).toEqual([0, 2, 1]);
    expect(await l.abortedTransactions(0, 6)).toEqual([
      { producerId: 1n, firstOffset: 0 },
      { producerId: 1n, firstOffset: 4 },
    ]);
    expect(await l.abortedTransactions(3, 4)).toEqual([]);
    expect(await l.abortedTransactions(4, 6)).toEqual([{ producerId: 1n, firstOffset: 4 }]);
    expect(l.lastStableOffset).toBe(6);
  });

  test('markers: a lower coordinator epoch is TRANSACTION_COORDINATOR_FENCED, an older producer epoch INVALID_PRODUCER_EPOCH', () => {
    const l = createLog();
    put(l, { seq: 0, txn: true, epoch: 2 });
    endTxn(l, true, { epoch: 2, coordinatorEpoch: 5 });
    put(l, { seq: 1, txn: true, epoch: 2 });
    const end = l.logEndOffset;
    expectCode(() => endTxn(l, true, { epoch: 2, coordinatorEpoch: 4 }), ErrorCode.TRANSACTION_COORDINATOR_FENCED);
    expectCode(() => endTxn(l, true, { epoch: 1, coordinatorEpoch: 5 }), ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(l.logEndOffset).toBe(end);
    endTxn(l, false, { epoch: 3, coordinatorEpoch: 6 });
    expect(l.activeProducers()[0]).toMatchObject({ producerEpoch: 3, coordinatorEpoch: 6, currentTxnStartOffset: -1, lastSequence: -1 });
  });

  test('a non-transactional write by a producer with an open transaction is INVALID_TXN_STATE', () => {
    const l = createLog();
    put(l, { seq: 0, txn: true });
    expectCode(() => put(l, { seq: 1 }), ErrorCode.INVALID_TXN_STATE);
  });
});

describe('snapshots', () => {
  test('a roll writes a snapshot at the new base offset; a clean close one at the log end', () => {
    const l = createLog();
    put(l, { seq: 0, count: 2, txn: true });
    l.roll(T0);
    expect(listSnapshotOffsets(l.dir)).toEqual([2]);
    expect(segmentFiles(l.dir, '.snapshot')).toEqual(['00000000000000000002.snapshot']);
    expect(readProducerSnapshot(l.dir, 2)).toEqual([
      { producerId: 7n, producerEpoch: 0, lastSequence: 1, lastOffset: 1, offsetDelta: 1, timestamp: T0, coordinatorEpoch: -1, currentTxnFirstOffset: 0 },
    ]);
    put(l, { seq: 2, txn: true });
    l.close();
    expect(listSnapshotOffsets(l.dir)).toEqual([2, 3]);
  });

  test('after a clean shutdown the state, duplicates and open transactions come back from the snapshot', () => {
    let l = createLog();
    put(l, { pid: 1n, seq: 0, count: 2 });
    const open = put(l, { pid: 2n, seq: 0, txn: true });
    l = reopen(l, true);
    expect(l.activeProducers().map((p) => p.producerId).sort()).toEqual([1n, 2n]);
    expect(put(l, { pid: 1n, seq: 0, count: 2 })).toMatchObject({ duplicate: true, firstOffset: 0 });
    expectCode(() => put(l, { pid: 1n, seq: 5 }), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(l.lastStableOffset).toBe(open.firstOffset);
  });

  test('after an unclean shutdown the tail is replayed from the latest snapshot and the .txnindex rebuilt', async () => {
    let l = createLog();
    put(l, { pid: 1n, seq: 0, txn: true });
    l.roll(T0);
    put(l, { pid: 2n, seq: 0, txn: true });
    endTxn(l, false, { pid: 1n });
    put(l, { pid: 1n, seq: 1, count: 3 });
    const before = l.activeProducers();
    const aborted = await l.abortedTransactions(0, l.logEndOffset);
    l.close();
    // Crash after the roll: only the roll's snapshot survives, the index of the last segment is lost.
    fs.rmSync(path.join(l.dir, '00000000000000000006.snapshot'));
    fs.rmSync(path.join(l.dir, '00000000000000000001.txnindex'));
    l = reopen(l, false, {}, T0, 1);
    expect(l.activeProducers()).toEqual(before);
    expect(await l.abortedTransactions(0, l.logEndOffset)).toEqual(aborted);
    expect(aborted).toEqual([{ producerId: 1n, firstOffset: 0 }]);
    expect(l.lastStableOffset).toBe(1);
    expect(listSnapshotOffsets(l.dir)).toEqual([1, 6]);
  });

  test('recovering from an earlier segment drops the snapshots after it and replays from there', async () => {
    let l = createLog();
    put(l, { pid: 1n, seq: 0, txn: true });
    endTxn(l, false, { pid: 1n });
    l.roll(T0);
    put(l, { pid: 1n, seq: 1 });
    l.close();
    fs.rmSync(path.join(l.dir, '00000000000000000000.txnindex'));
    l = reopen(l, false, {}, T0, 0);
    expect(await l.abortedTransactions(0, 3)).toEqual([{ producerId: 1n, firstOffset: 0 }]);
    expect(l.activeProducers()[0].lastSequence).toBe(1);
    expect(listSnapshotOffsets(l.dir)).toEqual([3]);
  });

  test('without any snapshot an unclean open replays the whole log', () => {
    let l = createLog();
    put(l, { seq: 0, count: 2 });
    put(l, { seq: 2, txn: true });
    l.close();
    for (const o of listSnapshotOffsets(l.dir)) fs.rmSync(path.join(l.dir, `${String(o).padStart(20, '0')}.snapshot`));
    l = reopen(l, false);
    expect(l.activeProducers()[0]).toMatchObject({ lastSequence: 2, currentTxnStartOffset: 2 });
  });

  test('a clean shutdown without any snapshot (a log from before producer state) starts empty without a scan', () => {
    let l = createLog();
    put(l, { seq: 0, count: 2 });
    l.roll(T0);
    put(l, { seq: 2 });
    l.roll(T0);
    put(l, { seq: 3 });
    l.close();
    for (const o of listSnapshotOffsets(l.dir)) fs.rmSync(path.join(l.dir, `${String(o).padStart(20, '0')}.snapshot`));
    l = reopen(l, true);
    expect(l.activeProducers()).toEqual([]);
    // Empty snapshots at the last two segment bases and the log end, as Kafka writes on this path.
    expect(listSnapshotOffsets(l.dir)).toEqual([2, 3, 4]);
    expect(readProducerSnapshot(l.dir, 3)).toEqual([]);
    put(l, { seq: 40 });
  });

  test('a corrupt latest snapshot is deleted and an older one used', () => {
    let l = createLog();
    put(l, { seq: 0 });
    l.roll(T0);
    put(l, { seq: 1 });
    l.close();
    const latest = path.join(l.dir, '00000000000000000002.snapshot');
    const bytes = fs.readFileSync(latest);
    bytes[bytes.length - 1] ^= 0xff;
    fs.writeFileSync(latest, bytes);
    l = reopen(l, true);
    expect(l.activeProducers()[0].lastSequence).toBe(1);
    expect(readProducerSnapshot(l.dir, 2)[0].lastSequence).toBe(1);
  });

  test('stray snapshots go at open, except the newest past the last segment base', () => {
    let l = createLog();
    put(l, { seq: 0 });
    l.roll(T0);
    put(l, { seq: 1 });
    l.close();
    fs.copyFileSync(path.join(l.dir, '00000000000000000001.snapshot'), path.join(l.dir, '00000000000000000000.snapshot'));
    l = reopen(l, true);
    expect(listSnapshotOffsets(l.dir)).toEqual([1, 2]);
  });

  test('segment deletion takes the snapshot at its base along', () => {
    const l = createLog();
    put(l, { seq: 0 });
    l.roll(T0);
    put(l, { seq: 1 });
    l.roll(T0);
    expect(listSnapshotOffsets(l.dir)).toEqual([1, 2]);
    l.deleteRecordsBefore(2);
    expect(listSnapshotOffsets(l.dir)).toEqual([2]);
  });
});

describe('truncation', () => {
  test('truncating rebuilds the state below the point: snapshots, .txnindex entries and transactions follow', async () => {
    const l = createLog();
    put(l, { seq: 0 }); // 0
    l.roll(T0);
    put(l, { seq: 1, txn: true }); // 1
    endTxn(l, false); // 2
    put(l, { seq: 2, txn: true }); // 3
    l.roll(T0);
    endTxn(l, false); // 4
    put(l, { seq: 3 }); // 5
    expect(listSnapshotOffsets(l.dir)).toEqual([1, 4]);
    expect((await l.abortedTransactions(0, 6)).length).toBe(2);
    l.truncateTo(3);
    expect(l.logEndOffset).toBe(3);
    expect(listSnapshotOffsets(l.dir)).toEqual([1, 3]);
    expect(l.activeProducers()[0]).toMatchObject({ lastSequence: 1, currentTxnStartOffset: -1 });
    expect(await l.abortedTransactions(0, 3)).toEqual([{ producerId: 7n, firstOffset: 1 }]);
    expect(put(l, { seq: 1, txn: true })).toMatchObject({ duplicate: true, firstOffset: 1 });
    l.truncateTo(2);
    expect(l.activeProducers()[0]).toMatchObject({ lastSequence: 1, currentTxnStartOffset: 1 });
    expect(l.lastStableOffset).toBe(1);
    expect(await l.abortedTransactions(0, 2)).toEqual([]);
  });

  test('truncating fully forgets every producer and snapshot', () => {
    const l = createLog();
    put(l, { seq: 0, txn: true });
    l.roll(T0);
    l.truncateFullyAndStartAt(10);
    expect(l.activeProducers()).toEqual([]);
    expect(listSnapshotOffsets(l.dir)).toEqual([]);
    expect(l.lastStableOffset).toBe(10);
  });
});

describe('follower appends', () => {
  test('replicated batches build the same producers, transactions and .txnindex as the leader', async () => {
    const leader = createLog();
    put(leader, { pid: 1n, seq: 0, txn: true });
    plain(leader);
    put(leader, { pid: 2n, seq: 0, count: 2 });
    endTxn(leader, false, { pid: 1n, coordinatorEpoch: 3 });
    put(leader, { pid: 1n, seq: 1, txn: true, epoch: 0 });
    const data = Buffer.concat(await readAll(leader));
    const followerDir = path.join(tmp, 'follower');
    fs.mkdirSync(followerDir);
    const follower = PartitionLog.create({ logDir: followerDir, topic: 'tx', partition: 0, config: testConfig(), now: T0 });
    opened.push(follower);
    follower.appendAsFollower(data, T0);
    expect(follower.activeProducers()).toEqual(leader.activeProducers());
    expect(await follower.abortedTransactions(0, 10)).toEqual(await leader.abortedTransactions(0, 10));
    expect(fs.readFileSync(path.join(follower.dir, '00000000000000000000.txnindex'))).toEqual(
      fs.readFileSync(path.join(leader.dir, '00000000000000000000.txnindex')),
    );
    follower.initHighWatermark();
    follower.highWatermark = follower.logEndOffset;
    expect(follower.lastStableOffset).toBe(5);
  });
});

describe('expiry', () => {
  test('the log manager forgets idle producers every producer.id.expiration.check.interval.ms', async () => {
    const clock = new FakeClock(T0);
    const m = await LogManager.open({ logDirs: [tmp], defaultConfig: testConfig(), clock, tasks: false, producerIdExpirationMs: 10_000 });
    try {
      const l = m.createPartition('tx', 0);
      put(l, { pid: 1n, seq: 0, ts: T0 });
      put(l, { pid: 2n, seq: 0, ts: T0, txn: true });
      put(l, { pid: 3n, seq: 0, ts: T0 + 8_000 });
      m.startTasks({ producerIdExpirationCheckIntervalMs: 5_000 });
      clock.advance(5_000);
      expect(l.activeProducers().length).toBe(3);
      clock.advance(5_000);
      expect(l.activeProducers().map((p) => p.producerId).sort()).toEqual([2n, 3n]);
      clock.advance(10_000);
      expect(l.activeProducers().map((p) => p.producerId)).toEqual([2n]);
      put(l, { pid: 1n, seq: 77 });
    } finally {
      await m.close();
    }
  });

  test('a log manager shutdown and restart keeps producer state (clean) and rebuilds it (unclean)', async () => {
    const clock = new FakeClock(T0);
    let m = await LogManager.open({ logDirs: [tmp], defaultConfig: testConfig(), clock, tasks: false });
    let l = m.createPartition('tx', 0);
    put(l, { seq: 0, count: 2, txn: true });
    endTxn(l, false);
    await m.close();
    m = await LogManager.open({ logDirs: [tmp], defaultConfig: testConfig(), clock, tasks: false });
    l = m.get('tx', 0)!;
    expect(l.activeProducers()[0]).toMatchObject({ lastSequence: 1, currentTxnStartOffset: -1 });
    expect(await l.abortedTransactions(0, 3)).toEqual([{ producerId: 7n, firstOffset: 0 }]);
    put(l, { seq: 2, txn: true });
    m.checkpoint();
    // No close: the data reaches the files but the next open is unclean and replays past the last snapshot.
    flushPendingWrites();
    m.stopTasks();
    const crashed = l;
    const m2 = await LogManager.open({ logDirs: [tmp], defaultConfig: testConfig(), clock, tasks: false });
    try {
      const again = m2.get('tx', 0)!;
      expect(again.activeProducers()).toEqual(crashed.activeProducers());
      expect(again.lastStableOffset).toBe(3);
    } finally {
      await m2.close();
      crashed.close();
    }
  });

  test('expired producers are not loaded from a snapshot', () => {
    let l = createLog();
    put(l, { pid: 1n, seq: 0, ts: T0 });
    l.close();
    l = reopen(l, true, {}, T0 + 86_400_000);
    expect(l.activeProducers()).toEqual([]);
  });
});

describe('transaction verification (KIP-890)', () => {
  const verified = (l: PartitionLog, p: P, guard: object | null) =>
    l.append(pbatch({ ...p, txn: true }), { leaderEpoch: 0, now: T0, verificationGuards: new Map(guard ? [[p.pid ?? 7n, guard as never]] : []) });

  test('a transaction opens only with the guard its verification started with; once open, none is needed', () => {
    const l = createLog();
    expect(() => verified(l, { seq: 0 }, null)).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_TXN_STATE, message: 'Record was not part of an ongoing transaction' }));
    const guard = l.maybeStartTransactionVerification(7n);
    expect(guard).not.toBeNull();
    expect(l.maybeStartTransactionVerification(7n)).toBe(guard);
    expect(() => verified(l, { seq: 0 }, {})).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_TXN_STATE }));
    expect(verified(l, { seq: 0 }, guard).firstOffset).toBe(0);
    expect(l.maybeStartTransactionVerification(7n)).toBeNull();
    expect(verified(l, { seq: 1 }, null).firstOffset).toBe(1);
  });

  test('a marker between the verification and the write voids the guard: the late write cannot reopen the transaction', () => {
    const l = createLog();
    const guard = l.maybeStartTransactionVerification(7n)!;
    l.appendEndTxnMarker({ producerId: 7n, producerEpoch: 0, coordinatorEpoch: 0, commit: false }, { leaderEpoch: 0, now: T0 });
    expect(() => verified(l, { seq: 0 }, guard)).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_TXN_STATE }));
    expect(l.lastStableOffset).toBe(l.highWatermark);
    expect(l.logEndOffset).toBe(1);
  });

  test('appends without guards (verification off, coordinators) are not checked', () => {
    const l = createLog();
    expect(put(l, { seq: 0, txn: true }).firstOffset).toBe(0);
  });
});
