// A listener's security settings (ssl.*, sasl.*, reauthentication) as Kafka resolves them:
// `listener.name.<listener lower-case>.<key>` wins over the plain key, which falls back to Kafka
// 3.9's default. Each value remembers the key it came from, so errors name the key the operator
// actually wrote.

import { ConfigError } from '../config';
import { BROKER_CONFIG_DEFS } from '../cluster/kafka-config-defs/broker-config-defs';

export class ListenerConfigs {
  constructor(
    private readonly props: ReadonlyMap<string, string>,
    /** As in listeners (any case); null for no listener prefix. */
    readonly listenerName: string | null,
  ) {}

  /** The key a setting is read from: the listener-prefixed one when it is set. */
  keyOf(key: string): string {
    if (this.listenerName !== null) {
      const prefixed = `listener.name.${this.listenerName.toLowerCase()}.${key}`;
      if (this.props.has(prefixed)) return prefixed;
    }
    return key;
  }

  /** The value, Kafka's default when unset; null when Kafka has no default. */
  get(key: string): string | null {
    return this.props.get(this.keyOf(key)) ?? BROKER_CONFIG_DEFS[key]?.default ?? null;
  }

  /** A LIST setting: comma-separated, trimmed, empty entries dropped. */
  list(key: string): string[] {
    return (this.get(key) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }

  invalid(key: string, reason: string): ConfigError {
    return new ConfigError(`Invalid value ${this.get(key)} for configuration ${this.keyOf(key)}: ${reason}`);
  }
}
