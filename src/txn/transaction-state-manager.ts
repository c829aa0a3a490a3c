// The state of transactional ids in __transaction_state, as Kafka's TransactionStateManager: the
// topic is created on first use with the transaction.state.log.* settings; the ids of a partition
// are read back into memory when this broker becomes its leader (last record per id wins, tombstones
// remove) and forgotten when it stops; the partition's leader epoch is the coordinator epoch. Each
// transition is written (acks=all) before it takes effect; idle ids expire as tombstones.
import { coordinatorWriteErrorOf } from '../coordinator/write-errors';
import { ErrorCode } from '../../protocol/errors';
import {
  TransactionStatus,
  decodeTransactionLogKey,
  decodeTransactionLogValue,
  encodeTransactionLogKey,
  encodeTransactionLogValue,
} from '../../protocol/internal/transaction-log';
import { buildBatch, decodeBatch, forEachBatch, isControl } from '../../protocol/records/batch';
import type { CoordinatorServices } from '../coordinator/coordinator-services';
import { InternalTopicCoordinator } from '../coordinator/internal-topic-coordinator';
import type { PartitionLog } from '../log/partition-log';
import {
  NO_PRODUCER_ID,
  TransactionMetadata,
  TransactionState,
  TxnTransit,
  isExpirationAllowed,
  parsePartitionKey,
  partitionKeyOf,
  stateOfId,
} from './transaction-metadata';

export const TRANSACTION_STATE_TOPIC = '__transaction_state';
/** Bytes read per step while loading (bounded, like Kafka's transaction.state.log.load.buffer.size). */
const LOAD_CHUNK_BYTES = 1024 * 1024;
/** Kafka writes to the transaction log with request.timeout.ms (30 s by default) to wait for the ISR. */
const WRITE_TIMEOUT_MS = 30_000;

export interface TransactionStateConfig {
  transactionStateLogNumPartitions: number;
  transactionStateLogReplicationFactor: number;
  transactionStateLogMinIsr: number;
  transactionStateLogSegmentBytes: number;
  transactionMaxTimeoutMs: number;
  transactionalIdExpirationMs: number;
}

/** A transactional id's metadata with the coordinator epoch it is served under. */
export interface EpochAndMetadata {
  coordinatorEpoch: number;
  metadata: TransactionMetadata;
}

/** The coordinator's answer for an id: an error (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS) or its state, if any. */
export type StateLookup = { errorCode: number } | { errorCode: typeof ErrorCode.NONE; found: EpochAndMetadata | undefined };

/** A transaction read back in PrepareCommit/PrepareAbort: its markers must go out again. */
export interface PendingCompletion {
  transactionalId: string;
  coordinatorEpoch: number;
  commit: boolean;
  metadata: TransactionMetadata;
  complete: TxnTransit;
}

interface PartitionCache {
  coordinatorEpoch: number;
  txns: Map<string, TransactionMetadata>;
}

export interface ListedTransaction {
  transactionalId: string;
  producerId: bigint;
  transactionState: string;
}

export class TransactionStateManager extends InternalTopicCoordinator {
  private readonly caches = new Map<number, PartitionCache>();
  /** Completions found by loads, handed to the marker channel once the loads are done. */
  private resumable: PendingCompletion[] = [];
  /** Partitions being read back. */
  private loadingCount = 0;
  /** Called when a partition is unloaded, so its markers stop. */
  onUnload: (partition: number) => void = () => {};

  constructor(
    services: CoordinatorServices,
    private readonly config: TransactionStateConfig,
  ) {
    super(services, {
      topic: {
        name: TRANSACTION_STATE_TOPIC,
        numPartitions: config.transactionStateLogNumPartitions,
        replicationFactor: config.transactionStateLogReplicationFactor,
        // Kafka's transactionTopicConfigs.
        configs: {
          'cleanup.policy': 'compact',
          'compression.type': 'uncompressed',
          'min.insync.replicas': String(config.transactionStateLogMinIsr),
          'segment.bytes': String(config.transactionStateLogSegmentBytes),
          'unclean.leader.election.enable': 'false',
        },
      },
      description: 'transactions state topic',
      replicationFactorConfig: 'transaction.state.log.replication.factor',
      writeTimeoutMs: WRITE_TIMEOUT_MS,
    });
  }

  validateTransactionTimeoutMs(timeoutMs: number): boolean {
    return timeoutMs > 0 && timeoutMs <= this.config.transactionMaxTimeoutMs;
  }

  getTransactionState(transactionalId: string): StateLookup {
    const errorCode = this.checkCoordinator(transactionalId);
    if (errorCode !== ErrorCode.NONE) return { errorCode };
    const cache = this.caches.get(this.partitionFor(transactionalId));
    if (!cache) return { errorCode: ErrorCode.NOT_COORDINATOR };
    const metadata = cache.txns.get(transactionalId);
    return { errorCode: ErrorCode.NONE, found: metadata && { coordinatorEpoch: cache.coordinatorEpoch, metadata } };
  }

  /** Adds a new id's metadata unless the id exists; answers what is cached then. */
  putTransactionStateIfNotExists(metadata: TransactionMetadata): StateLookup {
    const lookup = this.getTransactionState(metadata.transactionalId);
    if (lookup.errorCode !== ErrorCode.NONE || ('found' in lookup && lookup.found)) return lookup;
    const cache = this.caches.get(this.partitionFor(metadata.transactionalId))!;
    cache.txns.set(metadata.transactionalId, metadata);
    return { errorCode: ErrorCode.NONE, found: { coordinatorEpoch: cache.coordinatorEpoch, metadata } };
  }

  /** The partitions loaded and the ids of each, for listing and the periodic sweeps. */
  private *allMetadata(): Iterable<[number, PartitionCache, TransactionMetadata]> {
    for (const [partition, cache] of this.caches) for (const m of cache.txns.values()) yield [partition, cache, m];
  }

  /**
   * Writes a transition and waits for the ISR; once written the metadata takes it (if this broker is
   * still the coordinator at that epoch). Resolves NONE or an error as Kafka maps append errors for
   * coordinator clients. A failed write clears the pending state unless `retryOnError` keeps it.
   */
  async appendTransactionToLog(
    transactionalId: string,
    coordinatorEpoch: number,
    transit: TxnTransit,
    retryOnError: (errorCode: number) => boolean = () => false,
  ): Promise<number> {
    const partition = this.partitionFor(transactionalId);
    const record = { key: encodeTransactionLogKey(transactionalId), value: encodeTransactionLogValue(valueOf(transit)), timestamp: transit.txnLastUpdateTimestamp };
    const current = () => {
      const lookup = this.getTransactionState(transactionalId);
      return 'found' in lookup && lookup.found?.coordinatorEpoch === coordinatorEpoch ? lookup.found.metadata : undefined;
    };
    if (!current()) return ErrorCode.NOT_COORDINATOR;
    const appendError = await this.appendReplicated(partition, buildBatch([record], { baseTimestamp: record.timestamp }));
    const errorCode = appendErrorOf(appendError);
    const metadata = current();
    if (!metadata) return errorCode === ErrorCode.NONE ? ErrorCode.NOT_COORDINATOR : errorCode;
    if (errorCode === ErrorCode.NONE) metadata.completeTransitionTo(transit);
    else if (retryOnError(errorCode)) this.services.log.info(`Appending ${transit.txnState} for ${transactionalId} failed with error ${errorCode}, retrying`);
    else metadata.pendingState = null;
    return errorCode;
  }

  /** Ongoing transactions past their timeout (Kafka's timedOutTransactions). */
  timedOutTransactions(now: number): { transactionalId: string; producerId: bigint; producerEpoch: number }[] {
    const out = [];
    for (const [, , m] of this.allMetadata()) {
      if (!m.pendingTransitionInProgress && m.state === 'Ongoing' && m.txnStartTimestamp + m.txnTimeoutMs < now) {
        out.push({ transactionalId: m.transactionalId, producerId: m.producerId, producerEpoch: m.producerEpoch });
      }
    }
    return out;
  }

  /**
   * Ids idle longer than transactional.id.expiration.ms with no transaction in progress go: one
   * tombstone batch per partition, removed from memory once written.
   */
  async removeExpiredTransactionalIds(now: number): Promise<void> {
    const byPartition = new Map<number, { cache: PartitionCache; expired: TransactionMetadata[] }>();
    for (const [partition, cache, m] of this.allMetadata()) {
      if (!isExpirationAllowed(m.state) || m.pendingTransitionInProgress || m.txnLastUpdateTimestamp > now - this.config.transactionalIdExpirationMs) continue;
      m.prepareDead();
      const entry = byPartition.get(partition) ?? { cache, expired: [] };
      entry.expired.push(m);
      byPartition.set(partition, entry);
    }
    await Promise.all(
      [...byPartition].map(async ([partition, { cache, expired }]) => {
        const records = expired.map((m) => ({ key: encodeTransactionLogKey(m.transactionalId), value: null, timestamp: now }));
        const errorCode = await this.appendReplicated(partition, buildBatch(records, { baseTimestamp: now }));
        for (const m of expired) {
          // Only if the partition was not reloaded meanwhile.
          if (this.caches.get(partition) !== cache || cache.txns.get(m.transactionalId) !== m) continue;
          if (errorCode === ErrorCode.NONE) {
            cache.txns.delete(m.transactionalId);
            this.services.log.info(`Removed expired transactional id ${m.transactionalId} from ${TRANSACTION_STATE_TOPIC}-${partition}`);
          } else {
            m.pendingState = null;
            this.services.log.warn(`Failed to write tombstones of expired transactional ids to ${TRANSACTION_STATE_TOPIC}-${partition}: error ${errorCode}`);
          }
        }
      }),
    );
  }

  /** ListTransactions: unknown state names are reported back; Dead ids are never listed. */
  listTransactionStates(producerIds: ReadonlySet<bigint>, stateNames: readonly string[], durationMs: number, now: number) {
    if (this.loadingCount > 0) return { errorCode: ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, unknownStateFilters: [], transactionStates: [] };
    const states = new Set<TransactionState>();
    const unknownStateFilters: string[] = [];
    for (const name of stateNames) {
      if (name in TransactionStatus) states.add(name as TransactionState);
      else unknownStateFilters.push(name);
    }
    const transactionStates: ListedTransaction[] = [];
    for (const [, , m] of this.allMetadata()) {
      if (m.state === 'Dead') continue;
      if (producerIds.size > 0 && !producerIds.has(m.producerId)) continue;
      if (states.size > 0 && !states.has(m.state)) continue;
      if (durationMs >= 0 && now - m.txnStartTimestamp <= durationMs) continue;
      transactionStates.push({ transactionalId: m.transactionalId, producerId: m.producerId, transactionState: m.state });
    }
    return { errorCode: ErrorCode.NONE, unknownStateFilters, transactionStates };
  }

  /** Completions found by the loads so far; each is handed out once. */
  takeResumable(): PendingCompletion[] {
    return this.resumable.splice(0);
  }

  protected async loadPartition(partition: number, log: PartitionLog): Promise<void> {
    const started = this.services.clock.now();
    const coordinatorEpoch = this.services.leaderEpoch(this.topicName, partition);
    this.loadingCount++;
    let txns: Map<string, TransactionMetadata>;
    try {
      txns = await readTransactions(log);
    } finally {
      this.loadingCount--;
    }
    const cache = { coordinatorEpoch, txns };
    this.caches.set(partition, cache);
    const now = this.services.clock.now();
    for (const [transactionalId, metadata] of txns) {
      if (metadata.state !== 'PrepareCommit' && metadata.state !== 'PrepareAbort') continue;
      const commit = metadata.state === 'PrepareCommit';
      this.resumable.push({ transactionalId, coordinatorEpoch, commit, metadata, complete: metadata.prepareComplete(now) });
    }
    this.services.log.info(`Loaded ${txns.size} transactional ids from ${this.topicName}-${partition} at coordinator epoch ${coordinatorEpoch} in ${now - started} ms`);
  }

  protected unloadPartition(partition: number): void {
    this.caches.delete(partition);
    this.resumable = this.resumable.filter((p) => this.partitionFor(p.transactionalId) !== partition);
    this.onUnload(partition);
  }

  /** Coordinator epoch of a loaded partition. */
  coordinatorEpochOf(partition: number): number | undefined {
    return this.caches.get(partition)?.coordinatorEpoch;
  }
}

/** Kafka's mapping of append errors for transaction log writes. */
export function appendErrorOf(code: number): number {
  switch (code) {
    case ErrorCode.REQUEST_TIMED_OUT:
      return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    case ErrorCode.MESSAGE_TOO_LARGE:
    case ErrorCode.RECORD_LIST_TOO_LARGE:
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    default:
      return coordinatorWriteErrorOf(code);
  }
}

/** The record of a transition, as Kafka's valueToBytes: partitions grouped by topic, null when Empty. */
function valueOf(t: TxnTransit) {
  let transactionPartitions: { topic: string; partitionIds: number[] }[] | null = null;
  if (t.txnState !== 'Empty') {
    const byTopic = new Map<string, number[]>();
    for (const key of t.topicPartitions) {
      const { topic, partition } = parsePartitionKey(key);
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
    }
    transactionPartitions = [...byTopic].map(([topic, partitionIds]) => ({ topic, partitionIds }));
  } else if (t.topicPartitions.size > 0) {
    throw new Error('Transaction is not expected to have any partitions since its state is Empty');
  }
  return {
    producerId: t.producerId,
    producerEpoch: t.producerEpoch,
    transactionTimeoutMs: t.txnTimeoutMs,
    transactionStatus: TransactionStatus[t.txnState],
    transactionPartitions,
    transactionLastUpdateTimestampMs: BigInt(t.txnLastUpdateTimestamp),
    transactionStartTimestampMs: BigInt(t.txnStartTimestamp),
  };
}

/** Replays a partition of __transaction_state from its log start. */
async function readTransactions(log: PartitionLog): Promise<Map<string, TransactionMetadata>> {
  const txns = new Map<string, TransactionMetadata>();
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const { records } = await log.read(offset, LOAD_CHUNK_BYTES, { minOneBatch: true });
    if (records.length === 0) break;
    let next = offset;
    forEachBatch(records, (pos, size, magic) => {
      if (magic !== 2) throw new Error(`unexpected message format ${magic} in ${log.topic}-${log.partition}`);
      const { header, records: batchRecords } = decodeBatch(records.subarray(pos, pos + size));
      next = header.baseOffset + header.lastOffsetDelta + 1;
      if (isControl(header.attributes)) return;
      for (const r of batchRecords) {
        if (r.key === null) throw new Error(`a record of ${log.topic}-${log.partition} has no key`);
        const transactionalId = decodeTransactionLogKey(r.key);
        if (transactionalId === null) continue;
        if (r.value === null) txns.delete(transactionalId);
        else txns.set(transactionalId, metadataOf(transactionalId, r.value));
      }
    });
    if (next <= offset) throw new Error(`loading ${log.topic}-${log.partition} made no progress at offset ${offset}`);
    offset = next;
  }
  return txns;
}

function metadataOf(transactionalId: string, value: Buffer): TransactionMetadata {
  const v = decodeTransactionLogValue(value);
  const state = stateOfId(v.transactionStatus);
  const partitions = state === 'Empty' ? [] : (v.transactionPartitions ?? []).flatMap((p) => p.partitionIds.map((id) => partitionKeyOf(p.topic, id)));
  return new TransactionMetadata({
    transactionalId,
    producerId: v.producerId,
    lastProducerId: NO_PRODUCER_ID,
    producerEpoch: v.producerEpoch,
    txnTimeoutMs: v.transactionTimeoutMs,
    state,
    topicPartitions: partitions,
    txnStartTimestamp: Number(v.transactionStartTimestampMs),
    txnLastUpdateTimestamp: Number(v.transactionLastUpdateTimestampMs),
  });
}
