// DescribeGroups in-process: each group its own answer (an unknown one is Dead with no error, a
// group coordinated elsewhere its error), members with metadata and assignments, v3+ operations.

import { Apis, ErrorCode } from '../../protocol';
import describeGroups from '../../src/handlers/15-describe-groups';
import { TestBroker, call, testBroker } from './fake-context';
import { LiveGroups, assignmentOf, liveGroups, stableGroup } from './group-fakes';

let b: TestBroker;
let live: LiveGroups;
beforeEach(async () => {
  b = await testBroker();
  live = liveGroups(b.clock);
  b.services.groups = live.groups;
});
afterEach(() => b.close());

const describe_ = (version: number, groups: string[], includeAuthorizedOperations = false) =>
  call<typeof Apis.DescribeGroups>(describeGroups, b.ctx(version), { groups, includeAuthorizedOperations });
const NOT_REQUESTED = -2147483648;

test('a Stable group: state, protocol, and each member with its metadata and assignment', async () => {
  const [a, c] = await stableGroup(live, b.clock, 'g', 2);
  const res = await describe_(5, ['g']);
  expect(res!.groups).toEqual([
    {
      errorCode: ErrorCode.NONE,
      groupId: 'g',
      groupState: 'Stable',
      protocolType: 'consumer',
      protocolData: 'range',
      members: [a, c].map((m, i) => ({
        memberId: m.memberId,
        groupInstanceId: null,
        clientId: `client${i}`,
        clientHost: '/127.0.0.1',
        memberMetadata: Buffer.from('m'),
        memberAssignment: assignmentOf(m.memberId),
      })),
      authorizedOperations: NOT_REQUESTED,
    },
  ]);
});

test('each group is answered on its own: unknown is Dead, coordinated elsewhere is its error', async () => {
  await stableGroup(live, b.clock, 'g', 1);
  live.status.set('elsewhere', ErrorCode.NOT_COORDINATOR);
  live.status.set('loading', ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
  const res = await describe_(0, ['nogroup', 'elsewhere', 'g', 'loading', '']);
  expect(res!.groups.map((g) => [g.groupId, g.errorCode, g.groupState, g.members.length])).toEqual([
    ['nogroup', ErrorCode.NONE, 'Dead', 0],
    ['elsewhere', ErrorCode.NOT_COORDINATOR, '', 0],
    ['g', ErrorCode.NONE, 'Stable', 1],
    ['loading', ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, '', 0],
    ['', ErrorCode.NONE, 'Dead', 0],
  ]);
});

test('v3+ authorized operations when asked for, of groups described without error: READ, DELETE and DESCRIBE without an authorizer', async () => {
  const asked = await describe_(3, ['g', 'elsewhere'], true);
  live.status.set('elsewhere', ErrorCode.NOT_COORDINATOR);
  const again = await describe_(3, ['elsewhere'], true);
  const notAsked = await describe_(3, ['g'], false);
  const allowed = (1 << 3) | (1 << 6) | (1 << 8);
  expect(asked!.groups.map((g) => g.authorizedOperations)).toEqual([allowed, allowed]);
  expect(again!.groups[0].authorizedOperations).toBe(NOT_REQUESTED);
  expect(notAsked!.groups[0].authorizedOperations).toBe(NOT_REQUESTED);
});

test('while rebalancing, members are listed without metadata or assignment', async () => {
  const [a, c] = await stableGroup(live, b.clock, 'g', 2);
  live.coordinator.leaveGroup('g', [{ memberId: c.memberId, groupInstanceId: null, reason: null }]);
  const res = await describe_(4, ['g']);
  expect(res!.groups[0]).toMatchObject({ groupState: 'PreparingRebalance', protocolData: '' });
  expect(res!.groups[0].members).toEqual([{ memberId: a.memberId, groupInstanceId: null, clientId: 'client0', clientHost: '/127.0.0.1', memberMetadata: Buffer.alloc(0), memberAssignment: Buffer.alloc(0) }]);
});
