// Authorization of the group APIs, in-process on a fake authorizer and a recording group service:
// OffsetCommit, OffsetFetch, FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup,
// DescribeGroups, ListGroups, DeleteGroups and OffsetDelete. A denied request gets Kafka's error in
// Kafka's place and never reaches the coordinator.

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation as Op, ResourceType as Type, CLUSTER_NAME } from '../../src/auth/authorizer';
import offsetCommit from '../../src/handlers/08-offset-commit';
import offsetFetch from '../../src/handlers/09-offset-fetch';
import findCoordinator from '../../src/handlers/10-find-coordinator';
import joinGroup from '../../src/handlers/11-join-group';
import heartbeat from '../../src/handlers/12-heartbeat';
import leaveGroup from '../../src/handlers/13-leave-group';
import syncGroup from '../../src/handlers/14-sync-group';
import describeGroups from '../../src/handlers/15-describe-groups';
import listGroups from '../../src/handlers/16-list-groups';
import deleteGroups from '../../src/handlers/42-delete-groups';
import offsetDelete from '../../src/handlers/47-offset-delete';
import { ANONYMOUS } from '../../src/server/session';
import { FakeAuthorizer, TestBroker, addTopic, call, fakeGroups, testBroker, topicInfo } from './fake-context';

let b: TestBroker;
let acl: FakeAuthorizer;
/** What reached the group service. */
let calls: string[];
const ok = (topics: { name: string; partitions: { partitionIndex: number }[] }[]) =>
  topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: ErrorCode.NONE })) }));
beforeEach(async () => {
  b = await testBroker();
  acl = new FakeAuthorizer();
  b.services.authorizer = acl;
  addTopic(b.metadata, b.logs, topicInfo('open', 1));
  addTopic(b.metadata, b.logs, topicInfo('secret', 1));
  calls = [];
  b.services.groups = fakeGroups({
    checkCoordinator: () => ErrorCode.NONE,
    coordinatorFor: async (key) => {
      calls.push(`coordinator for ${key}`);
      return 1;
    },
    commitOffsets: async (req) => {
      calls.push(`commit ${req.groupId} ${req.topics.map((t) => t.name)}`);
      return ok(req.topics);
    },
    fetchOffsets: (groupId, topics) => {
      calls.push(`fetch ${groupId} ${topics === null ? 'all' : topics.map((t) => t.name)}`);
      const listed = topics ?? [{ name: 'open', partitionIndexes: [0] }, { name: 'secret', partitionIndexes: [0] }];
      return {
        errorCode: ErrorCode.NONE,
        topics: listed.map((t) => ({
          name: t.name,
          partitions: t.partitionIndexes.map((partitionIndex) => ({ partitionIndex, committedOffset: 5n, committedLeaderEpoch: -1, metadata: '', errorCode: ErrorCode.NONE })),
        })),
      };
    },
    deleteGroup: (groupId) => {
      calls.push(`delete ${groupId}`);
      return ErrorCode.NONE;
    },
    deleteOffsets: (groupId, topics) => {
      calls.push(`delete offsets ${groupId} ${topics.map((t) => t.name)}`);
      return { errorCode: ErrorCode.NONE, topics: topics.map((t) => ({ name: t.name, partitions: t.partitions.map((partitionIndex) => ({ partitionIndex, errorCode: ErrorCode.NONE })) })) };
    },
    coordinator: {
      joinGroup: async (req) => {
        calls.push(`join ${req.groupId}`);
        return { errorCode: ErrorCode.NONE, generationId: 1, protocolType: 'consumer', protocolName: 'range', leader: 'm', skipAssignment: false, memberId: 'm', members: [] };
      },
      syncGroup: async (req) => {
        calls.push(`sync ${req.groupId}`);
        return { errorCode: ErrorCode.NONE, protocolType: 'consumer', protocolName: 'range', assignment: Buffer.alloc(0) };
      },
      heartbeat: (req) => {
        calls.push(`heartbeat ${req.groupId}`);
        return ErrorCode.NONE;
      },
      leaveGroup: (groupId) => {
        calls.push(`leave ${groupId}`);
        return { errorCode: ErrorCode.NONE, members: [] };
      },
      describeGroup: (groupId) => {
        calls.push(`describe ${groupId}`);
        return { errorCode: ErrorCode.NONE, groupState: 'Empty', protocolType: 'consumer', protocolData: '', members: [] };
      },
      listGroups: () => ['g', 'h'].map((groupId) => ({ groupId, protocolType: 'consumer', groupState: 'Empty' })),
    },
  });
});
afterEach(() => b.close());

const allow = (op: Op, type: Type, name: string) => acl.allow(ANONYMOUS, op, type, name);
const errorsOf = (topics: { name: string; partitions: { errorCode: number }[] }[]) => topics.map((t) => [t.name, t.partitions.map((p) => p.errorCode)]);

describe('OffsetCommit', () => {
  const commit = () =>
    call<typeof Apis.OffsetCommit>(offsetCommit, b.ctx(9), {
      groupId: 'g',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      topics: ['open', 'secret'].map((name) => ({ name, partitions: [{ partitionIndex: 0, committedOffset: 3n }] })),
    });

  test('without READ on the group every partition is GROUP_AUTHORIZATION_FAILED, nothing committed', async () => {
    allow(Op.READ, Type.TOPIC, '*');
    expect(errorsOf((await commit())!.topics)).toEqual([
      ['open', [ErrorCode.GROUP_AUTHORIZATION_FAILED]],
      ['secret', [ErrorCode.GROUP_AUTHORIZATION_FAILED]],
    ]);
    expect(calls).toEqual([]);
  });

  test('partitions of topics without READ are TOPIC_AUTHORIZATION_FAILED, first, and not committed', async () => {
    allow(Op.READ, Type.GROUP, 'g');
    allow(Op.READ, Type.TOPIC, 'open');
    expect(errorsOf((await commit())!.topics)).toEqual([
      ['secret', [ErrorCode.TOPIC_AUTHORIZATION_FAILED]],
      ['open', [ErrorCode.NONE]],
    ]);
    expect(calls).toEqual(['commit g open']);
  });

  test('no readable topic: nothing reaches the coordinator', async () => {
    allow(Op.READ, Type.GROUP, 'g');
    expect(errorsOf((await commit())!.topics).map(([, e]) => e)).toEqual([[ErrorCode.TOPIC_AUTHORIZATION_FAILED], [ErrorCode.TOPIC_AUTHORIZATION_FAILED]]);
    expect(calls).toEqual([]);
  });
});

describe('OffsetFetch', () => {
  const fetchV8 = (topics: { name: string; partitionIndexes: number[] }[] | null) =>
    call<typeof Apis.OffsetFetch>(offsetFetch, b.ctx(8), { groups: [{ groupId: 'g', topics }, { groupId: 'h', topics }] });

  test('a group without DESCRIBE is GROUP_AUTHORIZATION_FAILED; the other is answered', async () => {
    allow(Op.DESCRIBE, Type.GROUP, 'h');
    allow(Op.DESCRIBE, Type.TOPIC, '*');
    const res = await fetchV8([{ name: 'open', partitionIndexes: [0] }]);
    expect(res!.groups.map((g) => [g.groupId, g.errorCode, g.topics.length])).toEqual([
      ['g', ErrorCode.GROUP_AUTHORIZATION_FAILED, 0],
      ['h', ErrorCode.NONE, 1],
    ]);
    expect(calls).toEqual(['fetch h open']);
  });

  test('named topics without DESCRIBE are TOPIC_AUTHORIZATION_FAILED, after the others, offset -1', async () => {
    allow(Op.DESCRIBE, Type.GROUP, 'g');
    allow(Op.DESCRIBE, Type.TOPIC, 'open');
    const res = await call<typeof Apis.OffsetFetch>(offsetFetch, b.ctx(7), {
      groupId: 'g',
      topics: ['secret', 'open'].map((name) => ({ name, partitionIndexes: [0] })),
    });
    expect(res!.topics.map((t) => [t.name, t.partitions[0].errorCode, t.partitions[0].committedOffset])).toEqual([
      ['open', ErrorCode.NONE, 5n],
      ['secret', ErrorCode.TOPIC_AUTHORIZATION_FAILED, -1n],
    ]);
  });

  test('all offsets leave out topics without DESCRIBE', async () => {
    allow(Op.DESCRIBE, Type.GROUP, 'g');
    allow(Op.DESCRIBE, Type.TOPIC, 'open');
    const res = await call<typeof Apis.OffsetFetch>(offsetFetch, b.ctx(7), { groupId: 'g', topics: null });
    expect(res!.topics.map((t) => t.name)).toEqual(['open']);
  });

  test('v1 has no group error: GROUP_AUTHORIZATION_FAILED goes on every partition asked for', async () => {
    const res = await call<typeof Apis.OffsetFetch>(offsetFetch, b.ctx(1), { groupId: 'g', topics: [{ name: 'open', partitionIndexes: [0, 1] }] });
    expect(res!.topics[0].partitions.map((p) => p.errorCode)).toEqual([ErrorCode.GROUP_AUTHORIZATION_FAILED, ErrorCode.GROUP_AUTHORIZATION_FAILED]);
    expect(calls).toEqual([]);
  });
});

describe('FindCoordinator', () => {
  test('DESCRIBE on the group or the transactional id, each key alone (v4)', async () => {
    allow(Op.DESCRIBE, Type.GROUP, 'g');
    allow(Op.DESCRIBE, Type.TRANSACTIONAL_ID, 'tx');
    const groups = await call<typeof Apis.FindCoordinator>(findCoordinator, b.ctx(4), { keyType: 0, coordinatorKeys: ['g', 'h'] });
    expect(groups!.coordinators.map((c) => [c.key, c.errorCode, c.errorMessage, c.nodeId])).toEqual([
      ['g', ErrorCode.NONE, null, 1],
      ['h', ErrorCode.GROUP_AUTHORIZATION_FAILED, 'Group authorization failed.', -1],
    ]);
    expect(calls).toEqual(['coordinator for g']);
    b.services.transactions = { coordinatorFor: async () => 1 } as never;
    const txns = await call<typeof Apis.FindCoordinator>(findCoordinator, b.ctx(4), { keyType: 1, coordinatorKeys: ['tx', 'other'] });
    expect(txns!.coordinators.map((c) => c.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED]);
  });

  test('v3: the single key\'s error at the top level', async () => {
    const res = await call<typeof Apis.FindCoordinator>(findCoordinator, b.ctx(3), { key: 'g', keyType: 0 });
    expect(res).toMatchObject({ errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, nodeId: -1 });
  });
});

describe('membership needs READ on the group', () => {
  test('JoinGroup', async () => {
    const join = () =>
      call<typeof Apis.JoinGroup>(joinGroup, b.ctx(9), { groupId: 'g', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId: 'm-1', protocolType: 'consumer', protocols: [] });
    expect(await join()).toMatchObject({ errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, memberId: '', generationId: -1 });
    expect(calls).toEqual([]);
    allow(Op.READ, Type.GROUP, 'g');
    expect((await join())!.errorCode).toBe(ErrorCode.NONE);
    expect(calls).toEqual(['join g']);
  });

  test('SyncGroup', async () => {
    const sync = () => call<typeof Apis.SyncGroup>(syncGroup, b.ctx(5), { groupId: 'g', generationId: 1, memberId: 'm', assignments: [] });
    expect((await sync())!.errorCode).toBe(ErrorCode.GROUP_AUTHORIZATION_FAILED);
    allow(Op.READ, Type.GROUP, 'g');
    expect((await sync())!.errorCode).toBe(ErrorCode.NONE);
    expect(calls).toEqual(['sync g']);
  });

  test('Heartbeat', async () => {
    const beat = () => call<typeof Apis.Heartbeat>(heartbeat, b.ctx(4), { groupId: 'g', generationId: 1, memberId: 'm' });
    expect((await beat())!.errorCode).toBe(ErrorCode.GROUP_AUTHORIZATION_FAILED);
    allow(Op.READ, Type.GROUP, 'g');
    expect((await beat())!.errorCode).toBe(ErrorCode.NONE);
    expect(calls).toEqual(['heartbeat g']);
  });

  test('LeaveGroup', async () => {
    const leave = () => call<typeof Apis.LeaveGroup>(leaveGroup, b.ctx(5), { groupId: 'g', members: [{ memberId: 'm' }] });
    expect(await leave()).toMatchObject({ errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, members: [] });
    allow(Op.READ, Type.GROUP, 'g');
    expect((await leave())!.errorCode).toBe(ErrorCode.NONE);
    expect(calls).toEqual(['leave g']);
  });
});

describe('DescribeGroups', () => {
  test('groups without DESCRIBE are GROUP_AUTHORIZATION_FAILED, first; the others carry the principal\'s operations', async () => {
    allow(Op.DESCRIBE, Type.GROUP, 'g');
    allow(Op.READ, Type.GROUP, 'g');
    const res = await call<typeof Apis.DescribeGroups>(describeGroups, b.ctx(5), { groups: ['h', 'g'], includeAuthorizedOperations: true });
    expect(res!.groups.map((g) => [g.groupId, g.errorCode, g.groupState, g.authorizedOperations])).toEqual([
      ['h', ErrorCode.GROUP_AUTHORIZATION_FAILED, '', -2147483648],
      ['g', ErrorCode.NONE, 'Empty', (1 << Op.READ) | (1 << Op.DESCRIBE)],
    ]);
    expect(calls).toEqual(['describe g']);
  });
});

describe('ListGroups', () => {
  const list = () => call<typeof Apis.ListGroups>(listGroups, b.ctx(4), {});

  test('without DESCRIBE on the cluster only the groups it may DESCRIBE', async () => {
    allow(Op.DESCRIBE, Type.GROUP, 'h');
    expect((await list())!.groups.map((g) => g.groupId)).toEqual(['h']);
  });

  test('DESCRIBE on the cluster lists every group', async () => {
    allow(Op.DESCRIBE, Type.CLUSTER, CLUSTER_NAME);
    expect((await list())!.groups.map((g) => g.groupId)).toEqual(['g', 'h']);
  });
});

describe('DeleteGroups', () => {
  test('DELETE on each group; the others GROUP_AUTHORIZATION_FAILED and kept', async () => {
    allow(Op.DELETE, Type.GROUP, 'g');
    const res = await call<typeof Apis.DeleteGroups>(deleteGroups, b.ctx(2), { groupsNames: ['g', 'h'] });
    expect(res!.results.map((r) => [r.groupId, r.errorCode])).toEqual([
      ['g', ErrorCode.NONE],
      ['h', ErrorCode.GROUP_AUTHORIZATION_FAILED],
    ]);
    expect(calls).toEqual(['delete g']);
  });
});

describe('OffsetDelete', () => {
  const del = () =>
    call<typeof Apis.OffsetDelete>(offsetDelete, b.ctx(0), { groupId: 'g', topics: ['open', 'secret'].map((name) => ({ name, partitions: [{ partitionIndex: 0 }] })) });

  test('without DELETE on the group: GROUP_AUTHORIZATION_FAILED alone, nothing deleted', async () => {
    allow(Op.READ, Type.TOPIC, '*');
    expect(await del()).toMatchObject({ errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, topics: [] });
    expect(calls).toEqual([]);
  });

  test('topics without READ are TOPIC_AUTHORIZATION_FAILED and keep their offsets', async () => {
    allow(Op.DELETE, Type.GROUP, 'g');
    allow(Op.READ, Type.TOPIC, 'open');
    const res = await del();
    expect(res!.errorCode).toBe(ErrorCode.NONE);
    expect(errorsOf(res!.topics)).toEqual([
      ['secret', [ErrorCode.TOPIC_AUTHORIZATION_FAILED]],
      ['open', [ErrorCode.NONE]],
    ]);
    expect(calls).toEqual(['delete offsets g open']);
  });
});
