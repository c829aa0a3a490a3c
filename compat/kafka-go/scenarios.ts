// segmentio/kafka-go 0.2.1 from Debian, built in GOPATH mode: message format v1, Fetch v2,
// ListOffsets v1, the v0/v1 group APIs.

import { CLUSTER_NOT_WRITTEN, ClientSpec, RUN } from '../client-spec';

export const KAFKA_GO: ClientSpec = {
  name: 'kafka-go',
  install: ['bash', 'compat/kafka-go/install.sh'],
  command: ['compat/.cache/kafka-go-compat'],
  scenarios: {
    'metadata': RUN,
    'compression-none': RUN,
    'compression-gzip': RUN,
    'compression-snappy': RUN,
    'compression-lz4': RUN,
    'compression-zstd': 'kafka-go 0.2.1 offers gzip, snappy and lz4',
    'keys-headers': 'kafka-go 0.2.1 writes message format v1, which has no headers',
    'null-value': 'kafka-go 0.2.1 reads null and empty values both as nil, so it cannot tell them apart',
    'empty-value': 'kafka-go 0.2.1 reads null and empty values both as nil, so it cannot tell them apart',
    'record-near-max': RUN,
    'record-over-max': RUN,
    'fetch-mid-batch': RUN,
    'list-offsets-earliest': RUN,
    'list-offsets-latest': RUN,
    'list-offsets-timestamp': RUN,
    'admin-create-topics': RUN,
    'admin-describe-topics': RUN,
    'admin-delete-topics': RUN,
    'admin-describe-configs': 'kafka-go 0.2.1 has no DescribeConfigs',
    'admin-alter-configs': 'kafka-go 0.2.1 has no AlterConfigs',
    'group-split': RUN,
    'group-commit': RUN,
    'group-leave': RUN,
    'group-resume-after-restart': RUN,
    'idempotent-producer': 'kafka-go 0.2.1 has no idempotent or transactional producer',
    'transactional-producer': 'kafka-go 0.2.1 has no idempotent or transactional producer',
    ...CLUSTER_NOT_WRITTEN,
  },
};
