// kcat 1.7 (librdkafka 2.0.2) from Debian: the command line as a person would use it.

import { ClientSpec, RUN } from '../client-spec';

const NO_ADMIN = 'kcat has no admin commands';

export const KCAT: ClientSpec = {
  name: 'kcat',
  install: ['bash', 'compat/kcat/install.sh'],
  command: ['node', 'dist/compat/kcat/run.js'],
  scenarios: {
    'metadata': RUN,
    'compression-none': RUN,
    'compression-gzip': RUN,
    'compression-snappy': RUN,
    'compression-lz4': RUN,
    'compression-zstd': RUN,
    'keys-headers': RUN,
    'null-value': RUN,
    'empty-value': RUN,
    'record-near-max': RUN,
    'record-over-max': RUN,
    'fetch-mid-batch': RUN,
    'list-offsets-earliest': RUN,
    'list-offsets-latest': RUN,
    'list-offsets-timestamp': RUN,
    'admin-create-topics': NO_ADMIN,
    'admin-describe-topics': RUN,
    'admin-delete-topics': NO_ADMIN,
    'admin-describe-configs': NO_ADMIN,
    'admin-alter-configs': NO_ADMIN,
    'group-split': RUN,
    'group-commit': RUN,
    'group-leave': RUN,
    'group-resume-after-restart': RUN,
    'idempotent-producer': RUN,
    'transactional-producer': 'kcat has no transaction commands',
    'idempotent-retry': 'kcat sends its records in one batch, so a lost response is not retried record by record; librdkafka\'s retry path runs through node-rdkafka and confluent-kafka-python',
    'exactly-once-restart': 'kcat has no transaction commands',
    'cluster-leader-routing': RUN,
    'cluster-broker-killed': RUN,
    'cluster-idempotent-leader-killed': RUN,
  },
};
