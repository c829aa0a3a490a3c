// Whether a broker's control plane needs a super user, and where to check one: from the broker's
// config, as the broker itself reads it (listeners, authorizer.class.name, super.users, the first
// SASL listener's sasl.enabled.mechanisms).

import type { BrokerConfig, Listener } from '../../config';
import { ListenerConfigs } from '../../auth/listener-configs';
import { isSaslListener } from '../../auth/sasl/listener-sasl';
import type { GateSettings } from './super-user-gate';

/** `bound`: the listeners as bound, once the broker runs (ports chosen at bind time). */
export function gateSettings(config: BrokerConfig, bound: () => readonly Listener[]): GateSettings {
  const authorizer = (config.props.get('authorizer.class.name') ?? '').trim() !== '';
  const secured = authorizer || config.listeners.some((l) => l.securityProtocol !== 'PLAINTEXT');
  const superUsers = new Set(
    (config.props.get('super.users') ?? '')
      .split(';')
      .map((p) => p.trim())
      .filter((p) => p !== ''),
  );
  const listener = config.listeners.find(isSaslListener);
  if (!listener) return { secured, superUsers, sasl: null };
  return {
    secured,
    superUsers,
    sasl: {
      address: () => {
        const l = bound().find((x) => x.name === listener.name);
        if (!l) throw new Error(`Listener ${listener.name} is not bound: the broker is down`);
        return `${['', '0.0.0.0', '::'].includes(l.host) ? '127.0.0.1' : l.host}:${l.port}`;
      },
      tls: listener.securityProtocol === 'SASL_SSL',
      mechanisms: new ListenerConfigs(config.props, listener.name).list('sasl.enabled.mechanisms'),
    },
  };
}
