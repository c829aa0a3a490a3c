// Partition reassignment in ZooKeeper mode: three kafka-ts broker processes against a real
// ZooKeeper, one chroot per test. A partition moves to its target replicas (the new ones copy the
// data byte for byte, the removed ones delete their logs), whether asked through
// AlterPartitionReassignments or the deprecated /admin/reassign_partitions znode; a move in
// progress shows in ListPartitionReassignments, can be cancelled, and survives controller failover.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Apis, ErrorCode } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import { waitFor } from '../helpers/wait';
import { useZkCluster } from '../helpers/zk-cluster-harness';

const h = useZkCluster('reassignment', { 'replica.lag.time.max.ms': 1500, 'replica.fetch.backoff.ms': 100, 'auto.leader.rebalance.enable': 'false' });
const { brokers, startCluster, client, createTopic, state, controllerId, isrOf } = h;

async function produce(via: number, topic: string, records: number): Promise<void> {
  const batch = buildBatch(Array.from({ length: records }, (_, i) => ({ key: null, value: Buffer.from(`record-${i}`) })));
  const res = await (await client(via)).request(Apis.Produce, 9, { acks: -1, timeoutMs: 20_000, topicData: [{ name: topic, partitionData: [{ index: 0, records: batch }] }] });
  expect(res.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NONE);
}

async function alter(via: number, topic: string, partition: number, replicas: number[] | null) {
  return (await client(via)).request(Apis.AlterPartitionReassignments, 0, { timeoutMs: 10_000, topics: [{ name: topic, partitions: [{ partitionIndex: partition, replicas }] }] });
}

async function list(via: number, topics: { name: string; partitionIndexes: number[] }[] | null = null) {
  return (await client(via)).request(Apis.ListPartitionReassignments, 0, { timeoutMs: 10_000, topics });
}

interface Assignment {
  partitions: Record<string, number[]>;
  adding_replicas: Record<string, number[]>;
  removing_replicas: Record<string, number[]>;
}

async function assignment(topic: string): Promise<Assignment> {
  const node = await h.admin.getData(`/brokers/topics/${topic}`);
  return JSON.parse(node!.data!.toString()) as Assignment;
}

/** Done: the znode lists the target alone, nothing being added or removed. */
async function settledAt(topic: string, replicas: number[]): Promise<boolean> {
  const a = await assignment(topic);
  return JSON.stringify(a.partitions['0']) === JSON.stringify(replicas) && Object.keys(a.adding_replicas).length === 0 && Object.keys(a.removing_replicas).length === 0;
}

const partitionDir = (id: number, topic: string) => join(brokers.get(id)!.logDir, 'data', `${topic}-0`);

function segmentFiles(id: number, topic: string): Map<string, Buffer> {
  const dir = partitionDir(id, topic);
  const files = new Map<string, Buffer>();
  if (!existsSync(dir)) return files;
  for (const name of readdirSync(dir).sort()) if (name.endsWith('.log')) files.set(name, readFileSync(join(dir, name)));
  return files;
}

const sameFiles = (a: Map<string, Buffer>, b: Map<string, Buffer>) => a.size > 0 && a.size === b.size && [...a].every(([n, bytes]) => b.get(n)?.equals(bytes) === true);

/** Replicas [2,3] hold identical data, broker 1 has none, and metadata shows the new replicas. */
async function expectMovedTo23(topic: string): Promise<void> {
  await waitFor(() => settledAt(topic, [2, 3]), `${topic} to be assigned to [2,3] alone`);
  await waitFor(async () => (await isrOf(topic)) === '2,3', `${topic} ISR to be 2,3`);
  expect([2, 3]).toContain((await state(topic, 0))!.leader);
  await waitFor(() => sameFiles(segmentFiles(2, topic), segmentFiles(3, topic)), `broker 3 to hold broker 2's segments of ${topic}`);
  await waitFor(() => !existsSync(partitionDir(1, topic)), `broker 1 to delete its log of ${topic}`);
  await waitFor(async () => {
    const md = await (await client(3)).request(Apis.Metadata, 9, { topics: [{ name: topic }], allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false });
    const p = md.topics[0].partitions[0];
    return JSON.stringify(p.replicaNodes) === '[2,3]' && [2, 3].includes(p.leaderId);
  }, `metadata of ${topic} to show replicas [2,3]`);
  expect((await list(1)).topics).toEqual([]);
}

test('a partition with data moves from [1,2] to [2,3] through AlterPartitionReassignments', async () => {
  await startCluster();
  await createTopic('moved', [[1, 2]], { 'segment.bytes': '4096' });
  for (let i = 0; i < 10; i++) await produce(1, 'moved', 20);

  const res = await alter(1, 'moved', 0, [2, 3]);
  expect(res.errorCode).toBe(ErrorCode.NONE);
  expect(res.responses).toEqual([{ name: 'moved', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.NONE, errorMessage: null }] }]);
  await expectMovedTo23('moved');
  // The removed replica is stopped, then deleted (Kafka's OfflineReplica, then ReplicaDeletionStarted).
  // Log lines reach the test through a pipe, possibly after what the test waited for.
  const stops = () => [...brokers.get(1)!.output().matchAll(/Handling StopReplica .* for (\d+) partitions \((\d+) to delete\)/g)].map((m) => `${m[1]}/${m[2]}`);
  await waitFor(() => stops().length >= 2, 'broker 1 to log both StopReplica requests');
  expect(stops()).toEqual(['1/0', '1/1']);
  await produce((await state('moved', 0))!.leader, 'moved', 5);
  await waitFor(() => sameFiles(segmentFiles(2, 'moved'), segmentFiles(3, 'moved')), 'new records to reach both new replicas');
}, 90_000);

test('the controller starts what /admin/reassign_partitions names, then deletes the znode', async () => {
  await startCluster();
  await createTopic('legacy', [[1, 2]]);
  await produce(1, 'legacy', 50);

  await h.admin.create('/admin/reassign_partitions', Buffer.from(JSON.stringify({ version: 1, partitions: [{ topic: 'legacy', partition: 0, replicas: [2, 3] }] })));
  await waitFor(async () => (await h.admin.exists('/admin/reassign_partitions')) === null, 'the controller to delete /admin/reassign_partitions');
  await expectMovedTo23('legacy');
}, 90_000);

test('a move in progress is listed, and cancelling it reverts to the original replicas', async () => {
  await startCluster();
  await createTopic('cancelled', [[1, 2]]);
  await produce(1, 'cancelled', 50);
  // A frozen broker 3 stays registered but cannot catch up: the move stays in progress.
  brokers.get(3)!.pause();
  try {
    expect((await alter(1, 'cancelled', 0, [2, 3])).responses[0].partitions[0].errorCode).toBe(ErrorCode.NONE);
    const listed = await list(1, [{ name: 'cancelled', partitionIndexes: [0] }]);
    expect(listed.errorCode).toBe(ErrorCode.NONE);
    expect(listed.topics).toEqual([{ name: 'cancelled', partitions: [{ partitionIndex: 0, replicas: [2, 3, 1], addingReplicas: [3], removingReplicas: [1] }] }]);
    expect((await list(1)).topics).toHaveLength(1);

    expect((await alter(1, 'cancelled', 0, null)).responses[0].partitions[0].errorCode).toBe(ErrorCode.NONE);
    // The origin is what the in-progress assignment lists minus the replicas being added, in its
    // order (ReplicaAssignment.originReplicas): [2,1], not the [1,2] the topic was created with.
    await waitFor(() => settledAt('cancelled', [2, 1]), 'the assignment to be back at the original replicas');
    expect((await list(1)).topics).toEqual([]);
    expect(await isrOf('cancelled')).toBe('1,2');
  } finally {
    brokers.get(3)!.resume();
  }
  await waitFor(() => !existsSync(partitionDir(3, 'cancelled')), 'broker 3 to delete the log it had started');
  await produce(1, 'cancelled', 5);
}, 90_000);

test('a new controller finishes the reassignment the old one started', async () => {
  await startCluster();
  await createTopic('failover', [[2, 1]]);
  await produce(2, 'failover', 50);
  brokers.get(3)!.pause();
  try {
    expect((await alter(1, 'failover', 0, [2, 3])).responses[0].partitions[0].errorCode).toBe(ErrorCode.NONE);
    await waitFor(async () => JSON.stringify((await assignment('failover')).adding_replicas) === '{"0":[3]}', 'the reassignment to start');
    await brokers.get(1)!.stop();
    brokers.delete(1);
    await waitFor(async () => (await controllerId()) === 2, 'broker 2 to take over as controller');
  } finally {
    brokers.get(3)!.resume();
  }
  await waitFor(() => settledAt('failover', [2, 3]), 'the new controller to finish the reassignment');
  await waitFor(async () => (await isrOf('failover')) === '2,3', 'failover ISR to be 2,3');
  await waitFor(() => sameFiles(segmentFiles(2, 'failover'), segmentFiles(3, 'failover')), 'broker 3 to hold the data');
}, 90_000);

test('reassignment requests the controller refuses', async () => {
  await startCluster();
  await createTopic('refused', [[1, 2]]);
  const code = async (topic: string, partition: number, replicas: number[] | null) => (await alter(1, topic, partition, replicas)).responses[0].partitions[0].errorCode;

  expect(await code('nosuch', 0, [1, 2])).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  expect(await code('refused', 5, [1, 2])).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  expect(await code('refused', 0, [])).toBe(ErrorCode.INVALID_REPLICA_ASSIGNMENT);
  expect(await code('refused', 0, [2, 2])).toBe(ErrorCode.INVALID_REPLICA_ASSIGNMENT);
  expect(await code('refused', 0, [2, 9])).toBe(ErrorCode.INVALID_REPLICA_ASSIGNMENT);
  expect(await code('refused', 0, null)).toBe(ErrorCode.NO_REASSIGNMENT_IN_PROGRESS);

  const notController = await alter(2, 'refused', 0, [2, 3]);
  expect(notController.errorCode).toBe(ErrorCode.NOT_CONTROLLER);
  expect(notController.responses).toEqual([]);
  expect((await list(3)).errorCode).toBe(ErrorCode.NOT_CONTROLLER);
  expect(await settledAt('refused', [1, 2])).toBe(true);
  expect(await code('refused', 0, [1, 2])).toBe(ErrorCode.NONE);
  expect((await list(1)).topics).toEqual([]);
}, 60_000);
