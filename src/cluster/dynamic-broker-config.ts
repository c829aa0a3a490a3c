// Kafka's DynamicBrokerConfig: the broker's config is server.properties overlaid by the cluster-wide
// dynamic defaults (/config/brokers/<default>) and then by this broker's own dynamic configs
// (/config/brokers/<id>). Only the keys Kafka lets change at runtime may be set, per-broker ones
// (listeners, keystores) only for one broker; the checks, their order and their messages are
// Kafka's. The live BrokerConfig object is updated in place, so everything holding it reads the new
// values; the broker then hands the new log defaults to its logs.

import { ErrorCode, KafkaError } from '../../protocol';
import { BrokerConfig, ConfigError, Kind, parseConfig, validateBrokerValue } from '../config';
import { BrokerConfigLayers, configSynonyms, ConfigSource, layeredValue } from './config-synonyms';
import { EntityConfigView, brokerEntity } from './entity-configs';
import { BROKER_CONFIG_DEFS, ConfigTypeName, DYNAMIC_SECURITY_CONFIGS } from './kafka-config-defs/broker-config-defs';
import { brokerConfigType, isSensitiveBrokerConfig, listenerBaseName } from './kafka-config-defs/broker-synonyms';
import { ConfigType, DescribedConfig } from './topic-configs';

/** What handlers see: describe, read and change the dynamic configs of this broker and the cluster default. */
export interface BrokerConfigs {
  layers(): BrokerConfigLayers;
  /** DescribeConfigs of "" (the cluster default) or this broker's id; KafkaError INVALID_REQUEST for another id. */
  describe(resourceName: string): DescribedConfig[];
  /** The dynamic configs stored for "" or this broker's id. */
  stored(resourceName: string): Record<string, string>;
  /** Replaces them after Kafka's validation (KafkaError INVALID_REQUEST); validateOnly checks only. */
  alter(resourceName: string, configs: Record<string, string>, validateOnly: boolean): Promise<void>;
}

/** Dynamic in Kafka, but this broker cannot apply them while it runs: refused rather than stored and ignored. */
const NOT_LIVE = new Set(['listeners', 'advertised.listeners', 'listener.security.protocol.map']);


const KIND_OF_TYPE: Record<ConfigTypeName, Kind> = {
  BOOLEAN: 'boolean',
  STRING: 'string',
  INT: 'int',
  SHORT: 'short',
  LONG: 'long',
  DOUBLE: 'double',
  LIST: 'list',
  CLASS: 'string',
  PASSWORD: 'string',
};

const SECURITY_CONFIGS = new Set(DYNAMIC_SECURITY_CONFIGS);
const baseName = (name: string): string => listenerBaseName(name) ?? name;
const isListenerPrefixed = (name: string): boolean => listenerBaseName(name) !== undefined;
const isPassword = (name: string): boolean => brokerConfigType(name) === 'PASSWORD';

/** Scala's Set.toString, which Kafka's messages print. */
const scalaSet = (names: string[]): string => `${names.length > 4 ? 'HashSet' : 'Set'}(${names.join(', ')})`;

export class DynamicBrokerConfig implements BrokerConfigs {
  private readonly staticProps: ReadonlyMap<string, string>;

  constructor(
    private readonly live: BrokerConfig,
    private readonly brokerId: number,
    private readonly entities: EntityConfigView,
    private readonly store: (entityPath: string, configs: Record<string, string>) => Promise<void>,
    private readonly warn: (line: string) => void,
  ) {
    this.staticProps = live.props;
  }

  /** Whether a change of this entity's configs concerns this broker. */
  concerns(entityPath: string): boolean {
    return entityPath === brokerEntity(null) || entityPath === brokerEntity(this.brokerId);
  }

  /** The layers in effect; `onSkipped` hears each stored config this broker cannot use. */
  layers(onSkipped: (name: string, perBroker: boolean) => void = () => undefined): BrokerConfigLayers {
    return {
      dynamicBroker: this.usable(this.entities.get(brokerEntity(this.brokerId)), true, onSkipped),
      dynamicDefault: this.usable(this.entities.get(brokerEntity(null)), false, onSkipped),
      static: this.staticProps,
    };
  }

  /**
   * Takes the stored dynamic configs into the live config; false when they leave it as it was. A
   * combination the config parser refuses is logged and ignored, as Kafka ignores it.
   */
  reload(): boolean {
    // Skipped configs are logged here, once per change, not at every describe.
    const next = this.parse(this.layers((name, perBroker) => this.warn(`Dynamic ${perBroker ? 'broker' : 'default'} config ${name} is not used: it cannot be changed dynamically here`)));
    if (next === null) return false;
    const changed = Object.keys(next).some((k) => k !== 'props' && JSON.stringify(next[k as keyof BrokerConfig]) !== JSON.stringify(this.live[k as keyof BrokerConfig]));
    Object.assign(this.live, next, { props: this.staticProps });
    return changed;
  }

  describe(resourceName: string): DescribedConfig[] {
    const perBroker = this.brokerIdOf(resourceName, 'describe') !== null;
    const layers = this.layers();
    const names = perBroker
      ? new Set([...Object.keys(BROKER_CONFIG_DEFS), ...layers.static.keys(), ...Object.keys(layers.dynamicDefault), ...Object.keys(layers.dynamicBroker)])
      : new Set(Object.keys(layers.dynamicDefault));
    return [...names].map((name) => describeBrokerConfig(name, layers, perBroker));
  }

  stored(resourceName: string): Record<string, string> {
    return { ...this.entities.get(brokerEntity(this.brokerIdOf(resourceName, 'alter'))) };
  }

  async alter(resourceName: string, configs: Record<string, string>, validateOnly: boolean): Promise<void> {
    const brokerId = this.brokerIdOf(resourceName, 'alter');
    try {
      this.validate(configs, brokerId !== null);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      throw new KafkaError(ErrorCode.INVALID_REQUEST, `Invalid config value for resource ConfigResource(type=BROKER, name='${resourceName}'): ${err.message}`);
    }
    if (!validateOnly) await this.store(brokerEntity(brokerId), configs);
  }

  /** DynamicBrokerConfig.validate: Kafka's checks in Kafka's order, then the whole config rebuilt with the change. */
  private validate(configs: Record<string, string>, perBroker: boolean): void {
    const names = Object.keys(configs);
    const refuse = (found: string[], message: string) => {
      if (found.length > 0) throw new ConfigError(`${message}: ${scalaSet(found)}`);
    };
    refuse(names.filter((n) => BROKER_CONFIG_DEFS[n]?.dynamic === 'read-only'), 'Cannot update these configs dynamically');
    refuse(names.filter((n) => SECURITY_CONFIGS.has(n)), 'These security configs can be dynamically updated only per-listener using the listener prefix');
    for (const name of names) validateBrokerValue(baseName(name), configs[name], kindOf(baseName(name)));
    if (!perBroker) {
      refuse(names.filter((n) => BROKER_CONFIG_DEFS[n]?.dynamic === 'per-broker' || isListenerPrefixed(n)), 'Cannot update these configs at default cluster level, broker id must be specified');
    }
    refuse(names.filter((n) => NOT_LIVE.has(n) || isListenerPrefixed(n) || isPassword(n)), 'This broker cannot apply these configs while it runs yet');
    const current = this.layers();
    const layers = perBroker ? { ...current, dynamicBroker: configs } : { ...current, dynamicDefault: configs };
    const rebuilt = this.parse(layers, true);
    if (rebuilt === null) throw new ConfigError('Invalid dynamic configuration');
  }

  /** The stored configs this broker can use: as Kafka's removeInvalidConfigs, others are skipped. */
  private usable(stored: Readonly<Record<string, string>>, perBroker: boolean, onSkipped: (name: string, perBroker: boolean) => void): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(stored)) {
      const def = BROKER_CONFIG_DEFS[name];
      const allowed = def ? def.dynamic === 'cluster-wide' || (perBroker && def.dynamic === 'per-broker') : !isListenerPrefixed(name);
      if (allowed && !NOT_LIVE.has(name) && !isPassword(name)) out[name] = value;
      else onSkipped(name, perBroker);
    }
    return out;
  }

  private parse(layers: BrokerConfigLayers, rethrow = false): BrokerConfig | null {
    const merged = new Map(layers.static);
    for (const [k, v] of Object.entries(layers.dynamicDefault)) merged.set(k, v);
    for (const [k, v] of Object.entries(layers.dynamicBroker)) merged.set(k, v);
    try {
      return parseConfig(merged, () => undefined);
    } catch (err) {
      if (rethrow || !(err instanceof ConfigError)) throw err;
      this.warn(`Dynamic broker configs not applied: ${err.message}`);
      return null;
    }
  }

  /** null for "" (the cluster default); this broker's id; KafkaError INVALID_REQUEST for any other. */
  private brokerIdOf(resourceName: string, op: 'describe' | 'alter'): number | null {
    if (resourceName === '') return null;
    if (resourceName !== String(this.brokerId)) {
      const expected = op === 'describe' ? `${this.brokerId} or empty string` : `${this.brokerId}`;
      throw new KafkaError(ErrorCode.INVALID_REQUEST, `Unexpected broker id, expected ${expected}, but received ${resourceName}`);
    }
    return this.brokerId;
  }
}

function kindOf(name: string): Kind | undefined {
  const type = brokerConfigType(name);
  return type && KIND_OF_TYPE[type];
}

/** Kafka's ConfigDef.convertToString of a parsed value, from its text. */
function canonical(value: string, type: ConfigTypeName | undefined): string {
  const text = value.trim();
  switch (type) {
    case 'LIST':
      return text === '' ? '' : text.split(/\s*,\s*/).join(',');
    case 'BOOLEAN':
      return text.toLowerCase();
    case 'DOUBLE': {
      // Java's Double.toString keeps one decimal on whole numbers.
      const n = Number(text);
      return Number.isInteger(n) ? n.toFixed(1) : String(n);
    }
    default:
      return text;
  }
}

const CONFIG_TYPE: Record<ConfigTypeName, number> = {
  BOOLEAN: ConfigType.BOOLEAN,
  STRING: ConfigType.STRING,
  INT: ConfigType.INT,
  SHORT: ConfigType.SHORT,
  LONG: ConfigType.LONG,
  DOUBLE: ConfigType.DOUBLE,
  LIST: ConfigType.LIST,
  CLASS: ConfigType.CLASS,
  PASSWORD: ConfigType.PASSWORD,
};

/**
 * ConfigHelper.createBrokerConfigEntry: the value in effect, its synonyms and source, read-only unless
 * Kafka can change it dynamically, sensitive when it is a password or of unknown type.
 */
function describeBrokerConfig(name: string, layers: BrokerConfigLayers, perBroker: boolean): DescribedConfig {
  const type = brokerConfigType(name);
  const sensitive = isSensitiveBrokerConfig(name);
  const synonyms = configSynonyms(name, layers, sensitive, perBroker);
  const raw = perBroker ? layeredValue(layers, name) : layers.dynamicDefault[name];
  const value = raw !== undefined ? canonical(raw, type) : (BROKER_CONFIG_DEFS[name]?.default ?? null);
  return {
    name,
    value: sensitive ? null : value,
    readOnly: BROKER_CONFIG_DEFS[name]?.dynamic !== 'cluster-wide' && BROKER_CONFIG_DEFS[name]?.dynamic !== 'per-broker',
    configSource: synonyms.length > 0 ? synonyms[0].source : ConfigSource.DEFAULT_CONFIG,
    isSensitive: sensitive,
    configType: type ? CONFIG_TYPE[type] : ConfigType.UNKNOWN,
    synonyms,
    documentation: (BROKER_CONFIG_DEFS[name] ?? BROKER_CONFIG_DEFS[baseName(name)])?.doc ?? null,
  };
}
