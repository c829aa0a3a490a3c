// The broker's transaction coordinator, as Kafka 3.9's TransactionCoordinator: producer ids for
// idempotent and transactional producers, each transactional id's state machine (InitProducerId,
// AddPartitionsToTxn, AddOffsetsToTxn, EndTxn) persisted in __transaction_state, the markers of
// finished transactions, the abort (with an epoch bump that fences the zombie) of transactions past
// their timeout, and the expiry of idle transactional ids. Time is the injected clock's.
import { TransactionVerifier, TransactionVerifierDeps, VerifyResult } from './transaction-verifier';
import { ErrorCode } from '../../protocol/errors';
import type { Timer } from '../clock';
import type { CoordinatorServices } from '../coordinator/coordinator-services';
import { partitionForKey } from '../coordinator/key-partition';
import { MarkerSender, TransactionMarkerChannel } from './marker-channel';
import type { ProducerIdManager } from './producer-id-manager';
import { DescribedTransaction, InitProducerIdResult, ListedTransactions, TopicPartitionRef, TransactionHandling, failedDescription } from './transaction-handling';
import {
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  TransactionMetadata,
  TxnTransit,
  isEpochExhausted,
  parsePartitionKey,
  partitionKeyOf,
} from './transaction-metadata';
import { EpochAndMetadata, TRANSACTION_STATE_TOPIC, TransactionStateConfig, TransactionStateManager } from './transaction-state-manager';

const OFFSETS_TOPIC = '__consumer_offsets';

export interface TransactionCoordinatorConfig extends TransactionStateConfig {
  transactionAbortTimedOutTransactionCleanupIntervalMs: number;
  transactionRemoveExpiredTransactionCleanupIntervalMs: number;
  /** To find the __consumer_offsets partition of AddOffsetsToTxn's group. */
  offsetsTopicNumPartitions: number;
}

export interface TransactionCoordinatorDeps extends CoordinatorServices {
  config: TransactionCoordinatorConfig;
  producerIds: Pick<ProducerIdManager, 'generateProducerId'>;
  markerSender: MarkerSender;
  markerRetryBackoffMs?: number;
  /** Sends a verify-only AddPartitionsToTxn to another broker's coordinator (KIP-890). */
  sendVerification: TransactionVerifierDeps['send'];
}

type Prepared = { errorCode: number } | { coordinatorEpoch: number; transit: TxnTransit };

const failedInit = (errorCode: number): InitProducerIdResult => ({ errorCode, producerId: NO_PRODUCER_ID, producerEpoch: NO_PRODUCER_EPOCH });

export class TransactionCoordinator implements TransactionHandling {
  readonly state: TransactionStateManager;
  readonly markers: TransactionMarkerChannel;
  private readonly verifier: TransactionVerifier;
  private active = false;
  private readonly timers: Timer[] = [];

  constructor(private readonly deps: TransactionCoordinatorDeps) {
    this.state = new TransactionStateManager(deps, deps.config);
    this.markers = new TransactionMarkerChannel({
      sender: deps.markerSender,
      state: this.state,
      leaderOf: (topic, partition) => {
        const p = deps.topic(topic)?.partitions[partition];
        return p === undefined ? undefined : p.leader;
      },
      clock: deps.clock,
      log: deps.log,
      retryBackoffMs: deps.markerRetryBackoffMs,
    });
    this.state.onUnload = (partition) => this.markers.removeMarkersForTxnTopicPartition(partition);
    this.verifier = new TransactionVerifier({
      brokerId: deps.brokerId,
      coordinatorOf: (transactionalId) => this.state.leaderFor(transactionalId),
      local: this,
      send: deps.sendVerification,
    });
  }

  /** Loads the partitions this broker leads, then starts the timeout and expiry sweeps. */
  async start(): Promise<void> {
    this.active = true;
    await this.leadershipChanged();
    const { clock, config } = this.deps;
    this.timers.push(
      clock.setInterval(() => this.abortTimedOutTransactions(), config.transactionAbortTimedOutTransactionCleanupIntervalMs),
      clock.setInterval(() => void this.state.removeExpiredTransactionalIds(clock.now()), config.transactionRemoveExpiredTransactionCleanupIntervalMs),
    );
  }

  shutdown(): void {
    this.active = false;
    for (const t of this.timers.splice(0)) t.cancel();
    this.markers.shutdown();
  }

  /**
   * Follows leadership of __transaction_state: partitions gained are read back and the markers of
   * their PrepareCommit/PrepareAbort transactions sent again; partitions lost are forgotten.
   */
  /** Loads and unloads with leadership; before start() nothing is loaded, so markers resume once this broker serves. */
  async leadershipChanged(): Promise<void> {
    if (!this.active) return;
    await this.state.leadershipChanged();
    for (const p of this.state.takeResumable()) {
      this.deps.log.info(`Resuming the ${p.commit ? 'COMMIT' : 'ABORT'} markers of ${p.transactionalId} at coordinator epoch ${p.coordinatorEpoch}`);
      this.markers.addTxnMarkersToSend(p.coordinatorEpoch, p.commit, p.metadata, p.complete);
    }
  }

  coordinatorFor(transactionalId: string): Promise<number> {
    return this.state.coordinatorFor(transactionalId);
  }

  private lookup(transactionalId: string): { errorCode: number; found?: EpochAndMetadata } {
    const lookup = this.state.getTransactionState(transactionalId);
    return 'found' in lookup ? { errorCode: ErrorCode.NONE, found: lookup.found } : lookup;
  }

  async initProducerId(
    transactionalId: string | null,
    transactionTimeoutMs: number,
    expected: { producerId: bigint; producerEpoch: number } | null,
  ): Promise<InitProducerIdResult> {
    const now = () => this.deps.clock.now();
    if (transactionalId === null) {
      return { errorCode: ErrorCode.NONE, producerId: await this.deps.producerIds.generateProducerId(), producerEpoch: 0 };
    }
    if (transactionalId === '') return failedInit(ErrorCode.INVALID_REQUEST);
    if (!this.state.validateTransactionTimeoutMs(transactionTimeoutMs)) return failedInit(ErrorCode.INVALID_TRANSACTION_TIMEOUT);

    let { errorCode, found } = this.lookup(transactionalId);
    if (errorCode !== ErrorCode.NONE) return failedInit(errorCode);
    if (!found) {
      const producerId = await this.deps.producerIds.generateProducerId();
      const created = new TransactionMetadata({
        transactionalId,
        producerId,
        producerEpoch: NO_PRODUCER_EPOCH,
        txnTimeoutMs: transactionTimeoutMs,
        state: 'Empty',
        txnLastUpdateTimestamp: now(),
      });
      const put = this.state.putTransactionStateIfNotExists(created);
      if (!('found' in put) || !put.found) return failedInit(put.errorCode || ErrorCode.NOT_COORDINATOR);
      found = put.found;
    }

    // A new producer id is needed when the epochs run out; it is fetched first, then the checks run again.
    let newProducerId: bigint | null = null;
    let prepared = this.prepareInitProducerIdTransit(transactionalId, transactionTimeoutMs, found, expected, newProducerId);
    if (prepared === 'NEEDS_PRODUCER_ID') {
      newProducerId = await this.deps.producerIds.generateProducerId();
      const again = this.lookup(transactionalId);
      if (again.errorCode !== ErrorCode.NONE) return failedInit(again.errorCode);
      if (!again.found) return failedInit(ErrorCode.NOT_COORDINATOR);
      prepared = this.prepareInitProducerIdTransit(transactionalId, transactionTimeoutMs, again.found, expected, newProducerId);
    }
    if (prepared === 'NEEDS_PRODUCER_ID') return failedInit(ErrorCode.CONCURRENT_TRANSACTIONS);
    if ('errorCode' in prepared) return failedInit(prepared.errorCode);

    const { coordinatorEpoch, transit } = prepared;
    if (transit.txnState === 'PrepareEpochFence') {
      // Abort the ongoing transaction first; the client retries (CONCURRENT_TRANSACTIONS) and then gets its bump.
      const err = await this.endTransaction(transactionalId, transit.producerId, transit.producerEpoch, false, false);
      return failedInit(err !== ErrorCode.NONE ? err : ErrorCode.CONCURRENT_TRANSACTIONS);
    }
    const err = await this.state.appendTransactionToLog(transactionalId, coordinatorEpoch, transit);
    if (err !== ErrorCode.NONE) {
      this.deps.log.info(`Returning ${err} error code to client for ${transactionalId}'s InitProducerId request`);
      return failedInit(err);
    }
    this.deps.log.info(
      `Initialized transactionalId ${transactionalId} with producerId ${transit.producerId} and producer epoch ${transit.producerEpoch} on partition ${TRANSACTION_STATE_TOPIC}-${this.state.partitionFor(transactionalId)}`,
    );
    return { errorCode: ErrorCode.NONE, producerId: transit.producerId, producerEpoch: transit.producerEpoch };
  }

  private prepareInitProducerIdTransit(
    transactionalId: string,
    transactionTimeoutMs: number,
    { coordinatorEpoch, metadata: m }: EpochAndMetadata,
    expected: { producerId: bigint; producerEpoch: number } | null,
    newProducerId: bigint | null,
  ): Prepared | 'NEEDS_PRODUCER_ID' {
    // A producer passing its id is fenced unless the id is new, is the current one (its epoch is checked
    // by the bump), or is the previous one with an exhausted epoch (a retry after a rotation).
    const validProducerId = (e: { producerId: bigint; producerEpoch: number }) =>
      m.producerEpoch === NO_PRODUCER_EPOCH || e.producerId === m.producerId || (e.producerId === m.lastProducerId && isEpochExhausted(e.producerEpoch));
    if (m.pendingTransitionInProgress) return { errorCode: ErrorCode.CONCURRENT_TRANSACTIONS };
    if (expected && !validProducerId(expected)) return { errorCode: ErrorCode.PRODUCER_FENCED };
    const now = this.deps.clock.now();
    switch (m.state) {
      case 'PrepareAbort':
      case 'PrepareCommit':
        return { errorCode: ErrorCode.CONCURRENT_TRANSACTIONS };
      case 'CompleteAbort':
      case 'CompleteCommit':
      case 'Empty': {
        if (m.isProducerEpochExhausted && (!expected || expected.producerEpoch === m.producerEpoch)) {
          if (newProducerId === null) return 'NEEDS_PRODUCER_ID';
          return { coordinatorEpoch, transit: m.prepareProducerIdRotation(newProducerId, transactionTimeoutMs, now, expected !== null) };
        }
        const transit = m.prepareIncrementProducerEpoch(transactionTimeoutMs, expected?.producerEpoch ?? null, now);
        return transit === 'PRODUCER_FENCED' ? { errorCode: ErrorCode.PRODUCER_FENCED } : { coordinatorEpoch, transit };
      }
      case 'Ongoing':
        // The fencing epoch is never returned: the client retries and bumps again.
        return { coordinatorEpoch, transit: m.prepareFenceProducerEpoch() };
      default:
        throw new Error(`Found transactionalId ${transactionalId} with state ${m.state}. This is illegal as we should never have transitioned to this state.`);
    }
  }

  async addPartitionsToTxn(transactionalId: string, producerId: bigint, producerEpoch: number, partitions: TopicPartitionRef[]): Promise<number> {
    if (!transactionalId) return ErrorCode.INVALID_REQUEST;
    const { errorCode, found } = this.lookup(transactionalId);
    if (errorCode !== ErrorCode.NONE) return errorCode;
    if (!found) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    const m = found.metadata;
    const keys = partitions.map((p) => partitionKeyOf(p.topic, p.partition));
    if (m.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (m.producerEpoch !== producerEpoch) return ErrorCode.PRODUCER_FENCED;
    if (m.pendingTransitionInProgress) return ErrorCode.CONCURRENT_TRANSACTIONS;
    if (m.state === 'PrepareCommit' || m.state === 'PrepareAbort') return ErrorCode.CONCURRENT_TRANSACTIONS;
    // Already part of the transaction: nothing to write.
    if (m.state === 'Ongoing' && keys.every((k) => m.topicPartitions.has(k))) return ErrorCode.NONE;
    const transit = m.prepareAddPartitions(keys, this.deps.clock.now());
    return this.state.appendTransactionToLog(transactionalId, found.coordinatorEpoch, transit);
  }

  verifyPartitionsInTxn(transactionalId: string, producerId: bigint, producerEpoch: number, partitions: TopicPartitionRef[]) {
    const all = (errorCode: number) => partitions.map((p) => ({ ...p, errorCode }));
    if (!transactionalId) return all(ErrorCode.INVALID_REQUEST);
    const { errorCode, found } = this.lookup(transactionalId);
    if (errorCode !== ErrorCode.NONE) return all(errorCode);
    if (!found || found.metadata.producerId !== producerId) return all(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    const m = found.metadata;
    if (m.producerEpoch !== producerEpoch) return all(ErrorCode.PRODUCER_FENCED);
    if (m.state === 'PrepareCommit' || m.state === 'PrepareAbort') return all(ErrorCode.CONCURRENT_TRANSACTIONS);
    return partitions.map((p) => ({ ...p, errorCode: m.topicPartitions.has(partitionKeyOf(p.topic, p.partition)) ? ErrorCode.NONE : ErrorCode.TRANSACTION_ABORTABLE }));
  }

  verifyTransaction(transactionalId: string, producerId: bigint, producerEpoch: number, partitions: TopicPartitionRef[]): Promise<VerifyResult> {
    return this.verifier.verify(transactionalId, producerId, producerEpoch, partitions);
  }

  addOffsetsToTxn(transactionalId: string, producerId: bigint, producerEpoch: number, groupId: string): Promise<number> {
    const partition = partitionForKey(groupId, this.deps.config.offsetsTopicNumPartitions);
    return this.addPartitionsToTxn(transactionalId, producerId, producerEpoch, [{ topic: OFFSETS_TOPIC, partition }]);
  }

  endTxn(transactionalId: string, producerId: bigint, producerEpoch: number, commit: boolean): Promise<number> {
    return this.endTransaction(transactionalId, producerId, producerEpoch, commit, true);
  }

  /**
   * Kafka's endTransaction: writes PrepareCommit/PrepareAbort, answers, then sends the markers.
   * From the coordinator itself (timeouts, InitProducerId fencing) the epoch may be the bumped one.
   */
  private async endTransaction(transactionalId: string, producerId: bigint, producerEpoch: number, commit: boolean, isFromClient: boolean): Promise<number> {
    if (!transactionalId) return ErrorCode.INVALID_REQUEST;
    const { errorCode, found } = this.lookup(transactionalId);
    if (errorCode !== ErrorCode.NONE) return errorCode;
    if (!found) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    const { coordinatorEpoch, metadata: m } = found;
    const invalidState = () => {
      this.deps.log.info(`TransactionalId ${transactionalId}'s state is ${m.state}, but received transaction marker result to send: ${commit ? 'COMMIT' : 'ABORT'}`);
      return ErrorCode.INVALID_TXN_STATE;
    };
    let isEpochFence = false;
    if (m.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if ((isFromClient && producerEpoch !== m.producerEpoch) || producerEpoch < m.producerEpoch) return ErrorCode.PRODUCER_FENCED;
    if (m.pendingTransitionInProgress && m.pendingState !== 'PrepareEpochFence') return ErrorCode.CONCURRENT_TRANSACTIONS;
    let transit: TxnTransit;
    switch (m.state) {
      case 'Ongoing': {
        const next = commit ? 'PrepareCommit' : 'PrepareAbort';
        if (next === 'PrepareAbort' && m.pendingState === 'PrepareEpochFence') {
          // Make way for PrepareAbort, with the fencing epoch in what is written.
          isEpochFence = true;
          m.pendingState = null;
          m.producerEpoch = producerEpoch;
          m.lastProducerEpoch = NO_PRODUCER_EPOCH;
        }
        transit = m.prepareAbortOrCommit(next, this.deps.clock.now());
        break;
      }
      case 'CompleteCommit':
        return commit ? ErrorCode.NONE : invalidState();
      case 'CompleteAbort':
        return commit ? invalidState() : ErrorCode.NONE;
      case 'PrepareCommit':
        return commit ? ErrorCode.CONCURRENT_TRANSACTIONS : invalidState();
      case 'PrepareAbort':
        return commit ? invalidState() : ErrorCode.CONCURRENT_TRANSACTIONS;
      case 'Empty':
        return invalidState();
      default:
        throw new Error(`Found transactionalId ${transactionalId} with state ${m.state}. This is illegal as we should never have transitioned to this state.`);
    }

    const appended = await this.state.appendTransactionToLog(transactionalId, coordinatorEpoch, transit);
    const after = this.lookup(transactionalId);
    if (appended !== ErrorCode.NONE) {
      if (isEpochFence && after.found?.coordinatorEpoch === coordinatorEpoch) {
        after.found.metadata.hasFailedEpochFence = true;
        this.deps.log.warn(`The coordinator failed to write an epoch fence transition for producer ${transactionalId} to the transaction log with error ${appended}. The epoch was increased to ${transit.producerEpoch} but not returned to the client`);
      }
      return appended;
    }
    if (after.errorCode !== ErrorCode.NONE) return after.errorCode;
    if (!after.found) throw new Error(`The coordinator still owns the transaction partition for ${transactionalId}, but there is no metadata in the cache; this is not expected`);
    if (after.found.coordinatorEpoch !== coordinatorEpoch) return ErrorCode.NOT_COORDINATOR;
    const current = after.found.metadata;
    if (current.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (current.producerEpoch !== transit.producerEpoch) return ErrorCode.PRODUCER_FENCED;
    if (current.pendingTransitionInProgress) return ErrorCode.CONCURRENT_TRANSACTIONS;
    if (current.state !== (commit ? 'PrepareCommit' : 'PrepareAbort')) return invalidState();
    const complete = current.prepareComplete(this.deps.clock.now());
    this.markers.addTxnMarkersToSend(coordinatorEpoch, commit, current, complete);
    return ErrorCode.NONE;
  }

  /** Aborts, with an epoch bump, every ongoing transaction past its timeout. */
  abortTimedOutTransactions(): void {
    for (const { transactionalId, producerId } of this.state.timedOutTransactions(this.deps.clock.now())) {
      const { found } = this.lookup(transactionalId);
      if (!found) continue;
      const m = found.metadata;
      if (m.producerId !== producerId || m.pendingTransitionInProgress) continue;
      const fence = m.prepareFenceProducerEpoch();
      this.deps.log.info(`Aborting transaction of ${transactionalId} (producer ${producerId}) that exceeded its timeout of ${m.txnTimeoutMs} ms`);
      void this.endTransaction(transactionalId, fence.producerId, fence.producerEpoch, false, false).then((err) => {
        if (err === ErrorCode.NONE) this.deps.log.info(`Completed rollback of ongoing transaction for transactionalId ${transactionalId} due to timeout`);
        else if (err !== ErrorCode.INVALID_PRODUCER_ID_MAPPING && err !== ErrorCode.PRODUCER_FENCED && err !== ErrorCode.CONCURRENT_TRANSACTIONS) {
          this.deps.log.warn(`Rollback of ongoing transaction for transactionalId ${transactionalId} failed due to error ${err}`);
        }
      });
    }
  }

  describeTransaction(transactionalId: string): DescribedTransaction {
    const failed = (errorCode: number) => failedDescription(transactionalId, errorCode);
    if (!this.active) return failed(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    if (transactionalId === '') return failed(ErrorCode.INVALID_REQUEST);
    const { errorCode, found } = this.lookup(transactionalId);
    if (errorCode !== ErrorCode.NONE) return failed(errorCode);
    if (!found || found.metadata.state === 'Dead') return failed(ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
    const m = found.metadata;
    const byTopic = new Map<string, number[]>();
    for (const key of m.topicPartitions) {
      const { topic, partition } = parsePartitionKey(key);
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
    }
    return {
      ...failed(ErrorCode.NONE),
      transactionState: m.state,
      transactionTimeoutMs: m.txnTimeoutMs,
      transactionStartTimeMs: BigInt(m.txnStartTimestamp),
      producerId: m.producerId,
      producerEpoch: m.producerEpoch,
      topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
    };
  }

  listTransactions(stateFilters: string[], producerIdFilters: bigint[], durationFilterMs: number): ListedTransactions {
    if (!this.active) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, unknownStateFilters: [], transactionStates: [] };
    return this.state.listTransactionStates(new Set(producerIdFilters), stateFilters, durationFilterMs, this.deps.clock.now());
  }
}

