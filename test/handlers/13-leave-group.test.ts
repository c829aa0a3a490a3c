// LeaveGroup in-process: one member (v0-2, its error at the top) or a batch (v3+, an error each),
// whole-request errors, and a real coordinator removing members.

import { Apis, ErrorCode, MessageInput } from '../../protocol';
import { LeavingMember } from '../../src/groups/coordinator-api';
import leaveGroup from '../../src/handlers/13-leave-group';
import { TestBroker, call, fakeGroups, testBroker } from './fake-context';
import { LiveGroups, liveGroups, stableGroup } from './group-fakes';

let b: TestBroker;
beforeEach(async () => {
  b = await testBroker();
});
afterEach(() => b.close());

type Body = MessageInput<typeof Apis.LeaveGroup.request>;
const leave = (version: number, body: Body) => call<typeof Apis.LeaveGroup>(leaveGroup, b.ctx(version), body);

test('v0-2 name one member; v3+ a batch with instance ids, v5 with reasons', async () => {
  const seen: [string, LeavingMember[]][] = [];
  b.services.groups = fakeGroups({
    checkCoordinator: () => ErrorCode.NONE,
    coordinator: { leaveGroup: (groupId, members) => (seen.push([groupId, members]), { errorCode: ErrorCode.NONE, members: members.map((m) => ({ ...m, errorCode: ErrorCode.NONE })) }) } });
  const members = [
    { memberId: 'm-1', groupInstanceId: null, reason: 'bye' },
    { memberId: '', groupInstanceId: 'i-2', reason: 'bye' },
  ];
  await leave(0, { groupId: 'g', memberId: 'm-0' });
  await leave(3, { groupId: 'g', members });
  await leave(5, { groupId: 'g', members });
  expect(seen).toEqual([
    ['g', [{ memberId: 'm-0', groupInstanceId: null, reason: null }]],
    ['g', members.map((m) => ({ ...m, reason: null }))],
    ['g', members],
  ]);
});

test('an empty group id is INVALID_GROUP_ID and coordinator errors fail the whole request, with no members', async () => {
  b.services.groups = fakeGroups({ checkCoordinator: () => ErrorCode.COORDINATOR_LOAD_IN_PROGRESS });
  expect(await leave(1, { groupId: '', memberId: 'm' })).toEqual({ throttleTimeMs: 0, errorCode: ErrorCode.INVALID_GROUP_ID, members: [] });
  expect(await leave(4, { groupId: 'g', members: [{ memberId: 'm' }] })).toEqual({ throttleTimeMs: 0, errorCode: ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, members: [] });
  b.services.groups = fakeGroups({ checkCoordinator: () => ErrorCode.NOT_COORDINATOR });
  expect((await leave(2, { groupId: 'g', memberId: 'm' }))!.errorCode).toBe(ErrorCode.NOT_COORDINATOR);
});

describe('with a real coordinator on fake time', () => {
  let live: LiveGroups;
  beforeEach(() => {
    live = liveGroups(b.clock);
    b.services.groups = live.groups;
  });

  test('v3+: each member gets its own error; the top level stays NONE', async () => {
    const [a] = await stableGroup(live, b.clock, 'g', 2);
    const res = await leave(4, { groupId: 'g', members: [{ memberId: a.memberId }, { memberId: 'stranger' }] });
    expect(res).toEqual({
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      members: [
        { memberId: a.memberId, groupInstanceId: null, errorCode: ErrorCode.NONE },
        { memberId: 'stranger', groupInstanceId: null, errorCode: ErrorCode.UNKNOWN_MEMBER_ID },
      ],
    });
    expect(live.coordinator.groupInfo('g')?.state).toBe('PreparingRebalance');
  });

  test('v0-2: the one member\'s error is the answer; the last member leaving empties the group', async () => {
    const [a] = await stableGroup(live, b.clock, 'g', 1);
    expect((await leave(0, { groupId: 'g', memberId: 'stranger' }))!.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect((await leave(2, { groupId: 'g', memberId: a.memberId }))!.errorCode).toBe(ErrorCode.NONE);
    expect(live.coordinator.groupInfo('g')?.state).toBe('Empty');
    expect((await leave(1, { groupId: 'nogroup', memberId: a.memberId }))!.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });
});
