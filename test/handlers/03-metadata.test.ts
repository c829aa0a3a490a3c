// Metadata in-process: all or named topics per version, brokers on the client's listener,
// auto-creation by broker config and request flag, invalid names, topic ids, authorized operations.

import { Apis, ErrorCode, KafkaError, MessageInput } from '../../protocol';
import metadata from '../../src/handlers/03-metadata';
import { newSession } from '../../src/server/session';
import { BROKER_ID, TestBroker, addTopic, call, testBroker, topicIdOf, topicInfo } from './fake-context';

type MetadataBody = MessageInput<typeof Apis.Metadata.request>;

let b: TestBroker;
const start = async (props: Record<string, string | number | boolean> = {}) => {
  b = await testBroker({}, props);
  addTopic(b.metadata, b.logs, topicInfo('a', 2, {}, { leaderEpoch: 4, replicas: [1, 2], isr: [1] }));
  addTopic(b.metadata, b.logs, topicInfo('b', 1));
};
afterEach(() => b.close());

const ask = (version: number, body: MetadataBody, listener = 'PLAINTEXT') =>
  call<typeof Apis.Metadata>(metadata, { ...b.ctx(version), session: newSession(listener, 'PLAINTEXT', '127.0.0.1', 50000) }, body);
const bits = (...operations: number[]) => operations.reduce((sum, op) => sum + 2 ** op, 0);
const names = (...topics: string[]) => ({ topics: topics.map((name) => ({ name })) });

describe('with auto-creation on (the broker default)', () => {
  beforeEach(() => start());

  test('describes brokers, controller, cluster id and every partition', async () => {
    b.metadata.controller = 2;
    const res = await ask(12, names('a'));
    expect(res).toMatchObject({ brokers: [{ nodeId: BROKER_ID, host: 'localhost', port: 9092, rack: null }], controllerId: 2, clusterId: b.metadata.clusterId });
    expect(res!.topics).toEqual([
      {
        errorCode: ErrorCode.NONE,
        name: 'a',
        topicId: topicIdOf('a'),
        isInternal: false,
        partitions: [0, 1].map((partitionIndex) => ({
          errorCode: ErrorCode.NONE,
          partitionIndex,
          leaderId: BROKER_ID,
          leaderEpoch: 4,
          replicaNodes: [1, 2],
          isrNodes: [1],
          offlineReplicas: [],
        })),
        topicAuthorizedOperations: -2147483648,
      },
    ]);
  });

  test('a partition without a leader is LEADER_NOT_AVAILABLE', async () => {
    b.metadata.topics.set(topicInfo('leaderless', 1, {}, { leader: -1, replicas: [2], isr: [] }));
    const res = await ask(9, names('leaderless'));
    expect(res!.topics[0].errorCode).toBe(ErrorCode.NONE);
    expect(res!.topics[0].partitions[0]).toMatchObject({ errorCode: ErrorCode.LEADER_NOT_AVAILABLE, leaderId: -1 });
  });

  test('a leader that is not alive is no leader (LEADER_NOT_AVAILABLE, -1); one without this listener is LISTENER_NOT_FOUND from v6', async () => {
    b.metadata.brokers = [
      { id: 1, host: 'localhost', port: 9092, rack: null },
      { id: 2, host: 'other', port: 9093, rack: null },
    ];
    b.metadata.otherListeners = { INTERNAL: [{ id: 1, host: 'internal-1', port: 19092, rack: null }] };
    b.metadata.topics.set(topicInfo('dead-leader', 1, {}, { leader: 7, replicas: [7, 1], isr: [7, 1] }));
    b.metadata.topics.set(topicInfo('other-listener', 1, {}, { leader: 2, replicas: [2, 1], isr: [2, 1] }));
    const plain = await ask(9, names('dead-leader', 'other-listener'));
    expect(plain!.topics[0].partitions[0]).toMatchObject({ errorCode: ErrorCode.LEADER_NOT_AVAILABLE, leaderId: -1, replicaNodes: [7, 1], isrNodes: [7, 1] });
    expect(plain!.topics[1].partitions[0]).toMatchObject({ errorCode: ErrorCode.NONE, leaderId: 2 });
    const internal = await ask(9, names('other-listener'), 'INTERNAL');
    expect(internal!.topics[0].partitions[0]).toMatchObject({ errorCode: ErrorCode.LISTENER_NOT_FOUND, leaderId: -1 });
    const old = await ask(5, names('other-listener'), 'INTERNAL');
    expect(old!.topics[0].partitions[0]).toMatchObject({ errorCode: ErrorCode.LEADER_NOT_AVAILABLE, leaderId: -1 });
  });

  test('a null topic list (v1+) and an empty one in v0 mean all topics; empty from v1 means none', async () => {
    const all = (res: Awaited<ReturnType<typeof ask>>) => res!.topics.map((t) => t.name).sort();
    expect(all(await ask(1, { topics: null }))).toEqual(['a', 'b']);
    expect(all(await ask(0, { topics: [] }))).toEqual(['a', 'b']);
    expect(all(await ask(1, { topics: [] }))).toEqual([]);
    expect(b.topicAdmin.calls).toEqual([]);
  });

  test('brokers are answered with their endpoint on the listener the request came in on', async () => {
    b.metadata.brokers = [
      { id: 1, host: 'localhost', port: 9092, rack: 'r1' },
      { id: 2, host: 'other', port: 9093, rack: null },
    ];
    b.metadata.otherListeners = { INTERNAL: [{ id: 1, host: 'internal-1', port: 19092, rack: 'r1' }] };
    expect((await ask(1, { topics: [] }))!.brokers).toEqual([
      { nodeId: 1, host: 'localhost', port: 9092, rack: 'r1' },
      { nodeId: 2, host: 'other', port: 9093, rack: null },
    ]);
    expect((await ask(1, { topics: [] }, 'INTERNAL'))!.brokers).toEqual([{ nodeId: 1, host: 'internal-1', port: 19092, rack: 'r1' }]);
  });

  test('an unknown topic is created before v4, and from v4 only when the request allows it', async () => {
    await ask(3, names('old-client'));
    await ask(4, { topics: [{ name: 'refused' }], allowAutoTopicCreation: false });
    await ask(4, { topics: [{ name: 'allowed' }], allowAutoTopicCreation: true });
    expect(b.topicAdmin.calls).toEqual(['create old-client', 'create allowed']);
    const refused = await ask(4, { topics: [{ name: 'refused' }], allowAutoTopicCreation: false });
    expect(refused!.topics[0]).toMatchObject({ name: 'refused', errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, partitions: [] });
    const created = await ask(4, { topics: [{ name: 'allowed' }], allowAutoTopicCreation: false });
    expect(created!.topics[0]).toMatchObject({ name: 'allowed', errorCode: ErrorCode.NONE });
  });

  test('invalid names are INVALID_TOPIC_EXCEPTION and never created; the other topics are answered', async () => {
    const res = await ask(12, names('bad/name', '', 'x'.repeat(250), 'a'));
    expect(res!.topics.map((t) => [t.name, t.errorCode])).toEqual([
      ['bad/name', ErrorCode.INVALID_TOPIC_EXCEPTION],
      ['', ErrorCode.INVALID_TOPIC_EXCEPTION],
      ['x'.repeat(250), ErrorCode.INVALID_TOPIC_EXCEPTION],
      ['a', ErrorCode.NONE],
    ]);
    expect(b.topicAdmin.calls).toEqual([]);
  });

  test('a creation that fails answers its error for that topic', async () => {
    b.services.topicAdmin.autoCreateTopic = async () => {
      throw new KafkaError(ErrorCode.INVALID_REPLICATION_FACTOR, 'not enough brokers');
    };
    const res = await ask(12, names('new', 'b'));
    expect(res!.topics.map((t) => [t.name, t.errorCode])).toEqual([
      ['new', ErrorCode.INVALID_REPLICATION_FACTOR],
      ['b', ErrorCode.NONE],
    ]);
  });

  test('topics are asked for by id; an unknown id is UNKNOWN_TOPIC_ID with no name', async () => {
    const res = await ask(12, { topics: [{ name: null, topicId: topicIdOf('b') }, { name: null, topicId: 'AAAAAAAAAAAAAAAAAAAAAQ' }] });
    expect(res!.topics.map((t) => [t.name, t.topicId, t.errorCode])).toEqual([
      ['b', topicIdOf('b'), ErrorCode.NONE],
      [null, 'AAAAAAAAAAAAAAAAAAAAAQ', ErrorCode.UNKNOWN_TOPIC_ID],
    ]);
  });

  // KafkaApis.handleTopicMetadataRequest: "Topic IDs are not supported for versions 10 and 11. Topic
  // names can not be null in these versions." (InvalidRequestException for the request).
  test('v10-11 refuse topic ids and null names with INVALID_REQUEST', async () => {
    const answer = await ask(10, { topics: [{ name: null, topicId: topicIdOf('b') }] }).catch((e: KafkaError) => e);
    expect(answer instanceof KafkaError ? answer.code : answer!.topics[0].errorCode).toBe(ErrorCode.INVALID_REQUEST);
  });

  test('internal topics are flagged (v1+); authorized operations are reported when asked (v8+)', async () => {
    addTopic(b.metadata, b.logs, topicInfo('__consumer_offsets', 1));
    const res = await ask(8, { topics: [{ name: '__consumer_offsets' }, { name: 'a' }], includeTopicAuthorizedOperations: true, includeClusterAuthorizedOperations: true });
    expect(res!.topics.map((t) => t.isInternal)).toEqual([true, false]);
    // READ 3, WRITE 4, CREATE 5, DELETE 6, ALTER 7, DESCRIBE 8, DESCRIBE_CONFIGS 10, ALTER_CONFIGS 11
    expect(res!.topics[0].topicAuthorizedOperations).toBe(bits(3, 4, 5, 6, 7, 8, 10, 11));
    // CREATE 5, ALTER 7, DESCRIBE 8, CLUSTER_ACTION 9, DESCRIBE_CONFIGS 10, ALTER_CONFIGS 11, IDEMPOTENT_WRITE 12
    expect(res!.clusterAuthorizedOperations).toBe(bits(5, 7, 8, 9, 10, 11, 12));
    const unasked = await ask(8, names('a'));
    expect([unasked!.topics[0].topicAuthorizedOperations, unasked!.clusterAuthorizedOperations]).toEqual([-2147483648, -2147483648]);
  });

  // Kafka's AutoTopicCreationManager answers a topic it just created with LEADER_NOT_AVAILABLE and
  // no partitions (its metadata has not reached the brokers yet); the client asks again.
  test('a topic created by the request is answered LEADER_NOT_AVAILABLE, as Kafka does', async () => {
    const res = await ask(12, names('fresh'));
    expect(res!.topics[0]).toMatchObject({ name: 'fresh', errorCode: ErrorCode.LEADER_NOT_AVAILABLE, partitions: [] });
  });
});

describe('with auto.create.topics.enable=false', () => {
  beforeEach(() => start({ 'auto.create.topics.enable': false }));

  test('no version creates; unknown topics are UNKNOWN_TOPIC_OR_PARTITION', async () => {
    for (const version of [0, 3, 4, 12]) {
      const res = await ask(version, { topics: [{ name: 'nope' }], allowAutoTopicCreation: true });
      expect(res!.topics[0]).toMatchObject({ name: 'nope', errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
    }
    expect(b.topicAdmin.calls).toEqual([]);
    expect(b.metadata.topics.get('nope')).toBeUndefined();
  });
});
