// A broker's static configs as DescribeConfigs lists them: every key kafka-ts reads, with the value
// from server.properties (STATIC_BROKER_CONFIG) or Kafka's default (DEFAULT_CONFIG). They are
// read-only: dynamic broker configs are not supported.

import { BROKER_KEYS, BrokerConfig } from '../config';
import { ConfigSource, ConfigType, DescribedConfig } from './topic-configs';

const TYPE_OF_KIND: Record<string, number> = {
  int: ConfigType.INT,
  short: ConfigType.SHORT,
  long: ConfigType.LONG,
  boolean: ConfigType.BOOLEAN,
  string: ConfigType.STRING,
  list: ConfigType.LIST,
};

export function describeBrokerConfigs(config: BrokerConfig): DescribedConfig[] {
  return Object.entries(BROKER_KEYS).map(([name, spec]) => {
    const given = config.props.get(name);
    const synonyms: DescribedConfig['synonyms'] = [];
    if (given !== undefined) synonyms.push({ name, value: given, source: ConfigSource.STATIC_BROKER_CONFIG });
    synonyms.push({ name, value: spec.default ?? null, source: ConfigSource.DEFAULT_CONFIG });
    return {
      name,
      value: synonyms[0].value,
      readOnly: true,
      configSource: synonyms[0].source,
      isSensitive: false,
      configType: TYPE_OF_KIND[spec.kind] ?? ConfigType.UNKNOWN,
      synonyms,
    };
  });
}
