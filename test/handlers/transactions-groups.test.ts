// Transactional offset commits end to end over real __consumer_offsets logs and their producer
// state: TxnOffsetCommit writes them pending, WriteTxnMarkers' COMMIT makes them visible to
// OffsetFetch (ABORT drops them), and reloading the offsets partition honours the markers.

import { Apis, ErrorCode } from '../../protocol';
import { GroupService } from '../../src/groups/group-service';
import { OFFSETS_TOPIC } from '../../src/groups/offsets-topic';
import { partitionForKey } from '../../src/coordinator/key-partition';
import offsetFetch from '../../src/handlers/09-offset-fetch';
import txnOffsetCommit from '../../src/handlers/28-txn-offset-commit';
import writeTxnMarkers from '../../src/handlers/27-write-txn-markers';
import { CONFIG } from '../groups/coordinator-helpers';
import { BROKER_ID, TestBroker, addTopic, call, testBroker, topicInfo } from './fake-context';

const PARTITIONS = 3;
const PID = 500n;

let b: TestBroker;
let groups: GroupService;

async function startGroups(): Promise<GroupService> {
  const service = new GroupService({
    brokerId: () => BROKER_ID,
    topic: (name) => b.metadata.topics.get(name),
    leaderLog: (topic, partition) => b.services.partitions.leaderLog(topic, partition),
    localLog: (topic, partition) => b.logs.get(topic, partition),
    leaderEpoch: (topic, partition) => b.services.partitions.leaderEpoch(topic, partition),
    waitForReplication: async () => null,
    createTopic: async () => {},
    liveBrokerCount: () => 1,
    log: b.log,
    clock: b.clock,
    config: { ...CONFIG, offsetsTopicNumPartitions: PARTITIONS, offsetsTopicReplicationFactor: 1, offsetsRetentionMinutes: 10_080 },
  });
  await service.start();
  b.services.groups = service;
  return service;
}

beforeEach(async () => {
  b = await testBroker();
  addTopic(b.metadata, b.logs, topicInfo(OFFSETS_TOPIC, PARTITIONS));
  addTopic(b.metadata, b.logs, topicInfo('t', 2));
  groups = await startGroups();
});
afterEach(async () => {
  groups.shutdown();
  await b.close();
});

const offsetsPartition = partitionForKey('g', PARTITIONS);

async function txnCommit(offset: bigint, producerEpoch = 0) {
  const res = await call<typeof Apis.TxnOffsetCommit>(txnOffsetCommit, b.ctx(3), {
    transactionalId: 'tx',
    groupId: 'g',
    producerId: PID,
    producerEpoch,
    topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: offset, committedMetadata: null }] }],
  });
  return res!.topics[0].partitions[0].errorCode;
}

async function marker(commit: boolean, producerEpoch = 0) {
  const res = await call<typeof Apis.WriteTxnMarkers>(writeTxnMarkers, b.ctx(1), {
    markers: [{ producerId: PID, producerEpoch, transactionResult: commit, coordinatorEpoch: 0, topics: [{ name: OFFSETS_TOPIC, partitionIndexes: [offsetsPartition] }] }],
  });
  return res!.markers[0].topics[0].partitions[0].errorCode;
}

async function committed(requireStable = true): Promise<[bigint, number]> {
  const res = await call<typeof Apis.OffsetFetch>(offsetFetch, b.ctx(7), { groupId: 'g', topics: [{ name: 't', partitionIndexes: [0] }], requireStable });
  const p = res!.topics[0].partitions[0];
  return [p.committedOffset, p.errorCode];
}

test('TxnOffsetCommit offsets become visible at the COMMIT marker, the last of the transaction winning', async () => {
  expect(await txnCommit(10n)).toBe(ErrorCode.NONE);
  // A second commit in the same transaction: the coordinator's writes carry no sequence to check.
  expect(await txnCommit(12n)).toBe(ErrorCode.NONE);
  expect(await committed()).toEqual([-1n, ErrorCode.UNSTABLE_OFFSET_COMMIT]);
  expect(await committed(false)).toEqual([-1n, ErrorCode.NONE]);
  expect(await marker(true)).toBe(ErrorCode.NONE);
  expect(await committed()).toEqual([12n, ErrorCode.NONE]);
});

test('an ABORT marker drops them', async () => {
  await txnCommit(10n);
  expect(await marker(false)).toBe(ErrorCode.NONE);
  expect(await committed()).toEqual([-1n, ErrorCode.NONE]);
});

test('a commit with an epoch older than the producer has in the offsets log is INVALID_PRODUCER_EPOCH', async () => {
  expect(await txnCommit(10n, 3)).toBe(ErrorCode.NONE);
  expect(await txnCommit(11n, 2)).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
  expect(await marker(true, 3)).toBe(ErrorCode.NONE);
  expect(await committed()).toEqual([10n, ErrorCode.NONE]);
});

test('reloading the offsets partition applies committed transactions, drops aborted ones, keeps open ones pending', async () => {
  await txnCommit(10n);
  await marker(true);
  await txnCommit(20n);
  await marker(false);
  groups.shutdown();
  groups = await startGroups();
  expect(await committed()).toEqual([10n, ErrorCode.NONE]);

  await txnCommit(30n);
  groups.shutdown();
  groups = await startGroups();
  expect(await committed()).toEqual([-1n, ErrorCode.UNSTABLE_OFFSET_COMMIT]);
  expect(await committed(false)).toEqual([10n, ErrorCode.NONE]);
  await marker(true);
  expect(await committed()).toEqual([30n, ErrorCode.NONE]);
});
