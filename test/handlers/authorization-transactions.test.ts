// Authorization of the transaction APIs, in-process on a fake authorizer and a recording transaction
// service: InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn, EndTxn, TxnOffsetCommit,
// WriteTxnMarkers, DescribeTransactions and ListTransactions. A denied request gets Kafka's error in
// Kafka's place and never reaches the coordinator.

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation as Op, ResourceType as Type, CLUSTER_NAME } from '../../src/auth/authorizer';
import initProducerId from '../../src/handlers/22-init-producer-id';
import addPartitionsToTxn from '../../src/handlers/24-add-partitions-to-txn';
import addOffsetsToTxn from '../../src/handlers/25-add-offsets-to-txn';
import endTxn from '../../src/handlers/26-end-txn';
import writeTxnMarkers from '../../src/handlers/27-write-txn-markers';
import txnOffsetCommit from '../../src/handlers/28-txn-offset-commit';
import describeTransactions from '../../src/handlers/65-describe-transactions';
import listTransactions from '../../src/handlers/66-list-transactions';
import { ANONYMOUS } from '../../src/server/session';
import { FakeAuthorizer, TestBroker, addTopic, call, fakeGroups, fakeTransactions, testBroker, topicInfo } from './fake-context';

let b: TestBroker;
let acl: FakeAuthorizer;
/** What reached the coordinators. */
let calls: string[];
beforeEach(async () => {
  b = await testBroker();
  acl = new FakeAuthorizer();
  b.services.authorizer = acl;
  addTopic(b.metadata, b.logs, topicInfo('open', 1));
  addTopic(b.metadata, b.logs, topicInfo('secret', 1));
  addTopic(b.metadata, b.logs, topicInfo('__consumer_offsets', 1));
  calls = [];
  b.services.transactions = fakeTransactions({
    initProducerId: async (id) => {
      calls.push(`init ${id}`);
      return { errorCode: ErrorCode.NONE, producerId: 9n, producerEpoch: 0 };
    },
    addPartitionsToTxn: async (id, _pid, _epoch, partitions) => {
      calls.push(`add ${id} ${partitions.map((p) => `${p.topic}-${p.partition}`)}`);
      return ErrorCode.NONE;
    },
    verifyPartitionsInTxn: (id, _pid, _epoch, partitions) => {
      calls.push(`verify ${id}`);
      return partitions.map((p) => ({ ...p, errorCode: ErrorCode.NONE }));
    },
    addOffsetsToTxn: async (id, _pid, _epoch, groupId) => {
      calls.push(`add offsets ${id} ${groupId}`);
      return ErrorCode.NONE;
    },
    endTxn: async (id) => {
      calls.push(`end ${id}`);
      return ErrorCode.NONE;
    },
    describeTransaction: (transactionalId) => ({
      errorCode: ErrorCode.NONE,
      transactionalId,
      transactionState: 'Ongoing',
      transactionTimeoutMs: 60_000,
      transactionStartTimeMs: 5n,
      producerId: 9n,
      producerEpoch: 1,
      topics: [
        { topic: 'open', partitions: [0] },
        { topic: 'secret', partitions: [0] },
      ],
    }),
    listTransactions: () => ({
      errorCode: ErrorCode.NONE,
      unknownStateFilters: [],
      transactionStates: ['tx', 'other'].map((transactionalId) => ({ transactionalId, producerId: 9n, transactionState: 'Ongoing' })),
    }),
  });
  b.services.groups = fakeGroups({
    commitTransactionalOffsets: async (req) => {
      calls.push(`txn commit ${req.groupId} ${req.topics.map((t) => t.name)}`);
      return req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: ErrorCode.NONE })) }));
    },
  });
});
afterEach(() => b.close());

const allow = (op: Op, type: Type, name: string) => acl.allow(ANONYMOUS, op, type, name);
const errorsOf = (topics: { name: string; resultsByPartition: { partitionErrorCode: number }[] }[]) =>
  topics.map((t) => [t.name, t.resultsByPartition.map((p) => p.partitionErrorCode)]);

describe('InitProducerId', () => {
  const init = (transactionalId: string | null) =>
    call<typeof Apis.InitProducerId>(initProducerId, b.ctx(4), { transactionalId, transactionTimeoutMs: 60_000 });

  test('transactional: WRITE on the transactional id, else TRANSACTIONAL_ID_AUTHORIZATION_FAILED', async () => {
    expect((await init('tx'))!.errorCode).toBe(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
    expect(calls).toEqual([]);
    allow(Op.WRITE, Type.TRANSACTIONAL_ID, 'tx');
    expect((await init('tx'))!.errorCode).toBe(ErrorCode.NONE);
    expect(calls).toEqual(['init tx']);
  });

  test('idempotent: CLUSTER_AUTHORIZATION_FAILED without IDEMPOTENT_WRITE on the cluster or WRITE on some topic', async () => {
    expect(await init(null)).toMatchObject({ errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, producerId: -1n });
    expect(calls).toEqual([]);
    allow(Op.WRITE, Type.TOPIC, 'open');
    expect((await init(null))!.errorCode).toBe(ErrorCode.NONE);
  });

  test('idempotent: IDEMPOTENT_WRITE on the cluster is enough', async () => {
    allow(Op.IDEMPOTENT_WRITE, Type.CLUSTER, CLUSTER_NAME);
    expect((await init(null))!.errorCode).toBe(ErrorCode.NONE);
  });
});

describe('AddPartitionsToTxn', () => {
  const v3 = (topics: string[]) =>
    call<typeof Apis.AddPartitionsToTxn>(addPartitionsToTxn, b.ctx(3), {
      v3AndBelowTransactionalId: 'tx',
      v3AndBelowProducerId: 9n,
      v3AndBelowProducerEpoch: 0,
      v3AndBelowTopics: topics.map((name) => ({ name, partitions: [0] })),
    });

  test('WRITE on the transactional id, else TRANSACTIONAL_ID_AUTHORIZATION_FAILED on every partition', async () => {
    allow(Op.WRITE, Type.TOPIC, '*');
    expect(errorsOf((await v3(['open']))!.resultsByTopicV3AndBelow)).toEqual([['open', [ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED]]]);
    expect(calls).toEqual([]);
  });

  test('a topic without WRITE is TOPIC_AUTHORIZATION_FAILED, the rest OPERATION_NOT_ATTEMPTED, nothing added', async () => {
    allow(Op.WRITE, Type.TRANSACTIONAL_ID, 'tx');
    allow(Op.WRITE, Type.TOPIC, 'open');
    expect(errorsOf((await v3(['open', 'secret']))!.resultsByTopicV3AndBelow)).toEqual([
      ['open', [ErrorCode.OPERATION_NOT_ATTEMPTED]],
      ['secret', [ErrorCode.TOPIC_AUTHORIZATION_FAILED]],
    ]);
    expect(calls).toEqual([]);
    expect(errorsOf((await v3(['open']))!.resultsByTopicV3AndBelow)).toEqual([['open', [ErrorCode.NONE]]]);
    expect(calls).toEqual(['add tx open-0']);
  });

  test('a client may never add an internal topic', async () => {
    allow(Op.WRITE, Type.TRANSACTIONAL_ID, 'tx');
    allow(Op.WRITE, Type.TOPIC, '*');
    expect(errorsOf((await v3(['__consumer_offsets']))!.resultsByTopicV3AndBelow)).toEqual([['__consumer_offsets', [ErrorCode.TOPIC_AUTHORIZATION_FAILED]]]);
  });

  test('v4 (brokers) needs CLUSTER_ACTION on the cluster, else the whole request is CLUSTER_AUTHORIZATION_FAILED', async () => {
    const v4 = () =>
      call<typeof Apis.AddPartitionsToTxn>(addPartitionsToTxn, b.ctx(4), {
        transactions: [{ transactionalId: 'tx', producerId: 9n, producerEpoch: 0, verifyOnly: true, topics: [{ name: 'open', partitions: [0] }] }],
      });
    allow(Op.WRITE, Type.TRANSACTIONAL_ID, 'tx');
    expect(await v4()).toMatchObject({ errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, resultsByTransaction: [] });
    expect(calls).toEqual([]);
    allow(Op.CLUSTER_ACTION, Type.CLUSTER, CLUSTER_NAME);
    const res = await v4();
    expect(res!.resultsByTransaction[0].topicResults[0].resultsByPartition[0].partitionErrorCode).toBe(ErrorCode.NONE);
    expect(calls).toEqual(['verify tx']);
  });
});

describe('AddOffsetsToTxn and EndTxn', () => {
  const addOffsets = () => call<typeof Apis.AddOffsetsToTxn>(addOffsetsToTxn, b.ctx(3), { transactionalId: 'tx', producerId: 9n, producerEpoch: 0, groupId: 'g' });
  const end = () => call<typeof Apis.EndTxn>(endTxn, b.ctx(3), { transactionalId: 'tx', producerId: 9n, producerEpoch: 0, committed: true });

  test('WRITE on the transactional id, then READ on the group', async () => {
    expect((await addOffsets())!.errorCode).toBe(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
    expect((await end())!.errorCode).toBe(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
    allow(Op.WRITE, Type.TRANSACTIONAL_ID, 'tx');
    expect((await addOffsets())!.errorCode).toBe(ErrorCode.GROUP_AUTHORIZATION_FAILED);
    expect(calls).toEqual([]);
    allow(Op.READ, Type.GROUP, 'g');
    expect((await addOffsets())!.errorCode).toBe(ErrorCode.NONE);
    expect((await end())!.errorCode).toBe(ErrorCode.NONE);
    expect(calls).toEqual(['add offsets tx g', 'end tx']);
  });
});

describe('TxnOffsetCommit', () => {
  const commit = () =>
    call<typeof Apis.TxnOffsetCommit>(txnOffsetCommit, b.ctx(3), {
      transactionalId: 'tx',
      groupId: 'g',
      producerId: 9n,
      producerEpoch: 0,
      topics: ['open', 'secret'].map((name) => ({ name, partitions: [{ partitionIndex: 0, committedOffset: 1n }] })),
    });
  const errors = async () => (await commit())!.topics.map((t) => [t.name, t.partitions[0].errorCode]);

  test('the transactional id, then the group, each failing every partition', async () => {
    expect(await errors()).toEqual([
      ['open', ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED],
      ['secret', ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED],
    ]);
    allow(Op.WRITE, Type.TRANSACTIONAL_ID, 'tx');
    expect(await errors()).toEqual([
      ['open', ErrorCode.GROUP_AUTHORIZATION_FAILED],
      ['secret', ErrorCode.GROUP_AUTHORIZATION_FAILED],
    ]);
    expect(calls).toEqual([]);
  });

  test('topics without READ are TOPIC_AUTHORIZATION_FAILED and not committed', async () => {
    allow(Op.WRITE, Type.TRANSACTIONAL_ID, 'tx');
    allow(Op.READ, Type.GROUP, 'g');
    allow(Op.READ, Type.TOPIC, 'open');
    expect(await errors()).toEqual([
      ['secret', ErrorCode.TOPIC_AUTHORIZATION_FAILED],
      ['open', ErrorCode.NONE],
    ]);
    expect(calls).toEqual(['txn commit g open']);
  });
});

describe('WriteTxnMarkers', () => {
  test('needs CLUSTER_ACTION on the cluster: else every partition is CLUSTER_AUTHORIZATION_FAILED, no marker written', async () => {
    const res = await call<typeof Apis.WriteTxnMarkers>(writeTxnMarkers, b.ctx(1), {
      markers: [{ producerId: 9n, producerEpoch: 0, transactionResult: true, coordinatorEpoch: 0, topics: [{ name: 'open', partitionIndexes: [0] }] }],
    });
    expect(res!.markers[0].topics[0].partitions[0].errorCode).toBe(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    expect(b.logs.get('open', 0)!.logEndOffset).toBe(0);
  });
});

describe('DescribeTransactions and ListTransactions', () => {
  test('ids without DESCRIBE are TRANSACTIONAL_ID_AUTHORIZATION_FAILED; topics without DESCRIBE are left out', async () => {
    allow(Op.DESCRIBE, Type.TRANSACTIONAL_ID, 'tx');
    allow(Op.DESCRIBE, Type.TOPIC, 'open');
    const res = await call<typeof Apis.DescribeTransactions>(describeTransactions, b.ctx(0), { transactionalIds: ['tx', 'other'] });
    expect(res!.transactionStates.map((s) => [s.transactionalId, s.errorCode, s.transactionState, s.topics.map((t) => t.topic)])).toEqual([
      ['tx', ErrorCode.NONE, 'Ongoing', ['open']],
      ['other', ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, '', []],
    ]);
  });

  test('the listing holds only ids the principal may DESCRIBE', async () => {
    allow(Op.DESCRIBE, Type.TRANSACTIONAL_ID, 'other');
    const res = await call<typeof Apis.ListTransactions>(listTransactions, b.ctx(1), {});
    expect(res!.transactionStates.map((s) => s.transactionalId)).toEqual(['other']);
  });
});
