// The bench's connections to the servers it measures: the project's Kafka client under the bench's
// client id, with no timeouts (a stalled server fails a measurement by its own deadlines).

import { KafkaConnection } from '../../src/client/kafka-connection';

const CLIENT_ID = 'kafka-ts-bench';

export function openConnection(host: string, port: number): Promise<KafkaConnection> {
  return KafkaConnection.connect(host, port, { clientId: CLIENT_ID });
}
