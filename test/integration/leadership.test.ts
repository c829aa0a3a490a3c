// Leadership moves the ZooKeeper-mode controller makes on purpose: three kafka-ts broker processes
// against a real ZooKeeper, one chroot per test. The controller's own rebalance and an
// /admin/preferred_replica_election request bring leadership back to the preferred replica; and an
// out-of-sync replica (a frozen broker) leads only where unclean leader election is enabled.
// (Controlled shutdown and ElectLeaders run in-process: test/embedded/leadership.test.ts.)

import { Apis, ErrorCode } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import { KafkaConnection } from '../../src/client/kafka-connection';
import { waitFor } from '../helpers/wait';
import { useZkCluster } from '../helpers/zk-cluster-harness';

const SHORT_SESSION_MS = 4000;

const h = useZkCluster('leadership', { 'replica.lag.time.max.ms': 1500, 'replica.fetch.backoff.ms': 100, 'auto.leader.rebalance.enable': 'false' });
const { brokers, startCluster, broker, client, createTopic, state, controllerId, isrOf } = h;

async function produce(via: KafkaConnection, topic: string, acks: number, records: number) {
  const batch = buildBatch(Array.from({ length: records }, (_, i) => ({ key: null, value: Buffer.from(`record-${i}`) })));
  const res = await via.request(Apis.Produce, 9, { acks, timeoutMs: 20_000, topicData: [{ name: topic, partitionData: [{ index: 0, records: batch }] }] });
  return res.responses[0].partitionResponses[0];
}

async function electLeaders(via: number, electionType: number, topicPartitions: { topic: string; partitions: number[] }[] | null) {
  return (await client(via)).request(Apis.ElectLeaders, 2, { electionType, topicPartitions, timeoutMs: 10_000 });
}

test('the controller moves leadership back to preferred replicas on its own (auto.leader.rebalance.enable)', async () => {
  const rebalancing = { 'auto.leader.rebalance.enable': 'true', 'leader.imbalance.check.interval.seconds': 1 };
  await startCluster(rebalancing);
  await createTopic('rebalanced', [[3, 1, 2]]);
  const old = brokers.get(3)!;
  expect(await old.stop()).toBe(0);
  expect((await state('rebalanced', 0))!.leader).toBe(1);
  await broker(3, rebalancing, old.logDir);
  await waitFor(async () => (await state('rebalanced', 0))?.leader === 3, 'broker 3 to lead again');
  expect(await isrOf('rebalanced')).toBe('1,2,3');
}, 120_000);

test('an out-of-sync replica leads only where unclean leader election is enabled', async () => {
  // Broker 2's death must reach the controller quickly; broker 3's freeze must not end its session.
  await broker(1);
  await broker(2, { 'zookeeper.session.timeout.ms': SHORT_SESSION_MS });
  await broker(3);
  await waitFor(async () => (await controllerId()) === 1, 'broker 1 to be the controller');
  await createTopic('clean', [[2, 3]]);
  await createTopic('dirty', [[2, 3]], { 'unclean.leader.election.enable': 'true' });

  // Broker 3 falls behind and leaves both ISRs; then the only in-sync replica dies.
  brokers.get(3)!.pause();
  for (const topic of ['clean', 'dirty']) expect((await produce(await client(2), topic, 1, 5)).errorCode).toBe(ErrorCode.NONE);
  await waitFor(async () => (await isrOf('clean')) === '2' && (await isrOf('dirty')) === '2', 'broker 3 to leave the ISRs');
  await brokers.get(2)!.kill();
  brokers.get(3)!.resume();

  await waitFor(async () => (await state('dirty', 0))?.leader === 3, 'broker 3 to lead the unclean topic');
  expect(await isrOf('dirty')).toBe('3');
  await waitFor(async () => (await state('clean', 0))?.leader === -1, 'the clean topic to lose its leader');
  expect(await isrOf('clean')).toBe('2');

  const unclean = await electLeaders(1, 1, [{ topic: 'clean', partitions: [0] }]);
  expect(unclean.replicaElectionResults[0].partitionResult[0].errorCode).toBe(ErrorCode.NONE);
  expect(await state('clean', 0)).toMatchObject({ leader: 3, isr: [3] });
  const notNeeded = await electLeaders(1, 1, [{ topic: 'dirty', partitions: [0] }]);
  expect(notNeeded.replicaElectionResults[0].partitionResult[0].errorCode).toBe(ErrorCode.ELECTION_NOT_NEEDED);
}, 120_000);

test('a /admin/preferred_replica_election request moves leadership back, then goes away', async () => {
  await startCluster();
  await createTopic('requested', [[2, 1, 3], [1, 2, 3]]);
  const old = brokers.get(2)!;
  expect(await old.stop()).toBe(0);
  await broker(2, {}, old.logDir);
  await waitFor(async () => (await isrOf('requested')) === '1,2,3', 'broker 2 to rejoin the ISR');
  expect((await state('requested', 0))!.leader).toBe(1);

  const request = { version: 1, partitions: [{ topic: 'requested', partition: 0 }, { topic: 'requested', partition: 1 }] };
  await h.admin.create('/admin/preferred_replica_election', Buffer.from(JSON.stringify(request)), 'persistent');
  await waitFor(async () => (await h.admin.exists('/admin/preferred_replica_election')) === null, 'the request to be removed');
  expect((await state('requested', 0))!.leader).toBe(2);
  expect((await state('requested', 1))!.leader).toBe(1);
}, 120_000);
