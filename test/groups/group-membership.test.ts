// Heartbeats, session expiry, rebalance timeouts, LeaveGroup and static membership.
import { ErrorCode } from '../../protocol/errors';
import type { JoinGroupResult } from '../../src/groups/coordinator-api';
import { formGroup, joinDynamic, joinRequest, meta, settled, setup, stableGroup, syncRequest } from './coordinator-helpers';

type Setup = ReturnType<typeof setup>;

const heartbeat = (s: Setup, member: JoinGroupResult, over: { generationId?: number; groupInstanceId?: string | null } = {}) =>
  s.coordinator.heartbeat({
    groupId: 'g',
    generationId: over.generationId ?? member.generationId,
    memberId: member.memberId,
    groupInstanceId: over.groupInstanceId ?? null,
  });

describe('Heartbeat', () => {
  test('answers by group state', async () => {
    const s = setup();
    const [leader, follower] = await formGroup(s, 2);
    expect(s.coordinator.groupInfo('g')?.state).toBe('CompletingRebalance');
    expect(heartbeat(s, follower)).toBe(ErrorCode.NONE);

    const assignments = [{ memberId: leader.memberId, assignment: meta('a') }];
    await s.coordinator.syncGroup(syncRequest(leader, { assignments }));
    expect(s.coordinator.groupInfo('g')?.state).toBe('Stable');
    expect(heartbeat(s, follower)).toBe(ErrorCode.NONE);

    void s.coordinator.joinGroup(joinRequest({ memberId: leader.memberId }));
    expect(s.coordinator.groupInfo('g')?.state).toBe('PreparingRebalance');
    expect(heartbeat(s, follower)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  });

  test('fences wrong generations and unknown members', async () => {
    const s = setup();
    const { leader } = await stableGroup(s, 1);
    expect(heartbeat(s, leader, { generationId: 0 })).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(heartbeat(s, { ...leader, memberId: 'ghost' })).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(heartbeat(s, leader, { groupInstanceId: 'not-static' })).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(s.coordinator.heartbeat({ groupId: 'nope', generationId: 1, memberId: leader.memberId, groupInstanceId: null })).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    expect(s.coordinator.heartbeat({ groupId: '', generationId: 1, memberId: leader.memberId, groupInstanceId: null })).toBe(
      ErrorCode.INVALID_GROUP_ID,
    );
  });
});

describe('session expiry and rebalance timeout', () => {
  test('a member that stops heartbeating is removed and the group rebalances', async () => {
    const s = setup();
    const { leader, followers } = await stableGroup(s, 2);
    for (let i = 0; i < 2; i++) {
      s.clock.advance(4000);
      expect(heartbeat(s, leader)).toBe(ErrorCode.NONE);
    }
    s.clock.advance(1999);
    expect(s.coordinator.groupInfo('g')?.state).toBe('Stable');
    s.clock.advance(1);
    expect(s.coordinator.groupInfo('g')?.state).toBe('PreparingRebalance');
    expect(heartbeat(s, leader)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(heartbeat(s, followers[0])).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const rejoin = await s.coordinator.joinGroup(joinRequest({ memberId: leader.memberId }));
    expect(rejoin).toMatchObject({ generationId: 2, leader: leader.memberId });
    expect(rejoin.members.map((m) => m.memberId)).toEqual([leader.memberId]);
  });

  test('a member that heartbeats but does not rejoin is dropped at the rebalance timeout', async () => {
    const s = setup();
    const { leader, followers } = await stableGroup(s, 2, { rebalanceTimeoutMs: 20_000 });
    const rejoin = s.coordinator.joinGroup(joinRequest({ memberId: leader.memberId, rebalanceTimeoutMs: 20_000 }));
    for (let i = 0; i < 4; i++) {
      s.clock.advance(5000);
      if (i < 3) expect(heartbeat(s, followers[0])).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    }
    const result = await rejoin;
    expect(result.generationId).toBe(2);
    expect(result.members.map((m) => m.memberId)).toEqual([leader.memberId]);
    expect(heartbeat(s, followers[0])).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  test('the leader’s place goes to a member that rejoined when the leader did not', async () => {
    const s = setup();
    const { leader, followers } = await stableGroup(s, 2);
    const rejoin = s.coordinator.joinGroup(
      joinRequest({ memberId: followers[0].memberId, protocols: [{ name: 'range', metadata: meta('v2') }] }),
    );
    s.clock.advance(30_000);
    const result = await rejoin;
    expect(result.leader).toBe(followers[0].memberId);
    expect(heartbeat(s, leader)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  test('a member id handed out with MEMBER_ID_REQUIRED expires after the session timeout', async () => {
    const s = setup();
    const first = await s.coordinator.joinGroup(joinRequest());
    s.clock.advance(10_000);
    const late = await s.coordinator.joinGroup(joinRequest({ memberId: first.memberId }));
    expect(late.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  test('a rebalance waits for members that were given an id until they join or expire', async () => {
    const s = setup();
    const { leader } = await stableGroup(s, 1);
    const pending = await s.coordinator.joinGroup(joinRequest());
    expect(pending.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    const rejoin = s.coordinator.joinGroup(joinRequest({ memberId: leader.memberId }));
    s.clock.advance(9999);
    expect(await settled(rejoin)).toBe(false);
    s.clock.advance(1);
    expect(await rejoin).toMatchObject({ generationId: 2, members: [expect.objectContaining({ memberId: leader.memberId })] });
  });
});

describe('LeaveGroup', () => {
  test('a member leaving makes the others rebalance; the last one leaving empties the group', async () => {
    const s = setup();
    const { leader, followers } = await stableGroup(s, 2);
    const left = s.coordinator.leaveGroup('g', [{ memberId: followers[0].memberId, groupInstanceId: null, reason: 'bye' }]);
    expect(left).toEqual({ errorCode: ErrorCode.NONE, members: [{ memberId: followers[0].memberId, groupInstanceId: null, errorCode: ErrorCode.NONE }] });
    expect(s.coordinator.groupInfo('g')?.state).toBe('PreparingRebalance');
    const rejoin = await s.coordinator.joinGroup(joinRequest({ memberId: leader.memberId }));
    expect(rejoin.generationId).toBe(2);

    s.persisted.length = 0;
    s.coordinator.leaveGroup('g', [{ memberId: leader.memberId, groupInstanceId: null, reason: null }]);
    expect(s.coordinator.groupInfo('g')?.state).toBe('Empty');
    expect(s.persisted).toEqual([
      expect.objectContaining({ groupId: 'g', generationId: 3, protocolType: 'consumer', protocolName: null, leaderId: null, members: [] }),
    ]);
  });

  test('batch leave answers each member; everyone leaving empties the group at once', async () => {
    const s = setup();
    const { joins } = await stableGroup(s, 3);
    const result = s.coordinator.leaveGroup('g', [
      ...joins.map((j) => ({ memberId: j.memberId, groupInstanceId: null, reason: null })),
      { memberId: 'ghost', groupInstanceId: null, reason: null },
    ]);
    expect(result.errorCode).toBe(ErrorCode.NONE);
    expect(result.members.map((m) => m.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.NONE, ErrorCode.NONE, ErrorCode.UNKNOWN_MEMBER_ID]);
    expect(s.coordinator.groupInfo('g')?.state).toBe('Empty');
  });

  test('unknown groups answer every member UNKNOWN_MEMBER_ID; empty group ids are invalid', () => {
    const s = setup();
    expect(s.coordinator.leaveGroup('nope', [{ memberId: 'm', groupInstanceId: null, reason: null }])).toEqual({
      errorCode: ErrorCode.NONE,
      members: [{ memberId: 'm', groupInstanceId: null, errorCode: ErrorCode.UNKNOWN_MEMBER_ID }],
    });
    expect(s.coordinator.leaveGroup('', []).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
  });

  test('a member leaving while its JoinGroup is parked gets that JoinGroup answered', async () => {
    const s = setup({ groupInitialRebalanceDelayMs: 3000 });
    const a = await joinDynamic(s.coordinator);
    const b = await joinDynamic(s.coordinator);
    s.coordinator.leaveGroup('g', [{ memberId: b.memberId, groupInstanceId: null, reason: null }]);
    expect(await b.joined).toMatchObject({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, memberId: '' });
    s.clock.advance(6000); // b's arrival had extended the initial delay once
    expect((await a.joined).members).toHaveLength(1);
  });

  test('a member that was only given an id can leave', async () => {
    const s = setup();
    const pending = await s.coordinator.joinGroup(joinRequest());
    const result = s.coordinator.leaveGroup('g', [{ memberId: pending.memberId, groupInstanceId: null, reason: null }]);
    expect(result.members[0].errorCode).toBe(ErrorCode.NONE);
    expect((await s.coordinator.joinGroup(joinRequest({ memberId: pending.memberId }))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });
});

describe('static membership', () => {
  const range = [{ name: 'range', metadata: meta('m') }];

  /** Stable group of static members i1..in (i1 leads), each assigned `A<n>`. */
  async function staticGroup(s: Setup, version = 9, count = 2, protocols = range) {
    const joins: Promise<JoinGroupResult>[] = [];
    for (let i = 1; i <= count; i++) {
      joins.push(s.coordinator.joinGroup(joinRequest({ version, groupInstanceId: `i${i}`, clientId: `c${i}`, protocols })));
    }
    s.clock.advance(0);
    const [leader, ...followers] = await Promise.all(joins);
    const syncs = followers.map((f, i) => s.coordinator.syncGroup(syncRequest(f, { groupInstanceId: `i${i + 2}` })));
    const assignments = [leader, ...followers].map((j, i) => ({ memberId: j.memberId, assignment: meta(`A${i + 1}`) }));
    await s.coordinator.syncGroup(syncRequest(leader, { groupInstanceId: 'i1', assignments }));
    await Promise.all(syncs);
    return { leader, follower: followers[0], followers };
  }

  test('static members join without MEMBER_ID_REQUIRED, with ids derived from their instance id', async () => {
    const s = setup();
    const { leader, follower } = await staticGroup(s);
    expect(leader.memberId).toMatch(/^i1-/);
    expect(follower.memberId).toMatch(/^i2-/);
    expect(s.coordinator.groupInfo('g')?.state).toBe('Stable');
  });

  test('a restarted follower takes its place without a rebalance; its old id is fenced', async () => {
    const s = setup();
    const { leader, follower } = await staticGroup(s);
    s.persisted.length = 0;
    const rejoined = await s.coordinator.joinGroup(joinRequest({ groupInstanceId: 'i2', clientId: 'c2' }));
    expect(rejoined).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, leader: leader.memberId, skipAssignment: false, members: [] });
    expect(rejoined.memberId).not.toBe(follower.memberId);
    expect(s.coordinator.groupInfo('g')?.state).toBe('Stable');
    expect(heartbeat(s, follower, { groupInstanceId: 'i2' })).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect(heartbeat(s, rejoined, { groupInstanceId: 'i2' })).toBe(ErrorCode.NONE);
    const sync = await s.coordinator.syncGroup(syncRequest(rejoined, { groupInstanceId: 'i2' }));
    expect(sync.assignment).toEqual(meta('A2'));
    expect(s.persisted).toHaveLength(1);
    expect(s.persisted[0].members.map((m) => m.memberId)).toContain(rejoined.memberId);
    expect(s.persisted[0].members.map((m) => m.memberId)).not.toContain(follower.memberId);
  });

  test('a restarted static member gets its new id once the write is replicated', async () => {
    const s = setup();
    await staticGroup(s);
    s.storage.replicating = true;
    const rejoining = s.coordinator.joinGroup(joinRequest({ groupInstanceId: 'i2', clientId: 'c2' }));
    expect(await settled(rejoining)).toBe(false);
    s.storage.replicated();
    expect((await rejoining).errorCode).toBe(ErrorCode.NONE);
  });

  test('a restarted static member whose write fails is refused; the old instance keeps its place', async () => {
    const s = setup();
    const { follower } = await staticGroup(s);
    s.storage.failing = ErrorCode.NOT_COORDINATOR;
    const rejoined = await s.coordinator.joinGroup(joinRequest({ groupInstanceId: 'i2', clientId: 'c2' }));
    expect(rejoined).toMatchObject({ errorCode: ErrorCode.NOT_COORDINATOR, memberId: '', generationId: 1 });
    expect(heartbeat(s, follower, { groupInstanceId: 'i2' })).toBe(ErrorCode.NONE);
    expect(s.coordinator.groupInfo('g')?.state).toBe('Stable');
  });

  test('a restarted v9 leader is told it leads but must skip the assignment', async () => {
    const s = setup();
    await staticGroup(s);
    const rejoined = await s.coordinator.joinGroup(joinRequest({ groupInstanceId: 'i1', clientId: 'c1' }));
    expect(rejoined).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, leader: rejoined.memberId, skipAssignment: true });
    expect(rejoined.members).toHaveLength(2);
  });

  test('before v9 a restarted leader is given the old leader id, so it does not assign', async () => {
    const s = setup();
    const { leader } = await staticGroup(s, 8);
    const rejoined = await s.coordinator.joinGroup(joinRequest({ version: 8, groupInstanceId: 'i1', clientId: 'c1' }));
    expect(rejoined).toMatchObject({ errorCode: ErrorCode.NONE, leader: leader.memberId, skipAssignment: false, members: [] });
    expect(heartbeat(s, rejoined, { groupInstanceId: 'i1' })).toBe(ErrorCode.NONE);
  });

  test('a restarted member whose protocols change the group’s choice triggers a rebalance', async () => {
    const s = setup();
    const both = [
      { name: 'range', metadata: meta('m') },
      { name: 'roundrobin', metadata: meta('r') },
    ];
    const { leader } = await staticGroup(s, 9, 2, both);
    const rejoin = s.coordinator.joinGroup(joinRequest({ groupInstanceId: 'i2', protocols: [both[1]] }));
    expect(s.coordinator.groupInfo('g')?.state).toBe('PreparingRebalance');
    const leaderRejoin = s.coordinator.joinGroup(joinRequest({ memberId: leader.memberId, groupInstanceId: 'i1', protocols: both }));
    const [f, l] = await Promise.all([rejoin, leaderRejoin]);
    expect(f).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2, protocolName: 'roundrobin' });
    expect(l.members.map((m) => m.metadata.toString())).toEqual(['r', 'r']);
  });

  test('the old instance’s parked JoinGroup is fenced when a new instance takes over', async () => {
    const s = setup();
    const { leader, followers } = await staticGroup(s, 9, 3);
    const leaderRejoin = s.coordinator.joinGroup(joinRequest({ memberId: leader.memberId, groupInstanceId: 'i1' }));
    const oldInstance = s.coordinator.joinGroup(joinRequest({ memberId: followers[0].memberId, groupInstanceId: 'i2' }));
    const newInstance = s.coordinator.joinGroup(joinRequest({ groupInstanceId: 'i2' }));
    expect(await oldInstance).toMatchObject({ errorCode: ErrorCode.FENCED_INSTANCE_ID, memberId: followers[0].memberId });
    expect(await settled(newInstance)).toBe(false);
    const third = s.coordinator.joinGroup(joinRequest({ memberId: followers[1].memberId, groupInstanceId: 'i3' }));
    const [l, n] = await Promise.all([leaderRejoin, newInstance, third]);
    expect(n).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2 });
    expect(new Set(l.members.map((m) => m.memberId))).toEqual(new Set([leader.memberId, n.memberId, followers[1].memberId]));
  });

  test('a static member with a stale member id is fenced; an unknown instance id is unknown', async () => {
    const s = setup();
    const { follower } = await staticGroup(s);
    await s.coordinator.joinGroup(joinRequest({ groupInstanceId: 'i2' }));
    const stale = await s.coordinator.joinGroup(joinRequest({ memberId: follower.memberId, groupInstanceId: 'i2' }));
    expect(stale.errorCode).toBe(ErrorCode.FENCED_INSTANCE_ID);
    const unknown = await s.coordinator.joinGroup(joinRequest({ memberId: follower.memberId, groupInstanceId: 'i9' }));
    expect(unknown.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  test('static members stay through a rebalance they miss, and leave by instance id', async () => {
    const s = setup();
    const { leader, follower } = await staticGroup(s);
    const rejoin = s.coordinator.joinGroup(joinRequest({ memberId: leader.memberId, groupInstanceId: 'i1' }));
    for (let i = 0; i < 6; i++) {
      s.clock.advance(5000);
      heartbeat(s, follower, { groupInstanceId: 'i2' });
    }
    const result = await rejoin;
    expect(result.members.map((m) => m.memberId)).toEqual([leader.memberId, follower.memberId]);

    const left = s.coordinator.leaveGroup('g', [{ memberId: '', groupInstanceId: 'i2', reason: null }]);
    expect(left.members).toEqual([{ memberId: '', groupInstanceId: 'i2', errorCode: ErrorCode.NONE }]);
    expect(s.coordinator.describeGroup('g').members.map((m) => m.groupInstanceId)).toEqual(['i1']);
    const again = s.coordinator.leaveGroup('g', [
      { memberId: '', groupInstanceId: 'i2', reason: null },
      { memberId: 'wrong', groupInstanceId: 'i1', reason: null },
    ]);
    expect(again.members.map((m) => m.errorCode)).toEqual([ErrorCode.UNKNOWN_MEMBER_ID, ErrorCode.FENCED_INSTANCE_ID]);
  });
});
