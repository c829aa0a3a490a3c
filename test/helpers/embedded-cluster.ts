// In-process clusters for replication and failover tests: a fresh `startKafka` cluster per test,
// its log lines kept, raw clients per broker, topics created with explicit assignments, and the
// partition states as the controller's view holds them. A test's cluster is stopped at its end.
// Registers its own jest hooks.

import { KafkaConnection } from '../../src/client/kafka-connection';
import type { PartitionInfo } from '../../src/cluster/topic';
import { ConfigValue, KafkaCluster, startKafka } from '../../src/embedded/start-kafka';
import { createAssignedTopic } from './assigned-topic';
import { connectClient } from './test-client';
import { waitFor } from './wait';

export interface EmbeddedClusterHarness {
  readonly cluster: KafkaCluster;
  /** Starts this test's cluster: `brokers` brokers (3 by default) with the file's and the test's settings. */
  start(config?: Record<string, ConfigValue>, brokers?: number): Promise<KafkaCluster>;
  /** The id of the active controller (waits until there is one). */
  controllerId(): Promise<number>;
  /** Every running broker's id but `id`, in id order. */
  othersThan(id: number): number[];
  client(id: number): Promise<KafkaConnection>;
  /** Creates a topic with an explicit assignment and waits until every partition has its full ISR. */
  createTopic(name: string, assignment: number[][], configs?: Record<string, string>): Promise<void>;
  /** A partition's leader, epoch and ISR in the controller's view (any running broker's while there is no controller). */
  state(topic: string, partition: number): PartitionInfo | undefined;
  /** The ISR as sorted text, e.g. "0,1,2". */
  isrOf(topic: string, partition?: number): string;
  /** The log lines of every broker so far, one string. */
  output(): string;
}

export function useEmbeddedCluster(defaults: Record<string, ConfigValue> = {}): EmbeddedClusterHarness {
  let cluster: KafkaCluster | undefined;
  let lines: string[] = [];
  const clients: KafkaConnection[] = [];

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await cluster?.stop();
    cluster = undefined;
  });

  const running = (): KafkaCluster => {
    if (!cluster) throw new Error('no cluster: call start() first');
    return cluster;
  };

  const state = (topic: string, partition: number): PartitionInfo | undefined => {
    const c = running();
    const viewer = c.controller ?? c.brokers.find((b) => b.running)?.broker;
    return viewer?.topics.get(topic)?.partitions[partition];
  };

  const client = async (id: number): Promise<KafkaConnection> => {
    const c = await connectClient(running().brokers[id].port);
    clients.push(c);
    return c;
  };

  const controllerId = async (): Promise<number> => {
    await waitFor(() => running().controller !== null, 'a controller');
    return running().controller!.brokerId;
  };

  return {
    get cluster() {
      return running();
    },
    start: async (config = {}, brokers = 3) => {
      lines = [];
      cluster = await startKafka({ brokers, config: { ...defaults, ...config }, log: (line) => lines.push(line) });
      const controller = await controllerId();
      // Topics are created through the controller, which checks assignments against the brokers it has seen.
      await waitFor(() => cluster!.brokers[controller].broker!.metadata.liveBrokerIds().length === brokers, 'the controller to see every broker');
      return cluster;
    },
    controllerId,
    othersThan: (id) => running().brokers.filter((b) => b.running && b.id !== id).map((b) => b.id),
    client,
    createTopic: async (name, assignment, configs = {}) => {
      await createAssignedTopic(await client(await controllerId()), name, assignment, configs);
      for (let p = 0; p < assignment.length; p++) {
        await waitFor(() => state(name, p)?.isr.length === assignment[p].length, `${name}-${p} to have its full ISR`);
      }
    },
    state,
    isrOf: (topic, partition = 0) => [...(state(topic, partition)?.isr ?? [])].sort().join(','),
    output: () => lines.join('\n'),
  };
}
