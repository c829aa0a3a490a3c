// Controlled shutdown at scale: three kafka-ts brokers on a real ZooKeeper with 1,000 partitions
// (RF 3, every broker leading a third). A SIGTERM'd follower broker (not the controller), then the
// controller itself, each exit 0 after a successful controlled shutdown within a bound; no leader
// takes a stopping broker back into an ISR, and each partition's state is written exactly once per
// broker stopped, with one leader epoch bump (none more when the broker's registration goes).

import { Apis, ErrorCode } from '../../protocol';
import { waitFor } from '../helpers/wait';
import { useZkCluster } from '../helpers/zk-cluster-harness';

const TOPICS = 10;
const PARTITIONS = 100;
/** How long a controlled shutdown of a broker with 1,000 replicas may take (it takes well under 2 s). */
const SHUTDOWN_BOUND_MS = 15_000;

const h = useZkCluster('shutdown-scale', { 'auto.leader.rebalance.enable': 'false', 'offsets.topic.num.partitions': 1 });
const { brokers, startCluster, client, controllerId } = h;

const names = Array.from({ length: TOPICS }, (_, t) => `scale-${t}`);
const all = names.flatMap((topic) => Array.from({ length: PARTITIONS }, (_, partition) => ({ topic, partition })));
const rotated = (p: number) => [1, 2, 3].map((_, i) => [1, 2, 3][(p + i) % 3]);

interface State {
  leader: number;
  leader_epoch: number;
  isr: number[];
  /** The znode version: every write of the state, the leaders' ISR changes included. */
  zkVersion: number;
}

async function states(): Promise<State[]> {
  return Promise.all(
    all.map(async ({ topic, partition }) => {
      const node = await h.admin.getData(`/brokers/topics/${topic}/partitions/${partition}/state`);
      return { ...(JSON.parse(node!.data!.toString()) as State), zkVersion: node!.stat.version };
    }),
  );
}

/** Per partition, how far the leader epoch and the znode version moved from `before` to `after`. */
const moved = (before: State[], after: State[]) => after.map((s, i) => `epoch +${s.leader_epoch - before[i].leader_epoch}, writes +${s.zkVersion - before[i].zkVersion}`);
const once = all.map(() => 'epoch +1, writes +1');

/** The "Expanding ISR from a to b" lines (printed since `from`) that add `broker`. */
function expansionsAdding(output: string, broker: number): string[] {
  return [...output.matchAll(/Expanding ISR from ([\d,]*) to ([\d,]*)/g)].filter((m) => !m[1].split(',').includes(String(broker)) && m[2].split(',').includes(String(broker))).map((m) => m[0]);
}

async function stopTimed(id: number): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  const code = await brokers.get(id)!.stop();
  return { code, ms: Date.now() - started };
}

test('1,000 partitions: a follower broker, then the controller, shut down cleanly and fast, with no ISR flaps and one epoch bump each', async () => {
  await startCluster();
  const res = await (await client(1)).request(Apis.CreateTopics, 7, {
    topics: names.map((name) => ({
      name,
      numPartitions: -1,
      replicationFactor: -1,
      assignments: Array.from({ length: PARTITIONS }, (_, partitionIndex) => ({ partitionIndex, brokerIds: rotated(partitionIndex) })),
      configs: [],
    })),
    timeoutMs: 30_000,
  });
  expect(res.topics.map((t) => t.errorCode)).toEqual(names.map(() => ErrorCode.NONE));
  await waitFor(async () => (await states()).every((s) => s.isr.length === 3), 'every partition to have its full ISR', 60_000);

  // Broker 2: a follower of two thirds of the partitions, leader of the rest, not the controller.
  const before = await states();
  expect(await controllerId()).toBe(1);
  const offsets = new Map([1, 3].map((id) => [id, brokers.get(id)!.output().length]));
  const first = await stopTimed(2);
  console.log(`Controlled shutdown of broker 2 (not the controller, ${all.length} partitions): ${first.ms} ms`);
  expect(first.code).toBe(0);
  expect(brokers.get(2)!.output()).toMatch(/Controlled shutdown request returned successfully/);
  // Told to stop fetching what it followed, in one request, the logs kept.
  const followed = all.filter(({ partition }) => rotated(partition)[0] !== 2).length;
  expect(brokers.get(2)!.output()).toContain(`for ${followed} partitions (0 to delete)`);
  expect(first.ms).toBeLessThan(SHUTDOWN_BOUND_MS);
  for (const id of [1, 3]) expect(expansionsAdding(brokers.get(id)!.output().slice(offsets.get(id)), 2)).toEqual([]);
  // The registration going away changes nothing more: each partition moved once.
  await waitFor(async () => (await states()).every((s) => s.leader !== 2 && !s.isr.includes(2)), 'broker 2 to lead nothing and be in no ISR');
  const afterFirst = await states();
  expect(moved(before, afterFirst)).toEqual(once);

  // Broker 1: the controller.
  const offset3 = brokers.get(3)!.output().length;
  const second = await stopTimed(1);
  console.log(`Controlled shutdown of broker 1 (the controller, ${all.length} partitions): ${second.ms} ms`);
  expect(second.code).toBe(0);
  expect(brokers.get(1)!.output()).toMatch(/Controlled shutdown request returned successfully/);
  expect(second.ms).toBeLessThan(SHUTDOWN_BOUND_MS);
  expect(expansionsAdding(brokers.get(3)!.output().slice(offset3), 1)).toEqual([]);
  await waitFor(async () => (await controllerId()) === 3, 'broker 3 to take over as controller');
  await waitFor(async () => (await states()).every((s) => s.leader === 3 && s.isr.join(',') === '3'), 'broker 3 to lead everything alone');
  const afterSecond = await states();
  expect(moved(afterFirst, afterSecond)).toEqual(once);
}, 180_000);
