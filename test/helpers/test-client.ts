// Tests drive brokers with the project's own Kafka client; this connects one to a broker on 127.0.0.1.

import { KafkaConnection } from '../../src/client/kafka-connection';

export const TEST_CLIENT_ID = 'kafka-ts-test';

export function connectClient(port: number): Promise<KafkaConnection> {
  return KafkaConnection.connect('127.0.0.1', port, { clientId: TEST_CLIENT_ID });
}
