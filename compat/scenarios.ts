// The scenarios every client is asked about, in matrix order. Each client's scenarios.ts maps every
// id here to "run" or to the reason it cannot express it, so nothing is skipped silently.

export const SCENARIOS = {
  'metadata': 'bootstrap, discover the broker (host, port, id) and a topic with its partitions and leader',
  'compression-none': 'produce and consume a batch of records uncompressed',
  'compression-gzip': 'produce and consume a batch of records with gzip',
  'compression-snappy': 'produce and consume a batch of records with snappy',
  'compression-lz4': 'produce and consume a batch of records with lz4',
  'compression-zstd': 'produce and consume a batch of records with zstd',
  'keys-headers': 'keys and headers survive the round trip',
  'null-value': 'a null value (tombstone) comes back null, not empty',
  'empty-value': 'an empty value comes back empty, not null',
  'record-near-max': 'a record just under message.max.bytes (1048588) is stored and fetched whole',
  'record-over-max': 'a record just over message.max.bytes is refused with MESSAGE_TOO_LARGE',
  'fetch-mid-batch': 'consuming from an offset inside a batch starts exactly there',
  'list-offsets-earliest': 'ListOffsets earliest is the first offset',
  'list-offsets-latest': 'ListOffsets latest is the high watermark',
  'list-offsets-timestamp': 'ListOffsets by timestamp finds the first record at or after it',
  'admin-create-topics': 'create a topic with a partition count and see it in metadata',
  'admin-describe-topics': 'describe a topic: partitions, leaders, replicas',
  'admin-delete-topics': 'delete a topic and see it gone from metadata',
  'admin-describe-configs': 'describe a topic\'s configs (DescribeConfigs)',
  'admin-alter-configs': 'change a topic config and read it back (AlterConfigs/IncrementalAlterConfigs)',
  'group-split': 'two members of one group split a two-partition topic and read every record once',
  'group-commit': 'committed offsets are fetched back by the group',
  'group-leave': 'when one member leaves, the other takes over its partition',
  'group-resume-after-restart': 'after a broker restart the group resumes from its committed offset',
  'idempotent-producer': 'an idempotent producer gets a producer id and its records are stored once',
  'idempotent-retry': 'an idempotent producer whose Produce responses are lost (connection cut after the append) retries; every record is stored once, in order',
  'transactional-producer': 'committed transactions are visible, aborted ones are not: a read_committed consumer sees only committed records, in order',
  'exactly-once-restart': 'consume-transform-produce with offsets sent to the transaction, an aborted attempt and a broker restart in between: every input record is transformed exactly once',
  'cluster-leader-routing': 'bootstrapped with one broker, produce keyed records to all 6 partitions (RF 3, leaders on all three brokers) and consume them all back',
  'cluster-broker-killed': 'produce with acks=all in a loop while a broker leading partitions is killed -9; every acknowledged record is consumed back',
  'cluster-idempotent-leader-killed': 'an idempotent producer sends in a loop while a broker leading partitions is killed -9; every acknowledged record is read back once, none twice, in send order per partition',
} as const;

export type ScenarioId = keyof typeof SCENARIOS;

export const SCENARIO_IDS = Object.keys(SCENARIOS) as ScenarioId[];

/** Scenarios run only in the cluster pass, against the three-broker cluster of cluster.ts. */
export const CLUSTER_SCENARIOS: readonly ScenarioId[] = ['cluster-leader-routing', 'cluster-broker-killed', 'cluster-idempotent-leader-killed'];

export const STANDALONE_SCENARIOS: readonly ScenarioId[] = SCENARIO_IDS.filter((s) => !CLUSTER_SCENARIOS.includes(s));

/** Scenarios with a half before and a half after a broker restart (N/A against a BOOTSTRAP broker). */
export const RESTART_SCENARIOS: readonly ScenarioId[] = ['group-resume-after-restart', 'exactly-once-restart'];

/** Scenarios that produce through the broker's flaky-proxy listener (COMPAT_FLAKY_BOOTSTRAP). */
export const FLAKY_SCENARIOS: readonly ScenarioId[] = ['idempotent-retry'];

export function isScenarioId(s: string): s is ScenarioId {
  return Object.prototype.hasOwnProperty.call(SCENARIOS, s);
}
