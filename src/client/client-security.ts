// How a client (the command-line tools, the console) connects with Kafka's client security
// properties, as a Java client reads them from a --command-config file: `security.protocol`,
// `ssl.*` (truststore, keystore, endpoint identification), `sasl.mechanism` and `sasl.jaas.config`
// (PlainLoginModule or ScramLoginModule with username and password; `tokenauth=true` for a
// delegation token).

import { ConfigError } from '../config';
import { parseJaasConfig } from '../auth/sasl/jaas';
import { clientTlsOptions } from '../auth/tls/ssl-config';
import { BrokerConnector, securedConnector } from './broker-connector';
import { SASL_CLIENT_MECHANISMS, SaslClientOptions, SaslMechanism } from './sasl-client';

const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'];
/** The connector for a client's properties; a setting it cannot serve throws a ConfigError naming the key. */
export function clientConnector(props: ReadonlyMap<string, string>): BrokerConnector {
  const protocol = (props.get('security.protocol') ?? 'PLAINTEXT').toUpperCase();
  if (!SECURITY_PROTOCOLS.includes(protocol)) {
    throw new ConfigError(`Invalid value ${protocol} for configuration security.protocol: String must be one of: ${SECURITY_PROTOCOLS.join(', ')}`);
  }
  const tls = protocol === 'SSL' || protocol === 'SASL_SSL' ? clientTlsOptions(props, null) : undefined;
  const sasl = protocol.startsWith('SASL_') ? clientSasl(props) : undefined;
  return securedConnector(tls, sasl);
}

function clientSasl(props: ReadonlyMap<string, string>): SaslClientOptions {
  const mechanism = props.get('sasl.mechanism') ?? 'GSSAPI';
  if (!SASL_CLIENT_MECHANISMS.includes(mechanism)) {
    throw new ConfigError(`Invalid value ${mechanism} for configuration sasl.mechanism: this client supports PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512`);
  }
  const jaasText = props.get('sasl.jaas.config');
  if (jaasText === undefined) throw new ConfigError('sasl.jaas.config is required for SASL: a PlainLoginModule or ScramLoginModule entry with username and password');
  const [entry] = parseJaasConfig(jaasText);
  const username = entry?.options.get('username');
  const password = entry?.options.get('password');
  if (username === undefined || password === undefined) throw new ConfigError('sasl.jaas.config has no username and password');
  return { mechanism: mechanism as SaslMechanism, username, password, tokenAuth: entry.options.get('tokenauth') === 'true' };
}
