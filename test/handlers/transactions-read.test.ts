// The read side of transactions over real partition logs and their producer state: transactional
// batches and markers written as Produce and WriteTxnMarkers write them, then read back by Fetch
// (read_committed bounds, aborted transactions, down-conversion), ListOffsets and DescribeProducers.

import { Apis, ErrorCode } from '../../protocol';
import { buildBatch, decodeLegacy, forEachBatch, readBatchHeader } from '../../protocol/records';
import describeProducers from '../../src/handlers/61-describe-producers';
import fetch from '../../src/handlers/01-fetch';
import listOffsets from '../../src/handlers/02-list-offsets';
import writeTxnMarkers from '../../src/handlers/27-write-txn-markers';
import { TestBroker, addTopic, call, fakeGroups, settleUntil, testBroker, topicInfo, track } from './fake-context';

let b: TestBroker;
beforeEach(async () => {
  b = await testBroker();
  b.services.groups = fakeGroups();
  addTopic(b.metadata, b.logs, topicInfo('t', 1));
});
afterEach(() => b.close());

const log = () => b.logs.get('t', 0)!;
const sequences = new Map<bigint, number>();
beforeEach(() => sequences.clear());

/** Appends as Produce does, the high watermark following (replicated at once). */
function produce(count: number, producerId = -1n, transactional = false): void {
  const seq = sequences.get(producerId) ?? 0;
  if (producerId >= 0n) sequences.set(producerId, seq + count);
  const records = Array.from({ length: count }, (_, i) => ({ key: null, value: Buffer.from(`${producerId}:${seq + i}`), timestamp: 1_700_000_000_000 + i }));
  const ids = producerId >= 0n ? { producerId, producerEpoch: 0, baseSequence: seq, transactional } : {};
  log().append(buildBatch(records, ids), { leaderEpoch: 0, now: 0 });
  log().highWatermark = log().logEndOffset;
}

async function endTxn(producerId: bigint, commit: boolean): Promise<void> {
  const res = await call<typeof Apis.WriteTxnMarkers>(writeTxnMarkers, b.ctx(1), {
    markers: [{ producerId, producerEpoch: 0, transactionResult: commit, coordinatorEpoch: 0, topics: [{ name: 't', partitionIndexes: [0] }] }],
  });
  expect(res!.markers[0].topics[0].partitions[0].errorCode).toBe(ErrorCode.NONE);
  log().highWatermark = log().logEndOffset;
}

const fetchAt = async (fetchOffset: bigint, isolationLevel: number, version = 12, extra = {}) =>
  (await call<typeof Apis.Fetch>(fetch, b.ctx(version), {
    maxWaitMs: 0,
    minBytes: 0,
    isolationLevel,
    topics: [{ topic: 't', partitions: [{ partition: 0, fetchOffset, partitionMaxBytes: 1 << 20 }] }],
    ...extra,
  }))!.responses[0].partitions[0];

/** [base offset, last offset, control] of every batch. */
function batchesOf(records: Buffer | null): [number, number, boolean][] {
  const out: [number, number, boolean][] = [];
  forEachBatch(records!, (pos) => {
    const h = readBatchHeader(records!, pos);
    out.push([h.baseOffset, h.baseOffset + h.lastOffsetDelta, (h.attributes & 0x20) !== 0]);
  });
  return out;
}

test('read_committed stops at an open transaction; its ABORT moves the LSO and is listed as aborted', async () => {
  produce(2);
  produce(2, 1n, true);
  produce(1);
  expect(log().lastStableOffset).toBe(2);
  const open = await fetchAt(0n, 1);
  expect(open).toMatchObject({ highWatermark: 5n, lastStableOffset: 2n, abortedTransactions: [] });
  expect(batchesOf(open.records)).toEqual([[0, 1, false]]);
  const uncommitted = await fetchAt(0n, 0);
  expect(uncommitted.lastStableOffset).toBe(2n);
  expect(batchesOf(uncommitted.records)).toHaveLength(3);

  await endTxn(1n, false);
  const done = await fetchAt(0n, 1);
  expect(done).toMatchObject({ highWatermark: 6n, lastStableOffset: 6n, abortedTransactions: [{ producerId: 1n, firstOffset: 2n }] });
  expect(batchesOf(done.records)).toEqual([
    [0, 1, false],
    [2, 3, false],
    [4, 4, false],
    [5, 5, true],
  ]);
  // Past the aborted transaction's marker: nothing to skip any more.
  produce(1);
  expect((await fetchAt(6n, 1)).abortedTransactions).toEqual([]);
});

test('a committed transaction is not listed as aborted', async () => {
  produce(2, 1n, true);
  await endTxn(1n, true);
  const p = await fetchAt(0n, 1);
  expect(p).toMatchObject({ lastStableOffset: 3n, abortedTransactions: [] });
  expect(batchesOf(p.records)).toEqual([
    [0, 1, false],
    [2, 2, true],
  ]);
});

test('a waiting read_committed fetch is answered when the marker makes the transaction stable', async () => {
  produce(2, 1n, true);
  const pending = track(fetchAt(0n, 1, 12, { maxWaitMs: 1000, minBytes: 1 }));
  await settleUntil(() => b.clock.liveTimers > 0, 'the fetch waits');
  produce(1, 2n, true);
  await settleUntil(() => b.clock.liveTimers > 0, 'still waiting');
  expect(pending.settled).toBe(false);
  await endTxn(1n, true);
  const p = await pending.promise;
  expect(p.lastStableOffset).toBe(2n);
  expect(batchesOf(p.records)).toEqual([[0, 1, false]]);
});

test('ListOffsets latest under read_committed is the LSO', async () => {
  produce(3);
  produce(2, 1n, true);
  const latest = async (isolationLevel: number) =>
    (await call<typeof Apis.ListOffsets>(listOffsets, b.ctx(5), {
      replicaId: -1,
      isolationLevel,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, timestamp: -1n }] }],
    }))!.topics[0].partitions[0].offset;
  expect(await latest(1)).toBe(3n);
  expect(await latest(0)).toBe(5n);
  await endTxn(1n, true);
  expect(await latest(1)).toBe(6n);
});

test('down-converted fetches leave the markers out', async () => {
  produce(1, 1n, true);
  await endTxn(1n, false);
  produce(1);
  const v2 = decodeLegacy((await fetchAt(0n, 0, 2)).records!);
  expect(v2.map((m) => m.offset)).toEqual([0, 2]);
});

test('DescribeProducers shows the producer state of the log, with the open transaction start', async () => {
  produce(3, 1n, true);
  produce(2, 2n);
  const res = await call<typeof Apis.DescribeProducers>(describeProducers, b.ctx(0), { topics: [{ name: 't', partitionIndexes: [0] }] });
  const producers = res!.topics[0].partitions[0].activeProducers.map((p) => [p.producerId, p.producerEpoch, p.lastSequence, p.currentTxnStartOffset]);
  expect(producers.sort((x, y) => Number(x[0]) - Number(y[0]))).toEqual([
    [1n, 0, 2, 0n],
    [2n, 0, 1, -1n],
  ]);
  await endTxn(1n, true);
  const after = await call<typeof Apis.DescribeProducers>(describeProducers, b.ctx(0), { topics: [{ name: 't', partitionIndexes: [0] }] });
  expect(after!.topics[0].partitions[0].activeProducers.find((p) => p.producerId === 1n)!.currentTxnStartOffset).toBe(-1n);
});
