// Authorization of the data path, in-process on a fake authorizer: Produce, Fetch (consumers and
// followers), ListOffsets, Metadata (hiding, auto-creation, authorized operations), OffsetForLeaderEpoch,
// DeleteRecords and DescribeProducers. A denied request gets Kafka's error in Kafka's place and
// changes nothing.

import { Apis, ErrorCode } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import { ANONYMOUS } from '../../src/server/session';
import { AclOperation as Op, ResourceType as Type, CLUSTER_NAME } from '../../src/auth/authorizer';
import produce from '../../src/handlers/00-produce';
import fetch from '../../src/handlers/01-fetch';
import listOffsets from '../../src/handlers/02-list-offsets';
import metadata from '../../src/handlers/03-metadata';
import offsetForLeaderEpoch from '../../src/handlers/23-offset-for-leader-epoch';
import deleteRecords from '../../src/handlers/21-delete-records';
import describeProducers from '../../src/handlers/61-describe-producers';
import { FakeAuthorizer, TestBroker, addTopic, appendToLog, call, settleUntil, testBroker, topicIdOf, topicInfo, track } from './fake-context';

let b: TestBroker;
let acl: FakeAuthorizer;
beforeEach(async () => {
  b = await testBroker();
  acl = new FakeAuthorizer();
  b.services.authorizer = acl;
  addTopic(b.metadata, b.logs, topicInfo('open', 2, {}, { replicas: [1, 2], isr: [1, 2] }));
  addTopic(b.metadata, b.logs, topicInfo('secret', 1, {}, { replicas: [1, 2], isr: [1, 2] }));
});
afterEach(() => b.close());

const allow = (op: Op, type: Type, name: string) => acl.allow(ANONYMOUS, op, type, name);
const records = (n: number, opts: Parameters<typeof buildBatch>[1] = {}) =>
  buildBatch(Array.from({ length: n }, (_, i) => ({ key: null, value: Buffer.from(`v${i}`), timestamp: 1_700_000_000_000 + i })), opts);
const errorsOf = (topics: { name?: string; topic?: string; partitions: { errorCode: number }[] }[]) =>
  Object.fromEntries(topics.map((t) => [t.name ?? t.topic, t.partitions.map((p) => p.errorCode)]));

describe('Produce', () => {
  const send = (topics: string[], extra: { transactionalId?: string | null; batch?: Buffer } = {}) =>
    call<typeof Apis.Produce>(produce, b.ctx(9), {
      acks: 1,
      timeoutMs: 1000,
      transactionalId: extra.transactionalId ?? null,
      topicData: topics.map((name) => ({ name, partitionData: [{ index: 0, records: Buffer.from(extra.batch ?? records(2)) }] })),
    });

  test('WRITE on the topic appends; without it TOPIC_AUTHORIZATION_FAILED per partition, nothing appended', async () => {
    allow(Op.WRITE, Type.TOPIC, 'open');
    const res = await send(['open', 'secret']);
    expect(res!.responses.map((t) => [t.name, t.partitionResponses[0].errorCode])).toEqual([
      ['open', ErrorCode.NONE],
      ['secret', ErrorCode.TOPIC_AUTHORIZATION_FAILED],
    ]);
    expect(b.logs.get('open', 0)!.logEndOffset).toBe(2);
    expect(b.logs.get('secret', 0)!.logEndOffset).toBe(0);
  });

  test('an unknown topic without WRITE is TOPIC_AUTHORIZATION_FAILED, not told apart from a forbidden one', async () => {
    const res = await send(['nowhere']);
    expect(res!.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
  });

  test('one question per topic, however many partitions', async () => {
    allow(Op.WRITE, Type.TOPIC, 'open');
    await call<typeof Apis.Produce>(produce, b.ctx(9), {
      acks: 1,
      timeoutMs: 1000,
      topicData: [{ name: 'open', partitionData: [0, 1].map((index) => ({ index, records: Buffer.from(records(1)) })) }],
    });
    expect(acl.asked).toEqual(['WRITE TOPIC open']);
  });

  test('transactional records need WRITE on the transactional id, for the whole request', async () => {
    allow(Op.WRITE, Type.TOPIC, 'open');
    const txn = records(1, { producerId: 7n, producerEpoch: 0, baseSequence: 0, transactional: true });
    const res = await send(['open'], { transactionalId: 'tx', batch: txn });
    expect(res!.responses[0].partitionResponses[0]).toMatchObject({ errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, errorMessage: 'Transactional Id authorization failed.' });
    expect(b.logs.get('open', 0)!.logEndOffset).toBe(0);
  });


});

test('without an authorizer Produce and Fetch ask nothing', async () => {
  const asked = () => {
    throw new Error('asked without an authorizer');
  };
  b.services.authorizer = { enabled: false, authorize: asked, authorizeByResourceType: asked, authorizedOperations: asked };
  const produced = await call<typeof Apis.Produce>(produce, b.ctx(9), {
    acks: 1,
    timeoutMs: 1000,
    transactionalId: 'tx',
    topicData: [{ name: 'open', partitionData: [{ index: 0, records: Buffer.from(records(1)) }] }],
  });
  expect(produced!.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NONE);
  const fetched = await call<typeof Apis.Fetch>(fetch, b.ctx(12), {
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes: 1 << 20,
    topics: [{ topic: 'open', partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] }],
  });
  expect(fetched!.responses[0].partitions[0].errorCode).toBe(ErrorCode.NONE);
});

describe('Fetch', () => {
  beforeEach(() => {
    appendToLog(b.logs.get('open', 0)!, records(2));
    appendToLog(b.logs.get('secret', 0)!, records(2));
  });
  const send = (topics: string[], replicaId = -1) =>
    call<typeof Apis.Fetch>(fetch, b.ctx(12), {
      replicaId,
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1 << 20,
      topics: topics.map((topic) => ({ topic, partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] })),
    });

  test('a consumer reads topics it may READ; the others are TOPIC_AUTHORIZATION_FAILED without data', async () => {
    allow(Op.READ, Type.TOPIC, 'open');
    const res = await send(['open', 'secret', 'nowhere']);
    expect(res!.responses.map((t) => [t.topic, t.partitions[0].errorCode, (t.partitions[0].records?.length ?? 0) > 0])).toEqual([
      ['open', ErrorCode.NONE, true],
      ['secret', ErrorCode.TOPIC_AUTHORIZATION_FAILED, false],
      ['nowhere', ErrorCode.TOPIC_AUTHORIZATION_FAILED, false],
    ]);
    expect(res!.responses[1].partitions[0].highWatermark).toBe(-1n);
    expect(acl.asked).toEqual(['READ TOPIC open', 'READ TOPIC secret (denied)', 'READ TOPIC nowhere (denied)']);
  });

  test('a refused partition does not cut the others\' long poll short; all refused answers at once', async () => {
    allow(Op.READ, Type.TOPIC, 'open');
    const poll = (topics: string[]) =>
      call<typeof Apis.Fetch>(fetch, b.ctx(12), {
        replicaId: -1,
        maxWaitMs: 500,
        minBytes: 1 << 20,
        maxBytes: 1 << 20,
        topics: topics.map((topic) => ({ topic, partitions: [{ partition: 0, fetchOffset: 2n, partitionMaxBytes: 1 << 20 }] })),
      });
    const refused = await poll(['secret']);
    expect(refused!.responses[0].partitions[0].errorCode).toBe(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
    const mixed = track(poll(['open', 'secret']));
    await settleUntil(() => b.clock.liveTimers > 0, 'the fetch waits');
    expect(mixed.settled).toBe(false);
    b.clock.advance(500);
    const res = await mixed.promise;
    expect(errorsOf(res!.responses)).toEqual({ open: [ErrorCode.NONE], secret: [ErrorCode.TOPIC_AUTHORIZATION_FAILED] });
  });

  test('a follower needs CLUSTER_ACTION on the cluster: else every partition is TOPIC_AUTHORIZATION_FAILED and nothing is recorded', async () => {
    allow(Op.READ, Type.TOPIC, 'open');
    const denied = await send(['open'], 2);
    expect(denied!.responses[0].partitions[0].errorCode).toBe(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
    expect(b.replication.calls).toEqual([]);
    allow(Op.CLUSTER_ACTION, Type.CLUSTER, CLUSTER_NAME);
    const allowed = await send(['open', 'secret'], 2);
    expect(errorsOf(allowed!.responses)).toEqual({ open: [ErrorCode.NONE], secret: [ErrorCode.NONE] });
    expect(b.replication.calls).toHaveLength(2);
  });
});

describe('ListOffsets', () => {
  test('DESCRIBE on the topic; the others TOPIC_AUTHORIZATION_FAILED, listed last', async () => {
    allow(Op.DESCRIBE, Type.TOPIC, 'open');
    const res = await call<typeof Apis.ListOffsets>(listOffsets, b.ctx(9), {
      replicaId: -1,
      topics: ['secret', 'open'].map((name) => ({ name, partitions: [{ partitionIndex: 0, timestamp: -1n }] })),
    });
    expect(res!.topics.map((t) => [t.name, t.partitions[0].errorCode, t.partitions[0].offset])).toEqual([
      ['open', ErrorCode.NONE, 0n],
      ['secret', ErrorCode.TOPIC_AUTHORIZATION_FAILED, -1n],
    ]);
  });
});

describe('Metadata', () => {
  const ask = (version: number, body: Parameters<typeof call<typeof Apis.Metadata>>[2]) => call<typeof Apis.Metadata>(metadata, b.ctx(version), body);

  test('the topic listing leaves out what the principal may not DESCRIBE, and asks quietly', async () => {
    allow(Op.DESCRIBE, Type.TOPIC, 'open');
    const res = await ask(12, { topics: null });
    expect(res!.topics.map((t) => t.name)).toEqual(['open']);
  });

  test('a named topic without DESCRIBE is TOPIC_AUTHORIZATION_FAILED, last, with nothing about it', async () => {
    allow(Op.DESCRIBE, Type.TOPIC, 'open');
    const res = await ask(12, { topics: [{ name: 'secret' }, { name: 'open' }], includeTopicAuthorizedOperations: true });
    expect(res!.topics.map((t) => [t.name, t.errorCode, t.partitions.length, t.topicAuthorizedOperations])).toEqual([
      ['open', ErrorCode.NONE, 2, 1 << Op.DESCRIBE],
      ['secret', ErrorCode.TOPIC_AUTHORIZATION_FAILED, 0, -2147483648],
    ]);
    expect(res!.topics[1].topicId).toBe('AAAAAAAAAAAAAAAAAAAAAA');
  });

  test('by id without DESCRIBE: TOPIC_AUTHORIZATION_FAILED with the id and no name', async () => {
    const res = await ask(12, { topics: [{ name: null, topicId: topicIdOf('secret') }] });
    expect(res!.topics[0]).toMatchObject({ name: null, topicId: topicIdOf('secret'), errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED });
  });

  test('no auto-creation without CREATE on the cluster or the topic', async () => {
    allow(Op.DESCRIBE, Type.TOPIC, 'fresh');
    const denied = await ask(12, { topics: [{ name: 'fresh' }], allowAutoTopicCreation: true });
    expect(denied!.topics[0]).toMatchObject({ name: 'fresh', errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED });
    expect(b.topicAdmin.calls).toEqual([]);
    allow(Op.CREATE, Type.TOPIC, 'fresh');
    const created = await ask(12, { topics: [{ name: 'fresh' }], allowAutoTopicCreation: true });
    expect(created!.topics[0].errorCode).toBe(ErrorCode.LEADER_NOT_AVAILABLE);
    expect(b.topicAdmin.calls).toEqual(['create fresh']);
  });

  test('CREATE on the cluster allows auto-creation of any topic it may describe', async () => {
    allow(Op.DESCRIBE, Type.TOPIC, '*');
    allow(Op.CREATE, Type.CLUSTER, CLUSTER_NAME);
    const res = await ask(12, { topics: [{ name: 'fresh' }], allowAutoTopicCreation: true });
    expect(res!.topics[0].errorCode).toBe(ErrorCode.LEADER_NOT_AVAILABLE);
    expect(b.topicAdmin.calls).toEqual(['create fresh']);
  });

  test('authorized operations are the principal\'s: the topic\'s, and the cluster\'s only with DESCRIBE on it', async () => {
    allow(Op.DESCRIBE, Type.TOPIC, 'open');
    allow(Op.READ, Type.TOPIC, 'open');
    const noCluster = await ask(10, { topics: [{ name: 'open' }], includeTopicAuthorizedOperations: true, includeClusterAuthorizedOperations: true });
    expect(noCluster!.topics[0].topicAuthorizedOperations).toBe((1 << Op.READ) | (1 << Op.DESCRIBE));
    expect(noCluster!.clusterAuthorizedOperations).toBe(0);
    allow(Op.DESCRIBE, Type.CLUSTER, CLUSTER_NAME);
    allow(Op.ALTER, Type.CLUSTER, CLUSTER_NAME);
    const cluster = await ask(10, { topics: [{ name: 'open' }], includeClusterAuthorizedOperations: true });
    expect(cluster!.clusterAuthorizedOperations).toBe((1 << Op.DESCRIBE) | (1 << Op.ALTER));
  });
});

describe('OffsetForLeaderEpoch', () => {
  const ask = () =>
    call<typeof Apis.OffsetForLeaderEpoch>(offsetForLeaderEpoch, b.ctx(4), {
      replicaId: -1,
      topics: ['secret', 'open'].map((topic) => ({ topic, partitions: [{ partition: 0, currentLeaderEpoch: -1, leaderEpoch: 0 }] })),
    });

  test('a consumer needs DESCRIBE on the topic; the others TOPIC_AUTHORIZATION_FAILED, last', async () => {
    allow(Op.DESCRIBE, Type.TOPIC, 'open');
    const res = await ask();
    expect(res!.topics.map((t) => [t.topic, t.partitions[0].errorCode])).toEqual([
      ['open', ErrorCode.NONE],
      ['secret', ErrorCode.TOPIC_AUTHORIZATION_FAILED],
    ]);
  });

  test('CLUSTER_ACTION on the cluster answers every topic', async () => {
    allow(Op.CLUSTER_ACTION, Type.CLUSTER, CLUSTER_NAME);
    expect(errorsOf((await ask())!.topics)).toEqual({ secret: [ErrorCode.NONE], open: [ErrorCode.NONE] });
  });
});

describe('DeleteRecords', () => {
  test('DELETE on the topic; without it TOPIC_AUTHORIZATION_FAILED and no records deleted', async () => {
    allow(Op.DELETE, Type.TOPIC, 'open');
    const res = await call<typeof Apis.DeleteRecords>(deleteRecords, b.ctx(2), {
      timeoutMs: 1000,
      topics: ['open', 'secret'].map((name) => ({ name, partitions: [{ partitionIndex: 0, offset: 1n }] })),
    });
    expect(errorsOf(res!.topics)).toEqual({ open: [ErrorCode.NONE], secret: [ErrorCode.TOPIC_AUTHORIZATION_FAILED] });
    expect(res!.topics[1].partitions[0].lowWatermark).toBe(-1n);
    expect(b.replication.calls).toEqual(['delete records of open-0 before 1 within 1000']);
  });
});

describe('DescribeProducers', () => {
  test('READ on the topic; without it TOPIC_AUTHORIZATION_FAILED with its message', async () => {
    allow(Op.READ, Type.TOPIC, 'open');
    const res = await call<typeof Apis.DescribeProducers>(describeProducers, b.ctx(0), {
      topics: ['open', 'secret'].map((name) => ({ name, partitionIndexes: [0] })),
    });
    expect(res!.topics.map((t) => [t.name, t.partitions[0].errorCode, t.partitions[0].errorMessage])).toEqual([
      ['open', ErrorCode.NONE, null],
      ['secret', ErrorCode.TOPIC_AUTHORIZATION_FAILED, 'Topic authorization failed.'],
    ]);
  });
});
