// kafka-node 5 (npm devDependency): legacy message formats v0/v1, group APIs v0, ListOffsets v0.

import { ClientSpec, RUN } from '../client-spec';

export const KAFKA_NODE: ClientSpec = {
  name: 'kafka-node',
  command: ['node', 'dist/compat/kafka-node/run.js'],
  scenarios: {
    'metadata': RUN,
    'compression-none': RUN,
    'compression-gzip': RUN,
    'compression-snappy': RUN,
    'compression-lz4': 'kafka-node offers gzip and snappy only',
    'compression-zstd': 'kafka-node offers gzip and snappy only',
    'keys-headers': 'kafka-node writes message formats v0/v1, which have no headers',
    'null-value': RUN,
    'empty-value': RUN,
    'record-near-max': RUN,
    'record-over-max': RUN,
    'fetch-mid-batch': RUN,
    'list-offsets-earliest': RUN,
    'list-offsets-latest': RUN,
    'list-offsets-timestamp': 'kafka-node has only ListOffsets v0, which answers by log segment, not by record timestamp',
    'admin-create-topics': RUN,
    'admin-describe-topics': RUN,
    'admin-delete-topics': 'kafka-node has no DeleteTopics',
    'admin-describe-configs': RUN,
    'admin-alter-configs': 'kafka-node has no AlterConfigs',
    'group-split': RUN,
    'group-commit': RUN,
    'group-leave': RUN,
    'group-resume-after-restart': RUN,
    'idempotent-producer': 'kafka-node has no idempotent or transactional producer',
    'transactional-producer': 'kafka-node has no idempotent or transactional producer',
    'cluster-leader-routing': RUN,
    'cluster-broker-killed': RUN,
  },
};
