// The __transaction_state manager on an in-memory log: reading a partition back (last record per id
// wins, tombstones remove, other record types are skipped, Prepare* states come back ready to
// complete), the coordinator errors while loading, the topic's settings, and Kafka's mapping of
// append errors.
import { ErrorCode } from '../../protocol/errors';
import { TransactionStatus, encodeTransactionLogKey, encodeTransactionLogValue } from '../../protocol/internal/transaction-log';
import { buildBatch } from '../../protocol/records/batch';
import type { InternalTopicSpec } from '../../src/coordinator/coordinator-services';
import { TRANSACTION_STATE_TOPIC, TransactionStateManager, appendErrorOf } from '../../src/txn/transaction-state-manager';
import { CONFIG, MemoryLog, clusterFakes, servicesOn, settle, txnPartitionOf } from './harness';

function value(status: number, epoch: number, partitions: { topic: string; partitionIds: number[] }[] | null = []) {
  return encodeTransactionLogValue({
    producerId: 42n,
    producerEpoch: epoch,
    transactionTimeoutMs: 60_000,
    transactionStatus: status,
    transactionPartitions: partitions,
    transactionLastUpdateTimestampMs: 2000n,
    transactionStartTimestampMs: 1000n,
  });
}

/** Two ids in the same partition. */
function idsInOnePartition(): [string, string] {
  const first = 'id-0';
  for (let i = 1; ; i++) if (txnPartitionOf(`id-${i}`) === txnPartitionOf(first)) return [first, `id-${i}`];
}

test('loads the last record of each id, drops tombstoned ids and readies Prepare* completions', async () => {
  const fakes = clusterFakes();
  const [a, b] = idsInOnePartition();
  const log = new MemoryLog(TRANSACTION_STATE_TOPIC, txnPartitionOf(a));
  fakes.logs.set(`${TRANSACTION_STATE_TOPIC}-${txnPartitionOf(a)}`, log);
  log.append(buildBatch([{ key: encodeTransactionLogKey(a), value: value(TransactionStatus.Empty, 0, null) }, { key: encodeTransactionLogKey(b), value: value(TransactionStatus.Empty, 3, null) }]));
  log.append(buildBatch([{ key: Buffer.from([0, 9, 0, 0]), value: Buffer.from('other record type') }]));
  log.append(buildBatch([{ key: encodeTransactionLogKey(a), value: value(TransactionStatus.PrepareAbort, 1, [{ topic: 't', partitionIds: [0, 2] }]) }]));
  log.append(buildBatch([{ key: encodeTransactionLogKey(b), value: null }]));
  const manager = new TransactionStateManager(servicesOn(fakes), CONFIG);
  await manager.leadershipChanged();

  const lookup = manager.getTransactionState(a);
  if (!('found' in lookup) || !lookup.found) throw new Error('not loaded');
  const m = lookup.found.metadata;
  expect(lookup.found.coordinatorEpoch).toBe(5);
  expect({ state: m.state, producerId: m.producerId, epoch: m.producerEpoch, partitions: [...m.topicPartitions], start: m.txnStartTimestamp }).toEqual({
    state: 'PrepareAbort',
    producerId: 42n,
    epoch: 1,
    partitions: ['t-0', 't-2'],
    start: 1000,
  });
  expect(manager.getTransactionState(b)).toEqual({ errorCode: ErrorCode.NONE, found: undefined });
  const resumable = manager.takeResumable();
  expect(resumable.map((r) => [r.transactionalId, r.commit, r.complete.txnState])).toEqual([[a, false, 'CompleteAbort']]);
  expect(m.pendingState).toBe('CompleteAbort');
  expect(manager.takeResumable()).toEqual([]);
});

test('answers COORDINATOR_LOAD_IN_PROGRESS while a partition is read back, NOT_COORDINATOR once another broker leads', async () => {
  const fakes = clusterFakes();
  const partition = txnPartitionOf('tx');
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const log = new MemoryLog(TRANSACTION_STATE_TOPIC, partition);
  log.append(buildBatch([{ key: encodeTransactionLogKey('tx'), value: value(TransactionStatus.Empty, 0, null) }]));
  const read = log.read.bind(log);
  log.read = async (offset: number) => {
    await held;
    return read(offset);
  };
  fakes.logs.set(`${TRANSACTION_STATE_TOPIC}-${partition}`, log);
  const manager = new TransactionStateManager(servicesOn(fakes), CONFIG);
  const loading = manager.leadershipChanged();
  await settle();
  expect(manager.getTransactionState('tx')).toEqual({ errorCode: ErrorCode.COORDINATOR_LOAD_IN_PROGRESS });
  expect(manager.listTransactionStates(new Set(), [], -1, 0).errorCode).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
  release();
  await loading;
  expect(manager.getTransactionState('tx').errorCode).toBe(ErrorCode.NONE);
  fakes.topics.get(TRANSACTION_STATE_TOPIC)!.partitions[partition].leader = 2;
  await manager.leadershipChanged();
  expect(manager.getTransactionState('tx')).toEqual({ errorCode: ErrorCode.NOT_COORDINATOR });
});

test('creates the topic on first use with Kafka\'s transaction state settings', async () => {
  const fakes = clusterFakes();
  fakes.topics.delete(TRANSACTION_STATE_TOPIC);
  const created: InternalTopicSpec[] = [];
  const services = servicesOn(fakes);
  const createTopic = async (spec: InternalTopicSpec) => {
    created.push(spec);
    await services.createTopic(spec);
  };
  const manager = new TransactionStateManager({ ...services, createTopic }, CONFIG);
  expect(await manager.coordinatorFor('tx')).toBe(1);
  expect(created).toEqual([
    {
      name: '__transaction_state',
      numPartitions: 4,
      replicationFactor: 1,
      configs: { 'cleanup.policy': 'compact', 'compression.type': 'uncompressed', 'min.insync.replicas': '1', 'segment.bytes': '104857600', 'unclean.leader.election.enable': 'false' },
    },
  ]);
});

test('maps append errors as Kafka does for transaction log writes', () => {
  const mapped = [
    ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    ErrorCode.NOT_ENOUGH_REPLICAS,
    ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND,
    ErrorCode.REQUEST_TIMED_OUT,
    ErrorCode.NOT_LEADER_OR_FOLLOWER,
    ErrorCode.KAFKA_STORAGE_ERROR,
    ErrorCode.MESSAGE_TOO_LARGE,
    ErrorCode.RECORD_LIST_TOO_LARGE,
    ErrorCode.INVALID_PRODUCER_EPOCH,
  ].map(appendErrorOf);
  expect(mapped).toEqual([
    ErrorCode.COORDINATOR_NOT_AVAILABLE,
    ErrorCode.COORDINATOR_NOT_AVAILABLE,
    ErrorCode.COORDINATOR_NOT_AVAILABLE,
    ErrorCode.COORDINATOR_NOT_AVAILABLE,
    ErrorCode.NOT_COORDINATOR,
    ErrorCode.NOT_COORDINATOR,
    ErrorCode.UNKNOWN_SERVER_ERROR,
    ErrorCode.UNKNOWN_SERVER_ERROR,
    ErrorCode.INVALID_PRODUCER_EPOCH,
  ]);
});
