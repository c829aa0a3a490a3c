// The group coordinator's writes survive a kill -9 of the coordinator: three in-process brokers
// (startKafka), __consumer_offsets with one partition and replication factor 3. An acknowledged
// offset commit, a completed SyncGroup and a static member's JoinGroup must all be found on the
// broker that takes over the partition. Followers fetch with a large replica.fetch.min.bytes, so a
// small write reaches them only when their fetch's max wait ends: a coordinator that answers before
// its followers have the record is caught every time, not just when it loses a race.

import { Apis, ErrorCode } from '../../protocol';
import type { KafkaConnection } from '../../src/client/kafka-connection';
import { useEmbeddedCluster } from '../helpers/embedded-cluster';
import { waitFor } from '../helpers/wait';
import { GROUP_KEY, coordinatorOf } from '../helpers/find-coordinator';

const OFFSETS = '__consumer_offsets';
const PROPS = {
  'offsets.topic.num.partitions': 1,
  'offsets.topic.replication.factor': 3,
  'group.initial.rebalance.delay.ms': 0,
  'replica.fetch.min.bytes': 1 << 20,
  'replica.fetch.wait.max.ms': 1000,
};

const h = useEmbeddedCluster(PROPS);
const { client, state } = h;

/** A cluster whose offsets partition is fully in sync; returns the coordinator's id. */
async function clusterWithOffsetsTopic(group: string): Promise<number> {
  await h.start();
  const leader = await coordinatorOf(await client(0), GROUP_KEY, group);
  await waitFor(() => state(OFFSETS, 0)?.isr.length === 3, 'the offsets partition to have its full ISR');
  return leader;
}

/** Kills the coordinator straight away and returns a client of the broker that took its partition over. */
async function failOver(killed: number, group: string): Promise<KafkaConnection> {
  await h.cluster.kill(killed);
  const survivor = await client(h.othersThan(killed)[0]);
  await waitFor(() => {
    const leader = state(OFFSETS, 0)?.leader ?? -1;
    return leader >= 0 && leader !== killed;
  }, 'a new leader of the offsets partition');
  return client(await coordinatorOf(survivor, GROUP_KEY, group, killed));
}

/** Retries a coordinator request while the new coordinator is still loading the partition. */
async function whenLoaded<T extends { errorCode: number }>(request: () => Promise<T>): Promise<T> {
  let res!: T;
  await waitFor(async () => {
    res = await request();
    return res.errorCode !== ErrorCode.COORDINATOR_LOAD_IN_PROGRESS && res.errorCode !== ErrorCode.NOT_COORDINATOR;
  }, 'the new coordinator to load the offsets partition');
  return res;
}

const PROTOCOLS = [{ name: 'range', metadata: Buffer.from('subscription') }];

async function join(via: KafkaConnection, group: string, memberId: string, groupInstanceId: string | null) {
  return via.request(Apis.JoinGroup, 7, {
    groupId: group,
    sessionTimeoutMs: 30_000,
    rebalanceTimeoutMs: 30_000,
    memberId,
    groupInstanceId,
    protocolType: 'consumer',
    protocols: PROTOCOLS,
  });
}

async function sync(via: KafkaConnection, group: string, generationId: number, memberId: string, groupInstanceId: string | null, assignment: Buffer) {
  return via.request(Apis.SyncGroup, 5, {
    groupId: group,
    generationId,
    memberId,
    groupInstanceId,
    protocolType: 'consumer',
    protocolName: 'range',
    assignments: [{ memberId, assignment }],
  });
}

test('an acknowledged offset commit survives a kill -9 of its coordinator', async () => {
  const leader = await clusterWithOffsetsTopic('committer');
  const commit = await (await client(leader)).request(Apis.OffsetCommit, 8, {
    groupId: 'committer',
    generationIdOrMemberEpoch: -1,
    memberId: '',
    groupInstanceId: null,
    topics: [{ name: OFFSETS, partitions: [{ partitionIndex: 0, committedOffset: 42n, committedLeaderEpoch: -1, committedMetadata: 'kept' }] }],
  });
  expect(commit.topics[0].partitions[0].errorCode).toBe(ErrorCode.NONE);

  const next = await failOver(leader, 'committer');
  const fetched = await whenLoaded(() =>
    next.request(Apis.OffsetFetch, 7, { groupId: 'committer', topics: [{ name: OFFSETS, partitionIndexes: [0] }], requireStable: false }),
  );
  expect(fetched.errorCode).toBe(ErrorCode.NONE);
  expect(fetched.topics[0].partitions[0]).toMatchObject({ committedOffset: 42n, metadata: 'kept' });
}, 90_000);

test('a group whose SyncGroup completed is Stable, with its assignment, on the next coordinator', async () => {
  const leader = await clusterWithOffsetsTopic('syncer');
  const via = await client(leader);
  const first = await join(via, 'syncer', '', null);
  expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
  const joined = await join(via, 'syncer', first.memberId, null);
  expect(joined.errorCode).toBe(ErrorCode.NONE);
  const synced = await sync(via, 'syncer', joined.generationId, joined.memberId, null, Buffer.from('partition-0'));
  expect(synced.errorCode).toBe(ErrorCode.NONE);

  const next = await failOver(leader, 'syncer');
  const described = await whenLoaded(async () => (await next.request(Apis.DescribeGroups, 5, { groups: ['syncer'], includeAuthorizedOperations: false })).groups[0]);
  expect(described).toMatchObject({ errorCode: ErrorCode.NONE, groupState: 'Stable' });
  expect(described.members.map((m) => [m.memberId, m.memberAssignment.toString()])).toEqual([[joined.memberId, 'partition-0']]);
  const beat = await next.request(Apis.Heartbeat, 4, { groupId: 'syncer', generationId: joined.generationId, memberId: joined.memberId, groupInstanceId: null });
  expect(beat.errorCode).toBe(ErrorCode.NONE);
}, 90_000);

test('a static member that rejoined a Stable group keeps its new member id on the next coordinator', async () => {
  const leader = await clusterWithOffsetsTopic('statics');
  const via = await client(leader);
  const joined = await join(via, 'statics', '', 'instance-1');
  expect(joined.errorCode).toBe(ErrorCode.NONE);
  expect((await sync(via, 'statics', joined.generationId, joined.memberId, 'instance-1', Buffer.from('partition-0'))).errorCode).toBe(ErrorCode.NONE);
  // The instance restarts and rejoins without its member id: it gets a new one, without a rebalance.
  const rejoined = await join(via, 'statics', '', 'instance-1');
  expect(rejoined).toMatchObject({ errorCode: ErrorCode.NONE, generationId: joined.generationId });
  expect(rejoined.memberId).not.toBe(joined.memberId);

  const next = await failOver(leader, 'statics');
  const beat = await whenLoaded(() =>
    next.request(Apis.Heartbeat, 4, { groupId: 'statics', generationId: rejoined.generationId, memberId: rejoined.memberId, groupInstanceId: 'instance-1' }),
  );
  expect(beat.errorCode).toBe(ErrorCode.NONE);
}, 90_000);
