// ReplicaManager on fake time, in process: a leader drops a follower that stopped fetching from the
// ISR at the first check past replica.lag.time.max.ms (checks run every half lag time), writes the
// change through the cluster, and the acks=all produce waiting on that follower then completes.
// An acks=all wait nobody replicates times out when the clock reaches its timeout.

import { plaintextConnector } from '../../src/client/broker-connector';
import { ErrorCode, KafkaError } from '../../protocol';
import { Cluster } from '../../src/cluster/cluster';
import { PartitionInfo, TopicInfo } from '../../src/cluster/topic';
import { LogManager } from '../../src/log/log-manager';
import { ReplicaManager } from '../../src/replication/replica-manager';
import { FakeClock } from '../helpers/fake-clock';
import { FakeReplicaCluster } from './fake-replica-cluster';
import { CapturingLogger, brokerConfig } from '../handlers/fake-context';
import { batch, makeTempDir, removeDir, testConfig } from '../log/helpers';

const T0 = 1_700_000_000_000;
const LAG = 10_000;
const TOPIC = 't';

let tmp: string;
let clock: FakeClock;
let cluster: FakeReplicaCluster;
let logs: LogManager;
let replicas: ReplicaManager;
let logger: CapturingLogger;

beforeEach(async () => {
  tmp = makeTempDir();
  clock = new FakeClock(T0);
  cluster = new FakeReplicaCluster();
  logger = new CapturingLogger();
  logs = await LogManager.open({ logDirs: [tmp], defaultConfig: testConfig(), clock, tasks: false });
  const partition: PartitionInfo = { replicas: [1, 2, 3], leader: 1, leaderEpoch: 0, isr: [1, 2, 3] };
  const topic: TopicInfo = { name: TOPIC, id: 'AAAAAAAAAAAAAAAAAAAAAQ', partitions: [partition], configs: {} };
  cluster.topics.set(topic);
  logs.createPartition(TOPIC, 0, topic.id);
  const config = brokerConfig({ 'replica.lag.time.max.ms': LAG });
  // The fake has only what the replica manager reads of a cluster.
  replicas = new ReplicaManager({ config, cluster: cluster as unknown as Cluster, logs, log: logger, clock, connect: plaintextConnector });
  replicas.apply([{ topic: TOPIC, partition: 0, before: null, after: partition }]);
});

afterEach(async () => {
  await replicas.shutdown();
  await logs.close();
  removeDir(tmp);
});

function produce(records: number): number {
  const log = logs.get(TOPIC, 0)!;
  log.append(batch(log.logEndOffset, records, clock.now()), { leaderEpoch: 0, now: clock.now() });
  return log.logEndOffset;
}

/** Moves the clock second by second, follower 3 fetching up to the log end each time. */
function advanceWithFollower3(ms: number): void {
  for (let left = ms; left > 0; left -= 1000) {
    clock.advance(Math.min(1000, left));
    const end = logs.get(TOPIC, 0)!.logEndOffset;
    replicas.followerFetched(TOPIC, 0, 3, end, end);
  }
}

/** Lets the promise callbacks of what the clock just ran take effect. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

test('a follower that stopped fetching leaves the ISR at the first check past the lag time, and the produce waiting on it completes', async () => {
  const end = produce(5);
  let outcome: unknown = 'waiting';
  void replicas.waitForReplication(TOPIC, 0, end, 60_000).then((err) => (outcome = err));

  // Checks at 5 s and 10 s: follower 2 is not yet more than the lag time behind.
  advanceWithFollower3(LAG + LAG / 2 - 1);
  await settle();
  expect(cluster.isrWrites).toEqual([]);
  expect(outcome).toBe('waiting');

  // The check at 15 s finds it lagging.
  advanceWithFollower3(1);
  await settle();
  expect(cluster.isrWrites).toEqual([[1, 3]]);
  expect(logger.lines.map((l) => l.message)).toContainEqual(expect.stringContaining('Shrinking ISR from 1,2,3 to 1,3.'));
  expect(outcome).toBeNull();
  expect(logs.get(TOPIC, 0)!.highWatermark).toBe(end);
});

test('an acks=all wait nobody replicates times out when the clock reaches its timeout', async () => {
  const end = produce(3);
  let outcome: unknown = 'waiting';
  void replicas.waitForReplication(TOPIC, 0, end, 1000).then((err) => (outcome = err));
  clock.advance(999);
  await settle();
  expect(outcome).toBe('waiting');
  clock.advance(1);
  await settle();
  expect((outcome as KafkaError).code).toBe(ErrorCode.REQUEST_TIMED_OUT);
});
