// How the broker's own clients (replica fetchers, the controller channel, controlled shutdown,
// transaction markers) open a connection to another broker. One function, chosen once from the
// inter-broker listener's security protocol, so TLS and SASL are applied in one place.

import { ConnectOptions, KafkaConnection } from './kafka-connection';

export type BrokerConnector = (host: string, port: number, options: ConnectOptions) => Promise<KafkaConnection>;

/** A PLAINTEXT inter-broker listener: the connection as it is. */
export const plaintextConnector: BrokerConnector = (host, port, options) => KafkaConnection.connect(host, port, options);
