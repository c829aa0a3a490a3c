// Fakes beyond fake-context for handler and server tests: group services with a real group
// coordinator on the test's fake clock, behind a GroupHandling whose coordinator check the test sets
// per group (offset and delete calls stay fakes the test provides, through fakeGroups); and services
// that throw, for the dispatcher's error path.

import { ErrorCode } from '../../protocol';
import { GroupCoordinatorConfig, JoinGroupResult } from '../../src/groups/coordinator-api';
import { GroupCoordinator } from '../../src/groups/group-coordinator';
import { MetadataView } from '../../src/cluster/metadata-view';
import { GroupHandling } from '../../src/groups/group-handling';
import { joinRequest, syncRequest } from '../groups/coordinator-helpers';
import { FakeClock } from '../helpers/fake-clock';
import { fakeGroups } from './fake-context';

export interface LiveGroups {
  groups: GroupHandling;
  coordinator: GroupCoordinator;
  /** checkCoordinator's answer per group id; groups not in the map are coordinated here (NONE). */
  status: Map<string, number>;
}

/** Kafka's group.* defaults, except no initial rebalance delay unless the test asks for one. */
export function liveGroups(clock: FakeClock, config: Partial<GroupCoordinatorConfig> = {}, overrides: Partial<GroupHandling> = {}): LiveGroups {
  const coordinator = new GroupCoordinator({
    clock,
    config: { groupMinSessionTimeoutMs: 6000, groupMaxSessionTimeoutMs: 1_800_000, groupInitialRebalanceDelayMs: 0, groupMaxSize: 100, ...config },
    persist: async () => ErrorCode.NONE,
    log: { info: () => undefined, warn: () => undefined },
  });
  const status = new Map<string, number>();
  const groups = fakeGroups({ checkCoordinator: (groupId) => status.get(groupId) ?? ErrorCode.NONE, ...overrides, coordinator });
  return { groups, coordinator, status };
}

/** `count` dynamic members join group `groupId` (v4+: MEMBER_ID_REQUIRED, then rejoin): the group awaits the leader's SyncGroup. */
export async function joinedGroup(live: LiveGroups, clock: FakeClock, groupId: string, count: number): Promise<JoinGroupResult[]> {
  const joins: Promise<JoinGroupResult>[] = [];
  for (let i = 0; i < count; i++) {
    const req = joinRequest({ groupId, clientId: `client${i}` });
    const first = await live.coordinator.joinGroup(req);
    joins.push(live.coordinator.joinGroup({ ...req, memberId: first.memberId }));
  }
  clock.advance(0);
  return Promise.all(joins);
}

/** The assignment stableGroup gives each member. */
export const assignmentOf = (memberId: string): Buffer => Buffer.from(`assigned:${memberId}`);

/** joinedGroup, then every member syncs and the leader assigns: the group is Stable. */
export async function stableGroup(live: LiveGroups, clock: FakeClock, groupId: string, count: number): Promise<JoinGroupResult[]> {
  const joined = await joinedGroup(live, clock, groupId, count);
  const assignments = joined.map((j) => ({ memberId: j.memberId, assignment: assignmentOf(j.memberId) }));
  await Promise.all(joined.map((j) => live.coordinator.syncGroup(syncRequest(j, { groupId, assignments: j.leader === j.memberId ? assignments : [] }))));
  return joined;
}

/** Whether the promise has settled once everything already queued has run. */
export async function settledNow(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

/**
 * Only the coordinator calls a test provides, typed to pass to fakeGroups (whose option type asks
 * for the whole coordinator); fakeGroups makes the others throw.
 */
/** A service whose every member throws `err`. */
export function throwingService<T>(err: Error): T {
  return new Proxy({}, {
    get: () => {
      throw err;
    },
  }) as T;
}

/** The metadata view with a topic index that throws `err` (brokers and controller still answer). */
export function brokenTopics(metadata: MetadataView, err: Error): MetadataView {
  return Object.create(metadata, {
    topics: {
      get: () => {
        throw err;
      },
    },
  });
}
