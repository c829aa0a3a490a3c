// The three-broker ZooKeeper-mode cluster of the cluster pass: a real ZooKeeper and kafka-ts
// brokers 1..3. The suite can kill -9 one broker mid-scenario and bring it back afterwards.

import { Apis, ErrorCode } from '../protocol';
import { BrokerProcess, cleanup, startBroker } from '../test/helpers/broker-process';
import { connectClient } from '../test/helpers/test-client';
import { waitFor } from '../test/helpers/wait';
import { startZooKeeper } from '../test/helpers/zookeeper-server';
import { SuiteBroker } from './broker';

const BROKER_IDS = [1, 2, 3];
const CONTROLLER = /successfully elected as the controller/;

function props(zk: string, id: number, listener = 'PLAINTEXT://127.0.0.1:0'): Record<string, string | number> {
  return {
    'zookeeper.connect': `${zk}/compat`,
    'broker.id': id,
    'default.replication.factor': 3,
    'offsets.topic.replication.factor': 3,
    'transaction.state.log.replication.factor': 3,
    'transaction.state.log.min.isr': 2,
    'min.insync.replicas': 2,
    'zookeeper.session.timeout.ms': 4000,
    'group.initial.rebalance.delay.ms': 0,
    listeners: listener,
  };
}

/**
 * Asks for a group coordinator until one answers, which creates __consumer_offsets. With
 * offsets.topic.replication.factor=3 that takes all three brokers alive, as in Kafka, so it is done
 * before any kill: a client that reads back through a group after one must find a coordinator
 * whichever scenario runs first.
 */
async function createOffsetsTopic(port: number): Promise<void> {
  const c = await connectClient(port);
  try {
    await waitFor(async () => (await c.request(Apis.FindCoordinator, 3, { key: 'compat', keyType: 0 })).errorCode === ErrorCode.NONE, 'a group coordinator');
  } finally {
    c.close();
  }
}

export async function startCluster(): Promise<SuiteBroker> {
  const zk = await startZooKeeper();
  const brokers: BrokerProcess[] = [];
  const killed = new Set<number>();
  let earlier = '';
  try {
    // One at a time, so broker 1 registers first and is the controller.
    for (const id of BROKER_IDS) brokers.push(await startBroker({ props: props(zk.connect, id), waitForStarted: true }));
    await createOffsetsTopic(brokers[0].port);
  } catch (err) {
    await Promise.all(brokers.map(cleanup));
    await zk.stop();
    throw err;
  }
  return {
    bootstrap: brokers.map((b) => b.bootstrap).join(','),
    // Every broker leads partitions of a topic spread over all three; killing the controller would
    // test controller failover too, which is not what these scenarios are about.
    killBroker: async () => {
      const i = brokers.findIndex((b, j) => !killed.has(j) && !CONTROLLER.test(b.output()));
      if (i < 0) throw new Error('no live broker other than the controller');
      await brokers[i].kill();
      killed.add(i);
      return `broker ${BROKER_IDS[i]} at ${brokers[i].bootstrap}`;
    },
    reviveBrokers: async () => {
      for (const i of killed) {
        const { logDir, port } = brokers[i];
        earlier += brokers[i].output() + `--- broker ${BROKER_IDS[i]} killed ---\n`;
        brokers[i] = await startBroker({ logDir, props: props(zk.connect, BROKER_IDS[i], `PLAINTEXT://127.0.0.1:${port}`), waitForStarted: true });
      }
      killed.clear();
    },
    stop: async () => {
      await Promise.all(brokers.map(cleanup));
      await zk.stop();
    },
    output: () => earlier + brokers.map((b, i) => `=== broker ${BROKER_IDS[i]} ===\n${b.output()}`).join(''),
  };
}
