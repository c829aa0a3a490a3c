// ListGroups in-process: every group of the coordinator with its protocol type, v4+ states and
// state filter, v5+ group type ("classic") and type filter.

import { Apis, ErrorCode } from '../../protocol';
import listGroups from '../../src/handlers/16-list-groups';
import { TestBroker, call, testBroker } from './fake-context';
import { LiveGroups, liveGroups, stableGroup } from './group-fakes';

let b: TestBroker;
let live: LiveGroups;
beforeEach(async () => {
  b = await testBroker();
  live = liveGroups(b.clock);
  b.services.groups = live.groups;
  await stableGroup(live, b.clock, 'busy', 1);
  // A standalone commit makes an Empty group without a protocol.
  expect(live.coordinator.validateOffsetCommit('idle', -1, '', null)).toBe(ErrorCode.NONE);
});
afterEach(() => b.close());

const list = (version: number, statesFilter: string[] = [], typesFilter: string[] = []) =>
  call<typeof Apis.ListGroups>(listGroups, b.ctx(version), { statesFilter, typesFilter });
const byId = <T extends { groupId: string }>(groups: T[]) => [...groups].sort((x, y) => x.groupId.localeCompare(y.groupId));

test('v0-3 list every group with its protocol type', async () => {
  const res = await list(0);
  expect(res!.errorCode).toBe(ErrorCode.NONE);
  expect(byId(res!.groups).map((g) => [g.groupId, g.protocolType])).toEqual([
    ['busy', 'consumer'],
    ['idle', ''],
  ]);
});

test('v4 adds states and filters on them, case-insensitively', async () => {
  expect(byId((await list(4))!.groups).map((g) => [g.groupId, g.groupState])).toEqual([
    ['busy', 'Stable'],
    ['idle', 'Empty'],
  ]);
  expect((await list(4, ['empty']))!.groups.map((g) => g.groupId)).toEqual(['idle']);
  expect((await list(4, ['Stable', 'PreparingRebalance']))!.groups.map((g) => g.groupId)).toEqual(['busy']);
  expect((await list(4, ['Dead']))!.groups).toEqual([]);
});

test('v5 groups are all "classic"; a type filter without classic lists none', async () => {
  const all = await list(5);
  expect(all!.groups.map((g) => g.groupType)).toEqual(['classic', 'classic']);
  expect((await list(5, [], ['Classic']))!.groups).toHaveLength(2);
  expect((await list(5, ['Stable'], ['classic', 'consumer']))!.groups.map((g) => g.groupId)).toEqual(['busy']);
  expect((await list(5, [], ['consumer']))!.groups).toEqual([]);
});
