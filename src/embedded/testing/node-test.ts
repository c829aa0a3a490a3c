// node:test's way to share one embedded cluster among a file's or a suite's tests: `useKafka()`
// registers before/after hooks in the current suite, the cluster runs from the first test to the last.

import { after, before } from 'node:test';
import { KafkaCluster, startKafka, StartKafkaOptions } from '../start-kafka';
import { BOOTSTRAP_SERVERS_ENV } from './shared-cluster';

export interface KafkaHandle {
  /** The running cluster; throws before the suite's `before` hooks ran. */
  readonly cluster: KafkaCluster;
  /** The cluster's "127.0.0.1:port,..." */
  readonly bootstrapServers: string;
}

/** Starts a cluster before the current suite's tests (also setting KAFKA_BOOTSTRAP_SERVERS) and stops it after them. */
export function useKafka(options: StartKafkaOptions = {}): KafkaHandle {
  let running: KafkaCluster | null = null;
  let previousEnv: string | undefined;
  before(async () => {
    running = await startKafka(options);
    previousEnv = process.env[BOOTSTRAP_SERVERS_ENV];
    process.env[BOOTSTRAP_SERVERS_ENV] = running.bootstrapServers;
  });
  after(async () => {
    if (!running) return;
    if (previousEnv === undefined) delete process.env[BOOTSTRAP_SERVERS_ENV];
    else process.env[BOOTSTRAP_SERVERS_ENV] = previousEnv;
    await running.stop();
  });
  return {
    get cluster() {
      if (!running) throw new Error('The Kafka cluster starts in the suite\'s before hook: use it inside tests or hooks, not at collection time');
      return running;
    },
    get bootstrapServers() {
      return this.cluster.bootstrapServers;
    },
  };
}
