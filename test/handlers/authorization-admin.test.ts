// Authorization of the admin and inter-broker APIs, in-process on a fake authorizer: topics
// (CreateTopics, DeleteTopics, CreatePartitions), configs (DescribeConfigs, AlterConfigs,
// IncrementalAlterConfigs), cluster operations (log dirs, elections, reassignments, quotas, features,
// DescribeCluster) and the controller's requests (LeaderAndIsr, StopReplica, UpdateMetadata,
// ControlledShutdown). A denied request gets Kafka's error in Kafka's place and changes nothing.

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation as Op, ResourceType as Type, CLUSTER_NAME } from '../../src/auth/authorizer';
import leaderAndIsr from '../../src/handlers/04-leader-and-isr';
import stopReplica from '../../src/handlers/05-stop-replica';
import updateMetadata from '../../src/handlers/06-update-metadata';
import controlledShutdown from '../../src/handlers/07-controlled-shutdown';
import apiVersions from '../../src/handlers/18-api-versions';
import createTopics from '../../src/handlers/19-create-topics';
import deleteTopics from '../../src/handlers/20-delete-topics';
import describeConfigs from '../../src/handlers/32-describe-configs';
import alterConfigs from '../../src/handlers/33-alter-configs';
import alterReplicaLogDirs from '../../src/handlers/34-alter-replica-log-dirs';
import describeLogDirs from '../../src/handlers/35-describe-log-dirs';
import createPartitions from '../../src/handlers/37-create-partitions';
import electLeaders from '../../src/handlers/43-elect-leaders';
import incrementalAlterConfigs from '../../src/handlers/44-incremental-alter-configs';
import alterPartitionReassignments from '../../src/handlers/45-alter-partition-reassignments';
import listPartitionReassignments from '../../src/handlers/46-list-partition-reassignments';
import describeClientQuotas from '../../src/handlers/48-describe-client-quotas';
import alterClientQuotas from '../../src/handlers/49-alter-client-quotas';
import updateFeatures from '../../src/handlers/57-update-features';
import describeCluster from '../../src/handlers/60-describe-cluster';
import { ANONYMOUS } from '../../src/server/session';
import { FakeAuthorizer, FakeControllerRequests, TestBroker, addTopic, call, fakeController, testBroker, topicIdOf, topicInfo } from './fake-context';

let b: TestBroker;
let acl: FakeAuthorizer;
/** What reached the controller. */
let calls: string[];
let requests: FakeControllerRequests;
beforeEach(async () => {
  b = await testBroker({}, { 'delete.topic.enable': true });
  acl = new FakeAuthorizer();
  b.services.authorizer = acl;
  addTopic(b.metadata, b.logs, topicInfo('open', 1));
  addTopic(b.metadata, b.logs, topicInfo('secret', 1));
  calls = [];
  requests = new FakeControllerRequests();
  b.services.controller = fakeController({
    controllerRequests: requests,
    controlledShutdown: async (brokerId) => {
      calls.push(`shutdown ${brokerId}`);
      return [];
    },
    electLeaders: async (_type, wanted) => {
      calls.push('elect');
      return (wanted ?? []).map((tp) => ({ ...tp, errorCode: ErrorCode.NONE, errorMessage: null }));
    },
    alterPartitionReassignments: async (wanted) => {
      calls.push('reassign');
      return wanted.map((r) => ({ topic: r.topic, partition: r.partition, errorCode: ErrorCode.NONE, errorMessage: null }));
    },
    listPartitionReassignments: async () => {
      calls.push('list reassignments');
      return [];
    },
  });
});
afterEach(() => b.close());

const allow = (op: Op, type: Type, name: string) => acl.allow(ANONYMOUS, op, type, name);
const allowCluster = (op: Op) => allow(op, Type.CLUSTER, CLUSTER_NAME);

describe('CreateTopics', () => {
  const create = (names: string[]) =>
    call<typeof Apis.CreateTopics>(createTopics, b.ctx(7), {
      timeoutMs: 1000,
      topics: names.map((name) => ({ name, numPartitions: 2, replicationFactor: 1, assignments: [], configs: [] })),
    });

  test('CREATE on the topic; the others TOPIC_AUTHORIZATION_FAILED with Kafka\'s message, not created', async () => {
    allow(Op.CREATE, Type.TOPIC, 'a');
    allow(Op.DESCRIBE_CONFIGS, Type.TOPIC, 'a');
    const res = await create(['a', 'b']);
    expect(res!.topics.map((t) => [t.name, t.errorCode, t.errorMessage, t.numPartitions, t.topicConfigErrorCode])).toEqual([
      ['a', ErrorCode.NONE, null, 2, ErrorCode.NONE],
      ['b', ErrorCode.TOPIC_AUTHORIZATION_FAILED, 'Authorization failed.', -1, ErrorCode.TOPIC_AUTHORIZATION_FAILED],
    ]);
    expect(b.topicAdmin.calls.filter((c) => c.startsWith('create'))).toEqual(['create a']);
    expect(b.metadata.topics.get('b')).toBeUndefined();
  });

  test('CREATE on the cluster creates any topic; without DESCRIBE_CONFIGS no counts or configs, topic_config_error_code set', async () => {
    allowCluster(Op.CREATE);
    const res = await create(['c']);
    expect(res!.topics[0]).toMatchObject({ errorCode: ErrorCode.NONE, numPartitions: -1, replicationFactor: -1, configs: [], topicConfigErrorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED });
    expect(b.metadata.topics.get('c')).toBeDefined();
  });
});

describe('DeleteTopics', () => {
  const del = (topics: { name: string | null; topicId?: string }[]) => call<typeof Apis.DeleteTopics>(deleteTopics, b.ctx(6), { timeoutMs: 1000, topics });

  test('DELETE on the topic, asked before existence; nothing deleted without it', async () => {
    allow(Op.DELETE, Type.TOPIC, 'open');
    const res = await del([{ name: 'open' }, { name: 'secret' }, { name: 'nowhere' }]);
    expect(res!.responses.map((r) => [r.name, r.errorCode])).toEqual([
      ['open', ErrorCode.NONE],
      ['secret', ErrorCode.TOPIC_AUTHORIZATION_FAILED],
      ['nowhere', ErrorCode.TOPIC_AUTHORIZATION_FAILED],
    ]);
    expect(b.topicAdmin.calls).toEqual(['delete open']);
  });

  test('by id: without DESCRIBE the name is kept back', async () => {
    allow(Op.DELETE, Type.TOPIC, 'secret');
    const res = await del([{ name: null, topicId: topicIdOf('secret') }]);
    expect(res!.responses[0]).toMatchObject({ name: null, topicId: topicIdOf('secret'), errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED });
    allow(Op.DESCRIBE, Type.TOPIC, 'secret');
    const allowed = await del([{ name: null, topicId: topicIdOf('secret') }]);
    expect(allowed!.responses[0]).toMatchObject({ name: 'secret', errorCode: ErrorCode.NONE });
    expect(b.topicAdmin.calls).toEqual(['delete secret']);
  });
});

describe('CreatePartitions', () => {
  test('ALTER on the topic; the others TOPIC_AUTHORIZATION_FAILED and not grown', async () => {
    allow(Op.ALTER, Type.TOPIC, 'open');
    const res = await call<typeof Apis.CreatePartitions>(createPartitions, b.ctx(3), {
      timeoutMs: 1000,
      topics: ['open', 'secret'].map((name) => ({ name, count: 3, assignments: null })),
    });
    expect(res!.results.map((r) => [r.name, r.errorCode, r.errorMessage])).toEqual([
      ['open', ErrorCode.NONE, null],
      ['secret', ErrorCode.TOPIC_AUTHORIZATION_FAILED, 'The topic authorization is failed.'],
    ]);
    expect(b.metadata.topics.get('secret')!.partitions).toHaveLength(1);
  });
});

describe('configs', () => {
  test('DescribeConfigs: DESCRIBE_CONFIGS on the topic or the cluster; the others refused last, with the error\'s message', async () => {
    allow(Op.DESCRIBE_CONFIGS, Type.TOPIC, 'open');
    const res = await call<typeof Apis.DescribeConfigs>(describeConfigs, b.ctx(4), {
      resources: [
        { resourceType: 4, resourceName: '1', configurationKeys: null },
        { resourceType: 2, resourceName: 'secret', configurationKeys: null },
        { resourceType: 2, resourceName: 'open', configurationKeys: null },
      ],
    });
    expect(res!.results.map((r) => [r.resourceName, r.errorCode, r.errorMessage, r.configs.length > 0])).toEqual([
      ['open', ErrorCode.NONE, null, true],
      ['1', ErrorCode.CLUSTER_AUTHORIZATION_FAILED, 'Cluster authorization failed.', false],
      ['secret', ErrorCode.TOPIC_AUTHORIZATION_FAILED, 'Topic authorization failed.', false],
    ]);
  });

  test('AlterConfigs and IncrementalAlterConfigs: ALTER_CONFIGS, nothing changed without it', async () => {
    allow(Op.ALTER_CONFIGS, Type.TOPIC, 'open');
    const alter = await call<typeof Apis.AlterConfigs>(alterConfigs, b.ctx(2), {
      resources: [
        { resourceType: 2, resourceName: 'secret', configs: [{ name: 'retention.ms', value: '1000' }] },
        { resourceType: 4, resourceName: '', configs: [{ name: 'log.cleaner.threads', value: '2' }] },
        { resourceType: 2, resourceName: 'open', configs: [{ name: 'retention.ms', value: '1000' }] },
      ],
    });
    expect(alter!.responses.map((r) => [r.resourceName, r.errorCode, r.errorMessage])).toEqual([
      ['open', ErrorCode.NONE, null],
      ['secret', ErrorCode.TOPIC_AUTHORIZATION_FAILED, null],
      ['', ErrorCode.CLUSTER_AUTHORIZATION_FAILED, null],
    ]);
    const incremental = await call<typeof Apis.IncrementalAlterConfigs>(incrementalAlterConfigs, b.ctx(1), {
      resources: [{ resourceType: 2, resourceName: 'secret', configs: [{ name: 'retention.ms', configOperation: 0, value: '5' }] }],
    });
    expect(incremental!.responses[0].errorCode).toBe(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
    expect(b.topicAdmin.calls).toEqual(['alter configs of open']);
    expect(b.metadata.topics.get('secret')!.configs).toEqual({});
  });
});

describe('log dirs', () => {
  test('AlterReplicaLogDirs needs ALTER on the cluster: else every partition CLUSTER_AUTHORIZATION_FAILED, nothing moves', async () => {
    const move = () =>
      call<typeof Apis.AlterReplicaLogDirs>(alterReplicaLogDirs, b.ctx(2), { dirs: [{ path: '/elsewhere', topics: [{ name: 'open', partitions: [0] }] }] });
    expect((await move())!.results[0].partitions[0].errorCode).toBe(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    expect(b.replication.calls).toEqual([]);
    allowCluster(Op.ALTER);
    expect((await move())!.results[0].partitions[0].errorCode).toBe(ErrorCode.NONE);
    expect(b.replication.calls).toEqual(['move open-0 to /elsewhere']);
  });

  test('DescribeLogDirs needs DESCRIBE on the cluster: else no dirs and CLUSTER_AUTHORIZATION_FAILED', async () => {
    const describe = () => call<typeof Apis.DescribeLogDirs>(describeLogDirs, b.ctx(4), { topics: null });
    expect(await describe()).toMatchObject({ errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, results: [] });
    allowCluster(Op.DESCRIBE);
    expect((await describe())!.results).toHaveLength(1);
  });
});

describe('cluster operations', () => {
  test('ElectLeaders needs ALTER on the cluster: the error at the top and on each partition, no message, nothing elected', async () => {
    const res = await call<typeof Apis.ElectLeaders>(electLeaders, b.ctx(2), { electionType: 0, topicPartitions: [{ topic: 'open', partitions: [0] }], timeoutMs: 1000 });
    expect(res).toMatchObject({
      errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
      replicaElectionResults: [{ topic: 'open', partitionResult: [{ partitionId: 0, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: null }] }],
    });
    expect(calls).toEqual([]);
  });

  test('AlterPartitionReassignments needs ALTER, ListPartitionReassignments DESCRIBE, on the cluster', async () => {
    const alter = () =>
      call<typeof Apis.AlterPartitionReassignments>(alterPartitionReassignments, b.ctx(0), {
        timeoutMs: 1000,
        topics: [{ name: 'open', partitions: [{ partitionIndex: 0, replicas: [1] }] }],
      });
    const list = () => call<typeof Apis.ListPartitionReassignments>(listPartitionReassignments, b.ctx(0), { timeoutMs: 1000, topics: null });
    expect(await alter()).toMatchObject({
      errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
      responses: [{ name: 'open', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED }] }],
    });
    expect(await list()).toMatchObject({ errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, topics: [] });
    expect(calls).toEqual([]);
    allowCluster(Op.ALTER);
    allowCluster(Op.DESCRIBE);
    expect((await alter())!.errorCode).toBe(ErrorCode.NONE);
    expect((await list())!.errorCode).toBe(ErrorCode.NONE);
    expect(calls).toEqual(['reassign', 'list reassignments']);
  });

  test('DescribeClientQuotas needs DESCRIBE_CONFIGS, AlterClientQuotas ALTER_CONFIGS, on the cluster', async () => {
    const entity = [{ entityType: 'user', entityName: 'alice' }];
    const alter = () =>
      call<typeof Apis.AlterClientQuotas>(alterClientQuotas, b.ctx(1), { entries: [{ entity, ops: [{ key: 'producer_byte_rate', value: 1024, remove: false }] }] });
    expect((await alter())!.entries[0]).toMatchObject({ errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: 'Cluster authorization failed.' });
    expect(b.entities.get('users/alice')).toEqual({});
    const described = await call<typeof Apis.DescribeClientQuotas>(describeClientQuotas, b.ctx(1), { components: [{ entityType: 'user', matchType: 2 }] });
    expect(described).toMatchObject({ errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, entries: null });
    allowCluster(Op.ALTER_CONFIGS);
    allowCluster(Op.DESCRIBE_CONFIGS);
    expect((await alter())!.entries[0].errorCode).toBe(ErrorCode.NONE);
    const after = await call<typeof Apis.DescribeClientQuotas>(describeClientQuotas, b.ctx(1), { components: [{ entityType: 'user', matchType: 2 }] });
    expect(after!.entries).toHaveLength(1);
  });

  test('UpdateFeatures needs ALTER on the cluster', async () => {
    const res = await call<typeof Apis.UpdateFeatures>(updateFeatures, b.ctx(1), { timeoutMs: 1000, featureUpdates: [{ feature: 'f', maxVersionLevel: 1, upgradeType: 1 }] });
    expect(res).toMatchObject({ errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: 'Cluster authorization failed.', results: [] });
  });

  test('DescribeCluster answers anyone; the cluster\'s operations are the principal\'s, 0 without DESCRIBE', async () => {
    const describe = () => call<typeof Apis.DescribeCluster>(describeCluster, b.ctx(1), { includeClusterAuthorizedOperations: true, endpointType: 1 });
    expect(await describe()).toMatchObject({ errorCode: ErrorCode.NONE, clusterAuthorizedOperations: 0 });
    allowCluster(Op.DESCRIBE);
    expect((await describe())!.clusterAuthorizedOperations).toBe(1 << Op.DESCRIBE);
  });

  test('ApiVersions asks nothing', async () => {
    expect((await call<typeof Apis.ApiVersions>(apiVersions, b.ctx(3), {}))!.errorCode).toBe(ErrorCode.NONE);
    expect(acl.asked).toEqual([]);
  });
});

describe('the controller\'s requests need CLUSTER_ACTION on the cluster', () => {
  const partitionState = (partitionIndex: number) => ({ partitionIndex, controllerEpoch: 5, leader: 1, leaderEpoch: 7, isr: [1], partitionEpoch: 1, replicas: [1] });

  test('LeaderAndIsr: every partition and the top level CLUSTER_AUTHORIZATION_FAILED, nothing applied', async () => {
    const res = await call<typeof Apis.LeaderAndIsr>(leaderAndIsr, b.ctx(5), {
      controllerId: 2,
      controllerEpoch: 5,
      brokerEpoch: 100n,
      topicStates: [{ topicName: 'open', topicId: topicIdOf('open'), partitionStates: [partitionState(0)] }],
      liveLeaders: [],
    });
    expect(res).toMatchObject({ errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, topics: [{ topicId: topicIdOf('open'), partitionErrors: [{ partitionIndex: 0, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED }] }] });
    expect(requests.calls).toEqual([]);
  });

  test('StopReplica and UpdateMetadata: refused, nothing stopped or applied; allowed with CLUSTER_ACTION', async () => {
    const stop = () =>
      call<typeof Apis.StopReplica>(stopReplica, b.ctx(3), {
        controllerId: 2,
        controllerEpoch: 5,
        brokerEpoch: 100n,
        topicStates: [{ topicName: 'open', partitionStates: [{ partitionIndex: 0, leaderEpoch: 7, deletePartition: false }] }],
      });
    const update = () => call<typeof Apis.UpdateMetadata>(updateMetadata, b.ctx(7), { controllerId: 2, controllerEpoch: 5, brokerEpoch: 100n, topicStates: [], liveBrokers: [] });
    expect(await stop()).toMatchObject({ errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, partitionErrors: [{ topicName: 'open', partitionIndex: 0, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED }] });
    expect((await update())!.errorCode).toBe(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    expect(b.replication.calls).toEqual([]);
    expect(requests.calls).toEqual([]);
    allowCluster(Op.CLUSTER_ACTION);
    expect((await stop())!.errorCode).toBe(ErrorCode.NONE);
    expect((await update())!.errorCode).toBe(ErrorCode.NONE);
    expect(b.replication.calls).toEqual(['stop open-0']);
  });

  test('ControlledShutdown: CLUSTER_AUTHORIZATION_FAILED, the controller not asked', async () => {
    const shutdown = () => call<typeof Apis.ControlledShutdown>(controlledShutdown, b.ctx(3), { brokerId: 3, brokerEpoch: 100n });
    expect(await shutdown()).toMatchObject({ errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, remainingPartitions: [] });
    expect(calls).toEqual([]);
    allowCluster(Op.CLUSTER_ACTION);
    expect((await shutdown())!.errorCode).toBe(ErrorCode.NONE);
    expect(calls).toEqual(['shutdown 3']);
  });
});
