// kafkajs 2.2.x: gzip built in, snappy through the kafkajs-snappy codec plugin.

import { ClientSpec, RUN } from '../client-spec';

export const KAFKAJS: ClientSpec = {
  name: 'kafkajs',
  command: ['node', 'dist/compat/kafkajs/run.js'],
  scenarios: {
    'metadata': RUN,
    'compression-none': RUN,
    'compression-gzip': RUN,
    'compression-snappy': RUN,
    'compression-lz4': 'kafkajs has no lz4 codec; its plugin (kafkajs-lz4) is a native addon of the unmaintained lz4 package',
    'compression-zstd': 'kafkajs has no zstd codec; its plugin (@kafkajs/zstd) is a native addon of the unmaintained cppzst package',
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
    'group-split': RUN,
    'group-commit': RUN,
    'group-leave': RUN,
    'group-resume-after-restart': RUN,
    'idempotent-producer': RUN,
    'transactional-producer': RUN,
    'cluster-leader-routing': RUN,
    'cluster-broker-killed': RUN,
  },
};
