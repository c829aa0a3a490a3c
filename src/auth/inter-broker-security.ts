// How this broker connects to other brokers, as Kafka's inter-broker channel does: over the
// inter-broker listener's security protocol, with that listener's TLS client settings and, on a
// SASL listener, `sasl.mechanism.inter.broker.protocol` with the username and password of that
// mechanism's JAAS entry on the listener (the same entry the listener serves, as Kafka's
// SaslChannelBuilder in client mode reads it).

import { BrokerConnector, securedConnector } from '../client/broker-connector';
import { SASL_CLIENT_MECHANISMS, SaslClientOptions, SaslMechanism } from '../client/sasl-client';
import { BrokerConfig, ConfigError } from '../config';
import { ListenerConfigs } from './listener-configs';
import { serverJaasEntry } from './sasl/jaas';
import { clientTlsOptions } from './tls/ssl-config';

/** The connector for the inter-broker listener; a config it cannot serve stops startup, naming the key. */
export function interBrokerConnector(config: BrokerConfig, warn: (line: string) => void): BrokerConnector {
  const listener = config.interBrokerListenerName;
  const protocol = config.listenerSecurityProtocolMap.get(listener) ?? 'PLAINTEXT';
  const tls = protocol === 'SSL' || protocol === 'SASL_SSL' ? clientTlsOptions(config.props, listener) : undefined;
  const sasl = protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL' ? interBrokerSasl(config.props, listener, warn) : undefined;
  return securedConnector(tls, sasl);
}

function interBrokerSasl(props: ReadonlyMap<string, string>, listener: string, warn: (line: string) => void): SaslClientOptions {
  const key = 'sasl.mechanism.inter.broker.protocol';
  const mechanism = new ListenerConfigs(props, null).get(key) ?? 'GSSAPI';
  if (!SASL_CLIENT_MECHANISMS.includes(mechanism)) {
    throw new ConfigError(`Invalid value ${mechanism} for configuration ${key}: this broker authenticates to other brokers with PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 only`);
  }
  const enabled = new ListenerConfigs(props, listener);
  if (!enabled.list('sasl.enabled.mechanisms').includes(mechanism)) {
    throw new ConfigError(`${key} must be included in ${enabled.keyOf('sasl.enabled.mechanisms')} when SASL is used for inter-broker communication`);
  }
  const jaas = serverJaasEntry(props, listener, mechanism, warn);
  const username = jaas.options.get('username');
  const password = jaas.options.get('password');
  if (username === undefined || password === undefined) {
    throw new ConfigError(`listener.name.${listener.toLowerCase()}.${mechanism.toLowerCase()}.sasl.jaas.config has no username and password for inter-broker ${mechanism} authentication`);
  }
  return { mechanism: mechanism as SaslMechanism, username, password };
}
