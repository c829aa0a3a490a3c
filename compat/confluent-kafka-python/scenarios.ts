// confluent-kafka-python 1.7 (Debian python3-confluent-kafka, librdkafka 2.0.2).

import { ClientSpec, Coverage, RUN } from '../client-spec';
import { SCENARIO_IDS } from '../scenarios';

export const CONFLUENT_KAFKA_PYTHON: ClientSpec = {
  name: 'confluent-kafka-python',
  install: ['bash', 'compat/confluent-kafka-python/install.sh'],
  command: ['/usr/bin/python3', 'compat/confluent-kafka-python/run.py'],
  scenarios: {
    ...(Object.fromEntries(SCENARIO_IDS.map((s) => [s, RUN])) as Coverage),
    'admin-delete-records': 'confluent-kafka-python 1.7\'s AdminClient has no delete_records (added in 2.4)',
    'admin-describe-log-dirs': 'confluent-kafka-python 1.7\'s AdminClient has no DescribeLogDirs',
    'admin-broker-configs': 'confluent-kafka-python 1.7 refuses a broker ConfigResource with the empty name of the cluster-wide default (ValueError: Invalid ConfigResource), in describe_configs and alter_configs alike; it has no incremental_alter_configs',
    'admin-client-quotas': 'confluent-kafka-python 1.7\'s AdminClient has no DescribeClientQuotas or AlterClientQuotas',
  },
};
