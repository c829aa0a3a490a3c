// vitest's globalSetup (`globalSetup: ['kafka-ts/vitest-global-setup']`): starts one embedded cluster
// for the run in vitest's main process, hands its address to test files with
// `inject('kafkaBootstrapServers')` and KAFKA_BOOTSTRAP_SERVERS, and stops it in the teardown it returns.

import { startKafka, StartKafkaOptions } from '../start-kafka';
import { BOOTSTRAP_SERVERS_ENV, withBrokersFromEnv } from './shared-cluster';

/**
 * The part of vitest's TestProject this setup uses; typed structurally so that the package's types
 * do not depend on vitest's. Users type `inject('kafkaBootstrapServers')` by augmenting vitest's
 * ProvidedContext with `kafkaBootstrapServers: string`.
 */
export interface ProvidingProject {
  provide(key: 'kafkaBootstrapServers', value: string): void;
}

/** A globalSetup with fixed options: `export default kafkaGlobalSetup({ brokers: 3 })` in your own setup file. */
export function kafkaGlobalSetup(options: StartKafkaOptions = {}): (project: ProvidingProject) => Promise<() => Promise<void>> {
  return async (project) => {
    const cluster = await startKafka(withBrokersFromEnv(options));
    project.provide('kafkaBootstrapServers', cluster.bootstrapServers);
    // Forked and threaded workers start after this and copy the env, for code that reads it.
    process.env[BOOTSTRAP_SERVERS_ENV] = cluster.bootstrapServers;
    return async () => {
      delete process.env[BOOTSTRAP_SERVERS_ENV];
      await cluster.stop();
    };
  };
}

export default kafkaGlobalSetup();
