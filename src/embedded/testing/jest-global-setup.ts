// jest's globalSetup (`globalSetup: 'kafka-ts/jest-global-setup'`): starts one embedded cluster for
// the whole run in jest's parent process and puts its address in KAFKA_BOOTSTRAP_SERVERS, which the
// test workers, started after it, inherit. Options come from the config's `globals.kafkaTs`; the
// cluster waits on globalThis for kafka-ts/jest-global-teardown, as jest's docs recommend.

import { KafkaCluster, startKafka, StartKafkaOptions } from '../start-kafka';
import { BOOTSTRAP_SERVERS_ENV, withBrokersFromEnv } from './shared-cluster';

/** The JSON-able options a jest config can hold in `globals.kafkaTs`. */
export type JestKafkaOptions = Omit<StartKafkaOptions, 'log'>;

/** The part of jest's project config this setup reads. */
interface JestProjectConfig {
  globals?: Record<string, unknown>;
}

const CLUSTERS = Symbol.for('kafka-ts.jest.clusters');

type WithClusters = typeof globalThis & { [CLUSTERS]?: KafkaCluster[] };

/** The clusters started by this run's setups, for the teardown to stop. */
export function startedClusters(): KafkaCluster[] {
  const scope = globalThis as WithClusters;
  return (scope[CLUSTERS] ??= []);
}

/** A globalSetup with fixed options: `module.exports = kafkaGlobalSetup({ brokers: 3 })` in your own setup file. */
export function kafkaGlobalSetup(options: StartKafkaOptions = {}): () => Promise<void> {
  return async () => {
    const cluster = await startKafka(withBrokersFromEnv(options));
    startedClusters().push(cluster);
    process.env[BOOTSTRAP_SERVERS_ENV] = cluster.bootstrapServers;
  };
}

function optionsFromGlobals(projectConfig: JestProjectConfig | undefined): JestKafkaOptions {
  const options = projectConfig?.globals?.kafkaTs ?? {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new TypeError('globals.kafkaTs must be an object of startKafka options');
  return options as JestKafkaOptions;
}

export default async function globalSetup(_globalConfig: unknown, projectConfig?: JestProjectConfig): Promise<void> {
  return kafkaGlobalSetup(optionsFromGlobals(projectConfig))();
}
