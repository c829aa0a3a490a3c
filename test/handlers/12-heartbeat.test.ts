// Heartbeat in-process: group id and coordinator checks, and a real coordinator on fake time:
// heartbeats keep a session alive to the millisecond, silence expires it, stale members are fenced.

import { Apis, ErrorCode, MessageInput } from '../../protocol';
import { HeartbeatRequest } from '../../src/groups/coordinator-api';
import heartbeat from '../../src/handlers/12-heartbeat';
import { TestBroker, call, fakeGroups, testBroker } from './fake-context';
import { LiveGroups, liveGroups, stableGroup } from './group-fakes';

let b: TestBroker;
beforeEach(async () => {
  b = await testBroker();
});
afterEach(() => b.close());

type Body = MessageInput<typeof Apis.Heartbeat.request>;
const beat = async (version: number, body: Body) => (await call<typeof Apis.Heartbeat>(heartbeat, b.ctx(version), body))!.errorCode;

test('the coordinator gets group, generation, member and (v3+) instance id', async () => {
  const seen: HeartbeatRequest[] = [];
  b.services.groups = fakeGroups({ checkCoordinator: () => ErrorCode.NONE, coordinator: { heartbeat: (req) => (seen.push(req), ErrorCode.REBALANCE_IN_PROGRESS) } });
  expect(await beat(2, { groupId: 'g', generationId: 4, memberId: 'm-1', groupInstanceId: 'i-1' })).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  expect(await beat(4, { groupId: 'g', generationId: 4, memberId: 'm-1', groupInstanceId: 'i-1' })).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  expect(seen.map((r) => [r.groupId, r.generationId, r.memberId, r.groupInstanceId])).toEqual([
    ['g', 4, 'm-1', null],
    ['g', 4, 'm-1', 'i-1'],
  ]);
});

test('an empty group id is INVALID_GROUP_ID; NOT_COORDINATOR passes through, without asking the coordinator', async () => {
  b.services.groups = fakeGroups({ checkCoordinator: () => ErrorCode.NOT_COORDINATOR });
  expect(await beat(0, { groupId: '', generationId: 1, memberId: 'm' })).toBe(ErrorCode.INVALID_GROUP_ID);
  expect(await beat(4, { groupId: 'g', generationId: 1, memberId: 'm' })).toBe(ErrorCode.NOT_COORDINATOR);
});

// Kafka 3.9's GroupCoordinator.handleHeartbeat: "the group is still loading, so respond just blindly".
test('while the group is loading a heartbeat is answered NONE, as Kafka does', async () => {
  b.services.groups = fakeGroups({ checkCoordinator: () => ErrorCode.COORDINATOR_LOAD_IN_PROGRESS });
  expect(await beat(4, { groupId: 'g', generationId: 1, memberId: 'm' })).toBe(ErrorCode.NONE);
});

describe('with a real coordinator on fake time', () => {
  let live: LiveGroups;
  beforeEach(() => {
    live = liveGroups(b.clock);
    b.services.groups = live.groups;
  });

  test('heartbeats within the session timeout keep the member; 10 s of silence removes it', async () => {
    const [m] = await stableGroup(live, b.clock, 'g', 1);
    const me = { groupId: 'g', generationId: m.generationId, memberId: m.memberId };
    for (let i = 0; i < 3; i++) {
      b.clock.advance(9_999);
      expect(await beat(4, me)).toBe(ErrorCode.NONE);
    }
    b.clock.advance(9_999);
    expect(live.coordinator.groupInfo('g')?.state).toBe('Stable');
    b.clock.advance(1);
    expect(live.coordinator.groupInfo('g')?.state).toBe('Empty');
    expect(await beat(4, me)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  test('a stale generation is ILLEGAL_GENERATION, an unknown member UNKNOWN_MEMBER_ID', async () => {
    const [m] = await stableGroup(live, b.clock, 'g', 1);
    expect(await beat(1, { groupId: 'g', generationId: m.generationId - 1, memberId: m.memberId })).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(await beat(1, { groupId: 'g', generationId: m.generationId, memberId: 'stranger' })).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(await beat(1, { groupId: 'nogroup', generationId: 1, memberId: 'stranger' })).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  test('when another member leaves, the heartbeat says REBALANCE_IN_PROGRESS', async () => {
    const [a, c] = await stableGroup(live, b.clock, 'g', 2);
    live.coordinator.leaveGroup('g', [{ memberId: c.memberId, groupInstanceId: null, reason: null }]);
    expect(await beat(3, { groupId: 'g', generationId: a.generationId, memberId: a.memberId })).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  });
});
