// node-rdkafka 3.x: librdkafka through Node, built from the librdkafka it bundles (2.12 today).

import { ClientSpec, RUN } from '../client-spec';

const NO_CONFIG_ADMIN = 'node-rdkafka\'s AdminClient has no describe/alter configs';

export const NODE_RDKAFKA: ClientSpec = {
  name: 'node-rdkafka',
  install: ['bash', 'compat/node-rdkafka/install.sh'],
  command: ['node', 'dist/compat/node-rdkafka/run.js'],
  scenarios: {
    'metadata': RUN,
    'compression-none': RUN,
    'compression-gzip': RUN,
    'compression-snappy': RUN,
    'compression-lz4': RUN,
    'compression-zstd': RUN,
    'keys-headers': RUN,
    'null-value': RUN,
    'empty-value': 'node-rdkafka sends an empty Buffer as a null value (kcat -J shows null stored)',
    'record-near-max': RUN,
    'record-over-max': RUN,
    'fetch-mid-batch': RUN,
    'list-offsets-earliest': RUN,
    'list-offsets-latest': RUN,
    'list-offsets-timestamp': RUN,
    'admin-create-topics': RUN,
    'admin-describe-topics': RUN,
    'admin-delete-topics': RUN,
    'admin-describe-configs': NO_CONFIG_ADMIN,
    'admin-alter-configs': NO_CONFIG_ADMIN,
    'group-split': RUN,
    'group-commit': RUN,
    'group-leave': RUN,
    'group-resume-after-restart': RUN,
    'idempotent-producer': RUN,
    'transactional-producer': RUN,
    'idempotent-retry': RUN,
    'exactly-once-restart': RUN,
    'cluster-leader-routing': RUN,
    'cluster-broker-killed': RUN,
    'cluster-idempotent-leader-killed': RUN,
  },
};
