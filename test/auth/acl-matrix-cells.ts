// The ACL matrix's cells: for each resource type and each operation it supports, the API(s) that
// need exactly that permission, how to call them, and what they did. `observe` gives the error code
// where Kafka puts it (or 'listed'/'hidden' where a refusal only leaves something out) and whether
// the request had any effect: appended, read, committed, created, deleted, grown, changed, shown.

import { Apis, ErrorCode } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import { PatternType, PermissionType } from '../../src/auth/acl/acl-binding';
import { AclOperation as Op, CLUSTER_NAME, ResourceType as Type } from '../../src/auth/authorizer';
import type { RequestContext } from '../../src/handlers/handler';
import produce from '../../src/handlers/00-produce';
import fetch from '../../src/handlers/01-fetch';
import listOffsets from '../../src/handlers/02-list-offsets';
import metadata from '../../src/handlers/03-metadata';
import updateMetadata from '../../src/handlers/06-update-metadata';
import leaderAndIsr from '../../src/handlers/04-leader-and-isr';
import offsetCommit from '../../src/handlers/08-offset-commit';
import offsetFetch from '../../src/handlers/09-offset-fetch';
import heartbeat from '../../src/handlers/12-heartbeat';
import findCoordinator from '../../src/handlers/10-find-coordinator';
import joinGroup from '../../src/handlers/11-join-group';
import describeGroups from '../../src/handlers/15-describe-groups';
import listGroups from '../../src/handlers/16-list-groups';
import createTopics from '../../src/handlers/19-create-topics';
import deleteTopics from '../../src/handlers/20-delete-topics';
import deleteRecords from '../../src/handlers/21-delete-records';
import initProducerId from '../../src/handlers/22-init-producer-id';
import addPartitionsToTxn from '../../src/handlers/24-add-partitions-to-txn';
import endTxn from '../../src/handlers/26-end-txn';
import describeAcls from '../../src/handlers/29-describe-acls';
import createAcls from '../../src/handlers/30-create-acls';
import describeConfigs from '../../src/handlers/32-describe-configs';
import alterConfigs from '../../src/handlers/33-alter-configs';
import alterReplicaLogDirs from '../../src/handlers/34-alter-replica-log-dirs';
import describeLogDirs from '../../src/handlers/35-describe-log-dirs';
import createPartitions from '../../src/handlers/37-create-partitions';
import createDelegationToken from '../../src/handlers/38-create-delegation-token';
import describeDelegationToken from '../../src/handlers/41-describe-delegation-token';
import deleteGroups from '../../src/handlers/42-delete-groups';
import electLeaders from '../../src/handlers/43-elect-leaders';
import incrementalAlterConfigs from '../../src/handlers/44-incremental-alter-configs';
import describeCluster from '../../src/handlers/60-describe-cluster';
import describeTransactions from '../../src/handlers/65-describe-transactions';
import offsetDelete from '../../src/handlers/47-offset-delete';
import { addTopic, appendToLog, call, topicIdOf, topicInfo } from '../handlers/fake-context';
import { Acl, MatrixBroker, allow } from './acl-matrix-harness';

export type Code = number | 'listed' | 'hidden';
export interface Observed {
  code: Code;
  happened: boolean;
}

export interface Cell {
  type: Type;
  op: Op;
  api: string;
  /** The resource whose ACLs are varied (a token id is known only once the token exists: `setup` returns it). */
  resource: string;
  /** The answer of an allowed request, NONE unless said. */
  ok?: Code;
  refusal: Code;
  /** Other permissions the API needs, granted to everyone. */
  prereqs?: Acl[];
  setup?(m: MatrixBroker): Promise<string | void> | string | void;
  observe(m: MatrixBroker, ctx: (version: number) => RequestContext, resource: string): Promise<Observed>;
}

const TOPIC = 't';
const GROUP = 'g';
const TXN = 'tx';
const OWNER = 'User:owner';
const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';
const everyone = (op: Op, type: Type, name: string) => allow('User:*', op, type, name);

export const records = (n: number) => buildBatch(Array.from({ length: n }, (_, i) => ({ key: null, value: Buffer.from(`v${i}`), timestamp: 1_700_000_000_000 + i })));

/** The topic every cell may use: one partition holding two records, replicated to broker 2 (the follower that fetches). */
export function seedTopic(m: MatrixBroker, name = TOPIC): void {
  addTopic(m.b.metadata, m.b.logs, topicInfo(name, 1, {}, { replicas: [1, 2], isr: [1, 2] }));
  appendToLog(m.b.logs.get(name, 0)!, records(2));
}

const produceTo = async (ctx: RequestContext, topic: string) => {
  const res = await call<typeof Apis.Produce>(produce, ctx, { acks: 1, timeoutMs: 1000, transactionalId: null, topicData: [{ name: topic, partitionData: [{ index: 0, records: Buffer.from(records(1)) }] }] });
  return res!.responses[0].partitionResponses[0].errorCode;
};
export async function observeProduce(m: MatrixBroker, ctx: RequestContext, topic: string): Promise<Observed> {
  const before = m.b.logs.get(topic, 0)!.logEndOffset;
  const code = await produceTo(ctx, topic);
  return { code, happened: m.b.logs.get(topic, 0)!.logEndOffset !== before };
}
export async function observeFetch(ctx: RequestContext, topic: string, replicaId = -1): Promise<Observed> {
  const res = await call<typeof Apis.Fetch>(fetch, ctx, {
    replicaId,
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes: 1 << 20,
    topics: [{ topic, partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] }],
  });
  const partition = res!.responses[0].partitions[0];
  return { code: partition.errorCode, happened: (partition.records?.length ?? 0) > 0 || partition.highWatermark !== -1n };
}

const metadataOf = (ctx: RequestContext, topics: { name: string }[] | null) =>
  call<typeof Apis.Metadata>(metadata, ctx, { topics, allowAutoTopicCreation: true, includeTopicAuthorizedOperations: false });

const createTopic = async (m: MatrixBroker, ctx: RequestContext, name: string): Promise<Observed> => {
  const res = await call<typeof Apis.CreateTopics>(createTopics, ctx, { topics: [{ name, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 1000, validateOnly: false });
  return { code: res!.topics[0].errorCode, happened: m.b.metadata.topics.get(name) !== undefined };
};

const findCoordinatorOf = async (m: MatrixBroker, ctx: RequestContext, keyType: number, key: string): Promise<Observed> => {
  const res = await call<typeof Apis.FindCoordinator>(findCoordinator, ctx, { keyType, coordinatorKeys: [key] });
  return { code: res!.coordinators[0].errorCode, happened: m.calls.some((c) => c.endsWith(`coordinator for ${key}`)) || res!.coordinators[0].nodeId !== -1 };
};

const commitOffset = async (m: MatrixBroker, ctx: RequestContext): Promise<Observed> => {
  const res = await call<typeof Apis.OffsetCommit>(offsetCommit, ctx, {
    groupId: GROUP,
    generationIdOrMemberEpoch: -1,
    memberId: '',
    topics: [{ name: TOPIC, partitions: [{ partitionIndex: 0, committedOffset: 1n }] }],
  });
  return { code: res!.topics[0].partitions[0].errorCode, happened: m.calls.some((c) => c.startsWith('commit')) };
};

const fetchOffset = (ctx: RequestContext) =>
  call<typeof Apis.OffsetFetch>(offsetFetch, ctx, { groupId: GROUP, topics: [{ name: TOPIC, partitionIndexes: [0] }], requireStable: false });

const addPartitionToTxn = async (m: MatrixBroker, ctx: RequestContext): Promise<Observed> => {
  const res = await call<typeof Apis.AddPartitionsToTxn>(addPartitionsToTxn, ctx, {
    v3AndBelowTransactionalId: TXN,
    v3AndBelowProducerId: 9n,
    v3AndBelowProducerEpoch: 0,
    v3AndBelowTopics: [{ name: TOPIC, partitions: [0] }],
  });
  return { code: res!.resultsByTopicV3AndBelow[0].resultsByPartition[0].partitionErrorCode, happened: m.calls.some((c) => c.startsWith('add ')) };
};

const configsOf = async (ctx: RequestContext, resourceType: number, resourceName: string): Promise<Observed> => {
  const res = await call<typeof Apis.DescribeConfigs>(describeConfigs, ctx, { resources: [{ resourceType, resourceName, configurationKeys: null }] });
  return { code: res!.results[0].errorCode, happened: res!.results[0].configs.length > 0 };
};

/** A token of another owner, described by whoever asks: listed only when they may see it. */
const createOwnersToken = async (m: MatrixBroker): Promise<string> => {
  const res = await call<typeof Apis.CreateDelegationToken>(createDelegationToken, m.as(OWNER, 3), { renewers: [], maxLifetimeMs: -1n });
  return res!.tokenId;
};
const describeTokens = async (ctx: RequestContext): Promise<Observed> => {
  const res = await call<typeof Apis.DescribeDelegationToken>(describeDelegationToken, ctx, { owners: null });
  const shown = res!.tokens.length > 0;
  return { code: shown ? 'listed' : 'hidden', happened: shown };
};

const { TOPIC_AUTHORIZATION_FAILED: TOPIC_REFUSED, GROUP_AUTHORIZATION_FAILED: GROUP_REFUSED, CLUSTER_AUTHORIZATION_FAILED: CLUSTER_REFUSED } = ErrorCode;

export const CELLS: Cell[] = [
  // TOPIC
  { type: Type.TOPIC, op: Op.READ, api: 'Fetch', resource: TOPIC, refusal: TOPIC_REFUSED, observe: (_m, ctx) => observeFetch(ctx(12), TOPIC) },
  { type: Type.TOPIC, op: Op.READ, api: 'OffsetCommit (topic)', resource: TOPIC, refusal: TOPIC_REFUSED, prereqs: [everyone(Op.READ, Type.GROUP, GROUP)], observe: (m, ctx) => commitOffset(m, ctx(9)) },
  { type: Type.TOPIC, op: Op.WRITE, api: 'Produce', resource: TOPIC, refusal: TOPIC_REFUSED, observe: (m, ctx) => observeProduce(m, ctx(9), TOPIC) },
  { type: Type.TOPIC, op: Op.WRITE, api: 'AddPartitionsToTxn (topic)', resource: TOPIC, refusal: TOPIC_REFUSED, prereqs: [everyone(Op.WRITE, Type.TRANSACTIONAL_ID, TXN)], observe: (m, ctx) => addPartitionToTxn(m, ctx(3)) },
  { type: Type.TOPIC, op: Op.CREATE, api: 'CreateTopics', resource: 'fresh', refusal: TOPIC_REFUSED, observe: (m, ctx) => createTopic(m, ctx(7), 'fresh') },
  {
    type: Type.TOPIC,
    op: Op.CREATE,
    api: 'Metadata auto-creation',
    resource: 'fresh',
    ok: ErrorCode.LEADER_NOT_AVAILABLE,
    refusal: TOPIC_REFUSED,
    prereqs: [everyone(Op.DESCRIBE, Type.TOPIC, 'fresh')],
    observe: async (m, ctx) => {
      const res = await metadataOf(ctx(12), [{ name: 'fresh' }]);
      return { code: res!.topics[0].errorCode, happened: m.b.metadata.topics.get('fresh') !== undefined };
    },
  },
  {
    type: Type.TOPIC,
    op: Op.DELETE,
    api: 'DeleteTopics',
    resource: TOPIC,
    refusal: TOPIC_REFUSED,
    observe: async (m, ctx) => {
      const res = await call<typeof Apis.DeleteTopics>(deleteTopics, ctx(6), { timeoutMs: 1000, topics: [{ name: TOPIC }] });
      return { code: res!.responses[0].errorCode, happened: m.b.metadata.topics.get(TOPIC) === undefined };
    },
  },
  {
    type: Type.TOPIC,
    op: Op.DELETE,
    api: 'DeleteRecords',
    resource: TOPIC,
    refusal: TOPIC_REFUSED,
    observe: async (m, ctx) => {
      const res = await call<typeof Apis.DeleteRecords>(deleteRecords, ctx(2), { topics: [{ name: TOPIC, partitions: [{ partitionIndex: 0, offset: 1n }] }], timeoutMs: 1000 });
      return { code: res!.topics[0].partitions[0].errorCode, happened: m.b.replication.calls.some((c) => c.startsWith('delete records')) };
    },
  },
  {
    type: Type.TOPIC,
    op: Op.ALTER,
    api: 'CreatePartitions',
    resource: TOPIC,
    refusal: TOPIC_REFUSED,
    observe: async (m, ctx) => {
      const res = await call<typeof Apis.CreatePartitions>(createPartitions, ctx(3), { topics: [{ name: TOPIC, count: 2, assignments: null }], timeoutMs: 1000, validateOnly: false });
      return { code: res!.results[0].errorCode, happened: m.b.metadata.topics.get(TOPIC)!.partitions.length !== 1 };
    },
  },
  {
    type: Type.TOPIC,
    op: Op.DESCRIBE,
    api: 'Metadata (named)',
    resource: TOPIC,
    refusal: TOPIC_REFUSED,
    observe: async (_m, ctx) => {
      const t = (await metadataOf(ctx(12), [{ name: TOPIC }]))!.topics[0];
      return { code: t.errorCode, happened: t.partitions.length > 0 || t.topicId !== ZERO_UUID };
    },
  },
  {
    type: Type.TOPIC,
    op: Op.DESCRIBE,
    api: 'Metadata (all topics)',
    resource: TOPIC,
    ok: 'listed',
    refusal: 'hidden',
    observe: async (_m, ctx) => {
      const listed = (await metadataOf(ctx(12), null))!.topics.some((t) => t.name === TOPIC);
      return { code: listed ? 'listed' : 'hidden', happened: listed };
    },
  },
  {
    type: Type.TOPIC,
    op: Op.DESCRIBE,
    api: 'ListOffsets',
    resource: TOPIC,
    refusal: TOPIC_REFUSED,
    observe: async (_m, ctx) => {
      const res = await call<typeof Apis.ListOffsets>(listOffsets, ctx(9), { replicaId: -1, topics: [{ name: TOPIC, partitions: [{ partitionIndex: 0, timestamp: -1n }] }] });
      const p = res!.topics[0].partitions[0];
      return { code: p.errorCode, happened: p.offset !== -1n };
    },
  },
  {
    type: Type.TOPIC,
    op: Op.DESCRIBE,
    api: 'OffsetFetch (topic)',
    resource: TOPIC,
    refusal: TOPIC_REFUSED,
    prereqs: [everyone(Op.DESCRIBE, Type.GROUP, GROUP)],
    observe: async (_m, ctx) => {
      const p = (await fetchOffset(ctx(7)))!.topics[0].partitions[0];
      return { code: p.errorCode, happened: p.committedOffset !== -1n };
    },
  },
  { type: Type.TOPIC, op: Op.DESCRIBE_CONFIGS, api: 'DescribeConfigs (topic)', resource: TOPIC, refusal: TOPIC_REFUSED, observe: (_m, ctx) => configsOf(ctx(4), 2, TOPIC) },
  {
    type: Type.TOPIC,
    op: Op.ALTER_CONFIGS,
    api: 'AlterConfigs (topic)',
    resource: TOPIC,
    refusal: TOPIC_REFUSED,
    observe: async (m, ctx) => {
      const res = await call<typeof Apis.AlterConfigs>(alterConfigs, ctx(2), { resources: [{ resourceType: 2, resourceName: TOPIC, configs: [{ name: 'retention.ms', value: '1000' }] }] });
      return { code: res!.responses[0].errorCode, happened: m.b.metadata.topics.get(TOPIC)!.configs['retention.ms'] === '1000' };
    },
  },

  {
    type: Type.TOPIC,
    op: Op.ALTER_CONFIGS,
    api: 'IncrementalAlterConfigs (topic)',
    resource: TOPIC,
    refusal: TOPIC_REFUSED,
    observe: async (m, ctx) => {
      const res = await call<typeof Apis.IncrementalAlterConfigs>(incrementalAlterConfigs, ctx(1), {
        resources: [{ resourceType: 2, resourceName: TOPIC, configs: [{ name: 'retention.ms', configOperation: 0, value: '1000' }] }],
      });
      return { code: res!.responses[0].errorCode, happened: m.b.metadata.topics.get(TOPIC)!.configs['retention.ms'] === '1000' };
    },
  },

  // GROUP
  {
    type: Type.GROUP,
    op: Op.READ,
    api: 'JoinGroup',
    resource: GROUP,
    refusal: GROUP_REFUSED,
    observe: async (m, ctx) => {
      const res = await call<typeof Apis.JoinGroup>(joinGroup, ctx(9), { groupId: GROUP, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId: 'm-1', protocolType: 'consumer', protocols: [] });
      return { code: res!.errorCode, happened: m.calls.includes(`join ${GROUP}`) };
    },
  },
  {
    type: Type.GROUP,
    op: Op.READ,
    api: 'Heartbeat',
    resource: GROUP,
    refusal: GROUP_REFUSED,
    observe: async (m, ctx) => {
      const res = await call<typeof Apis.Heartbeat>(heartbeat, ctx(4), { groupId: GROUP, generationId: 1, memberId: 'm' });
      return { code: res!.errorCode, happened: m.calls.includes(`heartbeat ${GROUP}`) };
    },
  },
  { type: Type.GROUP, op: Op.READ, api: 'OffsetCommit (group)', resource: GROUP, refusal: GROUP_REFUSED, prereqs: [everyone(Op.READ, Type.TOPIC, TOPIC)], observe: (m, ctx) => commitOffset(m, ctx(9)) },
  {
    type: Type.GROUP,
    op: Op.DESCRIBE,
    api: 'DescribeGroups',
    resource: GROUP,
    refusal: GROUP_REFUSED,
    observe: async (m, ctx) => {
      const res = await call<typeof Apis.DescribeGroups>(describeGroups, ctx(5), { groups: [GROUP], includeAuthorizedOperations: false });
      return { code: res!.groups[0].errorCode, happened: m.calls.includes(`describe group ${GROUP}`) || res!.groups[0].groupState !== '' };
    },
  },
  {
    type: Type.GROUP,
    op: Op.DESCRIBE,
    api: 'OffsetFetch (group)',
    resource: GROUP,
    refusal: GROUP_REFUSED,
    prereqs: [everyone(Op.DESCRIBE, Type.TOPIC, TOPIC)],
    observe: async (m, ctx) => {
      const res = (await fetchOffset(ctx(7)))!;
      return { code: res.errorCode, happened: m.calls.some((c) => c.startsWith('fetch offsets')) || res.topics.length > 0 };
    },
  },
  { type: Type.GROUP, op: Op.DESCRIBE, api: 'FindCoordinator (group)', resource: GROUP, refusal: GROUP_REFUSED, observe: (m, ctx) => findCoordinatorOf(m, ctx(4), 0, GROUP) },
  {
    type: Type.GROUP,
    op: Op.DELETE,
    api: 'DeleteGroups',
    resource: GROUP,
    refusal: GROUP_REFUSED,
    observe: async (m, ctx) => {
      const res = await call<typeof Apis.DeleteGroups>(deleteGroups, ctx(2), { groupsNames: [GROUP] });
      return { code: res!.results[0].errorCode, happened: m.calls.includes(`delete group ${GROUP}`) };
    },
  },
  {
    type: Type.GROUP,
    op: Op.DELETE,
    api: 'OffsetDelete',
    resource: GROUP,
    refusal: GROUP_REFUSED,
    prereqs: [everyone(Op.READ, Type.TOPIC, TOPIC)],
    observe: async (m, ctx) => {
      const res = await call<typeof Apis.OffsetDelete>(offsetDelete, ctx(0), { groupId: GROUP, topics: [{ name: TOPIC, partitions: [{ partitionIndex: 0 }] }] });
      return { code: res!.errorCode, happened: m.calls.some((c) => c.startsWith('delete offsets')) };
    },
  },

  // CLUSTER
  { type: Type.CLUSTER, op: Op.CREATE, api: 'CreateTopics', resource: CLUSTER_NAME, refusal: TOPIC_REFUSED, observe: (m, ctx) => createTopic(m, ctx(7), 'fresh') },
  {
    type: Type.CLUSTER,
    op: Op.ALTER,
    api: 'ElectLeaders',
    resource: CLUSTER_NAME,
    refusal: CLUSTER_REFUSED,
    observe: async (m, ctx) => {
      const res = await call<typeof Apis.ElectLeaders>(electLeaders, ctx(2), { electionType: 0, topicPartitions: [{ topic: TOPIC, partitions: [0] }], timeoutMs: 1000 });
      return { code: res!.errorCode, happened: m.calls.includes('elect') };
    },
  },
  {
    type: Type.CLUSTER,
    op: Op.ALTER,
    api: 'CreateAcls',
    resource: CLUSTER_NAME,
    refusal: CLUSTER_REFUSED,
    observe: async (m, ctx) => {
      const made = { resourceType: Type.TOPIC, resourceName: 'made', resourcePatternType: PatternType.LITERAL, principal: 'User:x', host: '*', operation: Op.READ, permissionType: PermissionType.ALLOW };
      const res = await call<typeof Apis.CreateAcls>(createAcls, ctx(3), { creations: [made] });
      const stored = m.acls.admin.describe({
        pattern: { resourceType: Type.TOPIC, name: 'made', patternType: PatternType.LITERAL },
        entry: { principal: null, host: null, operation: Op.ANY, permissionType: PermissionType.ANY },
      });
      return { code: res!.results[0].errorCode, happened: stored.length > 0 };
    },
  },
  {
    type: Type.CLUSTER,
    op: Op.DESCRIBE,
    api: 'DescribeAcls',
    resource: CLUSTER_NAME,
    refusal: CLUSTER_REFUSED,
    observe: async (_m, ctx) => {
      const res = await call<typeof Apis.DescribeAcls>(describeAcls, ctx(3), {
        resourceTypeFilter: Type.ANY,
        resourceNameFilter: null,
        patternTypeFilter: PatternType.ANY,
        principalFilter: null,
        hostFilter: null,
        operation: Op.ANY,
        permissionType: PermissionType.ANY,
      });
      return { code: res!.errorCode, happened: res!.resources.length > 0 };
    },
  },
  {
    type: Type.CLUSTER,
    op: Op.DESCRIBE,
    api: 'ListGroups',
    resource: CLUSTER_NAME,
    ok: 'listed',
    refusal: 'hidden',
    observe: async (_m, ctx) => {
      const listed = (await call<typeof Apis.ListGroups>(listGroups, ctx(4), {}))!.groups.length > 0;
      return { code: listed ? 'listed' : 'hidden', happened: listed };
    },
  },
  {
    type: Type.CLUSTER,
    op: Op.DESCRIBE,
    api: 'DescribeCluster (authorized operations)',
    resource: CLUSTER_NAME,
    ok: 'listed',
    refusal: 'hidden',
    observe: async (_m, ctx) => {
      const res = await call<typeof Apis.DescribeCluster>(describeCluster, ctx(1), { includeClusterAuthorizedOperations: true, endpointType: 1 });
      const shown = res!.errorCode === ErrorCode.NONE && res!.clusterAuthorizedOperations !== 0;
      return { code: shown ? 'listed' : 'hidden', happened: shown };
    },
  },
  {
    type: Type.CLUSTER,
    op: Op.CLUSTER_ACTION,
    api: 'UpdateMetadata',
    resource: CLUSTER_NAME,
    refusal: CLUSTER_REFUSED,
    observe: async (m, ctx) => {
      const res = await call<typeof Apis.UpdateMetadata>(updateMetadata, ctx(7), { controllerId: 2, controllerEpoch: 5, brokerEpoch: 100n, topicStates: [], liveBrokers: [] });
      return { code: res!.errorCode, happened: m.controllerRequests.calls.length > 0 };
    },
  },
  {
    type: Type.CLUSTER,
    op: Op.CLUSTER_ACTION,
    api: 'LeaderAndIsr',
    resource: CLUSTER_NAME,
    refusal: CLUSTER_REFUSED,
    observe: async (m, ctx) => {
      const res = await call<typeof Apis.LeaderAndIsr>(leaderAndIsr, ctx(5), {
        controllerId: 2,
        controllerEpoch: 5,
        brokerEpoch: 100n,
        topicStates: [{ topicName: TOPIC, topicId: topicIdOf(TOPIC), partitionStates: [{ partitionIndex: 0, controllerEpoch: 5, leader: 1, leaderEpoch: 7, isr: [1], partitionEpoch: 1, replicas: [1] }] }],
        liveLeaders: [],
      });
      return { code: res!.errorCode, happened: m.controllerRequests.calls.length > 0 };
    },
  },
  {
    type: Type.CLUSTER,
    op: Op.CLUSTER_ACTION,
    api: 'Fetch (follower)',
    resource: CLUSTER_NAME,
    refusal: TOPIC_REFUSED,
    prereqs: [everyone(Op.ALL, Type.TOPIC, TOPIC)],
    observe: async (m, ctx) => {
      const seen = await observeFetch(ctx(12), TOPIC, 2);
      return { code: seen.code, happened: seen.happened || m.b.replication.calls.length > 0 };
    },
  },
  {
    type: Type.CLUSTER,
    op: Op.DESCRIBE,
    api: 'DescribeLogDirs',
    resource: CLUSTER_NAME,
    refusal: CLUSTER_REFUSED,
    observe: async (_m, ctx) => {
      const res = await call<typeof Apis.DescribeLogDirs>(describeLogDirs, ctx(4), { topics: null });
      return { code: res!.errorCode, happened: res!.results.length > 0 };
    },
  },
  {
    type: Type.CLUSTER,
    op: Op.ALTER,
    api: 'AlterReplicaLogDirs',
    resource: CLUSTER_NAME,
    refusal: CLUSTER_REFUSED,
    observe: async (m, ctx) => {
      const res = await call<typeof Apis.AlterReplicaLogDirs>(alterReplicaLogDirs, ctx(2), { dirs: [{ path: '/elsewhere', topics: [{ name: TOPIC, partitions: [0] }] }] });
      return { code: res!.results[0].partitions[0].errorCode, happened: m.b.replication.calls.length > 0 };
    },
  },
  {
    type: Type.CLUSTER,
    op: Op.IDEMPOTENT_WRITE,
    api: 'InitProducerId (idempotent)',
    resource: CLUSTER_NAME,
    refusal: CLUSTER_REFUSED,
    observe: async (m, ctx) => {
      const res = await call<typeof Apis.InitProducerId>(initProducerId, ctx(4), { transactionalId: null, transactionTimeoutMs: 60_000 });
      return { code: res!.errorCode, happened: m.calls.some((c) => c.startsWith('init producer')) || res!.producerId !== -1n };
    },
  },
  { type: Type.CLUSTER, op: Op.DESCRIBE_CONFIGS, api: 'DescribeConfigs (broker)', resource: CLUSTER_NAME, refusal: CLUSTER_REFUSED, observe: (_m, ctx) => configsOf(ctx(4), 4, '1') },
  {
    type: Type.CLUSTER,
    op: Op.ALTER_CONFIGS,
    api: 'AlterConfigs (broker)',
    resource: CLUSTER_NAME,
    refusal: CLUSTER_REFUSED,
    observe: async (m, ctx) => {
      const before = JSON.stringify(m.b.entities.all());
      const res = await call<typeof Apis.AlterConfigs>(alterConfigs, ctx(2), { resources: [{ resourceType: 4, resourceName: '', configs: [{ name: 'log.cleaner.threads', value: '2' }] }] });
      return { code: res!.responses[0].errorCode, happened: JSON.stringify(m.b.entities.all()) !== before };
    },
  },

  // TRANSACTIONAL_ID
  {
    type: Type.TRANSACTIONAL_ID,
    op: Op.WRITE,
    api: 'InitProducerId (transactional)',
    resource: TXN,
    refusal: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
    observe: async (m, ctx) => {
      const res = await call<typeof Apis.InitProducerId>(initProducerId, ctx(4), { transactionalId: TXN, transactionTimeoutMs: 60_000 });
      return { code: res!.errorCode, happened: m.calls.includes(`init producer ${TXN}`) };
    },
  },
  {
    type: Type.TRANSACTIONAL_ID,
    op: Op.WRITE,
    api: 'AddPartitionsToTxn (transactional id)',
    resource: TXN,
    refusal: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
    prereqs: [everyone(Op.WRITE, Type.TOPIC, TOPIC)],
    observe: (m, ctx) => addPartitionToTxn(m, ctx(3)),
  },
  {
    type: Type.TRANSACTIONAL_ID,
    op: Op.WRITE,
    api: 'EndTxn',
    resource: TXN,
    refusal: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
    observe: async (m, ctx) => {
      const res = await call<typeof Apis.EndTxn>(endTxn, ctx(3), { transactionalId: TXN, producerId: 9n, producerEpoch: 0, committed: true });
      return { code: res!.errorCode, happened: m.calls.includes(`end txn ${TXN}`) };
    },
  },
  { type: Type.TRANSACTIONAL_ID, op: Op.DESCRIBE, api: 'FindCoordinator (transaction)', resource: TXN, refusal: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, observe: (m, ctx) => findCoordinatorOf(m, ctx(4), 1, TXN) },
  {
    type: Type.TRANSACTIONAL_ID,
    op: Op.DESCRIBE,
    api: 'DescribeTransactions',
    resource: TXN,
    refusal: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
    observe: async (m, ctx) => {
      const state = (await call<typeof Apis.DescribeTransactions>(describeTransactions, ctx(0), { transactionalIds: [TXN] }))!.transactionStates[0];
      return { code: state.errorCode, happened: m.calls.includes(`describe txn ${TXN}`) || state.transactionState !== '' };
    },
  },

  // DELEGATION_TOKEN
  { type: Type.DELEGATION_TOKEN, op: Op.DESCRIBE, api: 'DescribeDelegationToken', resource: '', ok: 'listed', refusal: 'hidden', setup: createOwnersToken, observe: (_m, ctx) => describeTokens(ctx(3)) },

  // USER
  {
    type: Type.USER,
    op: Op.CREATE_TOKENS,
    api: 'CreateDelegationToken for another owner',
    resource: OWNER,
    refusal: ErrorCode.DELEGATION_TOKEN_AUTHORIZATION_FAILED,
    observe: async (m, ctx) => {
      const res = await call<typeof Apis.CreateDelegationToken>(createDelegationToken, ctx(3), { ownerPrincipalType: 'User', ownerPrincipalName: 'owner', renewers: [], maxLifetimeMs: -1n });
      return { code: res!.errorCode, happened: m.b.services.delegationTokens.tokens(() => true).length > 0 };
    },
  },
  { type: Type.USER, op: Op.DESCRIBE_TOKENS, api: 'DescribeDelegationToken', resource: OWNER, ok: 'listed', refusal: 'hidden', setup: async (m) => void (await createOwnersToken(m)), observe: (_m, ctx) => describeTokens(ctx(3)) },
];
