// How the broker's own clients (replica fetchers, the controller channel, controlled shutdown,
// transaction markers) and the tools open a connection to a broker. One function, chosen once from the
// inter-broker listener's security protocol, so TLS and SASL are applied in one place.

import type { ConnectionOptions } from 'node:tls';
import { ConnectOptions, KafkaConnection } from './kafka-connection';
import { SaslClientOptions, authenticateSasl } from './sasl-client';

export type BrokerConnector = (host: string, port: number, options: ConnectOptions) => Promise<KafkaConnection>;

/** A PLAINTEXT inter-broker listener: the connection as it is. */
export const plaintextConnector: BrokerConnector = (host, port, options) => KafkaConnection.connect(host, port, options);

/** Connections with TLS, SASL or both: authenticated before they are handed out, closed when that fails. */
export function securedConnector(tls: ConnectionOptions | undefined, sasl: SaslClientOptions | undefined): BrokerConnector {
  if (!tls && !sasl) return plaintextConnector;
  return async (host, port, options) => {
    const conn = await KafkaConnection.connect(host, port, { ...options, tls });
    if (sasl) {
      try {
        await authenticateSasl(conn, sasl, options.timeoutMs);
      } catch (err) {
        conn.close();
        throw err;
      }
    }
    return conn;
  };
}
