// One client connection's identity as requests see it: the listener and its security protocol,
// the authenticated principal, and who the client says it is. On a SASL listener the connection's
// authenticator sets the principal (User:<name>) once the exchange completes; on an SSL listener it
// is the client certificate's mapped name, set before any request is read; until then, and on a
// PLAINTEXT listener, it is User:ANONYMOUS, as in Kafka.

import type { SecurityProtocol } from '../config';

export const ANONYMOUS = 'User:ANONYMOUS';

export interface Session {
  readonly listenerName: string;
  readonly securityProtocol: SecurityProtocol;
  principal: string;
  /** Authenticated with a delegation token (SCRAM tokenauth): such a session may not create or renew tokens. */
  tokenAuthenticated: boolean;
  /** The client's address as Kafka reports it (e.g. "/127.0.0.1"). */
  readonly clientHost: string;
  /** host:port of the peer, for log lines. */
  readonly remote: string;
  /** From the latest request header. */
  clientId: string | null;
  /** From ApiVersions v3+ (KIP-511). */
  clientSoftwareName: string | null;
  clientSoftwareVersion: string | null;
  /** Quota throttle (KIP-219): the connection reads no further request for this long once its response is out. */
  throttleMs: number;
}

export function newSession(listenerName: string, securityProtocol: SecurityProtocol, remoteAddress: string | undefined, remotePort: number | undefined): Session {
  // Kafka reports hosts as InetAddress.toString does: "/127.0.0.1", without the IPv4-mapped prefix.
  const address = (remoteAddress ?? '').replace(/^::ffff:/, '');
  return {
    listenerName,
    securityProtocol,
    principal: ANONYMOUS,
    tokenAuthenticated: false,
    clientHost: `/${address}`,
    remote: `${address}:${remotePort}`,
    clientId: null,
    clientSoftwareName: null,
    clientSoftwareVersion: null,
    throttleMs: 0,
  };
}
