// Where a broker setting comes from, as Kafka's DescribeConfigs reports it: a broker's config is
// Kafka's defaults, overlaid by server.properties, then by the cluster-wide dynamic defaults
// (/config/brokers/<default>), then by this broker's own dynamic configs (/config/brokers/<id>).
// Topic configs and broker configs list their synonyms from these same layers.

import { BROKER_CONFIG_DEFS } from './kafka-config-defs/broker-config-defs';
import { brokerConfigSynonyms } from './kafka-config-defs/broker-synonyms';

/** DescribeConfigs ConfigSource values. */
export const ConfigSource = {
  DYNAMIC_TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
} as const;

export interface ConfigSynonym {
  name: string;
  value: string | null;
  source: number;
}

/** A broker's config layers, most specific first. */
export interface BrokerConfigLayers {
  dynamicBroker: Readonly<Record<string, string>>;
  dynamicDefault: Readonly<Record<string, string>>;
  static: ReadonlyMap<string, string>;
}

export const staticLayers = (props: ReadonlyMap<string, string>): BrokerConfigLayers => ({ dynamicBroker: {}, dynamicDefault: {}, static: props });

/** The value a layer stack gives a key, the most specific layer first. */
export function layeredValue(layers: BrokerConfigLayers, key: string): string | undefined {
  return layers.dynamicBroker[key] ?? layers.dynamicDefault[key] ?? layers.static.get(key);
}

/** Kafka's default of a broker key, rendered as a string; null when it has none. */
export function brokerDefault(key: string): string | null {
  return BROKER_CONFIG_DEFS[key]?.default ?? null;
}

/**
 * Kafka's ConfigHelper.configSynonyms: each synonym key set dynamically for this broker, then as a
 * dynamic default, then statically, then Kafka's default, dropping every one before the first named
 * after `name` itself. Sensitive values are reported as null; `perBroker` false (the "" resource)
 * leaves this broker's own dynamic configs out.
 */
export function configSynonyms(name: string, layers: BrokerConfigLayers, sensitive = false, perBroker = true): ConfigSynonym[] {
  const keys = brokerConfigSynonyms(name, true);
  const found: ConfigSynonym[] = [];
  const add = (source: number, value: (key: string) => string | null | undefined) => {
    for (const key of keys) {
      const v = value(key);
      if (v !== undefined && v !== null) found.push({ name: key, value: sensitive ? null : v, source });
    }
  };
  add(ConfigSource.DYNAMIC_BROKER_CONFIG, (k) => layers.dynamicBroker[k]);
  add(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, (k) => layers.dynamicDefault[k]);
  add(ConfigSource.STATIC_BROKER_CONFIG, (k) => layers.static.get(k));
  add(ConfigSource.DEFAULT_CONFIG, brokerDefault);
  const first = found.findIndex((s) => s.name === name);
  const synonyms = first < 0 ? [] : found.slice(first);
  // The cluster-default resource leaves out what one broker set for itself.
  return perBroker ? synonyms : synonyms.filter((s) => s.source !== ConfigSource.DYNAMIC_BROKER_CONFIG);
}
