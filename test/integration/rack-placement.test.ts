// Rack-aware placement on a three-broker ZooKeeper-mode cluster with broker.rack set on every
// broker: topics created by count, and partitions added to them, get replicas on distinct racks,
// as Kafka's controller places them.
import { Apis, ErrorCode } from '../../protocol';
import { useZkCluster } from '../helpers/zk-cluster-harness';
import { waitFor } from '../helpers/wait';

const h = useZkCluster('rack-placement', { 'zookeeper.session.timeout.ms': 6000 });
const RACKS: Record<number, string> = { 1: 'east', 2: 'west', 3: 'north' };

async function assignmentOf(topic: string): Promise<number[][]> {
  const partitions = JSON.parse((await h.admin.getData(`/brokers/topics/${topic}`))!.data!.toString()).partitions as Record<string, number[]>;
  return Object.keys(partitions).sort((a, b) => Number(a) - Number(b)).map((p) => partitions[p]);
}

test('a topic created by count and its added partitions span racks', async () => {
  for (const id of [1, 2, 3]) await h.broker(id, { 'broker.rack': RACKS[id] });
  await waitFor(async () => (await h.controllerId()) === 1, 'broker 1 to be the controller');
  const controller = await h.client(1);
  await waitFor(async () => (await controller.request(Apis.Metadata, 12, { topics: [], allowAutoTopicCreation: false })).brokers.length === 3, 'broker 1 to see all three brokers');
  expect(JSON.parse((await h.admin.getData('/brokers/ids/2'))!.data!.toString()).rack).toBe('west');

  const created = await controller.request(Apis.CreateTopics, 7, {
    topics: [{ name: 'racked', numPartitions: 6, replicationFactor: 2, assignments: [], configs: [] }],
    timeoutMs: 30_000,
    validateOnly: false,
  });
  expect(created.topics[0]).toMatchObject({ name: 'racked', errorCode: ErrorCode.NONE, numPartitions: 6, replicationFactor: 2 });
  const grown = await controller.request(Apis.CreatePartitions, 3, { topics: [{ name: 'racked', count: 9, assignments: null }], timeoutMs: 30_000, validateOnly: false });
  expect(grown.results[0].errorCode).toBe(ErrorCode.NONE);

  const assignment = await assignmentOf('racked');
  expect(assignment).toHaveLength(9);
  for (const replicas of assignment) expect(new Set(replicas.map((id) => RACKS[id])).size).toBe(2);
  // The rack-alternated list (east 1, north 3, west 2) leads round-robin: each broker leads a third.
  for (const id of [1, 2, 3]) expect(assignment.filter((r) => r[0] === id)).toHaveLength(3);
}, 120_000);
