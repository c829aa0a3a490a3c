// SyncGroup in-process: group id and coordinator checks, and a real coordinator on fake time:
// followers wait for the leader, each member gets its own assignment, v5 protocol checks.

import { Apis, ErrorCode, MessageInput } from '../../protocol';
import { SyncGroupRequest } from '../../src/groups/coordinator-api';
import syncGroup from '../../src/handlers/14-sync-group';
import { TestBroker, call, fakeGroups, testBroker } from './fake-context';
import { LiveGroups, assignmentOf, joinedGroup, liveGroups, settledNow } from './group-fakes';

let b: TestBroker;
beforeEach(async () => {
  b = await testBroker();
});
afterEach(() => b.close());

type Body = MessageInput<typeof Apis.SyncGroup.request>;
const sync = (version: number, body: Body) => call<typeof Apis.SyncGroup>(syncGroup, b.ctx(version), body);
const EMPTY = Buffer.alloc(0);

test('the coordinator gets the request with its version; its answer is returned', async () => {
  const seen: SyncGroupRequest[] = [];
  b.services.groups = fakeGroups({
    checkCoordinator: () => ErrorCode.NONE,
    coordinator: {
      syncGroup: async (req) => (seen.push(req), { errorCode: ErrorCode.NONE, protocolType: 'consumer', protocolName: 'range', assignment: Buffer.from('a') }),
    } });
  const assignments = [{ memberId: 'm-1', assignment: Buffer.from('a') }];
  const res = await sync(5, { groupId: 'g', generationId: 2, memberId: 'm-1', groupInstanceId: 'i-1', protocolType: 'consumer', protocolName: 'range', assignments });
  expect(seen).toEqual([{ version: 5, groupId: 'g', generationId: 2, memberId: 'm-1', groupInstanceId: 'i-1', protocolType: 'consumer', protocolName: 'range', assignments }]);
  expect(res).toEqual({ throttleTimeMs: 0, errorCode: ErrorCode.NONE, protocolType: 'consumer', protocolName: 'range', assignment: Buffer.from('a') });
});

test('an empty group id is INVALID_GROUP_ID and NOT_COORDINATOR passes through, with no assignment', async () => {
  b.services.groups = fakeGroups({ checkCoordinator: () => ErrorCode.NOT_COORDINATOR });
  expect(await sync(3, { groupId: '', generationId: 1, memberId: 'm', assignments: [] })).toEqual({
    throttleTimeMs: 0,
    errorCode: ErrorCode.INVALID_GROUP_ID,
    protocolType: null,
    protocolName: null,
    assignment: EMPTY,
  });
  expect((await sync(0, { groupId: 'g', generationId: 1, memberId: 'm', assignments: [] }))!.errorCode).toBe(ErrorCode.NOT_COORDINATOR);
});

// Kafka 3.9's GroupCoordinator.handleSyncGroup: while loading, the rebalance's state is lost, so the
// member is told REBALANCE_IN_PROGRESS (older clients do not expect COORDINATOR_LOAD_IN_PROGRESS).
test('while the group is loading SyncGroup is answered REBALANCE_IN_PROGRESS, as Kafka does', async () => {
  b.services.groups = fakeGroups({ checkCoordinator: () => ErrorCode.COORDINATOR_LOAD_IN_PROGRESS });
  expect((await sync(5, { groupId: 'g', generationId: 1, memberId: 'm', protocolType: 'consumer', protocolName: 'range', assignments: [] }))!.errorCode).toBe(
    ErrorCode.REBALANCE_IN_PROGRESS,
  );
});

describe('with a real coordinator on fake time', () => {
  let live: LiveGroups;
  beforeEach(() => {
    live = liveGroups(b.clock);
    b.services.groups = live.groups;
  });

  test('a follower waits for the leader; then each member gets its own assignment', async () => {
    const joined = await joinedGroup(live, b.clock, 'g', 2);
    const leader = joined.find((j) => j.leader === j.memberId)!;
    const follower = joined.find((j) => j !== leader)!;
    const base = { groupId: 'g', generationId: leader.generationId, protocolType: 'consumer', protocolName: 'range' };
    const followerSync = sync(5, { ...base, memberId: follower.memberId, assignments: [] });
    b.clock.advance(5_000);
    expect(await settledNow(followerSync)).toBe(false);

    const assignments = joined.map((j) => ({ memberId: j.memberId, assignment: assignmentOf(j.memberId) }));
    const leaderSync = await sync(5, { ...base, memberId: leader.memberId, assignments });
    expect(leaderSync).toEqual({ throttleTimeMs: 0, errorCode: ErrorCode.NONE, protocolType: 'consumer', protocolName: 'range', assignment: assignmentOf(leader.memberId) });
    expect((await followerSync)!.assignment).toEqual(assignmentOf(follower.memberId));
    expect(live.coordinator.groupInfo('g')?.state).toBe('Stable');
  });

  test('before v5 the answer carries no protocol; a stale generation is ILLEGAL_GENERATION', async () => {
    const [m] = await joinedGroup(live, b.clock, 'g', 1);
    expect(await sync(4, { groupId: 'g', generationId: m.generationId + 1, memberId: m.memberId, assignments: [] })).toMatchObject({ errorCode: ErrorCode.ILLEGAL_GENERATION });
    const res = await sync(4, { groupId: 'g', generationId: m.generationId, memberId: m.memberId, assignments: [{ memberId: m.memberId, assignment: Buffer.from('x') }] });
    expect(res).toEqual({ throttleTimeMs: 0, errorCode: ErrorCode.NONE, protocolType: null, protocolName: null, assignment: Buffer.from('x') });
  });

  test('v5 requires protocol type and name: without them INCONSISTENT_GROUP_PROTOCOL', async () => {
    const [m] = await joinedGroup(live, b.clock, 'g', 1);
    const res = await sync(5, { groupId: 'g', generationId: m.generationId, memberId: m.memberId, protocolType: null, protocolName: 'range', assignments: [] });
    expect(res!.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  });
});
