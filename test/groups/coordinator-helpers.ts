// Fake time, fake storage and request builders for the group coordinator tests.
import { ErrorCode } from '../../protocol/errors';
import type { GroupCoordinatorConfig, JoinGroupRequest, JoinGroupResult, SyncGroupRequest } from '../../src/groups/coordinator-api';
import { GroupCoordinator } from '../../src/groups/group-coordinator';
import type { GroupSnapshot } from '../../src/groups/types';
import { FakeClock } from '../helpers/fake-clock';

export const CONFIG: GroupCoordinatorConfig = {
  groupMinSessionTimeoutMs: 6000,
  groupMaxSessionTimeoutMs: 1_800_000,
  groupInitialRebalanceDelayMs: 0,
  groupMaxSize: 100,
};

export function setup(config: Partial<GroupCoordinatorConfig> = {}) {
  const clock = new FakeClock();
  const persisted: GroupSnapshot[] = [];
  const removed: string[] = [];
  /**
   * Set `failing` to make the next writes fail with that error; set `replicating` to keep the next
   * writes waiting for the ISR until the test calls `replicated()`.
   */
  const storage = {
    failing: ErrorCode.NONE as number,
    replicating: false,
    waiting: [] as (() => void)[],
    replicated: () => storage.waiting.splice(0).forEach((done) => done()),
  };
  const coordinator = new GroupCoordinator({
    clock,
    config: { ...CONFIG, ...config },
    persist: async (s) => {
      persisted.push(s);
      if (storage.replicating) await new Promise<void>((done) => storage.waiting.push(done));
      return storage.failing;
    },
    onGroupRemoved: (id) => void removed.push(id),
    log: { info: () => {}, warn: () => {} },
  });
  return { coordinator, clock, persisted, removed, storage };
}

export const meta = (text: string): Buffer => Buffer.from(text);

export function joinRequest(overrides: Partial<JoinGroupRequest> = {}): JoinGroupRequest {
  return {
    version: 9,
    groupId: 'g',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    memberId: '',
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: meta('m') }],
    clientId: 'client',
    clientHost: '/127.0.0.1',
    reason: null,
    ...overrides,
  };
}

export function syncRequest(join: JoinGroupResult, overrides: Partial<SyncGroupRequest> = {}): SyncGroupRequest {
  return {
    version: 5,
    groupId: 'g',
    generationId: join.generationId,
    memberId: join.memberId,
    groupInstanceId: null,
    protocolType: join.protocolType,
    protocolName: join.protocolName,
    assignments: [],
    ...overrides,
  };
}

/** A dynamic member's first JoinGroup (answered MEMBER_ID_REQUIRED) and its rejoin, left parked. */
export async function joinDynamic(
  coordinator: GroupCoordinator,
  overrides: Partial<JoinGroupRequest> = {},
): Promise<{ memberId: string; joined: Promise<JoinGroupResult> }> {
  const first = await coordinator.joinGroup(joinRequest(overrides));
  expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
  return { memberId: first.memberId, joined: coordinator.joinGroup(joinRequest({ ...overrides, memberId: first.memberId })) };
}

/** Whether the promise has already been resolved (answers are delivered through resolved promises). */
export async function settled(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending');
  return (await Promise.race([promise, Promise.resolve(marker)])) !== marker;
}

/** Joins `count` dynamic members to group g and completes the rebalance; results in join order. */
export async function formGroup(
  setupResult: ReturnType<typeof setup>,
  count: number,
  overrides: Partial<JoinGroupRequest> = {},
): Promise<JoinGroupResult[]> {
  const { coordinator, clock } = setupResult;
  const joins: Promise<JoinGroupResult>[] = [];
  for (let i = 0; i < count; i++) {
    joins.push((await joinDynamic(coordinator, { clientId: `client${i}`, ...overrides })).joined);
  }
  clock.advance(0);
  return Promise.all(joins);
}

/** formGroup, then the leader syncs an assignment naming each member; the group is Stable. */
export async function stableGroup(setupResult: ReturnType<typeof setup>, count: number, overrides: Partial<JoinGroupRequest> = {}) {
  const joins = await formGroup(setupResult, count, overrides);
  const { coordinator } = setupResult;
  const leader = joins.find((j) => j.leader === j.memberId)!;
  const followers = joins.filter((j) => j !== leader).map((j) => coordinator.syncGroup(syncRequest(j)));
  const assignments = joins.map((j) => ({ memberId: j.memberId, assignment: meta(`assigned:${j.memberId}`) }));
  const leaderSync = await coordinator.syncGroup(syncRequest(leader, { assignments }));
  expect(leaderSync.errorCode).toBe(ErrorCode.NONE);
  await Promise.all(followers);
  return { joins, leader, followers: joins.filter((j) => j !== leader) };
}

/** ConsumerProtocolSubscription v1 bytes: version, topics, user data, owned partitions. */
export function subscription(topics: string[]): Buffer {
  const parts: Buffer[] = [Buffer.from([0, 1])];
  const count = Buffer.alloc(4);
  count.writeInt32BE(topics.length);
  parts.push(count);
  for (const topic of topics) {
    const length = Buffer.alloc(2);
    length.writeInt16BE(Buffer.byteLength(topic));
    parts.push(length, Buffer.from(topic));
  }
  parts.push(Buffer.from([0xff, 0xff, 0xff, 0xff]), Buffer.from([0, 0, 0, 0]));
  return Buffer.concat(parts);
}
