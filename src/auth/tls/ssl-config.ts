// A listener's TLS settings as Node takes them, from Kafka's ssl.* keys (listener-prefixed keys
// win): the server side a listener serves with, and the client side this broker connects to other
// brokers with. Everything is read and checked once, at startup: a bad setting names its key.

import { ConnectionOptions, SecureContextOptions, SecureVersion, TlsOptions } from 'node:tls';
import { ConfigError, SecurityProtocol } from '../../config';
import { openSslCipherName } from './cipher-suites';
import { loadKeystore, loadTruststore } from './keystores';
import { ListenerConfigs } from '../listener-configs';

/** Java's protocol names, oldest first, as Node's version names. */
const PROTOCOLS: readonly SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

export type SslClientAuth = 'none' | 'requested' | 'required';

/** ssl.enabled.protocols as Node's version range; the protocols must be consecutive, since Node takes a range. */
export function protocolRange(s: ListenerConfigs): { minVersion: SecureVersion; maxVersion: SecureVersion } {
  const key = 'ssl.enabled.protocols';
  const names = s.list(key);
  if (names.length === 0) throw s.invalid(key, 'at least one protocol is required');
  const indexes = names.map((n) => {
    const i = PROTOCOLS.indexOf(n as SecureVersion);
    if (i < 0) throw s.invalid(key, `unsupported protocol ${n}; supported are ${PROTOCOLS.join(', ')}`);
    return i;
  });
  const min = Math.min(...indexes);
  const max = Math.max(...indexes);
  if (new Set(indexes).size !== max - min + 1) throw s.invalid(key, 'the enabled protocols must be consecutive versions (TLS offers no gaps)');
  return { minVersion: PROTOCOLS[min], maxVersion: PROTOCOLS[max] };
}

/** ssl.cipher.suites (JSSE names) as an OpenSSL cipher list; undefined (OpenSSL's defaults) when empty. */
export function cipherList(s: ListenerConfigs): string | undefined {
  const key = 'ssl.cipher.suites';
  const names = s.list(key);
  if (names.length === 0) return undefined;
  return names
    .map((n) => {
      const openSsl = openSslCipherName(n);
      if (openSsl === undefined) throw s.invalid(key, `Unsupported CipherSuite: ${n}`);
      return openSsl;
    })
    .join(':');
}

export function clientAuth(s: ListenerConfigs): SslClientAuth {
  const key = 'ssl.client.auth';
  const value = (s.get(key) ?? 'none').toLowerCase();
  if (value !== 'none' && value !== 'requested' && value !== 'required') throw s.invalid(key, 'String must be one of: required, requested, none');
  return value;
}

/**
 * Kafka applies ssl.client.auth to a SASL_SSL listener only when it is set with the listener
 * prefix; a broker-wide value other than none is then only warned about.
 */
export function listenerClientAuth(s: ListenerConfigs, securityProtocol: SecurityProtocol, warn: (line: string) => void): SslClientAuth {
  const key = 'ssl.client.auth';
  if (securityProtocol !== 'SASL_SSL' || s.keyOf(key) !== key) return clientAuth(s);
  if (clientAuth(s) !== 'none') {
    warn(
      `Broker configuration '${key}' is applied only to SSL listeners. Listener-prefixed configuration can be used to enable SSL client authentication for SASL_SSL listeners. ` +
        'In future releases, broker-wide option without listener prefix may be applied to SASL_SSL listeners as well. All configuration options intended for specific listeners should be listener-prefixed.',
    );
  }
  return 'none';
}

/** Keystore, truststore, protocols and ciphers: what both sides share. */
function commonOptions(s: ListenerConfigs): SecureContextOptions {
  const ca = loadTruststore(s);
  return {
    ...loadKeystore(s),
    ...(ca ? { ca } : {}),
    ...protocolRange(s),
    ciphers: cipherList(s),
  };
}

/**
 * What a TLS listener serves with: keystore, truststore, protocols and ciphers (the tls.Server
 * made from them builds its one SecureContext then), asking for a client certificate unless `auth`
 * is none. Node would drop a client whose certificate fails verification without a
 * word, so verification is judged once the handshake is done (TlsListener.identify), with a log line.
 */
export function serverTls(props: ReadonlyMap<string, string>, listenerName: string, auth: SslClientAuth): TlsOptions {
  const s = new ListenerConfigs(props, listenerName);
  const options = commonOptions(s);
  if (options.pfx === undefined && options.key === undefined) {
    throw new ConfigError(`no keystore: set ${s.keyOf('ssl.keystore.location')} (or ${s.keyOf('ssl.keystore.key')} and ${s.keyOf('ssl.keystore.certificate.chain')})`);
  }
  return { ...options, requestCert: auth !== 'none', rejectUnauthorized: false };
}

/**
 * How this broker connects to another broker's TLS listener `listenerName` (the inter-broker
 * listener), or a client with unprefixed ssl.* properties (null): the truststore's CAs (the system's without one), the keystore as client certificate
 * when one is set, and the host name checked against the certificate unless
 * ssl.endpoint.identification.algorithm is empty.
 */
export function clientTlsOptions(props: ReadonlyMap<string, string>, listenerName: string | null): ConnectionOptions {
  const s = new ListenerConfigs(props, listenerName);
  const options: ConnectionOptions = { ...commonOptions(s), rejectUnauthorized: true };
  const algorithm = s.get('ssl.endpoint.identification.algorithm') ?? '';
  if (algorithm === '') options.checkServerIdentity = () => undefined;
  else if (algorithm.toLowerCase() !== 'https') throw s.invalid('ssl.endpoint.identification.algorithm', 'only https, or empty to disable host name verification, is supported');
  return options;
}
