// JoinGroup and SyncGroup: member ids, the initial delay, protocol selection, leader and followers.
import { ErrorCode } from '../../protocol/errors';
import {
  formGroup,
  joinDynamic,
  joinRequest,
  meta,
  settled,
  setup,
  stableGroup,
  syncRequest,
} from './coordinator-helpers';

describe('JoinGroup', () => {
  test('a v4+ dynamic member is told to rejoin with a generated id, then leads a group of one', async () => {
    const { coordinator, clock } = setup();
    const first = await coordinator.joinGroup(joinRequest({ clientId: 'app' }));
    expect(first).toMatchObject({ errorCode: ErrorCode.MEMBER_ID_REQUIRED, generationId: -1, leader: '', members: [] });
    expect(first.memberId).toMatch(/^app-[0-9a-f-]{36}$/);
    expect(coordinator.groupInfo('g')?.state).toBe('Empty');

    const joined = coordinator.joinGroup(joinRequest({ clientId: 'app', memberId: first.memberId }));
    expect(coordinator.groupInfo('g')?.state).toBe('PreparingRebalance');
    clock.advance(0);
    expect(await joined).toEqual({
      errorCode: ErrorCode.NONE,
      generationId: 1,
      protocolType: 'consumer',
      protocolName: 'range',
      leader: first.memberId,
      skipAssignment: false,
      memberId: first.memberId,
      members: [{ memberId: first.memberId, groupInstanceId: null, metadata: meta('m') }],
    });
    expect(coordinator.groupInfo('g')?.state).toBe('CompletingRebalance');
  });

  test('before v4 the member id is assigned straight away', async () => {
    const { coordinator, clock } = setup();
    const joined = coordinator.joinGroup(joinRequest({ version: 3 }));
    clock.advance(0);
    const result = await joined;
    expect(result.errorCode).toBe(ErrorCode.NONE);
    expect(result.memberId).toMatch(/^client-/);
    expect(result.leader).toBe(result.memberId);
  });

  test('three members: the leader gets everyone’s metadata, followers an empty list', async () => {
    const s = setup();
    const [a, b, c] = await formGroup(s, 3);
    for (const r of [a, b, c]) {
      expect(r).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, protocolName: 'range', leader: a.memberId });
    }
    expect(a.members.map((m) => m.memberId)).toEqual([a.memberId, b.memberId, c.memberId]);
    expect(b.members).toEqual([]);
    expect(c.members).toEqual([]);
  });

  test('the first rebalance waits the initial delay, extended while members keep arriving', async () => {
    const { coordinator, clock } = setup({ groupInitialRebalanceDelayMs: 3000 });
    const a = await joinDynamic(coordinator, { rebalanceTimeoutMs: 10_000 });
    clock.advance(1000);
    const b = await joinDynamic(coordinator, { rebalanceTimeoutMs: 10_000 });
    clock.advance(2000); // the first delay ends; b arrived during it, so it is extended
    expect(await settled(a.joined)).toBe(false);
    clock.advance(2999);
    expect(await settled(a.joined)).toBe(false);
    clock.advance(1);
    expect((await a.joined).members).toHaveLength(2);
    expect((await b.joined).generationId).toBe(1);
  });

  test('the initial delay never extends beyond the rebalance timeout', async () => {
    const { coordinator, clock } = setup({ groupInitialRebalanceDelayMs: 3000 });
    const a = await joinDynamic(coordinator, { rebalanceTimeoutMs: 7000 });
    // Someone new arrives within every delay; without the cap the rebalance would never end.
    for (const at of [2500, 5000, 6500]) {
      clock.advance(at - (clock.now() - 1_000_000));
      await joinDynamic(coordinator, { rebalanceTimeoutMs: 7000 });
    }
    clock.advance(499);
    expect(await settled(a.joined)).toBe(false);
    clock.advance(1);
    expect((await a.joined).members).toHaveLength(4);
  });

  test('each member votes for its favourite protocol among those all support', async () => {
    const s = setup();
    const proto = (...names: string[]) => names.map((name) => ({ name, metadata: meta(name) }));
    const joins = [];
    joins.push((await joinDynamic(s.coordinator, { protocols: proto('roundrobin', 'range', 'sticky') })).joined);
    joins.push((await joinDynamic(s.coordinator, { protocols: proto('roundrobin', 'range') })).joined);
    joins.push((await joinDynamic(s.coordinator, { protocols: proto('range', 'roundrobin') })).joined);
    s.clock.advance(0);
    const [leader] = await Promise.all(joins);
    expect(leader.protocolName).toBe('roundrobin');
    expect(leader.members.map((m) => m.metadata.toString())).toEqual(['roundrobin', 'roundrobin', 'roundrobin']);
  });

  test('a member that shares no protocol, or a different protocol type, is inconsistent', async () => {
    const s = setup();
    await formGroup(s, 1);
    const noCommon = await s.coordinator.joinGroup(joinRequest({ protocols: [{ name: 'sticky', metadata: meta('x') }] }));
    expect(noCommon).toMatchObject({ errorCode: ErrorCode.INCONSISTENT_GROUP_PROTOCOL, memberId: '' });
    const otherType = await s.coordinator.joinGroup(joinRequest({ protocolType: 'connect' }));
    expect(otherType.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const emptyType = await s.coordinator.joinGroup(joinRequest({ groupId: 'other', protocolType: '' }));
    expect(emptyType.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  });

  test('session timeouts outside the configured range are rejected', async () => {
    const { coordinator } = setup();
    expect((await coordinator.joinGroup(joinRequest({ sessionTimeoutMs: 5999 }))).errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect((await coordinator.joinGroup(joinRequest({ sessionTimeoutMs: 1_800_001 }))).errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect((await coordinator.joinGroup(joinRequest({ groupId: '' }))).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
  });

  test('an unknown member id is rejected, in an unknown group too', async () => {
    const s = setup();
    expect((await s.coordinator.joinGroup(joinRequest({ memberId: 'ghost' }))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    await formGroup(s, 1);
    expect((await s.coordinator.joinGroup(joinRequest({ memberId: 'ghost' }))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  test('the group is full at group.max.size', async () => {
    const s = setup({ groupMaxSize: 2 });
    await formGroup(s, 2);
    const third = await s.coordinator.joinGroup(joinRequest());
    expect(third).toMatchObject({ errorCode: ErrorCode.GROUP_MAX_SIZE_REACHED, memberId: '' });
  });

  test('members beyond group.max.size are refused while the group rebalances', async () => {
    const s = setup({ groupMaxSize: 2, groupInitialRebalanceDelayMs: 1000 });
    const a = await joinDynamic(s.coordinator);
    const b = await joinDynamic(s.coordinator);
    expect((await s.coordinator.joinGroup(joinRequest())).errorCode).toBe(ErrorCode.GROUP_MAX_SIZE_REACHED);
    s.clock.advance(2000);
    expect((await a.joined).members).toHaveLength(2);
    expect((await b.joined).errorCode).toBe(ErrorCode.NONE);
  });

  test('a follower rejoining a Stable group unchanged gets the current generation without a rebalance', async () => {
    const s = setup();
    const { leader, followers } = await stableGroup(s, 2);
    const again = await s.coordinator.joinGroup(joinRequest({ memberId: followers[0].memberId }));
    expect(again).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, leader: leader.memberId, members: [] });
    expect(s.coordinator.groupInfo('g')?.state).toBe('Stable');
  });

  test('a rejoining leader, or a follower with new metadata, starts a rebalance', async () => {
    const s = setup();
    const { leader, followers } = await stableGroup(s, 2);
    const leaderJoin = s.coordinator.joinGroup(joinRequest({ memberId: leader.memberId }));
    expect(s.coordinator.groupInfo('g')?.state).toBe('PreparingRebalance');
    const followerJoin = s.coordinator.joinGroup(
      joinRequest({ memberId: followers[0].memberId, protocols: [{ name: 'range', metadata: meta('new') }] }),
    );
    const [l, f] = await Promise.all([leaderJoin, followerJoin]);
    expect(l.generationId).toBe(2);
    expect(l.members.find((m) => m.memberId === f.memberId)?.metadata).toEqual(meta('new'));
  });

  test('a member repeating its JoinGroup during CompletingRebalance gets the same answer again', async () => {
    const s = setup();
    const [leader, follower] = await formGroup(s, 2);
    const again = await s.coordinator.joinGroup(joinRequest({ memberId: leader.memberId }));
    expect(again).toEqual(leader);
    expect((await s.coordinator.joinGroup(joinRequest({ memberId: follower.memberId }))).members).toEqual([]);
    expect(s.coordinator.groupInfo('g')?.state).toBe('CompletingRebalance');
  });

  test('v0 uses the session timeout as the rebalance timeout', async () => {
    const s = setup();
    const v0 = { version: 0, sessionTimeoutMs: 8000, rebalanceTimeoutMs: -1 };
    const joins = [s.coordinator.joinGroup(joinRequest(v0)), s.coordinator.joinGroup(joinRequest(v0))];
    s.clock.advance(0);
    const [leader, follower] = await Promise.all(joins);
    await s.coordinator.syncGroup(syncRequest(leader, { version: 0, protocolType: null, protocolName: null }));
    // The leader rejoins, the follower only heartbeats: the rebalance ends after 8s.
    const rejoin = s.coordinator.joinGroup(joinRequest({ ...v0, memberId: leader.memberId }));
    s.clock.advance(4000);
    const heartbeat = { groupId: 'g', generationId: 1, memberId: follower.memberId, groupInstanceId: null };
    expect(s.coordinator.heartbeat(heartbeat)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    s.clock.advance(3999);
    expect(await settled(rejoin)).toBe(false);
    s.clock.advance(1);
    expect((await rejoin).members).toHaveLength(1);
  });
});

describe('SyncGroup', () => {
  test('followers wait for the leader, then each gets its own assignment; the group is Stable', async () => {
    const s = setup();
    const [leader, follower] = await formGroup(s, 2);
    const followerSync = s.coordinator.syncGroup(syncRequest(follower));
    expect(await settled(followerSync)).toBe(false);
    const leaderSync = await s.coordinator.syncGroup(
      syncRequest(leader, {
        assignments: [
          { memberId: leader.memberId, assignment: meta('L') },
          { memberId: follower.memberId, assignment: meta('F') },
        ],
      }),
    );
    expect(leaderSync).toEqual({ errorCode: ErrorCode.NONE, protocolType: 'consumer', protocolName: 'range', assignment: meta('L') });
    expect(await followerSync).toEqual({ errorCode: ErrorCode.NONE, protocolType: 'consumer', protocolName: 'range', assignment: meta('F') });
    expect(s.coordinator.groupInfo('g')?.state).toBe('Stable');
  });

  test('the stored assignment is persisted; members the leader left out get an empty one', async () => {
    const s = setup();
    const [leader, follower] = await formGroup(s, 2);
    const followerSync = s.coordinator.syncGroup(syncRequest(follower));
    await s.coordinator.syncGroup(syncRequest(leader, { assignments: [{ memberId: leader.memberId, assignment: meta('L') }] }));
    expect((await followerSync).assignment).toEqual(Buffer.alloc(0));
    expect(s.persisted).toHaveLength(1);
    expect(s.persisted[0]).toMatchObject({
      groupId: 'g',
      protocolType: 'consumer',
      generationId: 1,
      protocolName: 'range',
      leaderId: leader.memberId,
    });
    expect(s.persisted[0].members).toEqual([
      expect.objectContaining({ memberId: leader.memberId, subscription: meta('m'), assignment: meta('L'), sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 30_000, clientId: 'client0' }),
      expect.objectContaining({ memberId: follower.memberId, assignment: Buffer.alloc(0) }),
    ]);
  });

  test('members get the assignment only once its write is replicated', async () => {
    const s = setup();
    const [leader, follower] = await formGroup(s, 2);
    s.storage.replicating = true;
    const followerSync = s.coordinator.syncGroup(syncRequest(follower));
    const assignments = [{ memberId: follower.memberId, assignment: meta('F') }];
    const leaderSync = s.coordinator.syncGroup(syncRequest(leader, { assignments }));
    expect(s.persisted).toHaveLength(1);
    expect(await settled(leaderSync)).toBe(false);
    expect(await settled(followerSync)).toBe(false);
    expect(s.coordinator.groupInfo('g')?.state).toBe('CompletingRebalance');
    s.storage.replicated();
    expect((await followerSync).assignment).toEqual(meta('F'));
    expect((await leaderSync).errorCode).toBe(ErrorCode.NONE);
    expect(s.coordinator.groupInfo('g')?.state).toBe('Stable');
  });

  test('an assignment replicated after the group moved on to a new rebalance is not handed out', async () => {
    const s = setup();
    const [leader, follower] = await formGroup(s, 2);
    s.storage.replicating = true;
    const leaderSync = s.coordinator.syncGroup(syncRequest(leader, { assignments: [] }));
    expect(s.coordinator.leaveGroup('g', [{ memberId: follower.memberId, groupInstanceId: null, reason: null }]).members[0].errorCode).toBe(ErrorCode.NONE);
    expect((await leaderSync).errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    s.storage.replicated();
    await Promise.resolve();
    expect(s.coordinator.groupInfo('g')?.state).toBe('PreparingRebalance');
  });

  test('in a Stable group SyncGroup returns the current assignment', async () => {
    const s = setup();
    const { followers } = await stableGroup(s, 2);
    const again = await s.coordinator.syncGroup(syncRequest(followers[0]));
    expect(again.assignment).toEqual(meta(`assigned:${followers[0].memberId}`));
  });

  test('fencing: rebalance in progress, wrong generation, unknown member, protocol mismatch', async () => {
    const s = setup();
    const { leader, followers } = await stableGroup(s, 2);
    const sync = (over: Parameters<typeof syncRequest>[1]) => s.coordinator.syncGroup(syncRequest(followers[0], over));
    expect((await sync({ generationId: 7 })).errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect((await sync({ memberId: 'ghost' })).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect((await sync({ protocolName: 'roundrobin' })).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect((await sync({ protocolType: 'connect' })).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect((await sync({ protocolName: null })).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect((await sync({ version: 4, protocolName: null, protocolType: null })).errorCode).toBe(ErrorCode.NONE);
    expect((await s.coordinator.syncGroup(syncRequest(leader, { groupId: 'nope' }))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);

    void s.coordinator.joinGroup(joinRequest({ memberId: leader.memberId }));
    expect((await sync({})).errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  });

  test('a rebalance starting during CompletingRebalance answers waiting followers REBALANCE_IN_PROGRESS', async () => {
    const s = setup();
    const [, follower, third] = await formGroup(s, 3);
    const followerSync = s.coordinator.syncGroup(syncRequest(follower));
    void s.coordinator.joinGroup(joinRequest({ memberId: third.memberId, protocols: [{ name: 'range', metadata: meta('changed') }] }));
    expect((await followerSync).errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  });

  test('members that heartbeat but never sync are removed after the rebalance timeout', async () => {
    const s = setup();
    const [leader, follower] = await formGroup(s, 2);
    await s.coordinator.syncGroup(syncRequest(leader, { assignments: [] }));
    expect(s.coordinator.groupInfo('g')?.state).toBe('Stable');
    const heartbeat = (memberId: string) => s.coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId, groupInstanceId: null });
    for (let t = 0; t < 25_000; t += 5000) {
      s.clock.advance(5000);
      expect(heartbeat(leader.memberId)).toBe(ErrorCode.NONE);
      expect(heartbeat(follower.memberId)).toBe(ErrorCode.NONE);
    }
    s.clock.advance(5000);
    expect(s.coordinator.groupInfo('g')?.state).toBe('PreparingRebalance');
    expect(heartbeat(follower.memberId)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const rejoin = await s.coordinator.joinGroup(joinRequest({ memberId: leader.memberId }));
    expect(rejoin.members.map((m) => m.memberId)).toEqual([leader.memberId]);
  });

  test('a failed write of the assignment answers the members and starts over', async () => {
    const s = setup();
    const [leader, follower] = await formGroup(s, 2);
    s.storage.failing = ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const followerSync = s.coordinator.syncGroup(syncRequest(follower));
    const leaderSync = await s.coordinator.syncGroup(syncRequest(leader, { assignments: [] }));
    expect(leaderSync.errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect((await followerSync).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect(s.coordinator.groupInfo('g')?.state).toBe('PreparingRebalance');
  });
});
