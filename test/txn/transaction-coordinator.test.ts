// The transaction coordinator on fake time, an in-memory __transaction_state and a fake marker
// sender: Kafka's state transitions and errors, markers and their retries, timeouts with an epoch
// bump, KIP-360 bumps, epoch exhaustion, id expiry, and a new coordinator resuming markers.
import { ErrorCode, KafkaError } from '../../protocol/errors';
import { decodeTransactionLogKey, decodeTransactionLogValue, encodeTransactionLogKey, encodeTransactionLogValue, TransactionStatus } from '../../protocol/internal/transaction-log';
import { buildBatch } from '../../protocol/records/batch';
import { partitionForKey } from '../../src/coordinator/key-partition';
import { TRANSACTION_STATE_TOPIC } from '../../src/txn/transaction-state-manager';
import { CONFIG, ClusterFakes, clusterFakes, coordinatorOn, settle, topic, txnPartitionOf, TXN_PARTITIONS } from './harness';

const ORDERS = [
  { topic: 'orders', partition: 0 },
  { topic: 'orders', partition: 1 },
];

/** States written for an id, in order ("Dead" for tombstones). */
function written(fakes: ClusterFakes, id: string): string[] {
  const log = fakes.logs.get(`${TRANSACTION_STATE_TOPIC}-${txnPartitionOf(id)}`);
  return (log?.records() ?? [])
    .filter((r) => decodeTransactionLogKey(r.key!) === id)
    .map((r) => {
      if (r.value === null) return 'tombstone';
      const v = decodeTransactionLogValue(r.value);
      return `${Object.keys(TransactionStatus)[v.transactionStatus]}@${v.producerEpoch}`;
    });
}

async function started(fakes = clusterFakes(), brokerId?: number) {
  const { coordinator, sender } = coordinatorOn(fakes, brokerId);
  await coordinator.start();
  return { fakes, coordinator, sender };
}

async function initialized(id = 'txn', timeoutMs = 60_000) {
  const env = await started();
  const init = await env.coordinator.initProducerId(id, timeoutMs, null);
  expect(init.errorCode).toBe(ErrorCode.NONE);
  return { ...env, init };
}

describe('InitProducerId', () => {
  it('hands out fresh ids from a claimed block without a transactional id', async () => {
    const { coordinator, fakes } = await started();
    expect(await coordinator.initProducerId(null, 0, null)).toEqual({ errorCode: ErrorCode.NONE, producerId: 0n, producerEpoch: 0 });
    expect(await coordinator.initProducerId(null, 0, null)).toEqual({ errorCode: ErrorCode.NONE, producerId: 1n, producerEpoch: 0 });
    expect(fakes.blocks).toEqual([{ brokerId: 1, firstProducerId: 0n, lastProducerId: 999n }]);
  });

  it('creates the id at epoch 0, then bumps the epoch on each init', async () => {
    const { coordinator, fakes, init } = await initialized();
    expect(init).toEqual({ errorCode: ErrorCode.NONE, producerId: 0n, producerEpoch: 0 });
    expect(await coordinator.initProducerId('txn', 60_000, null)).toEqual({ errorCode: ErrorCode.NONE, producerId: 0n, producerEpoch: 1 });
    expect(written(fakes, 'txn')).toEqual(['Empty@0', 'Empty@1']);
  });

  it('refuses empty ids and timeouts over transaction.max.timeout.ms', async () => {
    const { coordinator } = await started();
    expect((await coordinator.initProducerId('', 60_000, null)).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect((await coordinator.initProducerId('txn', CONFIG.transactionMaxTimeoutMs + 1, null)).errorCode).toBe(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    expect((await coordinator.initProducerId('txn', 0, null)).errorCode).toBe(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
  });

  it('answers NOT_COORDINATOR for ids of partitions another broker leads', async () => {
    const fakes = clusterFakes();
    fakes.topics.set(TRANSACTION_STATE_TOPIC, topic(TRANSACTION_STATE_TOPIC, TXN_PARTITIONS, 7));
    const { coordinator } = await started(fakes);
    expect(await coordinator.initProducerId('txn', 60_000, null)).toEqual({ errorCode: ErrorCode.NOT_COORDINATOR, producerId: -1n, producerEpoch: -1 });
  });

  it('maps a failed write as Kafka does and leaves no transition pending', async () => {
    const { coordinator, fakes } = await initialized();
    fakes.replication.error = new KafkaError(ErrorCode.NOT_ENOUGH_REPLICAS, 'few');
    expect((await coordinator.initProducerId('txn', 60_000, null)).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    fakes.replication.error = null;
    expect(await coordinator.initProducerId('txn', 60_000, null)).toMatchObject({ errorCode: ErrorCode.NONE, producerEpoch: 1 });
  });

  it('KIP-360: bumps for the current epoch, repeats for a retry, fences anything else', async () => {
    const { coordinator } = await initialized();
    expect(await coordinator.initProducerId('txn', 60_000, { producerId: 0n, producerEpoch: 0 })).toMatchObject({ errorCode: ErrorCode.NONE, producerEpoch: 1 });
    // A retry of that call (epoch 0 is now the last epoch) gets the same answer.
    expect(await coordinator.initProducerId('txn', 60_000, { producerId: 0n, producerEpoch: 0 })).toMatchObject({ errorCode: ErrorCode.NONE, producerEpoch: 1 });
    expect((await coordinator.initProducerId('txn', 60_000, { producerId: 0n, producerEpoch: 5 })).errorCode).toBe(ErrorCode.PRODUCER_FENCED);
    expect((await coordinator.initProducerId('txn', 60_000, { producerId: 42n, producerEpoch: 1 })).errorCode).toBe(ErrorCode.PRODUCER_FENCED);
    // A plain init forgets the last epoch: the old producer's retry is fenced.
    expect(await coordinator.initProducerId('txn', 60_000, null)).toMatchObject({ producerEpoch: 2 });
    expect((await coordinator.initProducerId('txn', 60_000, { producerId: 0n, producerEpoch: 1 })).errorCode).toBe(ErrorCode.PRODUCER_FENCED);
  });

  it('rotates to a new producer id once the epochs are exhausted', async () => {
    const fakes = clusterFakes();
    const { coordinator: first } = await started(fakes);
    await first.initProducerId(null, 0, null);
    first.shutdown();
    // The id's record says epoch 32766 (Short.MAX_VALUE - 1).
    const id = 'old-txn';
    const value = encodeTransactionLogValue({
      producerId: 7n,
      producerEpoch: 32766,
      transactionTimeoutMs: 60_000,
      transactionStatus: TransactionStatus.CompleteCommit,
      transactionPartitions: [],
      transactionLastUpdateTimestampMs: 1n,
      transactionStartTimestampMs: 1n,
    });
    fakes.logs.get(`${TRANSACTION_STATE_TOPIC}-${txnPartitionOf(id)}`)!.append(buildBatch([{ key: encodeTransactionLogKey(id), value }]));
    const { coordinator } = await started(fakes);
    expect(await coordinator.initProducerId(id, 60_000, null)).toEqual({ errorCode: ErrorCode.NONE, producerId: 1000n, producerEpoch: 0 });
    expect(written(fakes, id)).toEqual(['CompleteCommit@32766', 'Empty@0']);
  });

  it('aborts an ongoing transaction with a fencing epoch first and asks the producer to retry', async () => {
    const { coordinator, fakes, sender } = await initialized();
    await coordinator.addPartitionsToTxn('txn', 0n, 0, ORDERS);
    expect((await coordinator.initProducerId('txn', 60_000, null)).errorCode).toBe(ErrorCode.CONCURRENT_TRANSACTIONS);
    await settle();
    expect(sender.markerLog).toEqual(['orders-0:ABORT@1', 'orders-1:ABORT@1']);
    expect(await coordinator.initProducerId('txn', 60_000, null)).toMatchObject({ errorCode: ErrorCode.NONE, producerEpoch: 2 });
    expect(written(fakes, 'txn')).toEqual(['Empty@0', 'Ongoing@0', 'PrepareAbort@1', 'CompleteAbort@1', 'Empty@2']);
    // The fenced producer cannot end its transaction.
    expect(await coordinator.endTxn('txn', 0n, 0, true)).toBe(ErrorCode.PRODUCER_FENCED);
  });
});

describe('AddPartitionsToTxn and AddOffsetsToTxn', () => {
  it('checks the producer id and epoch', async () => {
    const { coordinator } = await initialized();
    expect(await coordinator.addPartitionsToTxn('unknown', 0n, 0, ORDERS)).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    expect(await coordinator.addPartitionsToTxn('txn', 5n, 0, ORDERS)).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    expect(await coordinator.addPartitionsToTxn('txn', 0n, 3, ORDERS)).toBe(ErrorCode.PRODUCER_FENCED);
    expect(await coordinator.addPartitionsToTxn('', 0n, 0, ORDERS)).toBe(ErrorCode.INVALID_REQUEST);
  });

  it('starts the transaction, adding partitions and the group offsets partition', async () => {
    const { coordinator, fakes } = await initialized();
    const start = fakes.clock.now();
    expect(await coordinator.addPartitionsToTxn('txn', 0n, 0, ORDERS.slice(0, 1))).toBe(ErrorCode.NONE);
    fakes.clock.advance(10);
    expect(await coordinator.addOffsetsToTxn('txn', 0n, 0, 'group-a')).toBe(ErrorCode.NONE);
    // Already there: nothing written.
    expect(await coordinator.addPartitionsToTxn('txn', 0n, 0, ORDERS.slice(0, 1))).toBe(ErrorCode.NONE);
    const described = coordinator.describeTransaction('txn');
    expect(described).toMatchObject({ errorCode: ErrorCode.NONE, transactionState: 'Ongoing', transactionStartTimeMs: BigInt(start), producerId: 0n, transactionTimeoutMs: 60_000 });
    expect(described.topics).toEqual([
      { topic: 'orders', partitions: [0] },
      { topic: '__consumer_offsets', partitions: [partitionForKey('group-a', 50)] },
    ]);
    expect(written(fakes, 'txn')).toEqual(['Empty@0', 'Ongoing@0', 'Ongoing@0']);
  });

  it('verifies partitions without writing (v4+ verify-only)', async () => {
    const { coordinator } = await initialized();
    await coordinator.addPartitionsToTxn('txn', 0n, 0, ORDERS.slice(0, 1));
    expect(coordinator.verifyPartitionsInTxn('txn', 0n, 0, ORDERS).map((p) => p.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.TRANSACTION_ABORTABLE]);
    expect(coordinator.verifyPartitionsInTxn('txn', 0n, 1, ORDERS).map((p) => p.errorCode)).toEqual([ErrorCode.PRODUCER_FENCED, ErrorCode.PRODUCER_FENCED]);
    expect(coordinator.verifyPartitionsInTxn('nope', 0n, 0, ORDERS)[0].errorCode).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
  });
});

describe('EndTxn', () => {
  it('writes PrepareCommit, answers, sends COMMIT markers to the leaders, then writes CompleteCommit', async () => {
    const { coordinator, fakes, sender } = await initialized();
    await coordinator.addPartitionsToTxn('txn', 0n, 0, ORDERS);
    await coordinator.addOffsetsToTxn('txn', 0n, 0, 'g');
    sender.holding = true;
    expect(await coordinator.endTxn('txn', 0n, 0, true)).toBe(ErrorCode.NONE);
    await settle();
    expect(sender.sent.map((s) => s.brokerId).sort()).toEqual([1, 2]);
    expect(sender.sent.flatMap((s) => s.markers.map((m) => m.coordinatorEpoch))).toEqual([5, 5]);
    // While the markers go out the transaction is busy.
    expect(await coordinator.endTxn('txn', 0n, 0, true)).toBe(ErrorCode.CONCURRENT_TRANSACTIONS);
    expect(await coordinator.addPartitionsToTxn('txn', 0n, 0, ORDERS)).toBe(ErrorCode.CONCURRENT_TRANSACTIONS);
    expect((await coordinator.initProducerId('txn', 60_000, null)).errorCode).toBe(ErrorCode.CONCURRENT_TRANSACTIONS);
    sender.release();
    await settle();
    expect(written(fakes, 'txn')).toEqual(['Empty@0', 'Ongoing@0', 'Ongoing@0', 'PrepareCommit@0', 'CompleteCommit@0']);
    expect(coordinator.describeTransaction('txn')).toMatchObject({ transactionState: 'CompleteCommit', topics: [] });
    // A retried commit succeeds; an abort now is an invalid transition.
    expect(await coordinator.endTxn('txn', 0n, 0, true)).toBe(ErrorCode.NONE);
    expect(await coordinator.endTxn('txn', 0n, 0, false)).toBe(ErrorCode.INVALID_TXN_STATE);
  });

  it('refuses to end a transaction that never started, and stale producers', async () => {
    const { coordinator } = await initialized();
    expect(await coordinator.endTxn('txn', 0n, 0, true)).toBe(ErrorCode.INVALID_TXN_STATE);
    expect(await coordinator.endTxn('txn', 0n, 1, true)).toBe(ErrorCode.PRODUCER_FENCED);
    expect(await coordinator.endTxn('txn', 3n, 0, true)).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    expect(await coordinator.endTxn('other', 0n, 0, true)).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
  });

  it('sends again to the new leader after NOT_LEADER_OR_FOLLOWER', async () => {
    const { coordinator, fakes, sender } = await initialized();
    await coordinator.addPartitionsToTxn('txn', 0n, 0, ORDERS);
    sender.errors.set('orders-1', ErrorCode.NOT_LEADER_OR_FOLLOWER);
    await coordinator.endTxn('txn', 0n, 0, false);
    await settle();
    expect(coordinator.describeTransaction('txn')).toMatchObject({ transactionState: 'PrepareAbort', topics: [{ topic: 'orders', partitions: [1] }] });
    fakes.topics.get('orders')!.partitions[1].leader = 3;
    sender.errors.clear();
    fakes.clock.advance(100);
    await settle();
    expect(sender.sent.map((s) => s.brokerId)).toEqual([2, 3]);
    expect(coordinator.describeTransaction('txn').transactionState).toBe('CompleteAbort');
  });

  it('retries a broker that cannot be reached', async () => {
    const { coordinator, fakes, sender } = await initialized();
    await coordinator.addPartitionsToTxn('txn', 0n, 0, ORDERS);
    sender.down.add(2);
    await coordinator.endTxn('txn', 0n, 0, true);
    await settle();
    sender.down.clear();
    fakes.clock.advance(100);
    await settle();
    expect(coordinator.describeTransaction('txn').transactionState).toBe('CompleteCommit');
    expect(fakes.lines.some((l) => l.startsWith('WARN Sending transaction markers to broker 2 failed'))).toBe(true);
  });

  it('gives up on partitions the cluster no longer has', async () => {
    const { coordinator, fakes, sender } = await initialized();
    await coordinator.addPartitionsToTxn('txn', 0n, 0, ORDERS);
    sender.errors.set('orders-0', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    sender.errors.set('orders-1', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    await coordinator.endTxn('txn', 0n, 0, true);
    await settle();
    expect(coordinator.describeTransaction('txn').transactionState).toBe('PrepareCommit');
    fakes.topics.delete('orders');
    fakes.clock.advance(100);
    await settle();
    expect(coordinator.describeTransaction('txn').transactionState).toBe('CompleteCommit');
    expect(sender.sent).toHaveLength(1);
  });

  it('stops sending when the partition leader fences the producer epoch', async () => {
    const { coordinator, fakes, sender } = await initialized();
    await coordinator.addPartitionsToTxn('txn', 0n, 0, ORDERS);
    sender.errors.set('orders-0', ErrorCode.INVALID_PRODUCER_EPOCH);
    await coordinator.endTxn('txn', 0n, 0, true);
    await settle();
    fakes.clock.advance(1000);
    await settle();
    expect(sender.sent).toHaveLength(1);
    expect(coordinator.markers.pendingCount).toBe(0);
    expect(coordinator.describeTransaction('txn').transactionState).toBe('PrepareCommit');
  });
});

describe('timeouts and expiry', () => {
  it('aborts a transaction past its timeout with a bumped epoch, fencing the producer', async () => {
    const { coordinator, fakes, sender } = await initialized('txn', 15_000);
    await coordinator.addPartitionsToTxn('txn', 0n, 0, ORDERS);
    fakes.clock.advance(10_000);
    expect(coordinator.describeTransaction('txn').transactionState).toBe('Ongoing');
    fakes.clock.advance(10_000);
    await settle();
    expect(sender.markerLog).toEqual(['orders-0:ABORT@1', 'orders-1:ABORT@1']);
    expect(written(fakes, 'txn')).toEqual(['Empty@0', 'Ongoing@0', 'PrepareAbort@1', 'CompleteAbort@1']);
    expect(coordinator.describeTransaction('txn')).toMatchObject({ transactionState: 'CompleteAbort', producerEpoch: 1 });
    expect(await coordinator.addPartitionsToTxn('txn', 0n, 0, ORDERS)).toBe(ErrorCode.PRODUCER_FENCED);
    expect(await coordinator.endTxn('txn', 0n, 0, true)).toBe(ErrorCode.PRODUCER_FENCED);
  });

  it('keeps the fencing epoch when the fence could not be written, and bumps it only once', async () => {
    const { coordinator, fakes } = await initialized('txn', 15_000);
    await coordinator.addPartitionsToTxn('txn', 0n, 0, ORDERS);
    fakes.replication.error = new KafkaError(ErrorCode.REQUEST_TIMED_OUT, 'slow');
    fakes.clock.advance(20_000);
    await settle();
    fakes.replication.error = null;
    fakes.clock.advance(10_000);
    await settle();
    expect(written(fakes, 'txn')).toEqual(['Empty@0', 'Ongoing@0', 'PrepareAbort@1', 'PrepareAbort@1', 'CompleteAbort@1']);
  });

  it('removes ids idle longer than transactional.id.expiration.ms with a tombstone', async () => {
    const { coordinator, fakes } = await initialized();
    await coordinator.initProducerId('busy', 60_000, null);
    await coordinator.addPartitionsToTxn('busy', 1n, 0, ORDERS);
    fakes.clock.advance(CONFIG.transactionalIdExpirationMs + CONFIG.transactionRemoveExpiredTransactionCleanupIntervalMs);
    await settle();
    expect(written(fakes, 'txn')).toEqual(['Empty@0', 'tombstone']);
    expect(coordinator.describeTransaction('txn').errorCode).toBe(ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
    // An ongoing transaction does not expire (it times out instead).
    expect(written(fakes, 'busy')).not.toContain('tombstone');
  });
});

describe('coordinator failover', () => {
  it('a new coordinator loads the partition and finishes the markers of PrepareCommit', async () => {
    const fakes = clusterFakes();
    const a = await started(fakes);
    await a.coordinator.initProducerId('txn', 60_000, null);
    await a.coordinator.addPartitionsToTxn('txn', 0n, 0, ORDERS);
    a.sender.down.add(2);
    expect(await a.coordinator.endTxn('txn', 0n, 0, true)).toBe(ErrorCode.NONE);
    await settle();
    // Leadership moves away: the old coordinator forgets the id and stops its markers.
    const state = fakes.topics.get(TRANSACTION_STATE_TOPIC)!.partitions[txnPartitionOf('txn')];
    state.leader = 9;
    await a.coordinator.leadershipChanged();
    expect(a.coordinator.markers.pendingCount).toBe(0);
    expect((await a.coordinator.endTxn('txn', 0n, 0, true))).toBe(ErrorCode.NOT_COORDINATOR);
    // It comes back at a new leader epoch, on a coordinator that reads the log.
    state.leader = 1;
    state.leaderEpoch = 6;
    const b = await started(fakes);
    await settle();
    expect(b.sender.sent.flatMap((s) => s.markers.map((m) => `${m.commit ? 'COMMIT' : 'ABORT'}@${m.coordinatorEpoch}`))).toEqual(['COMMIT@6']);
    expect(written(fakes, 'txn')).toEqual(['Empty@0', 'Ongoing@0', 'PrepareCommit@0', 'CompleteCommit@0']);
    expect(b.coordinator.describeTransaction('txn')).toMatchObject({ transactionState: 'CompleteCommit', producerId: 0n });
    a.coordinator.shutdown();
    b.coordinator.shutdown();
  });
});

describe('DescribeTransactions and ListTransactions', () => {
  it('describes known ids and reports unknown ones', async () => {
    const { coordinator } = await initialized();
    expect(coordinator.describeTransaction('txn')).toMatchObject({ errorCode: ErrorCode.NONE, transactionState: 'Empty', transactionStartTimeMs: -1n });
    expect(coordinator.describeTransaction('nope').errorCode).toBe(ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
    expect(coordinator.describeTransaction('').errorCode).toBe(ErrorCode.INVALID_REQUEST);
    coordinator.shutdown();
    expect(coordinator.describeTransaction('txn').errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  });

  it('lists with state, producer id and duration filters', async () => {
    const { coordinator, fakes } = await initialized('a');
    await coordinator.initProducerId('b', 60_000, null);
    await coordinator.addPartitionsToTxn('b', 1n, 0, ORDERS);
    fakes.clock.advance(5000);
    const ids = (r: ReturnType<typeof coordinator.listTransactions>) => r.transactionStates.map((t) => `${t.transactionalId}:${t.transactionState}`).sort();
    expect(ids(coordinator.listTransactions([], [], -1))).toEqual(['a:Empty', 'b:Ongoing']);
    expect(ids(coordinator.listTransactions(['Ongoing'], [], -1))).toEqual(['b:Ongoing']);
    expect(ids(coordinator.listTransactions([], [0n], -1))).toEqual(['a:Empty']);
    expect(ids(coordinator.listTransactions([], [], 4000))).toEqual(['a:Empty', 'b:Ongoing']);
    expect(ids(coordinator.listTransactions(['Ongoing'], [], 6000))).toEqual([]);
    expect(coordinator.listTransactions(['Bogus', 'Empty'], [], -1).unknownStateFilters).toEqual(['Bogus']);
  });
});
