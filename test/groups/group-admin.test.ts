// Describe/list/delete, offset-commit fencing, loading from __consumer_offsets, shutdown.
import { ErrorCode } from '../../protocol/errors';
import { subscribedTopics } from '../../src/groups/consumer-subscription';
import type { GroupSnapshot } from '../../src/groups/types';
import { formGroup, joinDynamic, joinRequest, meta, settled, setup, stableGroup, subscription, syncRequest } from './coordinator-helpers';

describe('DescribeGroups, ListGroups, DeleteGroups', () => {
  test('describe: unknown groups are Dead; a Stable group shows metadata and assignments', async () => {
    const s = setup();
    expect(s.coordinator.describeGroup('nope')).toEqual({
      errorCode: ErrorCode.NONE,
      groupState: 'Dead',
      protocolType: '',
      protocolData: '',
      members: [],
    });
    const { leader } = await stableGroup(s, 1, { clientId: 'app', clientHost: '/10.0.0.1' });
    expect(s.coordinator.describeGroup('g')).toEqual({
      errorCode: ErrorCode.NONE,
      groupState: 'Stable',
      protocolType: 'consumer',
      protocolData: 'range',
      members: [
        {
          memberId: leader.memberId,
          groupInstanceId: null,
          clientId: 'app',
          clientHost: '/10.0.0.1',
          memberMetadata: meta('m'),
          memberAssignment: meta(`assigned:${leader.memberId}`),
        },
      ],
    });
  });

  test('describe: while rebalancing, members are listed without metadata or protocol', async () => {
    const s = setup();
    await formGroup(s, 2);
    const described = s.coordinator.describeGroup('g');
    expect(described).toMatchObject({ groupState: 'CompletingRebalance', protocolType: 'consumer', protocolData: '' });
    expect(described.members.map((m) => [m.memberMetadata.length, m.memberAssignment.length])).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  test('list: all groups, or those in the given states, compared case-insensitively', async () => {
    const s = setup();
    await stableGroup(s, 1);
    s.coordinator.validateOffsetCommit('standalone', -1, '', null);
    expect(s.coordinator.listGroups([])).toEqual([
      { groupId: 'g', protocolType: 'consumer', groupState: 'Stable' },
      { groupId: 'standalone', protocolType: '', groupState: 'Empty' },
    ]);
    expect(s.coordinator.listGroups(['stable']).map((g) => g.groupId)).toEqual(['g']);
    expect(s.coordinator.listGroups(['EMPTY', 'Dead']).map((g) => g.groupId)).toEqual(['standalone']);
  });

  test('delete: only Empty groups, which become Dead and are reported removed', async () => {
    const s = setup();
    const { leader } = await stableGroup(s, 1);
    expect(s.coordinator.deleteGroup('g')).toBe(ErrorCode.NON_EMPTY_GROUP);
    expect(s.coordinator.deleteGroup('nope')).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    s.coordinator.leaveGroup('g', [{ memberId: leader.memberId, groupInstanceId: null, reason: null }]);
    expect(s.coordinator.deleteGroup('g')).toBe(ErrorCode.NONE);
    expect(s.removed).toEqual(['g']);
    expect(s.coordinator.groupInfo('g')).toBeUndefined();
    expect(s.coordinator.describeGroup('g').groupState).toBe('Dead');
    expect(s.coordinator.deleteGroup('g')).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
  });

  test('removeIfEmpty forgets an Empty group and leaves others alone', async () => {
    const s = setup();
    await stableGroup(s, 1);
    s.coordinator.validateOffsetCommit('standalone', -1, '', null);
    s.coordinator.removeIfEmpty('g');
    s.coordinator.removeIfEmpty('standalone');
    expect(s.removed).toEqual(['standalone']);
    expect(s.coordinator.listGroups([]).map((g) => g.groupId)).toEqual(['g']);
  });
});

describe('validateOffsetCommit', () => {
  test('a standalone commit creates an Empty group; an unknown group with a generation is refused', () => {
    const s = setup();
    expect(s.coordinator.validateOffsetCommit('simple', -1, '', null)).toBe(ErrorCode.NONE);
    expect(s.coordinator.groupInfo('simple')).toMatchObject({ state: 'Empty', protocolType: '', subscribedTopics: null });
    expect(s.coordinator.validateOffsetCommit('simple', -1, '', null)).toBe(ErrorCode.NONE);
    expect(s.coordinator.validateOffsetCommit('other', 3, 'm', null)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(s.coordinator.groupInfo('other')).toBeUndefined();
    expect(s.coordinator.validateOffsetCommit('simple', 1, 'm', null)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  test('members of the current generation commit; others are fenced', async () => {
    const s = setup();
    const { leader } = await stableGroup(s, 1);
    expect(s.coordinator.validateOffsetCommit('g', 1, leader.memberId, null)).toBe(ErrorCode.NONE);
    expect(s.coordinator.validateOffsetCommit('g', 0, leader.memberId, null)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(s.coordinator.validateOffsetCommit('g', 1, 'ghost', null)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(s.coordinator.validateOffsetCommit('g', -1, '', null)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(s.coordinator.validateOffsetCommit('g', -1, '', null, true)).toBe(ErrorCode.NONE);
    expect(s.coordinator.validateOffsetCommit('g', 1, leader.memberId, 'i9')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  test('commits wait out CompletingRebalance but go through during PreparingRebalance', async () => {
    const s = setup();
    const [leader, follower] = await formGroup(s, 2);
    expect(s.coordinator.validateOffsetCommit('g', 1, follower.memberId, null)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(s.coordinator.validateOffsetCommit('g', 1, follower.memberId, null, true)).toBe(ErrorCode.NONE);
    await s.coordinator.syncGroup(syncRequest(leader, { assignments: [] }));
    void s.coordinator.joinGroup(joinRequest({ memberId: leader.memberId }));
    expect(s.coordinator.validateOffsetCommit('g', 1, follower.memberId, null)).toBe(ErrorCode.NONE);
  });

  test('a commit counts as a heartbeat', async () => {
    const s = setup();
    const { leader } = await stableGroup(s, 1);
    for (let i = 0; i < 5; i++) {
      s.clock.advance(8000);
      expect(s.coordinator.validateOffsetCommit('g', 1, leader.memberId, null)).toBe(ErrorCode.NONE);
    }
    expect(s.coordinator.groupInfo('g')?.state).toBe('Stable');
  });

  test('a static member’s old id is fenced', async () => {
    const s = setup();
    const joined = s.coordinator.joinGroup(joinRequest({ groupInstanceId: 'i1' }));
    s.clock.advance(0);
    const first = await joined;
    await s.coordinator.syncGroup(syncRequest(first, { groupInstanceId: 'i1', assignments: [] }));
    const second = await s.coordinator.joinGroup(joinRequest({ groupInstanceId: 'i1' }));
    expect(s.coordinator.validateOffsetCommit('g', 1, first.memberId, 'i1')).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect(s.coordinator.validateOffsetCommit('g', 1, second.memberId, 'i1')).toBe(ErrorCode.NONE);
  });

  test('OffsetFetch member fields are not checked by the classic coordinator', () => {
    const s = setup();
    expect(s.coordinator.validateOffsetFetch('g', null, -1)).toBe(ErrorCode.NONE);
    expect(s.coordinator.validateOffsetFetch('g', 'whoever', 5)).toBe(ErrorCode.NONE);
  });
});

describe('loading, subscriptions, shutdown', () => {
  const snapshot = (): GroupSnapshot => ({
    groupId: 'loaded',
    protocolType: 'consumer',
    generationId: 4,
    protocolName: 'range',
    leaderId: 'm2',
    currentStateTimestamp: 123,
    members: ['m1', 'm2'].map((memberId, i) => ({
      memberId,
      groupInstanceId: i === 1 ? 'static-2' : null,
      clientId: `c${i}`,
      clientHost: '/h',
      rebalanceTimeoutMs: 30_000,
      sessionTimeoutMs: 10_000,
      subscription: subscription(i === 0 ? ['orders'] : ['orders', 'payments']),
      assignment: meta(`A-${memberId}`),
    })),
  });

  test('a loaded group is Stable; its members heartbeat and fetch their assignment', async () => {
    const s = setup();
    s.coordinator.loadGroup(snapshot());
    expect(s.coordinator.groupInfo('loaded')).toEqual({
      state: 'Stable',
      protocolType: 'consumer',
      currentStateTimestamp: 123,
      subscribedTopics: new Set(['orders', 'payments']),
    });
    const hb = (memberId: string, groupInstanceId: string | null = null) =>
      s.coordinator.heartbeat({ groupId: 'loaded', generationId: 4, memberId, groupInstanceId });
    expect(hb('m1')).toBe(ErrorCode.NONE);
    expect(hb('m2', 'static-2')).toBe(ErrorCode.NONE);
    const sync = await s.coordinator.syncGroup({
      version: 5,
      groupId: 'loaded',
      generationId: 4,
      memberId: 'm1',
      groupInstanceId: null,
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: [],
    });
    expect(sync.assignment).toEqual(meta('A-m1'));
    expect(s.coordinator.describeGroup('loaded').members.map((m) => m.memberId)).toEqual(['m1', 'm2']);
  });

  test('loaded members get fresh session timers', () => {
    const s = setup();
    s.coordinator.loadGroup(snapshot());
    s.clock.advance(6000);
    expect(s.coordinator.heartbeat({ groupId: 'loaded', generationId: 4, memberId: 'm1', groupInstanceId: null })).toBe(ErrorCode.NONE);
    s.clock.advance(4000);
    expect(s.coordinator.groupInfo('loaded')?.state).toBe('PreparingRebalance');
    expect(s.coordinator.describeGroup('loaded').members.map((m) => m.memberId)).toEqual(['m1']);
  });

  test('a loaded group without members is Empty and a new member can start it over', async () => {
    const s = setup();
    s.coordinator.loadGroup({ ...snapshot(), members: [], protocolName: null, leaderId: null });
    expect(s.coordinator.groupInfo('loaded')).toMatchObject({ state: 'Empty', subscribedTopics: new Set() });
    const a = await joinDynamic(s.coordinator, { groupId: 'loaded' });
    s.clock.advance(0);
    expect((await a.joined).generationId).toBe(5);
  });

  test('a loaded group over group.max.size rebalances', () => {
    const s = setup({ groupMaxSize: 1 });
    s.coordinator.loadGroup(snapshot());
    expect(s.coordinator.groupInfo('loaded')?.state).toBe('PreparingRebalance');
  });

  test('subscribed topics are only known for the consumer protocol with readable metadata', async () => {
    const s = setup();
    await formGroup(s, 2, { protocols: [{ name: 'range', metadata: subscription(['t1', 't2']) }] });
    expect(s.coordinator.groupInfo('g')?.subscribedTopics).toEqual(new Set(['t1', 't2']));
    await formGroup(s, 1, { groupId: 'bad', protocols: [{ name: 'range', metadata: meta('garbage') }] });
    expect(s.coordinator.groupInfo('bad')?.subscribedTopics).toBeNull();
    await formGroup(s, 1, { groupId: 'connect', protocolType: 'connect' });
    expect(s.coordinator.groupInfo('connect')?.subscribedTopics).toBeNull();
  });

  test('shutdown answers every parked JoinGroup and SyncGroup and cancels all timers', async () => {
    const s = setup();
    const [, follower] = await formGroup(s, 2);
    const parkedSync = s.coordinator.syncGroup(syncRequest(follower));
    // Time does not advance, so this group's first rebalance never completes.
    const parkedJoin = await joinDynamic(s.coordinator, { groupId: 'joining' });
    expect(await settled(parkedJoin.joined)).toBe(false);
    expect(await settled(parkedSync)).toBe(false);
    s.coordinator.shutdown();
    expect(await parkedJoin.joined).toMatchObject({ errorCode: ErrorCode.NOT_COORDINATOR, memberId: parkedJoin.memberId });
    expect((await parkedSync).errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect(s.clock.liveTimers).toBe(0);
    expect((await s.coordinator.joinGroup(joinRequest())).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect(s.coordinator.validateOffsetCommit('g', -1, '', null)).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect(s.coordinator.listGroups([])).toEqual([]);
  });
});

describe('consumer subscription metadata', () => {
  test('topics are read from the version-0 prefix of any version', () => {
    expect(subscribedTopics(subscription(['a', 'bb']))).toEqual(['a', 'bb']);
    const v0 = Buffer.concat([Buffer.from([0, 0, 0, 0, 0, 1, 0, 1]), Buffer.from('x'), Buffer.from([0, 0, 0, 0])]);
    expect(subscribedTopics(v0)).toEqual(['x']);
  });

  test('malformed metadata gives null', () => {
    expect(subscribedTopics(Buffer.alloc(0))).toBeNull();
    expect(subscribedTopics(Buffer.from([0xff, 0xff, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]))).toBeNull();
    expect(subscribedTopics(Buffer.from([0, 1, 0, 0, 0, 2, 0, 1, 0x61]))).toBeNull();
    expect(subscribedTopics(Buffer.from([0, 1, 0, 0, 0, 0]))).toBeNull();
  });
});
