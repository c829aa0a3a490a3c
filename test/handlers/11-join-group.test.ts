// JoinGroup in-process: group id and coordinator checks, what reaches the coordinator per version
// (v0's rebalance timeout), and a real coordinator on fake time: member ids, the initial delay.

import { Apis, ErrorCode, MessageInput } from '../../protocol';
import { JoinGroupRequest } from '../../src/groups/coordinator-api';
import joinGroup from '../../src/handlers/11-join-group';
import { TestBroker, call, fakeGroups, testBroker } from './fake-context';
import { LiveGroups, liveGroups, settledNow } from './group-fakes';

let b: TestBroker;
beforeEach(async () => {
  b = await testBroker();
});
afterEach(() => b.close());

type Body = MessageInput<typeof Apis.JoinGroup.request>;
const body = (overrides: Partial<Body> = {}): Body => ({
  groupId: 'g',
  sessionTimeoutMs: 10_000,
  rebalanceTimeoutMs: 30_000,
  memberId: '',
  groupInstanceId: null,
  protocolType: 'consumer',
  protocols: [{ name: 'range', metadata: Buffer.from('sub') }],
  reason: null,
  ...overrides,
});
const join = (version: number, overrides: Partial<Body> = {}) => call<typeof Apis.JoinGroup>(joinGroup, b.ctx(version), body(overrides));

describe('what reaches the coordinator', () => {
  let requests: JoinGroupRequest[];
  beforeEach(() => {
    requests = [];
    b.services.groups = fakeGroups({
      checkCoordinator: () => ErrorCode.NONE,
      coordinator: {
        joinGroup: async (req) => {
          requests.push(req);
          return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID, generationId: -1, protocolType: null, protocolName: null, leader: '', skipAssignment: false, memberId: req.memberId, members: [] };
        },
      } });
  });

  test('v0 has no rebalance timeout: the session timeout stands in for it', async () => {
    await join(0);
    await join(1);
    expect(requests.map((r) => [r.version, r.sessionTimeoutMs, r.rebalanceTimeoutMs])).toEqual([
      [0, 10_000, 10_000],
      [1, 10_000, 30_000],
    ]);
  });

  test('the client id and host of the connection, instance id (v5+) and reason (v8+) are passed on', async () => {
    await join(4, { memberId: 'm-1', groupInstanceId: 'i-1', reason: 'why' });
    await join(8, { memberId: 'm-1', groupInstanceId: 'i-1', reason: 'why' });
    expect(requests[0]).toMatchObject({ memberId: 'm-1', groupInstanceId: null, reason: null, clientId: 'test-client', clientHost: '/127.0.0.1' });
    expect(requests[1]).toMatchObject({ groupInstanceId: 'i-1', reason: 'why', protocolType: 'consumer' });
    expect(requests[1].protocols).toEqual([{ name: 'range', metadata: Buffer.from('sub') }]);
  });

  test('a coordinator error is answered as it is; before v7 a missing protocol name is ""', async () => {
    const v6 = await join(6, { memberId: 'm-1' });
    const v7 = await join(7, { memberId: 'm-1' });
    expect(v6).toMatchObject({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, generationId: -1, protocolName: '', memberId: 'm-1' });
    expect(v7).toMatchObject({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, protocolType: null, protocolName: null });
  });
});

test('an empty group id is INVALID_GROUP_ID, echoing the member id, without asking the coordinator', async () => {
  b.services.groups = fakeGroups();
  for (const v of [0, 6, 7, 9]) {
    const res = await join(v, { groupId: '', memberId: 'm-1' });
    expect(res).toMatchObject({ errorCode: ErrorCode.INVALID_GROUP_ID, generationId: -1, leader: '', memberId: 'm-1', members: [] });
    expect(res!.protocolName).toBe(v >= 7 ? null : '');
  }
});

test('NOT_COORDINATOR and COORDINATOR_LOAD_IN_PROGRESS are answered before the coordinator is asked', async () => {
  for (const code of [ErrorCode.NOT_COORDINATOR, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS]) {
    b.services.groups = fakeGroups({ checkCoordinator: () => code });
    expect((await join(9))!.errorCode).toBe(code);
  }
});

describe('with a real coordinator on fake time', () => {
  let live: LiveGroups;
  const use = (delayMs = 0) => {
    live = liveGroups(b.clock, { groupInitialRebalanceDelayMs: delayMs });
    b.services.groups = live.groups;
  };

  test('v4+: a new member is told MEMBER_ID_REQUIRED with an id; its rejoin leads the group after the initial delay', async () => {
    use(3000);
    const first = await join(9);
    expect(first).toMatchObject({ errorCode: ErrorCode.MEMBER_ID_REQUIRED, generationId: -1, leader: '' });
    expect(first!.memberId).toMatch(/^test-client-/);

    const rejoin = join(9, { memberId: first!.memberId });
    b.clock.advance(2999);
    expect(await settledNow(rejoin)).toBe(false);
    b.clock.advance(1);
    expect(await rejoin).toEqual({
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      generationId: 1,
      protocolType: 'consumer',
      protocolName: 'range',
      leader: first!.memberId,
      skipAssignment: false,
      memberId: first!.memberId,
      members: [{ memberId: first!.memberId, groupInstanceId: null, metadata: Buffer.from('sub') }],
    });
  });

  test('before v4 the member id is given at once; the v6 answer has no protocol type', async () => {
    use();
    const joined = join(3);
    b.clock.advance(0);
    const res = await joined;
    expect(res).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, protocolName: 'range' });
    expect(res!.memberId).toMatch(/^test-client-/);
    expect(res!.leader).toBe(res!.memberId);

    const v6 = join(6, { memberId: res!.memberId });
    b.clock.advance(0);
    expect(await v6).toMatchObject({ errorCode: ErrorCode.NONE, protocolType: null, protocolName: 'range' });
  });

  test('a session timeout outside the broker\'s bounds is INVALID_SESSION_TIMEOUT', async () => {
    use();
    expect((await join(9, { sessionTimeoutMs: 5999 }))!.errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
  });
});
