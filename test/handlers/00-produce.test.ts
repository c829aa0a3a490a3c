// Produce in-process: appends, acks, per-partition errors, record errors, replication waits.

import { Apis, ErrorCode } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import produce from '../../src/handlers/00-produce';
import { TestBroker, addTopic, call, fakeTransactions, testBroker, topicInfo } from './fake-context';

let b: TestBroker;
beforeEach(async () => {
  b = await testBroker();
  addTopic(b.metadata, b.logs, topicInfo('t', 2));
});
afterEach(() => b.close());

const records = (n: number) => buildBatch(Array.from({ length: n }, (_, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`), timestamp: 1_700_000_000_000 + i })));
const send = (version: number, acks: number, topics: { name: string; partitions: number[] }[], recs = records(3)) =>
  call<typeof Apis.Produce>(produce, b.ctx(version), {
    acks,
    timeoutMs: 1000,
    topicData: topics.map((t) => ({ name: t.name, partitionData: t.partitions.map((index) => ({ index, records: Buffer.from(recs) })) })),
  });

test('appends each partition and answers base offsets, in order', async () => {
  const first = await send(9, 1, [{ name: 't', partitions: [0, 1] }]);
  const second = await send(9, 1, [{ name: 't', partitions: [0] }]);
  expect(first!.responses[0].partitionResponses.map((p) => [p.index, p.errorCode, p.baseOffset])).toEqual([
    [0, ErrorCode.NONE, 0n],
    [1, ErrorCode.NONE, 0n],
  ]);
  expect(second!.responses[0].partitionResponses[0].baseOffset).toBe(3n);
  expect(b.logs.get('t', 0)!.logEndOffset).toBe(6);
  expect(b.replication.calls).toEqual([]);
});

test('acks=0 gets no response at all; bad acks get INVALID_REQUIRED_ACKS', async () => {
  expect(await send(9, 0, [{ name: 't', partitions: [0] }])).toBeNull();
  expect(b.logs.get('t', 0)!.logEndOffset).toBe(3);
  const bad = await send(9, 2, [{ name: 't', partitions: [0] }]);
  expect(bad!.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.INVALID_REQUIRED_ACKS);
});

test('unknown partitions and topics fail alone, the rest is appended', async () => {
  const res = await send(9, 1, [
    { name: 't', partitions: [0, 5] },
    { name: 'nope', partitions: [0] },
  ]);
  expect(res!.responses.map((t) => t.partitionResponses.map((p) => p.errorCode))).toEqual([
    [ErrorCode.NONE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
    [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
  ]);
});

test('a partition led elsewhere is NOT_LEADER_OR_FOLLOWER', async () => {
  addTopic(b.metadata, b.logs, topicInfo('elsewhere', 1, {}, { leader: 2, replicas: [2] }));
  const res = await send(9, 1, [{ name: 'elsewhere', partitions: [0] }]);
  expect(res!.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
});

test('acks=all checks the ISR first and waits for the exclusive end offset', async () => {
  await send(9, -1, [{ name: 't', partitions: [0] }]);
  expect(b.replication.calls).toEqual(['check t-0', 'wait t-0 3']);
  b.replication.notEnoughReplicas = true;
  const refused = await send(9, -1, [{ name: 't', partitions: [0] }]);
  expect(refused!.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NOT_ENOUGH_REPLICAS);
  expect(b.logs.get('t', 0)!.logEndOffset).toBe(3);
});

test('keys are required on compacted topics: a record error from v8 names the record', async () => {
  addTopic(b.metadata, b.logs, topicInfo('compacted', 1, { 'cleanup.policy': 'compact' }));
  const keyless = buildBatch([{ key: null, value: Buffer.from('v'), timestamp: 1 }]);
  const res = await send(8, 1, [{ name: 'compacted', partitions: [0] }], keyless);
  const p = res!.responses[0].partitionResponses[0];
  expect(p.errorCode).toBe(ErrorCode.INVALID_RECORD);
  expect(p.recordErrors.map((e) => e.batchIndex)).toEqual([0]);
  expect(p.errorMessage).toMatch(/key/i);
});

describe('idempotent and transactional producers', () => {
  const idem = (seq: number, opts: { epoch?: number; n?: number; transactional?: boolean; ts?: number } = {}) =>
    buildBatch(
      Array.from({ length: opts.n ?? 2 }, (_, i) => ({ key: null, value: Buffer.from(`s${seq + i}`), timestamp: opts.ts ?? 1_700_000_000_000 })),
      { producerId: 1000n, producerEpoch: opts.epoch ?? 0, baseSequence: seq, transactional: opts.transactional },
    );
  const one = async (version: number, acks: number, recs: Buffer) =>
    (await send(version, acks, [{ name: 't', partitions: [0] }], recs))!.responses[0].partitionResponses[0];

  test('a retried batch is answered with the original base offset and not written again', async () => {
    await send(9, 1, [{ name: 't', partitions: [0] }]);
    const first = await one(9, 1, idem(0, { ts: 1_700_000_000_123 }));
    const next = await one(9, 1, idem(2));
    const retry = await one(9, -1, idem(0, { ts: 1_700_000_000_123 }));
    expect([first.errorCode, first.baseOffset, first.logAppendTimeMs]).toEqual([ErrorCode.NONE, 3n, -1n]);
    expect(next.baseOffset).toBe(5n);
    // Kafka answers a duplicate with its original offset and the batch's timestamp as log_append_time.
    expect([retry.errorCode, retry.baseOffset, retry.logAppendTimeMs]).toEqual([ErrorCode.NONE, 3n, 1_700_000_000_123n]);
    expect(b.logs.get('t', 0)!.logEndOffset).toBe(7);
    expect(b.replication.calls).toEqual(['check t-0', 'wait t-0 5']);
  });

  test('out-of-order sequences and stale epochs fail the partition with their error and message', async () => {
    await one(9, 1, idem(0, { epoch: 1 }));
    const gap = await one(9, 1, idem(5, { epoch: 1 }));
    expect(gap.errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(gap.baseOffset).toBe(-1n);
    expect(gap.errorMessage).toMatch(/Out of order sequence number for producer 1000/);
    const stale = await one(7, 1, idem(2, { epoch: 0 }));
    expect(stale.errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(stale.errorMessage).toBeNull();
    expect(b.logs.get('t', 0)!.logEndOffset).toBe(2);
  });

  test('transactional records need a transactional id: without one every partition fails', async () => {
    const res = await send(9, 1, [{ name: 't', partitions: [0, 1] }], idem(0, { transactional: true }));
    expect(res!.responses[0].partitionResponses.map((p) => [p.errorCode, p.baseOffset])).toEqual([
      [ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, -1n],
      [ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, -1n],
    ]);
    expect(b.logs.get('t', 0)!.logEndOffset).toBe(0);
  });

  test('a batch with a producer id but no sequence is INVALID_RECORD', async () => {
    const bad = buildBatch([{ key: null, value: Buffer.from('x'), timestamp: 1 }], { producerId: 5n, producerEpoch: 0, baseSequence: -1 });
    const res = await one(9, 1, bad);
    expect(res.errorCode).toBe(ErrorCode.INVALID_RECORD);
    expect(res.errorMessage).toMatch(/Invalid sequence number -1/);
  });
});

describe('transaction verification (KIP-890)', () => {
  const txnBatch = (seq: number) =>
    buildBatch([{ key: null, value: Buffer.from(`t${seq}`), timestamp: 1_700_000_000_000 }], { producerId: 1000n, producerEpoch: 0, baseSequence: seq, transactional: true });
  const sendTxn = async (seq: number, partitions = [0]) =>
    (await call<typeof Apis.Produce>(produce, b.ctx(9), {
      transactionalId: 'tx-1',
      acks: 1,
      timeoutMs: 1000,
      topicData: [{ name: 't', partitionData: partitions.map((index) => ({ index, records: txnBatch(seq) })) }],
    }))!.responses[0].partitionResponses;
  const asked: unknown[][] = [];
  const answer = (errorCode: number, before: () => void = () => undefined) => {
    b.services.transactions = fakeTransactions({
      verifyTransaction: async (...args) => {
        asked.push(args);
        before();
        return args[3].map((p) => ({ ...p, errorCode }));
      },
    });
  };
  beforeEach(() => (asked.length = 0));

  test('the first write of a transaction to a partition waits for the coordinator; later ones do not', async () => {
    answer(ErrorCode.NONE);
    const [first] = await sendTxn(0);
    expect(first.errorCode).toBe(ErrorCode.NONE);
    expect(asked).toEqual([['tx-1', 1000n, 0, [{ topic: 't', partition: 0 }]]]);
    const log = b.logs.get('t', 0)!;
    expect(log.activeProducers()[0].currentTxnStartOffset).toBe(0);
    expect(log.lastStableOffset).toBe(0);
    expect((await sendTxn(1))[0].errorCode).toBe(ErrorCode.NONE);
    expect(asked).toHaveLength(1);
  });

  test('a partition the coordinator does not know in the transaction is INVALID_TXN_STATE, nothing written', async () => {
    answer(ErrorCode.INVALID_TXN_STATE);
    const [res] = await sendTxn(0);
    expect(res).toMatchObject({ errorCode: ErrorCode.INVALID_TXN_STATE, errorMessage: 'Partition was not added to the transaction' });
    expect(b.logs.get('t', 0)!.logEndOffset).toBe(0);
  });

  test('a coordinator that cannot answer yet makes the producer retry: NOT_ENOUGH_REPLICAS', async () => {
    answer(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    const [res] = await sendTxn(0);
    expect(res.errorCode).toBe(ErrorCode.NOT_ENOUGH_REPLICAS);
    expect(res.errorMessage).toBe('Unable to verify the partition has been added to the transaction. Underlying error: COORDINATOR_LOAD_IN_PROGRESS');
  });

  test('a marker written while the coordinator answered voids the verification: the late write does not reopen the transaction', async () => {
    const log = () => b.logs.get('t', 0)!;
    answer(ErrorCode.NONE, () => log().appendEndTxnMarker({ producerId: 1000n, producerEpoch: 0, coordinatorEpoch: 0, commit: false }, { leaderEpoch: 0, now: 0 }));
    const [res] = await sendTxn(0);
    expect(res.errorCode).toBe(ErrorCode.INVALID_TXN_STATE);
    expect(log().logEndOffset).toBe(1);
    expect(log().activeProducers()[0].currentTxnStartOffset).toBe(-1);
  });

  test('transaction.partition.verification.enable=false appends at once', async () => {
    b.close();
    b = await testBroker({}, { 'transaction.partition.verification.enable': false });
    addTopic(b.metadata, b.logs, topicInfo('t', 2));
    const [res] = await sendTxn(0);
    expect(res.errorCode).toBe(ErrorCode.NONE);
    expect(b.logs.get('t', 0)!.lastStableOffset).toBe(0);
  });
});
