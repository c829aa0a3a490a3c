// What the test-runner helpers share: the env var that tells test files where the cluster is, and
// the broker count a run can set from outside (KAFKA_TS_BROKERS) without editing the runner config,
// and the defaults a cluster that lives for one test run starts with.

import type { StartKafkaOptions } from '../start-kafka';

/** Set by every helper to the cluster's bootstrap servers, the name Kafka tooling commonly reads. */
export const BOOTSTRAP_SERVERS_ENV = 'KAFKA_BOOTSTRAP_SERVERS';

/** Overrides the broker count of the jest and vitest setups, e.g. to run a suite on 3 brokers in CI. */
export const BROKERS_ENV = 'KAFKA_TS_BROKERS';

/** The options with KAFKA_TS_BROKERS, when set, as the broker count. */
export function withBrokersFromEnv(options: StartKafkaOptions, env: NodeJS.ProcessEnv = process.env): StartKafkaOptions {
  const raw = env[BROKERS_ENV];
  if (raw === undefined || raw === '') return options;
  const brokers = Number(raw);
  if (!Number.isInteger(brokers) || brokers < 1) throw new RangeError(`${BROKERS_ENV} must be a positive integer, not "${raw}"`);
  return { ...options, brokers };
}

/**
 * The options with the helpers' default: no controlled shutdown. At the end of a run every broker
 * stops at once and no leadership needs handing over, while controlled shutdowns sent to a stopping
 * controller wait out their retry backoff (seconds per broker). `config` can set it back.
 */
export function withTestRunDefaults(options: StartKafkaOptions): StartKafkaOptions {
  return { ...options, config: { 'controlled.shutdown.enable': false, ...options.config } };
}
