// Transactional offset commits through the group service, over real offsets-topic logs: pending until
// the transaction's marker (visible on COMMIT, dropped on ABORT), unstable for require_stable
// fetches meanwhile, kept pending across a reload while the transaction is open, and the request
// checks of Kafka's handleTxnCommitOffsets.
import { ErrorCode, KafkaError } from '../../protocol/errors';
import { buildBatch } from '../../protocol/records';
import type { CoordinatorServices } from '../../src/coordinator/coordinator-services';
import { partitionForKey } from '../../src/coordinator/key-partition';
import type { TopicInfo } from '../../src/cluster/topic';
import { GroupMetadataLog } from '../../src/groups/group-metadata-log';
import { CommitPartition, GroupService } from '../../src/groups/group-service';
import { OFFSETS_TOPIC } from '../../src/groups/offsets-topic';
import { PartitionLog } from '../../src/log/partition-log';
import { FakeClock } from '../helpers/fake-clock';
import { makeTempDir, removeDir, testConfig } from '../log/helpers';
import { CONFIG } from './coordinator-helpers';
import { localWriter } from './local-writer';

const BROKER = 1;
const PARTITIONS = 2;
const PID = 1000n;

let dir: string;
let clock: FakeClock;
let logs: Map<number, PartitionLog>;
let topics: Map<string, TopicInfo>;
let services: CoordinatorServices;
let service: GroupService;
/** Set to make appends to the offsets topic fail. */
let appendError: KafkaError | null;
/** Set to hold writes waiting for the ISR until it resolves. */
let replicated: Promise<void> | null;

function topic(name: string, partitions: number, leader = BROKER): TopicInfo {
  return { name, id: name, configs: {}, partitions: Array.from({ length: partitions }, () => ({ replicas: [BROKER], leader, leaderEpoch: 0, isr: [BROKER] })) };
}

function partitionLog(p: number): PartitionLog {
  let log = logs.get(p);
  if (!log) logs.set(p, (log = PartitionLog.create({ logDir: dir, topic: OFFSETS_TOPIC, partition: p, config: testConfig(), now: 0 })));
  return log;
}

async function startService(): Promise<GroupService> {
  const s = new GroupService({
    ...services,
    config: { ...CONFIG, offsetsTopicNumPartitions: PARTITIONS, offsetsTopicReplicationFactor: 1, offsetsRetentionMinutes: 10_080 },
  });
  await s.start();
  return s;
}

beforeEach(async () => {
  dir = makeTempDir();
  clock = new FakeClock();
  logs = new Map();
  appendError = null;
  replicated = null;
  topics = new Map([
    [OFFSETS_TOPIC, topic(OFFSETS_TOPIC, PARTITIONS)],
    ['t', topic('t', 2)],
  ]);
  services = {
    brokerId: () => BROKER,
    topic: (name) => topics.get(name),
    leaderLog: (_t, p) => {
      if (appendError) throw appendError;
      return partitionLog(p);
    },
    localLog: (_t, p) => partitionLog(p),
    leaderEpoch: () => 0,
    waitForReplication: async () => {
      await replicated;
      return null;
    },
    createTopic: async () => {},
    liveBrokerCount: () => 1,
    log: { info: () => {}, warn: () => {}, error: () => {} },
    clock,
  };
  service = await startService();
});

afterEach(() => {
  service.shutdown();
  for (const log of logs.values()) log.close();
  removeDir(dir);
});

const part = (partitionIndex: number, offset: number): CommitPartition => ({ partitionIndex, offset, leaderEpoch: 2, metadata: 'm' });

function txnCommit(groupId: string, partitions: CommitPartition[], extra: Partial<Parameters<GroupService['commitTransactionalOffsets']>[0]> = {}) {
  return service.commitTransactionalOffsets({
    transactionalId: 'tx',
    groupId,
    producerId: PID,
    producerEpoch: 0,
    generationId: -1,
    memberId: '',
    groupInstanceId: null,
    topics: [{ name: 't', partitions }],
    ...extra,
  });
}

function fetched(groupId: string, requireStable = false) {
  const result = service.fetchOffsets(groupId, [{ name: 't', partitionIndexes: [0, 1] }], null, -1, requireStable);
  return result.topics[0].partitions.map((p) => [p.partitionIndex, Number(p.committedOffset), p.errorCode]);
}

const errorsOf = (result: Awaited<ReturnType<GroupService['commitTransactionalOffsets']>>) => result.flatMap((t) => t.partitions.map((p) => p.errorCode));

/** Two group ids in different offsets partitions. */
function groupsInBothPartitions(): [string, string] {
  const ids = Array.from({ length: 20 }, (_, i) => `group-${i}`);
  return [ids.find((g) => partitionForKey(g, PARTITIONS) === 0)!, ids.find((g) => partitionForKey(g, PARTITIONS) === 1)!];
}

test('offsets of a transaction are invisible until its COMMIT marker, and unstable for require_stable meanwhile', async () => {
  expect(errorsOf(await txnCommit('g', [part(0, 10), part(1, 11)]))).toEqual([ErrorCode.NONE, ErrorCode.NONE]);
  expect(fetched('g')).toEqual([
    [0, -1, ErrorCode.NONE],
    [1, -1, ErrorCode.NONE],
  ]);
  expect(fetched('g', true)).toEqual([
    [0, -1, ErrorCode.UNSTABLE_OFFSET_COMMIT],
    [1, -1, ErrorCode.UNSTABLE_OFFSET_COMMIT],
  ]);
  await service.completeTransaction(PID, 0, [partitionForKey('g', PARTITIONS)], true);
  expect(fetched('g', true)).toEqual([
    [0, 10, ErrorCode.NONE],
    [1, 11, ErrorCode.NONE],
  ]);
  const committed = service.fetchOffsets('g', [{ name: 't', partitionIndexes: [0] }], null, -1).topics[0].partitions[0];
  expect(committed).toMatchObject({ committedLeaderEpoch: 2, metadata: 'm' });
});

test('an ABORT marker drops the pending offsets; the earlier plain commit stays', async () => {
  await service.commitOffsets({ groupId: 'g', generationId: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1, topics: [{ name: 't', partitions: [part(0, 5)] }] });
  await txnCommit('g', [part(0, 10)]);
  await service.completeTransaction(PID, 0, [partitionForKey('g', PARTITIONS)], false);
  expect(fetched('g', true)).toEqual([
    [0, 5, ErrorCode.NONE],
    [1, -1, ErrorCode.NONE],
  ]);
  // The producer's next transaction starts from nothing.
  await service.completeTransaction(PID, 0, [partitionForKey('g', PARTITIONS)], true);
  expect(fetched('g')[0]).toEqual([0, 5, ErrorCode.NONE]);
});

test('a plain commit written after the transaction offsets wins over them at COMMIT', async () => {
  await txnCommit('g', [part(0, 10)]);
  await service.commitOffsets({ groupId: 'g', generationId: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1, topics: [{ name: 't', partitions: [part(0, 7)] }] });
  await service.completeTransaction(PID, 0, [partitionForKey('g', PARTITIONS)], true);
  expect(fetched('g')[0]).toEqual([0, 7, ErrorCode.NONE]);
});

test('a marker completes only the groups of the offsets partitions it was written to', async () => {
  const [g0, g1] = groupsInBothPartitions();
  await txnCommit(g0, [part(0, 1)]);
  await txnCommit(g1, [part(0, 2)]);
  await service.completeTransaction(PID, 0, [0], true);
  expect(fetched(g0, true)[0]).toEqual([0, 1, ErrorCode.NONE]);
  expect(fetched(g1, true)[0]).toEqual([0, -1, ErrorCode.UNSTABLE_OFFSET_COMMIT]);
  await service.completeTransaction(PID, 0, [1], true);
  expect(fetched(g1, true)[0]).toEqual([0, 2, ErrorCode.NONE]);
});

test('other producers are not completed by a marker', async () => {
  await txnCommit('g', [part(0, 1)]);
  await txnCommit('g', [part(1, 2)], { producerId: PID + 1n });
  await service.completeTransaction(PID, 0, [partitionForKey('g', PARTITIONS)], true);
  expect(fetched('g', true)).toEqual([
    [0, 1, ErrorCode.NONE],
    [1, -1, ErrorCode.UNSTABLE_OFFSET_COMMIT],
  ]);
});

test('reloading the offsets partition keeps an open transaction pending until its marker; a committed one is loaded visible', async () => {
  const [g0, g1] = groupsInBothPartitions();
  await txnCommit(g0, [part(0, 10)]);
  await txnCommit(g1, [part(1, 20)], { producerId: PID + 1n });
  // The second producer's COMMIT is in its offsets partition's log, as WriteTxnMarkers leaves it.
  const log1 = partitionLog(1);
  const marker = buildBatch([{ key: Buffer.from([0, 0, 0, 1]), value: Buffer.from([0, 0, 0, 0, 0, 0]) }], {
    baseOffset: log1.logEndOffset,
    producerId: PID + 1n,
    producerEpoch: 0,
    transactional: true,
    control: true,
  });
  log1.appendAsFollower(marker, 0);
  service.shutdown();
  service = await startService();
  expect(fetched(g0, true)[0]).toEqual([0, -1, ErrorCode.UNSTABLE_OFFSET_COMMIT]);
  expect(fetched(g1, true)[1]).toEqual([1, 20, ErrorCode.NONE]);
  await service.completeTransaction(PID, 0, [0], true);
  expect(fetched(g0, true)[0]).toEqual([0, 10, ErrorCode.NONE]);
});

test('a failed write drops the pending offsets and answers the mapped error', async () => {
  appendError = new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, 'moved');
  expect(errorsOf(await txnCommit('g', [part(0, 10)]))).toEqual([ErrorCode.NOT_COORDINATOR]);
  expect(fetched('g', true)[0]).toEqual([0, -1, ErrorCode.NONE]);
});

test('a failed write of a later commit in the transaction leaves the earlier one pending', async () => {
  await txnCommit('g', [part(0, 10)]);
  appendError = new KafkaError(ErrorCode.INVALID_PRODUCER_EPOCH, 'old epoch');
  expect(errorsOf(await txnCommit('g', [part(0, 11)], { producerEpoch: -1 }))).toEqual([ErrorCode.INVALID_PRODUCER_EPOCH]);
  await service.completeTransaction(PID, 0, [partitionForKey('g', PARTITIONS)], true);
  expect(fetched('g', true)[0]).toEqual([0, 10, ErrorCode.NONE]);
});

test('a plain commit not yet replicated is unstable for require_stable too', async () => {
  let release!: () => void;
  replicated = new Promise((resolve) => (release = resolve));
  const commit = service.commitOffsets({ groupId: 'g', generationId: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1, topics: [{ name: 't', partitions: [part(1, 4)] }] });
  expect(fetched('g', true)[1]).toEqual([1, -1, ErrorCode.UNSTABLE_OFFSET_COMMIT]);
  release();
  await commit;
  expect(fetched('g', true)[1]).toEqual([1, 4, ErrorCode.NONE]);
});

test('request checks: unknown partitions, empty group id, not the coordinator, too-large metadata', async () => {
  const unknown = await service.commitTransactionalOffsets({
    transactionalId: 'tx',
    groupId: 'g',
    producerId: PID,
    producerEpoch: 0,
    generationId: -1,
    memberId: '',
    groupInstanceId: null,
    topics: [
      { name: 't', partitions: [part(0, 1), part(5, 1)] },
      { name: 'missing', partitions: [part(0, 1)] },
    ],
  });
  expect(errorsOf(unknown)).toEqual([ErrorCode.NONE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
  expect(errorsOf(await txnCommit('', [part(0, 1)]))).toEqual([ErrorCode.INVALID_GROUP_ID]);
  expect(errorsOf(await txnCommit('g', [{ ...part(0, 1), metadata: 'x'.repeat(5000) }, part(1, 1)]))).toEqual([ErrorCode.OFFSET_METADATA_TOO_LARGE, ErrorCode.NONE]);
  topics.set(OFFSETS_TOPIC, topic(OFFSETS_TOPIC, PARTITIONS, 2));
  await service.leadershipChanged();
  expect(errorsOf(await txnCommit('g', [part(0, 1)]))).toEqual([ErrorCode.NOT_COORDINATOR]);
});

test('v3+ member fields are checked against a group with members', async () => {
  const gml = new GroupMetadataLog({ numPartitions: PARTITIONS, writer: localWriter(partitionLog, () => 0), now: () => 0 });
  await gml.storeGroup({
    groupId: 'g',
    protocolType: 'consumer',
    generationId: 4,
    protocolName: 'range',
    leaderId: 'member-1',
    currentStateTimestamp: 0,
    members: [
      {
        memberId: 'member-1',
        groupInstanceId: null,
        clientId: 'c',
        clientHost: '/127.0.0.1',
        rebalanceTimeoutMs: 30_000,
        sessionTimeoutMs: 10_000,
        subscription: Buffer.alloc(0),
        assignment: Buffer.alloc(0),
      },
    ],
  });
  service.shutdown();
  service = await startService();
  expect(errorsOf(await txnCommit('g', [part(0, 1)], { generationId: 4, memberId: 'member-2' }))).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]);
  expect(errorsOf(await txnCommit('g', [part(0, 1)], { generationId: 3, memberId: 'member-1' }))).toEqual([ErrorCode.ILLEGAL_GENERATION]);
  expect(errorsOf(await txnCommit('g', [part(0, 1)], { generationId: 4, memberId: 'member-1' }))).toEqual([ErrorCode.NONE]);
  // Before v3 no member fields come: accepted even though the group has members.
  expect(errorsOf(await txnCommit('g', [part(1, 1)]))).toEqual([ErrorCode.NONE]);
});
