// Transaction metadata transitions as Kafka's TransactionMetadata: valid previous states, one
// pending transition at a time, the KIP-360 epoch rules, fencing, and the checks on completion.
import { TransactionMetadata, TransactionState, isEpochExhausted, stateOfId } from '../../src/txn/transaction-metadata';

function metadata(state: TransactionState, extra: Partial<ConstructorParameters<typeof TransactionMetadata>[0]> = {}) {
  return new TransactionMetadata({ transactionalId: 'tx', producerId: 10n, producerEpoch: 2, txnTimeoutMs: 1000, state, txnLastUpdateTimestamp: 0, ...extra });
}

test('only Kafka\'s valid transitions are prepared', () => {
  expect(() => metadata('Empty').prepareAbortOrCommit('PrepareCommit', 1)).toThrow('not a valid previous state');
  expect(() => metadata('PrepareCommit').prepareAddPartitions(['t-0'], 1)).toThrow('not a valid previous state');
  expect(() => metadata('CompleteAbort').prepareFenceProducerEpoch()).toThrow('not a valid previous state');
  expect(metadata('CompleteCommit').prepareAddPartitions(['t-0'], 5)).toMatchObject({ txnState: 'Ongoing', txnStartTimestamp: 5 });
});

test('a second transition waits for the first to complete', () => {
  const m = metadata('Empty');
  const transit = m.prepareAddPartitions(['t-0'], 5);
  expect(() => m.prepareAddPartitions(['t-1'], 6)).toThrow('already a pending state Ongoing');
  m.completeTransitionTo(transit);
  expect(m.state).toBe('Ongoing');
  expect([...m.topicPartitions]).toEqual(['t-0']);
  expect(m.pendingState).toBeNull();
});

test('KIP-360 epoch rules', () => {
  expect(metadata('Empty').prepareIncrementProducerEpoch(1000, null, 1)).toMatchObject({ producerEpoch: 3, lastProducerEpoch: -1 });
  expect(metadata('Empty').prepareIncrementProducerEpoch(1000, 2, 1)).toMatchObject({ producerEpoch: 3, lastProducerEpoch: 2 });
  expect(metadata('Empty', { lastProducerEpoch: 1 }).prepareIncrementProducerEpoch(1000, 1, 1)).toMatchObject({ producerEpoch: 2, lastProducerEpoch: 1 });
  expect(metadata('Empty').prepareIncrementProducerEpoch(1000, 0, 1)).toBe('PRODUCER_FENCED');
  expect(metadata('Empty', { producerEpoch: -1 }).prepareIncrementProducerEpoch(1000, 7, 1)).toMatchObject({ producerEpoch: 0 });
});

test('fencing bumps the epoch once, even when the first fence was not written', () => {
  const m = metadata('Ongoing');
  expect(m.prepareFenceProducerEpoch()).toMatchObject({ txnState: 'PrepareEpochFence', producerEpoch: 3 });
  m.pendingState = null;
  m.hasFailedEpochFence = true;
  expect(m.prepareFenceProducerEpoch().producerEpoch).toBe(2);
});

test('completion checks what is written against the state', () => {
  const m = metadata('Ongoing', { topicPartitions: ['t-0'], txnStartTimestamp: 3 });
  const transit = m.prepareAbortOrCommit('PrepareCommit', 4);
  m.completeTransitionTo({ ...transit });
  const complete = m.prepareComplete(5);
  expect(() => m.completeTransitionTo({ ...complete, producerEpoch: 9 })).toThrow('failed transition');
  m.completeTransitionTo(complete);
  expect({ state: m.state, partitions: m.topicPartitions.size }).toEqual({ state: 'CompleteCommit', partitions: 0 });
});

test('epochs are exhausted one short of Short.MAX_VALUE; state ids as Kafka numbers them', () => {
  expect(isEpochExhausted(32765)).toBe(false);
  expect(isEpochExhausted(32766)).toBe(true);
  expect(stateOfId(7)).toBe('PrepareEpochFence');
  expect(() => stateOfId(8)).toThrow('Unknown transaction state id 8');
});
