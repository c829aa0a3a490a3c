// What the test-runner helpers share: the env var that tells test files where the cluster is, and
// and the broker count a run can set from outside (KAFKA_TS_BROKERS) without editing the runner config.

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
