// Leadership moves the controller makes on purpose, on three in-process brokers (startKafka), a
// fresh cluster per test: a cleanly stopped leader hands its partitions over before it stops, so
// producers see no failed send; ControlledShutdown is the controller's alone, for a broker's
// current epoch; ElectLeaders brings leadership back to the preferred replica once it is back in the
// ISR; an out-of-sync replica leads only where unclean leader election is enabled; and the
// controller's own rebalance brings a quickly restarted preferred replica back as leader. Brokers
// are named by role: c the controller, a and b the others. (The /admin/preferred_replica_election
// znode stays with broker processes and a real ZooKeeper, in test/integration/leadership.test.ts.)

import { Kafka, logLevel } from 'kafkajs';
import { Apis, ErrorCode } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import { KafkaConnection } from '../../src/client/kafka-connection';
import { fetchAll } from '../helpers/kafkajs-fetch';
import { useEmbeddedCluster } from '../helpers/embedded-cluster';
import { waitFor } from '../helpers/wait';

const h = useEmbeddedCluster({ 'replica.lag.time.max.ms': 1500, 'replica.fetch.backoff.ms': 100, 'auto.leader.rebalance.enable': 'false' });
const { client, createTopic, state, isrOf } = h;
const FETCH = 1;

async function produce(via: KafkaConnection, topic: string, acks: number, records: number) {
  const batch = buildBatch(Array.from({ length: records }, (_, i) => ({ key: null, value: Buffer.from(`record-${i}`) })));
  const res = await via.request(Apis.Produce, 9, { acks, timeoutMs: 20_000, topicData: [{ name: topic, partitionData: [{ index: 0, records: batch }] }] });
  return res.responses[0].partitionResponses[0];
}

async function electLeaders(via: number, electionType: number, topicPartitions: { topic: string; partitions: number[] }[] | null) {
  return (await client(via)).request(Apis.ElectLeaders, 2, { electionType, topicPartitions, timeoutMs: 10_000 });
}

/** Starts the cluster and names its brokers: the controller and the two others. */
async function roles(): Promise<{ c: number; a: number; b: number }> {
  await h.start();
  const c = await h.controllerId();
  const [a, b] = h.othersThan(c);
  return { c, a, b };
}

test('a cleanly stopped leader hands its partitions over before it stops, and acks=all producers never fail a send', async () => {
  const { c, a, b } = await roles();
  const cluster = h.cluster;
  await createTopic('handover', [[a, c, b], [a, b, c], [c, a, b]]);
  const kafka = new Kafka({ clientId: 'handover-test', brokers: [c, b].map((id) => cluster.brokers[id].bootstrapServer), logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const failures: unknown[] = [];
  let sent = 0;
  let stopped: Promise<void> | null = null;
  let exited = false;
  try {
    while (!exited || sent < 300) {
      if (sent === 100 && !stopped) {
        stopped = cluster.stopBroker(a);
        void stopped.then(() => (exited = true));
      }
      // One send per partition: a kafkajs retry of a send spanning brokers skips a broker that
      // already answered, even for a partition that has just moved to it, and loses its records.
      const value = `value-${sent}`;
      await Promise.all(
        [0, 1, 2].map((partition) =>
          producer.send({ topic: 'handover', acks: -1, timeout: 5000, messages: [{ partition, value }] }).catch((err) => failures.push(err)),
        ),
      );
      sent++;
    }
  } finally {
    await producer.disconnect();
  }
  expect(failures).toEqual([]);
  await stopped;
  expect(cluster.brokers[a].running).toBe(false);

  expect(h.output()).toContain(`[KafkaServer id=${a}] Controlled shutdown request returned successfully`);
  await waitFor(() => new RegExp(`\\[Controller id=${c}\\] .*Shutting down broker ${a}\\b`).test(h.output()), `the controller to log the shutdown of broker ${a}`);
  for (const [partition, leader] of [[0, c], [1, b], [2, c]]) {
    const s = state('handover', partition)!;
    expect(s.leader).toBe(leader);
    expect(s.isr).not.toContain(a);
  }
  // Every send is stored. A send the old leader answered NOT_LEADER_OR_FOLLOWER after replicating
  // it is stored twice, as with Kafka: the producer is not idempotent.
  const stored = new Set((await fetchAll(kafka, 'handover')).map((m) => `${m.partition}:${m.value!.toString()}`));
  const missing = [0, 1, 2].flatMap((p) => Array.from({ length: sent }, (_, i) => `${p}:value-${i}`)).filter((k) => !stored.has(k));
  expect(missing).toEqual([]);
}, 120_000);

test('ControlledShutdown is answered by the controller only, and for the current broker epoch only', async () => {
  const { c, a, b } = await roles();
  const notController = await (await client(a)).request(Apis.ControlledShutdown, 3, { brokerId: b, brokerEpoch: -1n });
  expect(notController.errorCode).toBe(ErrorCode.NOT_CONTROLLER);
  const current = h.cluster.brokers[b].broker!.cluster.brokerEpoch();
  const stale = await (await client(c)).request(Apis.ControlledShutdown, 3, { brokerId: b, brokerEpoch: current - 1n });
  expect(stale.errorCode).toBe(ErrorCode.STALE_BROKER_EPOCH);
}, 90_000);

test('ElectLeaders returns leadership to the preferred replica once it is back in the ISR', async () => {
  const { c, a, b } = await roles();
  const cluster = h.cluster;
  await createTopic('preferred', [[a, c, b]]);
  await cluster.stopBroker(a);
  expect(state('preferred', 0)!.leader).toBe(c);

  // ElectLeaders first waits for the controller's reconciliation, which sees broker a gone: only
  // then may it come back, or the controller would still count it as shutting down.
  const early = await electLeaders(c, 0, [{ topic: 'preferred', partitions: [0] }]);
  expect(early.replicaElectionResults[0].partitionResult[0].errorCode).toBe(ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE);

  await cluster.start(a);
  await waitFor(() => isrOf('preferred') === '0,1,2', `broker ${a} to rejoin the ISR`);
  const before = { ...state('preferred', 0)! };
  expect(before.leader).toBe(c);

  const elsewhere = await electLeaders(b, 0, null);
  expect(elsewhere.errorCode).toBe(ErrorCode.NOT_CONTROLLER);

  const elected = await electLeaders(c, 0, [{ topic: 'preferred', partitions: [0] }]);
  expect(elected.errorCode).toBe(ErrorCode.NONE);
  expect(elected.replicaElectionResults).toEqual([{ topic: 'preferred', partitionResult: [{ partitionId: 0, errorCode: ErrorCode.NONE, errorMessage: null }] }]);
  const s = state('preferred', 0)!;
  expect(s.leader).toBe(a);
  // The election is one leader change. (How many came before it depends on whether the controller
  // saw the controlled shutdown before the broker's session ended: one epoch or two.)
  expect(s.leaderEpoch).toBe(before.leaderEpoch + 1);

  const again = await electLeaders(c, 0, null);
  expect(again.replicaElectionResults[0].partitionResult[0].errorCode).toBe(ErrorCode.ELECTION_NOT_NEEDED);
  await waitFor(async () => (await produce(await client(a), 'preferred', -1, 5)).errorCode === ErrorCode.NONE, `broker ${a} to take produce requests`);
  // The restarted broker stays in the ISR, at the elected epoch: no controller moves after the election.
  expect(state('preferred', 0)).toMatchObject({ leader: a, leaderEpoch: s.leaderEpoch });
  expect(isrOf('preferred')).toBe('0,1,2');
}, 120_000);

test('an out-of-sync replica leads only where unclean leader election is enabled', async () => {
  const { c, a, b } = await roles();
  const cluster = h.cluster;
  await createTopic('clean', [[a, b]]);
  await createTopic('dirty', [[a, b]], { 'unclean.leader.election.enable': 'true' });

  // Broker b falls behind and leaves both ISRs: its leader refuses its fetches (b fetches nothing
  // else from a). Once one was refused, no fetch of b's is parked at a to carry what comes next.
  const refusal = cluster.brokers[a].faults.inject({ apiKey: FETCH, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER });
  await waitFor(() => refusal.fired > 0, `broker ${b}'s fetch to be refused`);
  for (const topic of ['clean', 'dirty']) expect((await produce(await client(a), topic, 1, 5)).errorCode).toBe(ErrorCode.NONE);
  await waitFor(() => isrOf('clean') === `${a}` && isrOf('dirty') === `${a}`, `broker ${b} to leave the ISRs`);
  // Then the only in-sync replica dies.
  await cluster.kill(a);
  cluster.brokers[a].faults.remove(refusal.id);

  await waitFor(() => state('dirty', 0)?.leader === b, `broker ${b} to lead the unclean topic`);
  expect(isrOf('dirty')).toBe(`${b}`);
  await waitFor(() => state('clean', 0)?.leader === -1, 'the clean topic to lose its leader');
  expect(isrOf('clean')).toBe(`${a}`);

  const unclean = await electLeaders(c, 1, [{ topic: 'clean', partitions: [0] }]);
  expect(unclean.replicaElectionResults[0].partitionResult[0].errorCode).toBe(ErrorCode.NONE);
  expect(state('clean', 0)).toMatchObject({ leader: b, isr: [b] });
  const notNeeded = await electLeaders(c, 1, [{ topic: 'dirty', partitions: [0] }]);
  expect(notNeeded.replicaElectionResults[0].partitionResult[0].errorCode).toBe(ErrorCode.ELECTION_NOT_NEEDED);
}, 120_000);

test('the controller moves leadership back to the preferred replica on its own (auto.leader.rebalance.enable), after a quick clean restart', async () => {
  await h.start({ 'auto.leader.rebalance.enable': 'true', 'leader.imbalance.check.interval.seconds': 1 });
  const c = await h.controllerId();
  const [a, b] = h.othersThan(c);
  await createTopic('rebalanced', [[a, b, c]]);
  await h.cluster.stopBroker(a);
  await waitFor(() => state('rebalanced', 0)?.leader === b, `broker ${b} to lead while ${a} is stopped`);
  // Back at once, with a new epoch: the controller must not take it for the broker still shutting down.
  await h.cluster.start(a);
  await waitFor(() => state('rebalanced', 0)?.leader === a, `broker ${a} to lead again`);
  expect(isrOf('rebalanced')).toBe([a, b, c].sort().join(','));
});
