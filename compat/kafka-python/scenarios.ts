// kafka-python 2.0.2 (Debian python3-kafka) in three protocol generations: negotiated (message
// format v2), pinned to 0.10.0 (format v1) and to 0.9 (format v0).

import { ClientSpec, Coverage, RUN } from '../client-spec';

const NO_IDEMPOTENCE = 'kafka-python 2.0.2 has no idempotent or transactional producer';

const NEGOTIATED: Coverage = {
  'metadata': RUN,
  'compression-none': RUN,
  'compression-gzip': RUN,
  'compression-snappy': RUN,
  'compression-lz4': RUN,
  'compression-zstd': 'kafka-python 2.0.2 fetches with Fetch v4, and Kafka answers zstd batches to Fetch below v10 with UNSUPPORTED_COMPRESSION_TYPE (kafka-ts does the same)',
  'keys-headers': RUN,
  'null-value': RUN,
  'empty-value': RUN,
  'record-near-max': RUN,
  'record-over-max': RUN,
  'fetch-mid-batch': RUN,
  'list-offsets-earliest': RUN,
  'list-offsets-latest': RUN,
  'list-offsets-timestamp': RUN,
  'admin-create-topics': RUN,
  'admin-describe-topics': RUN,
  'admin-delete-topics': RUN,
  'admin-describe-configs': RUN,
  'admin-alter-configs': RUN,
  'admin-create-partitions': RUN,
  'admin-delete-records': 'kafka-python 2.0.2\'s KafkaAdminClient has no delete_records',
  'admin-describe-log-dirs': 'kafka-python 2.0.2\'s KafkaAdminClient has no describe_log_dirs',
  'admin-broker-configs': RUN,
  'admin-client-quotas': 'kafka-python 2.0.2\'s KafkaAdminClient has no client quota APIs',
  'compaction': RUN,
  'group-split': RUN,
  'group-commit': RUN,
  'group-leave': RUN,
  'group-resume-after-restart': RUN,
  'idempotent-producer': NO_IDEMPOTENCE,
  'transactional-producer': NO_IDEMPOTENCE,
  'idempotent-retry': NO_IDEMPOTENCE,
  'exactly-once-restart': NO_IDEMPOTENCE,
  'ssl': RUN,
  'mtls': RUN,
  'sasl-plain': RUN,
  'sasl-scram': RUN,
  'acl-denied': RUN,
  'cluster-leader-routing': RUN,
  'cluster-broker-killed': RUN,
  'cluster-idempotent-leader-killed': NO_IDEMPOTENCE,
  'cluster-admin': RUN,
};

/** What the pinned old generations cannot say: no admin APIs before 0.10.1, no zstd before 2.1. */
const OLD: Coverage = {
  ...NEGOTIATED,
  'compression-zstd': 'zstd needs Kafka 2.1 (message format v2)',
  'keys-headers': 'headers need message format v2 (Kafka 0.11)',
  'admin-create-topics': 'CreateTopics starts at Kafka 0.10.1',
  'admin-describe-topics': 'KafkaAdminClient needs Kafka 0.10.1 (covered by metadata at this generation)',
  'admin-delete-topics': 'DeleteTopics starts at Kafka 0.10.1',
  'admin-describe-configs': 'DescribeConfigs starts at Kafka 0.11',
  'admin-alter-configs': 'AlterConfigs starts at Kafka 0.11',
  'admin-create-partitions': 'CreatePartitions starts at Kafka 1.0',
  'admin-broker-configs': 'DescribeConfigs and AlterConfigs start at Kafka 0.11',
  'admin-client-quotas': 'DescribeClientQuotas and AlterClientQuotas start at Kafka 2.6',
  'cluster-admin': 'AlterConfigs starts at Kafka 0.11, CreatePartitions at 1.0',
};

/** kafka-python asserts api_version >= (0, 10) before it authenticates: SaslHandshake came with Kafka 0.10.0. */
const NO_SASL_09 = 'SASL (SaslHandshake) starts at Kafka 0.10.0';

function variant(name: string, api: string, scenarios: Coverage): ClientSpec {
  return {
    name,
    install: ['bash', 'compat/kafka-python/install.sh'],
    command: ['/usr/bin/python3', 'compat/kafka-python/run.py', '--api-version', api],
    scenarios,
  };
}

export const KAFKA_PYTHON: ClientSpec[] = [
  variant('kafka-python', 'auto', NEGOTIATED),
  variant('kafka-python-0.10', '0.10', { ...OLD, 'list-offsets-timestamp': 'offsets_for_times needs Kafka 0.10.1 (ListOffsets v1)' }),
  variant('kafka-python-0.9', '0.9', { ...OLD, 'list-offsets-timestamp': 'message format v0 has no timestamps', 'sasl-plain': NO_SASL_09, 'sasl-scram': NO_SASL_09, 'acl-denied': `${NO_SASL_09}, so it cannot be mallory` }),
];
