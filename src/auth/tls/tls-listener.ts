// What a TLS listener (SSL or SASL_SSL) needs, read once at startup: its TLS options and
// client-certificate policy, and the principal mapping for SSL clients. A bad setting fails
// startup naming the listener and the key.

import { TLSSocket, TlsOptions } from 'node:tls';
import { SecurityProtocol } from '../../config';
import { listenerClientAuth, serverTls } from './ssl-config';
import { subjectDistinguishedName } from './distinguished-name';
import { SslPrincipalMapper } from './principal-mapper';
import { ListenerConfigs } from '../listener-configs';

/** The peer's outcome once the handshake is done. */
export type PeerIdentity = { ok: true; principal: string | null } | { ok: false; reason: string };

export class TlsListener {
  private constructor(
    readonly tls: TlsOptions,
    private readonly certificateRequired: boolean,
    private readonly mapper: SslPrincipalMapper,
  ) {}

  static build(props: ReadonlyMap<string, string>, listenerName: string, securityProtocol: SecurityProtocol, warn: (line: string) => void): TlsListener {
    try {
      const s = new ListenerConfigs(props, listenerName);
      const key = 'ssl.principal.mapping.rules';
      const mapper = SslPrincipalMapper.fromConfig(s.get(key) ?? 'DEFAULT', s.keyOf(key));
      const auth = listenerClientAuth(s, securityProtocol, warn);
      return new TlsListener(serverTls(props, listenerName, auth), auth === 'required', mapper);
    } catch (err) {
      throw new Error(`Listener ${listenerName}: ${(err as Error).message}`);
    }
  }

  /**
   * The client's principal from its certificate (`User:<mapped DN>`), null without one. No
   * certificate under ssl.client.auth=required, or one that does not verify (even when only
   * requested, as Java's trust manager fails the handshake), fails the client.
   */
  identify(socket: TLSSocket): PeerIdentity {
    const cert = socket.getPeerX509Certificate();
    if (cert === undefined) return this.certificateRequired ? { ok: false, reason: 'no client certificate; ssl.client.auth=required' } : { ok: true, principal: null };
    if (!socket.authorized) return { ok: false, reason: `client certificate not trusted: ${socket.authorizationError}` };
    try {
      return { ok: true, principal: `User:${this.mapper.getName(subjectDistinguishedName(cert.raw))}` };
    } catch (err) {
      return { ok: false, reason: (err as Error).message };
    }
  }
}
