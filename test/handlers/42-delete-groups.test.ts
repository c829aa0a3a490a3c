// DeleteGroups in-process: each named group is deleted by the group service and answered with its
// own error, in request order.

import { Apis, ErrorCode } from '../../protocol';
import deleteGroups from '../../src/handlers/42-delete-groups';
import { TestBroker, call, fakeGroups, testBroker } from './fake-context';

let b: TestBroker;
let deleted: string[];
const outcome = new Map<string, number>([
  ['busy', ErrorCode.NON_EMPTY_GROUP],
  ['nogroup', ErrorCode.GROUP_ID_NOT_FOUND],
  ['elsewhere', ErrorCode.NOT_COORDINATOR],
  ['loading', ErrorCode.COORDINATOR_LOAD_IN_PROGRESS],
]);
beforeEach(async () => {
  b = await testBroker();
  deleted = [];
  b.services.groups = fakeGroups({ deleteGroup: (groupId) => (deleted.push(groupId), outcome.get(groupId) ?? ErrorCode.NONE) });
});
afterEach(() => b.close());

test.each([0, 1, 2])('v%i: every group gets its own result, in request order', async (version) => {
  const names = ['empty', 'busy', 'nogroup', 'elsewhere', 'loading'];
  const res = await call<typeof Apis.DeleteGroups>(deleteGroups, b.ctx(version), { groupsNames: names });
  expect(deleted).toEqual(names);
  expect(res).toEqual({
    throttleTimeMs: 0,
    results: [
      { groupId: 'empty', errorCode: ErrorCode.NONE },
      { groupId: 'busy', errorCode: ErrorCode.NON_EMPTY_GROUP },
      { groupId: 'nogroup', errorCode: ErrorCode.GROUP_ID_NOT_FOUND },
      { groupId: 'elsewhere', errorCode: ErrorCode.NOT_COORDINATOR },
      { groupId: 'loading', errorCode: ErrorCode.COORDINATOR_LOAD_IN_PROGRESS },
    ],
  });
});

test('an empty group id is passed to the service (Kafka allows deleting it); no names, no results', async () => {
  const res = await call<typeof Apis.DeleteGroups>(deleteGroups, b.ctx(2), { groupsNames: [''] });
  expect(deleted).toEqual(['']);
  expect(res!.results).toEqual([{ groupId: '', errorCode: ErrorCode.NONE }]);
  expect((await call<typeof Apis.DeleteGroups>(deleteGroups, b.ctx(2), { groupsNames: [] }))!.results).toEqual([]);
});
