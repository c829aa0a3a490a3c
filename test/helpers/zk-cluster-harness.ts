// Three-broker ZooKeeper-mode clusters for integration tests: one real ZooKeeper per test file, a
// fresh chroot per test, broker processes with the file's default settings, raw clients, and
// reads of the partition state and controller znodes. Registers its own jest hooks.

import { Apis } from '../../protocol';
import { KafkaConnection } from '../../src/client/kafka-connection';
import { createLogger } from '../../src/logger';
import { ZkClient } from '../../src/zookeeper';
import { BrokerProcess, cleanup, startBroker } from './broker-process';
import { connectClient } from './test-client';
import { waitFor } from './wait';
import { ZooKeeperServer, startZooKeeper } from './zookeeper-server';
import { createAssignedTopic } from './assigned-topic';

/** ZooKeeper's longest session (20 ticks of 500 ms): frozen brokers keep theirs through a test. */
export const LONG_SESSION_MS = 10_000;

type Props = Record<string, string | number>;

export interface PartitionStateJson {
  leader: number;
  leader_epoch: number;
  isr: number[];
}

export interface ZkClusterHarness {
  /** A ZooKeeper session on this test's chroot. */
  readonly admin: ZkClient;
  readonly brokers: Map<number, BrokerProcess>;
  /** Brokers 1, 2 and 3, broker 1 the controller. */
  startCluster(props?: Props): Promise<void>;
  broker(id: number, props?: Props, logDir?: string): Promise<BrokerProcess>;
  client(id: number): Promise<KafkaConnection>;
  /** Creates a topic with an explicit assignment and waits until every partition has its full ISR. */
  createTopic(name: string, assignment: number[][], configs?: Record<string, string>): Promise<void>;
  state(topic: string, partition: number): Promise<PartitionStateJson | undefined>;
  controllerId(): Promise<number>;
  /** The ISR as sorted text, e.g. "1,2,3". */
  isrOf(topic: string, partition?: number): Promise<string>;
}

/** `env`: extra environment variables for every broker process. */
export function useZkCluster(name: string, defaults: Props, env: Record<string, string> = {}): ZkClusterHarness {
  let zk: ZooKeeperServer;
  let connect = '';
  let chroots = 0;
  let admin: ZkClient;
  const brokers = new Map<number, BrokerProcess>();
  const clients: KafkaConnection[] = [];

  beforeAll(async () => {
    zk = await startZooKeeper();
  }, 60_000);

  afterAll(async () => {
    await zk?.stop();
  });

  beforeEach(async () => {
    connect = `${zk.connect}/${name}-${++chroots}`;
    admin = await ZkClient.connect(connect, { sessionTimeoutMs: LONG_SESSION_MS, connectionTimeoutMs: 10_000, log: createLogger('test', () => undefined) });
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await admin.close();
    for (const b of brokers.values()) await cleanup(b);
    brokers.clear();
  });

  const broker = async (id: number, props: Props = {}, logDir?: string): Promise<BrokerProcess> => {
    const b = await startBroker({
      logDir,
      waitForStarted: true,
      env,
      props: { 'zookeeper.connect': connect, 'zookeeper.session.timeout.ms': LONG_SESSION_MS, 'broker.id': id, ...defaults, ...props },
    });
    brokers.set(id, b);
    return b;
  };

  const client = async (id: number): Promise<KafkaConnection> => {
    const c = await connectClient(brokers.get(id)!.port);
    clients.push(c);
    return c;
  };

  const state = async (topic: string, partition: number): Promise<PartitionStateJson | undefined> => {
    const node = await admin.getData(`/brokers/topics/${topic}/partitions/${partition}/state`);
    return node?.data ? (JSON.parse(node.data.toString()) as PartitionStateJson) : undefined;
  };

  const controllerId = async (): Promise<number> => {
    const node = await admin.getData('/controller');
    return node?.data ? (JSON.parse(node.data.toString()) as { brokerid: number }).brokerid : -1;
  };

  return {
    get admin() {
      return admin;
    },
    brokers,
    broker,
    client,
    state,
    controllerId,
    startCluster: async (props: Props = {}) => {
      for (const id of [1, 2, 3]) await broker(id, props);
      await waitFor(async () => (await controllerId()) === 1, 'broker 1 to be the controller');
      // Topics are created through broker 1, which checks assignments against the brokers it has seen.
      const via = await client(1);
      await waitFor(async () => (await via.request(Apis.Metadata, 12, { topics: [], allowAutoTopicCreation: false })).brokers.length === 3, 'broker 1 to see all three brokers');
    },
    createTopic: async (topic: string, assignment: number[][], configs: Record<string, string> = {}) => {
      await createAssignedTopic(await client(1), topic, assignment, configs);
      for (let p = 0; p < assignment.length; p++) {
        await waitFor(async () => (await state(topic, p))?.isr.length === assignment[p].length, `${topic}-${p} to have its full ISR`);
      }
    },
    isrOf: async (topic: string, partition = 0) => [...((await state(topic, partition))?.isr ?? [])].sort().join(','),
  };
}
