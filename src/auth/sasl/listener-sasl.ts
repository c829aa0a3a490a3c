// What a SASL listener serves, from the broker's configs as Kafka's SaslChannelBuilder reads them:
// `sasl.enabled.mechanisms` (listener-prefixed first), each served mechanism's JAAS entry, and
// `connections.max.reauth.ms` per mechanism (`listener.name.<l>.<mechanism>.` first, then
// `listener.name.<l>.`, then the plain key). PLAIN and SCRAM are served; other mechanisms (GSSAPI,
// OAUTHBEARER) are refused at the handshake, with a warning at startup. A SASL listener left with
// no mechanism it can serve refuses to start, naming it: never a listener nobody can use.

import type { Listener } from '../../config';
import { ListenerConfigs } from '../listener-configs';
import { SCRAM_MECHANISMS, ScramCredentialSource, ScramMechanism, TokenCredentialSource } from '../scram-credential';
import { SaslConfigError, serverJaasEntry } from './jaas';
import { PlainSaslServer } from './plain-server';
import { SaslServer } from './sasl-server';
import { ScramSaslServer } from './scram-server';

export interface SaslListenerSettings {
  readonly listenerName: string;
  /** The mechanisms served, as the handshake lists them. */
  readonly mechanisms: readonly string[];
  newServer(mechanism: string): SaslServer;
  /** connections.max.reauth.ms for the mechanism; 0: sessions do not expire. */
  reauthMs(mechanism: string): number;
  /** connection.failed.authentication.delay.ms */
  readonly failedAuthenticationDelayMs: number;
  /** sasl.server.max.receive.size: the largest frame before authentication completes. */
  readonly maxReceiveSize: number;
}

export interface CredentialSources {
  users: ScramCredentialSource;
  tokens: TokenCredentialSource;
}

export const isSaslListener = (l: Listener): boolean => l.securityProtocol === 'SASL_PLAINTEXT' || l.securityProtocol === 'SASL_SSL';

function integer(configs: ListenerConfigs, key: string, min: number): number {
  const value = configs.get(key);
  const n = Number(value?.trim());
  if (value === null || value.trim() === '' || !Number.isSafeInteger(n) || n < min) {
    throw new SaslConfigError(`Invalid value ${value} for configuration ${configs.keyOf(key)}: must be an integer of at least ${min}`);
  }
  return n;
}

export function saslListenerSettings(props: ReadonlyMap<string, string>, listener: Listener, sources: CredentialSources, warn: (line: string) => void): SaslListenerSettings {
  const name = listener.name;
  const configs = new ListenerConfigs(props, name);
  const enabledKey = configs.keyOf('sasl.enabled.mechanisms');
  const listed = [...new Set(configs.list('sasl.enabled.mechanisms'))];
  if (listed.length === 0) throw new SaslConfigError(`No SASL mechanisms are enabled on listener ${name} (${enabledKey})`);
  const mechanisms = listed.filter((m) => m === 'PLAIN' || SCRAM_MECHANISMS.includes(m as ScramMechanism));
  const unserved = listed.filter((m) => !mechanisms.includes(m));
  if (unserved.length > 0) warn(`SASL mechanisms ${unserved.join(', ')} of listener ${name} (${enabledKey}) are not supported by this broker: clients asking for them are refused with UNSUPPORTED_SASL_MECHANISM`);
  if (mechanisms.length === 0) {
    throw new SaslConfigError(`Listener ${name} uses security protocol ${listener.securityProtocol} but enables no SASL mechanism this broker serves (${enabledKey}=${configs.get('sasl.enabled.mechanisms')}); PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 are supported`);
  }
  // Every served mechanism needs its JAAS entry, as Kafka loads one per mechanism at startup.
  const jaas = new Map(mechanisms.map((m) => [m, serverJaasEntry(props, name, m, warn)]));
  const reauth = new Map(mechanisms.map((m) => {
    const perMechanism = `listener.name.${name.toLowerCase()}.${m.toLowerCase()}.connections.max.reauth.ms`;
    return [m, props.has(perMechanism) ? integer(new ListenerConfigs(props, null), perMechanism, 0) : integer(configs, 'connections.max.reauth.ms', 0)];
  }));
  return {
    listenerName: name,
    mechanisms,
    newServer: (m) => (m === 'PLAIN' ? new PlainSaslServer(jaas.get(m)!) : new ScramSaslServer(m as ScramMechanism, sources.users, sources.tokens)),
    reauthMs: (m) => reauth.get(m) ?? 0,
    failedAuthenticationDelayMs: integer(configs, 'connection.failed.authentication.delay.ms', 0),
    maxReceiveSize: integer(configs, 'sasl.server.max.receive.size', 1),
  };
}
