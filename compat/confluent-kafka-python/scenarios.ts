// confluent-kafka-python 1.7 (Debian python3-confluent-kafka, librdkafka 2.0.2): runs everything.

import { ClientSpec, Coverage, RUN } from '../client-spec';
import { SCENARIO_IDS } from '../scenarios';

export const CONFLUENT_KAFKA_PYTHON: ClientSpec = {
  name: 'confluent-kafka-python',
  install: ['bash', 'compat/confluent-kafka-python/install.sh'],
  command: ['/usr/bin/python3', 'compat/confluent-kafka-python/run.py'],
  scenarios: Object.fromEntries(SCENARIO_IDS.map((s) => [s, RUN])) as Coverage,
};
