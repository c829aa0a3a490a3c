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
  'admin-create-partitions': 'grow a topic from 1 to 3 partitions (CreatePartitions), see 3 in metadata, produce to partition 2 and read it back',
  'admin-delete-records': 'produce 10 records, delete those before offset 4 (DeleteRecords): low watermark 4, earliest offset 4, a consumer from the earliest starts at 4',
  'admin-describe-log-dirs': 'after producing to a topic, DescribeLogDirs lists the broker\'s log dir with the topic partition and a size > 0',
  'admin-client-quotas': 'set a client-id\'s producer_byte_rate (AlterClientQuotas), read it back by an exact match (DescribeClientQuotas), remove it and see it gone',
  'admin-broker-configs': 'describe the broker\'s configs (inter.broker.protocol.version 3.9-IV0, log.message.format.version); set a cluster-wide dynamic default (background.threads), see it as DYNAMIC_DEFAULT_BROKER_CONFIG, remove it and see it gone',
  'compaction': 'a compacted topic (segment.ms 100, dirty ratio 0.01) with 3 rounds of 20 keys and a tombstone is cleaned: a consumer from the earliest offset reads one record per key, the latest value, the tombstoned key gone',
  'group-split': 'two members of one group split a two-partition topic and read every record once',
  'group-commit': 'committed offsets are fetched back by the group',
  'group-leave': 'when one member leaves, the other takes over its partition',
  'group-resume-after-restart': 'after a broker restart the group resumes from its committed offset',
  'idempotent-producer': 'an idempotent producer gets a producer id and its records are stored once',
  'idempotent-retry': 'an idempotent producer whose Produce responses are lost (connection cut after the append) retries; every record is stored once, in order',
  'transactional-producer': 'committed transactions are visible, aborted ones are not: a read_committed consumer sees only committed records, in order',
  'exactly-once-restart': 'consume-transform-produce with offsets sent to the transaction, an aborted attempt and a broker restart in between: every input record is transformed exactly once',
  'ssl': 'over an SSL listener, verifying the broker certificate (and its host name) with the CA, produce and consume',
  'mtls': 'over an SSL listener requiring client authentication: with a client certificate produce and consume; without one the connection is refused',
  'sasl-plain': 'SASL/PLAIN (over SASL_SSL where the client has TLS) as test/testtest: produce and consume; a wrong password gets an authentication error',
  'sasl-scram': 'SCRAM-SHA-256 (over SASL_PLAINTEXT) and SCRAM-SHA-512 (over SASL_SSL) users, made by AlterUserScramCredentials, each produce and consume',
  'acl-denied': 'on a topic whose ACL allows only User:test, mallory\'s produce and consume get TOPIC_AUTHORIZATION_FAILED and read nothing; test reads what it produced',
  'cluster-leader-routing': 'bootstrapped with one broker, produce keyed records to all 6 partitions (RF 3, leaders on all three brokers) and consume them all back',
  'cluster-broker-killed': 'produce with acks=all in a loop while a broker leading partitions is killed -9; every acknowledged record is consumed back',
  'cluster-idempotent-leader-killed': 'an idempotent producer sends in a loop while a broker leading partitions is killed -9; every acknowledged record is read back once, none twice, in send order per partition',
  'cluster-admin': 'through the AdminClient: change a topic config (retention.ms) and read it back from every broker, grow the topic by a partition (CreatePartitions), produce to it with acks=all and read it back',
} as const;

export type ScenarioId = keyof typeof SCENARIOS;

export const SCENARIO_IDS = Object.keys(SCENARIOS) as ScenarioId[];

/** Scenarios run only in the cluster pass, against the three-broker cluster of cluster.ts. */
export const CLUSTER_SCENARIOS: readonly ScenarioId[] = ['cluster-leader-routing', 'cluster-broker-killed', 'cluster-idempotent-leader-killed', 'cluster-admin'];

export const STANDALONE_SCENARIOS: readonly ScenarioId[] = SCENARIO_IDS.filter((s) => !CLUSTER_SCENARIOS.includes(s));

/** Scenarios with a half before and a half after a broker restart (N/A against a BOOTSTRAP broker). */
export const RESTART_SCENARIOS: readonly ScenarioId[] = ['group-resume-after-restart', 'exactly-once-restart'];

/** Scenarios that produce through the broker's flaky-proxy listener (COMPAT_FLAKY_BOOTSTRAP). */
export const FLAKY_SCENARIOS: readonly ScenarioId[] = ['idempotent-retry'];

/** Scenarios run against the secured broker (secure-broker.ts), through the listeners of COMPAT_SECURITY (lib/security.ts). */
export const SECURITY_SCENARIOS: readonly ScenarioId[] = ['ssl', 'mtls', 'sasl-plain', 'sasl-scram', 'acl-denied'];

export function isScenarioId(s: string): s is ScenarioId {
  return Object.prototype.hasOwnProperty.call(SCENARIOS, s);
}
