// kafka-configs.sh, following Kafka 3.9's ConfigCommand over --bootstrap-server: --describe
// (dynamic configs, or --all) and --alter (--add-config, --add-config-file, --delete-config) of
// topics and brokers through DescribeConfigs / IncrementalAlterConfigs, of users' and clients'
// quotas through DescribeClientQuotas / AlterClientQuotas, and of users' SCRAM credentials through
// DescribeUserScramCredentials / AlterUserScramCredentials, with Kafka's messages and layouts.

import { Apis, ErrorCode } from '../../../protocol';
import { SCRAM_MECHANISMS, SCRAM_MECHANISM_CODES, ScramMechanism, scramUpsertion } from '../../auth/scram-credential';
import { BrokerNotReachableError, ClusterClient } from '../../client/cluster-client';
import { BOOTSTRAP_SERVER, connectCluster, readPropertiesFile } from '../cluster-options';
import { OptionSpec, ParsedOptions, ToolCommand, ToolError, UsageError } from '../command-line';
import { stringOrder } from '../java-order';
import { KafkaApiError } from '../kafka-api-error';
import { ConfigEntryView, formatConfigEntry, javaDouble, parseAddConfig, validateKeys } from './config-format';

const OPTIONS: OptionSpec[] = [
  { ...BOOTSTRAP_SERVER, description: 'The Kafka servers to connect to.' },
  {
    name: 'command-config',
    arg: 'String: command config property file',
    description: 'Property file containing configs to be passed to Admin Client. This is used only with --bootstrap-server option for describing and altering broker configs.',
  },
  { name: 'alter', description: 'Alter the configuration for the entity.' },
  { name: 'describe', description: 'List configs for the given entity.' },
  { name: 'all', description: 'List all configs for the given entity, including static configs if available.' },
  { name: 'entity-type', arg: 'String', repeatable: true, description: 'Type of entity (topics/clients/users/brokers/broker-loggers/ips/client-metrics)' },
  { name: 'entity-name', arg: 'String', repeatable: true, description: 'Name of entity (topic name/client id/user principal name/broker id/ip/client metrics)' },
  { name: 'entity-default', description: 'Default entity name for clients/users/brokers/ips (applies to corresponding entity type in command line)' },
  {
    name: 'add-config',
    arg: 'String',
    description:
      "Key Value pairs of configs to add. Square brackets can be used to group values which contain commas: 'k1=v1,k2=[v1,v2,v2],k3=v3'. Entity types 'users' and 'clients' may be specified together to update config for clients of a specific user.",
  },
  { name: 'add-config-file', arg: 'String', description: 'Path to a properties file with configs to add. See add-config for a list of valid configurations.' },
  { name: 'delete-config', arg: 'String', repeatable: true, description: "config keys to remove 'k1,k2'" },
  { name: 'force', description: 'Suppress console prompts' },
  { name: 'topic', arg: 'String', description: "The topic's name." },
  { name: 'client', arg: 'String', description: "The client's ID." },
  { name: 'client-defaults', description: 'The config defaults for all clients.' },
  { name: 'user', arg: 'String', description: "The user's principal name." },
  { name: 'user-defaults', description: 'The config defaults for all users.' },
  { name: 'broker', arg: 'String', description: "The broker's ID." },
  { name: 'broker-defaults', description: 'The config defaults for all brokers.' },
];

export const command = new ToolCommand('This tool helps to manipulate and describe entity config for a topic, client, user, broker, ip or client-metrics', OPTIONS);

/** A failure Kafka reports as its bare message on stderr (IllegalArgumentException, InvalidConfigurationException). */
class ConfigCommandError extends Error {}

const ENTITY_FLAGS: [string, string][] = [
  ['topic', 'topics'],
  ['client', 'clients'],
  ['user', 'users'],
  ['broker', 'brokers'],
];
const DEFAULT_FLAGS: [string, string][] = [
  ['client-defaults', 'clients'],
  ['user-defaults', 'users'],
  ['broker-defaults', 'brokers'],
];
const SUPPORTED_TYPES = ['topics', 'clients', 'users', 'brokers'];
const QUOTA_CONFIGS = new Set(['producer_byte_rate', 'consumer_byte_rate', 'request_percentage', 'controller_mutation_rate']);
const RESOURCE_TOPIC = 2;
const RESOURCE_BROKER = 4;
const SOURCE_DYNAMIC_TOPIC = 1;
const SOURCE_DYNAMIC_BROKER = 2;
const SOURCE_DYNAMIC_DEFAULT_BROKER = 3;
const DEFAULT_SCRAM_ITERATIONS = 4096;

interface Entities {
  types: string[];
  names: string[];
}

function entities(o: ParsedOptions): Entities {
  const types = [...o.all('entity-type'), ...[...ENTITY_FLAGS, ...DEFAULT_FLAGS].filter(([flag]) => o.has(flag)).map(([, type]) => type)];
  const names = [
    ...o.all('entity-name'),
    ...(o.has('entity-default') ? [''] : []),
    ...ENTITY_FLAGS.filter(([flag]) => o.has(flag)).map(([flag]) => o.value(flag)!),
    ...DEFAULT_FLAGS.filter(([flag]) => o.has(flag)).map(() => ''),
  ];
  return { types, names };
}

/** Kafka's checkArgs for --bootstrap-server. */
export function checkArgs(o: ParsedOptions): Entities {
  if (['alter', 'describe'].filter((a) => o.has(a)).length !== 1) throw new UsageError('Command must include exactly one action: --describe, --alter');
  if (o.has('describe')) {
    for (const other of ['alter', 'add-config', 'delete-config']) if (o.has(other)) throw new UsageError(`Option "[describe]" can't be used with option "[${other}]"`);
  }
  const e = entities(o);
  const duplicates = e.types.filter((t, i) => e.types.indexOf(t) !== i);
  if (duplicates.length > 0) throw new ConfigCommandError(`Duplicate entity type(s) specified: ${[...new Set(duplicates)].join(',')}`);
  if (!o.has('bootstrap-server')) throw new ConfigCommandError('Either --bootstrap-server or --bootstrap-controller must be specified.');
  for (const t of e.types) {
    if (!SUPPORTED_TYPES.includes(t)) throw new ConfigCommandError(`Invalid entity type ${t}, the entity type must be one of ${SUPPORTED_TYPES.join(', ')} with a --bootstrap-server argument`);
  }
  if (e.types.length === 0) throw new ConfigCommandError('At least one entity type must be specified');
  if (e.types.length > 1 && !(e.types.length === 2 && e.types.includes('users') && e.types.includes('clients'))) {
    throw new ConfigCommandError("Only 'users' and 'clients' entity types may be specified together");
  }
  const specific = [...ENTITY_FLAGS, ...DEFAULT_FLAGS].some(([flag]) => o.has(flag));
  if ((o.has('entity-name') || o.has('entity-type') || o.has('entity-default')) && specific) {
    throw new ConfigCommandError('--entity-{type,name,default} should not be used in conjunction with specific entity flags');
  }
  const hasName = e.names.some((n) => n !== '');
  const hasDefault = e.names.some((n) => n === '');
  if (hasName && e.types.includes('brokers')) {
    for (const id of [...o.all('entity-name'), ...(o.has('broker') ? [o.value('broker')!] : [])]) {
      if (!/^-?\d+$/.test(id)) throw new ConfigCommandError(`The entity name for ${e.types[0]} must be a valid integer broker id, but it is: ${id}`);
    }
  }
  if (o.has('describe') && o.has('entity-default') && !e.types.some((t) => ['users', 'clients', 'brokers'].includes(t))) {
    throw new ConfigCommandError(`--entity-default must not be specified with --describe of ${e.types.join(',')}`);
  }
  if (o.has('alter')) {
    if (e.types.some((t) => ['users', 'clients', 'brokers'].includes(t))) {
      if (!hasName && !hasDefault) throw new ConfigCommandError('An entity-name or default entity must be specified with --alter of users, clients, brokers or ips');
    } else if (!hasName) {
      throw new ConfigCommandError(`An entity name must be specified with --alter of ${e.types.join(',')}`);
    }
    if (o.has('add-config') && o.has('add-config-file')) throw new ConfigCommandError('Only one of --add-config or --add-config-file must be specified');
    if (!o.has('add-config') && !o.has('add-config-file') && !o.has('delete-config')) {
      throw new ConfigCommandError('At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter');
    }
    if (e.types.length !== e.names.length) throw new ConfigCommandError('An entity name must be specified for every entity type');
  }
  return e;
}

export async function main(options: ParsedOptions): Promise<number> {
  try {
    const e = checkArgs(options);
    const client = await connectCluster(options, 'kafka-configs');
    try {
      if (options.has('alter')) await alterConfig(client, options, e);
      else await describeConfig(client, options, e);
    } finally {
      client.close();
    }
    return 0;
  } catch (err) {
    if (err instanceof ConfigCommandError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    if (err instanceof UsageError || err instanceof ToolError) throw err;
    if (err instanceof BrokerNotReachableError) throw new ToolError(err.message);
    const argv = process.argv.slice(2).join(' ');
    const cause = err instanceof KafkaApiError ? `java.util.concurrent.ExecutionException: ${err.toString()}` : String(err instanceof Error ? err.message : err);
    process.stderr.write(`Error while executing config command with args '${argv}'\n${cause}\n`);
    return 1;
  }
}

function configsToAdd(o: ParsedOptions): Map<string, string> {
  const props = new Map<string, string>();
  if (o.has('add-config-file')) for (const [k, v] of readPropertiesFile(o.value('add-config-file'))) props.set(k, v);
  if (o.has('add-config')) {
    try {
      for (const [k, v] of parseAddConfig(o.value('add-config')!)) props.set(k, v);
    } catch (err) {
      throw new ConfigCommandError((err as Error).message);
    }
  }
  try {
    validateKeys(props.keys());
  } catch (err) {
    throw new ConfigCommandError((err as Error).message);
  }
  return props;
}

const configsToDelete = (o: ParsedOptions): string[] => o.all('delete-config').flatMap((v) => v.split(',')).map((k) => k.trim());

async function alterConfig(client: ClusterClient, o: ParsedOptions, e: Entities): Promise<void> {
  const [type] = e.types;
  const [name] = e.names;
  const toAdd = configsToAdd(o);
  const toDelete = configsToDelete(o);
  if (type === 'topics' || type === 'brokers') {
    const resourceType = type === 'topics' ? RESOURCE_TOPIC : RESOURCE_BROKER;
    const current = new Set((await resourceConfig(client, type, name, false, false)).map((c) => c.name));
    const invalid = toDelete.filter((k) => !current.has(k));
    if (invalid.length > 0) throw new ConfigCommandError(`Invalid config(s): ${invalid.join(',')}`);
    const res = await client.request(
      Apis.IncrementalAlterConfigs,
      {
        resources: [
          {
            resourceType,
            resourceName: name,
            configs: [...toDelete.map((k) => ({ name: k, configOperation: 1, value: '' })), ...[...toAdd].map(([k, v]) => ({ name: k, configOperation: 0, value: v }))],
          },
        ],
        validateOnly: false,
      },
      { to: type === 'brokers' && name !== '' ? Number(name) : 'any' },
    );
    for (const r of res.responses) if (r.errorCode !== ErrorCode.NONE) throw new KafkaApiError(r.errorCode, r.errorMessage);
  } else {
    const isScram = (k: string) => (SCRAM_MECHANISMS as readonly string[]).includes(k);
    const isQuota = (k: string) => QUOTA_CONFIGS.has(k);
    const unknownAdd = [...toAdd.keys()].filter((k) => !isScram(k) && !isQuota(k));
    const unknownDelete = toDelete.filter((k) => !isScram(k) && !isQuota(k));
    const scramAdd = [...toAdd.keys()].filter(isScram);
    const scramDelete = toDelete.filter(isScram);
    const quotaChange = [...toAdd.keys(), ...toDelete].some(isQuota);
    // Scala's toString of the collections Kafka names: a Set of the added keys, a Buffer of the deleted ones.
    const added = (xs: string[]) => `Set(${xs.join(', ')})`;
    const deleted = (xs: string[]) => `ArrayBuffer(${xs.join(', ')})`;
    if (type === 'clients' || e.types.length === 2) {
      if (unknownAdd.length > 0 || scramAdd.length > 0) throw new ConfigCommandError(`Only quota configs can be added for 'clients' using --bootstrap-server. Unexpected config names: ${added([...unknownAdd, ...scramAdd])}`);
      if (unknownDelete.length > 0 || scramDelete.length > 0) throw new ConfigCommandError(`Only quota configs can be deleted for 'clients' using --bootstrap-server. Unexpected config names: ${deleted([...unknownDelete, ...scramDelete])}`);
    } else {
      if (unknownAdd.length > 0) throw new ConfigCommandError(`Only quota and SCRAM credential configs can be added for 'users' using --bootstrap-server. Unexpected config names: ${added(unknownAdd)}`);
      if (unknownDelete.length > 0) throw new ConfigCommandError(`Only quota and SCRAM credential configs can be deleted for 'users' using --bootstrap-server. Unexpected config names: ${deleted(unknownDelete)}`);
      if (scramAdd.length > 0 || scramDelete.length > 0) {
        if (e.names.includes('')) throw new ConfigCommandError('The use of --entity-default or --user-defaults is not allowed with User SCRAM Credentials using --bootstrap-server.');
        if (quotaChange) throw new ConfigCommandError("Cannot alter both quota and SCRAM credential configs simultaneously for 'users' using --bootstrap-server.");
      }
    }
    if (quotaChange) await alterQuotas(client, e, toAdd, toDelete);
    else await alterScram(client, name, toAdd, scramDelete);
  }
  if (name !== '') process.stdout.write(`Completed updating config for ${type.slice(0, -1)} ${name}.\n`);
  else process.stdout.write(`Completed updating default config for ${type} in the cluster.\n`);
}

async function alterScram(client: ClusterClient, user: string, toAdd: Map<string, string>, toDelete: string[]): Promise<void> {
  const upsertions = [...toAdd].map(([mechanismName, credential]) => {
    const mechanism = mechanismName as ScramMechanism;
    const m = /^(?:iterations=(-?[0-9]*),)?password=(.*)$/s.exec(credential);
    if (!m) throw new ConfigCommandError(`Invalid credential property ${mechanism}=${credential}`);
    const iterations = m[1] !== undefined && m[1] !== '-1' ? Number(m[1]) : DEFAULT_SCRAM_ITERATIONS;
    if (iterations < DEFAULT_SCRAM_ITERATIONS) throw new ConfigCommandError(`Iterations ${iterations} is less than the minimum ${DEFAULT_SCRAM_ITERATIONS} required for ${mechanism}`);
    return scramUpsertion(user, mechanism, m[2], iterations);
  });
  const deletions = toDelete.map((m) => ({ name: user, mechanism: SCRAM_MECHANISM_CODES[m as ScramMechanism] }));
  const res = await client.request(Apis.AlterUserScramCredentials, { deletions, upsertions });
  for (const r of res.results) if (r.errorCode !== ErrorCode.NONE) throw new KafkaApiError(r.errorCode, r.errorMessage);
}

const QUOTA_ENTITY: Record<string, string> = { users: 'user', clients: 'client-id' };

async function quotaEntries(client: ClusterClient, e: Entities) {
  const components = e.types.map((t, i) => {
    const name = e.names[i];
    const entityType = QUOTA_ENTITY[t];
    if (name === undefined) return { entityType, matchType: 2, match: null };
    if (name === '') return { entityType, matchType: 1, match: null };
    return { entityType, matchType: 0, match: name };
  });
  const res = await client.request(Apis.DescribeClientQuotas, { components, strict: true });
  if (res.errorCode !== ErrorCode.NONE) throw new KafkaApiError(res.errorCode, res.errorMessage);
  return res.entries ?? [];
}

async function alterQuotas(client: ClusterClient, e: Entities, toAdd: Map<string, string>, toDelete: string[]): Promise<void> {
  const current = new Set((await quotaEntries(client, e))[0]?.values.map((v) => v.key) ?? []);
  const invalid = toDelete.filter((k) => !current.has(k));
  if (invalid.length > 0) throw new ConfigCommandError(`Invalid config(s): ${invalid.join(',')}`);
  const ops = [
    ...[...toAdd].map(([key, value]) => {
      const v = Number(value);
      if (value.trim() === '' || Number.isNaN(v)) throw new ConfigCommandError(`Cannot parse quota configuration value for ${key}: ${value}`);
      return { key, value: v, remove: false };
    }),
    ...toDelete.map((key) => ({ key, value: 0, remove: true })),
  ];
  const entity = e.types.map((t, i) => ({ entityType: QUOTA_ENTITY[t], entityName: e.names[i] === '' ? null : e.names[i] }));
  const res = await client.request(Apis.AlterClientQuotas, { entries: [{ entity, ops }], validateOnly: false });
  for (const r of res.entries) if (r.errorCode !== ErrorCode.NONE) throw new KafkaApiError(r.errorCode, r.errorMessage);
}

async function describeConfig(client: ClusterClient, o: ParsedOptions, e: Entities): Promise<void> {
  const [type] = e.types;
  if (type === 'topics' || type === 'brokers') {
    const all = o.has('all');
    let names: string[];
    if (e.names.length > 0) names = [e.names[0]];
    else if (type === 'topics') names = stringOrder((await client.metadata(null)).topics.map((t) => t.name!));
    else names = [...client.brokers().map((b) => String(b.nodeId)), ''];
    for (const name of names) {
      if (name === '') process.stdout.write(`Default configs for ${type} in the cluster are:\n`);
      else process.stdout.write(`${all ? 'All' : 'Dynamic'} configs for ${type.slice(0, -1)} ${name} are:\n`);
      for (const entry of await resourceConfig(client, type, name, true, all)) process.stdout.write(`${formatConfigEntry(entry)}\n`);
    }
    return;
  }
  for (const entry of await quotaEntries(client, e)) {
    const part = (entityType: string, label: string) => {
      const c = entry.entity.find((x) => x.entityType === entityType);
      if (!c) return [];
      return [c.entityName !== null ? `${label} '${c.entityName}'` : `the default ${label}`];
    };
    const entity = [...part('user', 'user-principal'), ...part('client-id', 'client-id'), ...part('ip', 'ip')].join(', ');
    const values = new Map(entry.values.map((v) => [v.key, v.value]));
    const text = stringOrder([...values.keys()])
      .map((k) => `${k}=${javaDouble(values.get(k)!)}`)
      .join(', ');
    process.stdout.write(`Quota configs for ${entity} are ${text}\n`);
  }
  if (!e.types.includes('clients') && !e.names.includes('')) await describeScram(client, e.names);
}

async function describeScram(client: ClusterClient, users: string[]): Promise<void> {
  const res = await client.request(Apis.DescribeUserScramCredentials, { users: users.length > 0 ? users.map((name) => ({ name })) : null });
  if (res.errorCode !== ErrorCode.NONE) throw new KafkaApiError(res.errorCode, res.errorMessage);
  const failed = res.results.find((r) => r.errorCode !== ErrorCode.NONE && r.errorCode !== ErrorCode.RESOURCE_NOT_FOUND);
  if (failed) throw new KafkaApiError(failed.errorCode, failed.errorMessage);
  for (const r of res.results) {
    if (r.errorCode === ErrorCode.RESOURCE_NOT_FOUND) continue;
    const mechanisms = Object.fromEntries(Object.entries(SCRAM_MECHANISM_CODES).map(([k, v]) => [v, k]));
    const text = r.credentialInfos.map((c) => `${mechanisms[c.mechanism] ?? 'UNKNOWN'}=iterations=${c.iterations}`).join(', ');
    process.stdout.write(`SCRAM credential configs for user-principal '${r.user}' are ${text}\n`);
  }
}

/** DescribeConfigs of one topic or broker: its dynamic entries (or all of them), sorted by name. */
async function resourceConfig(client: ClusterClient, type: string, name: string, includeSynonyms: boolean, all: boolean): Promise<ConfigEntryView[]> {
  const resourceType = type === 'topics' ? RESOURCE_TOPIC : RESOURCE_BROKER;
  const dynamicSource = type === 'topics' ? SOURCE_DYNAMIC_TOPIC : name === '' ? SOURCE_DYNAMIC_DEFAULT_BROKER : SOURCE_DYNAMIC_BROKER;
  const res = await client.request(
    Apis.DescribeConfigs,
    { resources: [{ resourceType, resourceName: name, configurationKeys: null }], includeSynonyms, includeDocumentation: false },
    { to: type === 'brokers' && name !== '' ? Number(name) : 'any' },
  );
  const result = res.results[0];
  if (!result) throw new KafkaApiError(ErrorCode.UNKNOWN_SERVER_ERROR);
  if (result.errorCode !== ErrorCode.NONE) throw new KafkaApiError(result.errorCode, result.errorMessage);
  return result.configs
    .filter((c) => all || c.configSource === dynamicSource)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((c) => ({ name: c.name, value: c.value, isSensitive: c.isSensitive, synonyms: c.synonyms }));
}

