// kafka-acls.sh, following Kafka 3.9's AclCommand over --bootstrap-server: --add, --remove and
// --list of ACLs on topics, groups, the cluster, transactional ids, delegation tokens and user
// principals, with the --producer / --consumer / --idempotent convenience sets, literal or
// prefixed patterns (match and any filters for listing and removing), and Kafka's messages.

import { createInterface } from 'node:readline';
import { Apis, ErrorCode } from '../../../protocol';
import { BrokerNotReachableError, ClusterClient } from '../../client/cluster-client';
import { connectCluster } from '../cluster-options';
import { OptionSpec, ParsedOptions, ToolCommand, ToolError, UsageError } from '../command-line';
import { KafkaApiError } from '../kafka-api-error';
import {
  ANY,
  AccessControlEntry,
  CLUSTER,
  DELEGATION_TOKEN,
  GROUP,
  LITERAL,
  OPERATIONS,
  PATTERN_TYPES,
  ResourcePattern,
  SUPPORTED_OPERATIONS,
  TOPIC,
  TRANSACTIONAL_ID,
  USER,
  RESOURCE_TYPES,
  aclBlock,
  code,
  entryKey,
  operationName,
  parseOperation,
  patternKey,
  patternText,
  entryText,
} from './acl-model';

const OPERATION_LIST = ['DESCRIBE', 'DESCRIBE_CONFIGS', 'ALTER', 'IDEMPOTENT_WRITE', 'READ', 'DELETE', 'CREATE', 'CLUSTER_ACTION', 'ALL', 'CREATE_TOKENS', 'DESCRIBE_TOKENS', 'WRITE', 'ALTER_CONFIGS'];

const OPTIONS: OptionSpec[] = [
  {
    name: 'bootstrap-server',
    arg: 'String: server to connect to',
    description:
      'A list of host/port pairs to use for establishing the connection to the Kafka cluster. This list should be in the form host1:port1,host2:port2,... This config is required for acl management using admin client API.',
  },
  { name: 'command-config', arg: 'String: command-config', optionalArg: true, description: 'A property file containing configs to be passed to Admin Client.' },
  { name: 'topic', arg: 'String: topic', repeatable: true, description: "topic to which ACLs should be added or removed. A value of '*' indicates ACL should apply to all topics." },
  { name: 'cluster', description: 'Add/Remove cluster ACLs.' },
  { name: 'group', arg: 'String: group', repeatable: true, description: "Consumer Group to which the ACLs should be added or removed. A value of '*' indicates the ACLs should apply to all groups." },
  {
    name: 'transactional-id',
    arg: 'String: transactional-id',
    repeatable: true,
    description: "The transactionalId to which ACLs should be added or removed. A value of '*' indicates the ACLs should apply to all transactionalIds.",
  },
  {
    name: 'idempotent',
    description:
      'Enable idempotence for the producer. This should be used in combination with the --producer option. Note that idempotence is enabled automatically if the producer is authorized to a particular transactional-id.',
  },
  { name: 'delegation-token', arg: 'String: delegation-token', repeatable: true, description: "Delegation token to which ACLs should be added or removed. A value of '*' indicates ACL should apply to all tokens." },
  {
    name: 'resource-pattern-type',
    arg: 'ANY|MATCH|LITERAL|PREFIXED',
    defaultValue: 'LITERAL',
    description:
      "The type of the resource pattern or pattern filter. When adding acls, this should be a specific pattern type, e.g. 'literal' or 'prefixed'. When listing or removing acls, a specific pattern type can be used to list or remove acls from specific resource patterns, or use the filter values of 'any' or 'match', where 'any' will match any pattern type, but will match the resource name exactly, where as 'match' will perform pattern matching to list or remove all acls that affect the supplied resource(s). WARNING: 'match', when used in combination with the '--remove' switch, should be used with care.",
  },
  { name: 'add', description: 'Indicates you are trying to add ACLs.' },
  { name: 'remove', description: 'Indicates you are trying to remove ACLs.' },
  { name: 'list', description: 'List ACLs for the specified resource, use --topic <topic> or --group <group> or --cluster to specify a resource.' },
  {
    name: 'operation',
    arg: 'String',
    repeatable: true,
    defaultValue: 'All',
    description: `Operation that is being allowed or denied. Valid operation names are: \n${OPERATION_LIST.map((o) => `\t${operationName(code(OPERATIONS, o))}`).join('\n')}\n`,
  },
  {
    name: 'allow-principal',
    arg: 'String: allow-principal',
    repeatable: true,
    description: "principal is in principalType:name format. Note that principalType must be supported by the Authorizer being used. For example, User:'*' is the wild card indicating all users.",
  },
  {
    name: 'deny-principal',
    arg: 'String: deny-principal',
    repeatable: true,
    description:
      "principal is in principalType:name format. By default anyone not added through --allow-principal is denied access. You only need to use this option as negation to already allowed set. Note that principalType must be supported by the Authorizer being used. For example if you wanted to allow access to all users in the system but not test-user you can define an ACL that allows access to User:'*' and specify --deny-principal=User:test@EXAMPLE.COM. AND PLEASE REMEMBER DENY RULES TAKES PRECEDENCE OVER ALLOW RULES.",
  },
  {
    name: 'principal',
    arg: 'String: principal',
    optionalArg: true,
    repeatable: true,
    description: 'List ACLs for the specified principal. principal is in principalType:name format. Note that principalType must be supported by the Authorizer being used. Multiple --principal option can be passed.',
  },
  {
    name: 'allow-host',
    arg: 'String: allow-host',
    repeatable: true,
    description: "Host from which principals listed in --allow-principal will have access. If you have specified --allow-principal then the default for this option will be set to '*' which allows access from all hosts.",
  },
  {
    name: 'deny-host',
    arg: 'String: deny-host',
    repeatable: true,
    description: "Host from which principals listed in --deny-principal will be denied access. If you have specified --deny-principal then the default for this option will be set to '*' which denies access from all hosts.",
  },
  { name: 'producer', description: 'Convenience option to add/remove ACLs for producer role. This will generate ACLs that allows WRITE,DESCRIBE and CREATE on topic.' },
  { name: 'consumer', description: 'Convenience option to add/remove ACLs for consumer role. This will generate ACLs that allows READ,DESCRIBE on topic and READ on group.' },
  { name: 'force', description: 'Assume Yes to all queries and do not prompt.' },
  {
    name: 'user-principal',
    arg: 'String: user-principal',
    repeatable: true,
    description: 'Specifies a user principal as a resource in relation with the operation. For instance one could grant CreateTokens or DescribeTokens permission on a given user principal.',
  },
];

export const command = new ToolCommand('This tool helps to manage acls on kafka.', OPTIONS);

/** A failure Kafka prints as "Error while executing ACL command: ..." (exit 1). */
class AclCommandError extends Error {}

export function checkArgs(o: ParsedOptions): void {
  if (!o.has('bootstrap-server')) throw new UsageError('Missing required argument "[bootstrap-server]"');
  if (['add', 'remove', 'list'].filter((a) => o.has(a)).length !== 1) throw new UsageError('Command must include exactly one action: --list, --add, --remove. ');
  const invalid = (used: string, others: readonly string[]) => {
    if (!o.has(used)) return;
    for (const other of others) if (o.has(other)) throw new UsageError(`Option "[${used}]" can't be used with option "[${other}]"`);
  };
  invalid('list', ['producer', 'consumer', 'allow-host', 'allow-principal', 'deny-host', 'deny-principal']);
  invalid('producer', ['operation', 'deny-principal', 'deny-host']);
  invalid('consumer', ['operation', 'deny-principal', 'deny-host']);
  if (o.has('principal') && !o.has('list')) throw new UsageError('The --principal option is only available if --list is set');
  if (o.has('producer') && !o.has('topic')) throw new UsageError('With --producer you must specify a --topic');
  if (o.has('idempotent') && !o.has('producer')) throw new UsageError('The --idempotent option is only available if --producer is set');
  if (o.has('consumer') && (!o.has('topic') || !o.has('group') || (!o.has('producer') && (o.has('cluster') || o.has('transactional-id'))))) {
    throw new UsageError('With --consumer you must specify a --topic and a --group and no --cluster or --transactional-id option should be specified.');
  }
}

function patternType(o: ParsedOptions): number {
  const text = o.value('resource-pattern-type')!;
  const i = PATTERN_TYPES.findIndex((p, n) => n > 0 && p === text.trim().toUpperCase());
  if (i < 0) throw new UsageError(`Unknown resource-pattern-type: ${text}`);
  return i;
}

/** Kafka's getResourceFilter: topics, the cluster, groups, transactional ids, tokens, users, in that order. */
function resourceFilters(o: ParsedOptions, dieIfNone: boolean): ResourcePattern[] {
  const pt = patternType(o);
  const out: ResourcePattern[] = [];
  const add = (p: ResourcePattern) => {
    if (!out.some((x) => patternKey(x) === patternKey(p))) out.push(p);
  };
  for (const t of o.all('topic')) add({ resourceType: TOPIC, name: t.trim(), patternType: pt });
  if (pt === LITERAL && (o.has('cluster') || o.has('idempotent'))) add({ resourceType: CLUSTER, name: 'kafka-cluster', patternType: LITERAL });
  for (const g of o.all('group')) add({ resourceType: GROUP, name: g.trim(), patternType: pt });
  for (const t of o.all('transactional-id')) add({ resourceType: TRANSACTIONAL_ID, name: t, patternType: pt });
  for (const t of o.all('delegation-token')) add({ resourceType: DELEGATION_TOKEN, name: t.trim(), patternType: pt });
  for (const u of o.all('user-principal')) add({ resourceType: USER, name: u.trim(), patternType: pt });
  if (out.length === 0 && dieIfNone) throw new UsageError('You must provide at least one resource: --topic <topic> or --cluster or --group <group> or --delegation-token <Delegation Token ID>');
  return out;
}

function principals(o: ParsedOptions, option: string): string[] {
  return [
    ...new Set(
      o.all(option).map((p) => {
        const s = p.trim();
        const i = s.indexOf(':');
        if (i <= 0 || i === s.length - 1) throw new AclCommandError(`expected a string in format principalType:principalName but got ${s}`);
        return s;
      }),
    ),
  ];
}

function hosts(o: ParsedOptions, hostOption: string, principalOption: string): string[] {
  if (o.has(hostOption)) return [...new Set(o.all(hostOption).map((h) => h.trim()))];
  return o.has(principalOption) ? ['*'] : [];
}

/** Kafka's getAcl: every principal × operation × host, allows then denies. */
function entriesFor(o: ParsedOptions, operations: readonly number[]): AccessControlEntry[] {
  const out: AccessControlEntry[] = [];
  const add = (ps: string[], hs: string[], permissionType: number) => {
    for (const principal of ps) for (const operation of operations) for (const host of hs) out.push({ principal, host, operation, permissionType });
  };
  add(principals(o, 'allow-principal'), hosts(o, 'allow-host', 'allow-principal'), code(['UNKNOWN', 'ANY', 'DENY', 'ALLOW'], 'ALLOW'));
  add(principals(o, 'deny-principal'), hosts(o, 'deny-host', 'deny-principal'), code(['UNKNOWN', 'ANY', 'DENY', 'ALLOW'], 'DENY'));
  return dedupe(out);
}

const dedupe = (entries: readonly AccessControlEntry[]): AccessControlEntry[] => [...new Map(entries.map((e) => [entryKey(e), e])).values()];
const op = (name: string) => code(OPERATIONS, name);

/** Kafka's getResourceFilterToAcls: the command line's ACLs, or the --producer / --consumer sets, per resource. */
function filterToAcls(o: ParsedOptions): [ResourcePattern, AccessControlEntry[]][] {
  const result = new Map<string, [ResourcePattern, AccessControlEntry[]]>();
  const put = (p: ResourcePattern, acls: AccessControlEntry[]) => result.set(patternKey(p), [p, acls]);
  if (!o.has('producer') && !o.has('consumer')) {
    const operations = [...new Set(o.all('operation').length > 0 ? o.all('operation').map(parseOperation) : [op('ALL')])];
    const acls = entriesFor(o, operations);
    for (const p of resourceFilters(o, true)) put(p, acls);
  }
  if (o.has('producer')) {
    const filters = resourceFilters(o, true);
    for (const p of filters.filter((f) => f.resourceType === TOPIC)) put(p, entriesFor(o, [op('WRITE'), op('DESCRIBE'), op('CREATE')]));
    for (const p of filters.filter((f) => f.resourceType === TRANSACTIONAL_ID)) put(p, entriesFor(o, [op('WRITE'), op('DESCRIBE')]));
    if (o.has('idempotent')) put({ resourceType: CLUSTER, name: 'kafka-cluster', patternType: LITERAL }, entriesFor(o, [op('IDEMPOTENT_WRITE')]));
  }
  if (o.has('consumer')) {
    const filters = resourceFilters(o, true);
    const consumer: [ResourcePattern, AccessControlEntry[]][] = [
      ...filters.filter((f) => f.resourceType === TOPIC).map((p): [ResourcePattern, AccessControlEntry[]] => [p, entriesFor(o, [op('READ'), op('DESCRIBE')])]),
      ...filters.filter((f) => f.resourceType === GROUP).map((p): [ResourcePattern, AccessControlEntry[]] => [p, entriesFor(o, [op('READ')])]),
    ];
    for (const [p, acls] of consumer) put(p, dedupe([...acls, ...(result.get(patternKey(p))?.[1] ?? [])]));
  }
  for (const [p, acls] of result.values()) {
    const valid = SUPPORTED_OPERATIONS[p.resourceType] ?? ['ALL'];
    if (acls.some((a) => !valid.includes(OPERATIONS[a.operation]))) {
      throw new UsageError(`ResourceType ${RESOURCE_TYPES[p.resourceType]} only supports operations ${valid.map((v) => operationName(op(v))).join(', ')}`);
    }
  }
  return [...result.values()];
}

export async function main(options: ParsedOptions): Promise<number> {
  checkArgs(options);
  let client: ClusterClient | undefined;
  try {
    client = await connectCluster(options, 'kafka-acls');
    if (options.has('add')) await addAcls(client, options);
    else if (options.has('remove')) await removeAcls(client, options);
    else await listAcls(client, options);
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof ToolError) throw err;
    if (err instanceof BrokerNotReachableError) throw new ToolError(err.message);
    const message = err instanceof KafkaApiError ? err.toString() : err instanceof Error ? err.message : String(err);
    const trace = err instanceof KafkaApiError ? `java.util.concurrent.ExecutionException: ${message}` : `java.lang.IllegalArgumentException: ${message}`;
    process.stdout.write(`Error while executing ACL command: ${message}\n${trace}\n`);
    return 1;
  } finally {
    client?.close();
  }
}

async function addAcls(client: ClusterClient, o: ParsedOptions): Promise<void> {
  const pt = patternType(o);
  if (pt === ANY || pt === code(PATTERN_TYPES, 'MATCH')) throw new UsageError(`A '--resource-pattern-type' value of '${PATTERN_TYPES[pt]}' is not valid when adding acls.`);
  const toAdd = filterToAcls(o);
  if (toAdd.some(([, acls]) => acls.length === 0)) throw new UsageError('You must specify one of: --allow-principal, --deny-principal when trying to add ACLs.');
  for (const [p, acls] of toAdd) {
    process.stdout.write(aclBlock('Adding ACLs for resource', p, acls));
    const res = await client.request(Apis.CreateAcls, {
      creations: acls.map((a) => ({ resourceType: p.resourceType, resourceName: p.name, resourcePatternType: p.patternType, ...a })),
    });
    const failed = res.results.find((r) => r.errorCode !== ErrorCode.NONE);
    if (failed) throw new KafkaApiError(failed.errorCode, failed.errorMessage);
  }
  await listAcls(client, o);
}

async function removeAcls(client: ClusterClient, o: ParsedOptions): Promise<void> {
  for (const [p, acls] of filterToAcls(o)) {
    const question =
      acls.length === 0
        ? `Are you sure you want to delete all ACLs for resource filter \`${patternText(p)}\`? (y/n)`
        : `Are you sure you want to remove ACLs: \n ${acls.map((a) => `\t${entryText(a)}`).join('\n')} \n from resource filter \`${patternText(p)}\`? (y/n)`;
    if (!(await confirm(o, question))) continue;
    const base = { resourceTypeFilter: p.resourceType, resourceNameFilter: p.name, patternTypeFilter: p.patternType };
    const filters =
      acls.length === 0
        ? [{ ...base, principalFilter: null, hostFilter: null, operation: ANY, permissionType: ANY }]
        : acls.map((a) => ({ ...base, principalFilter: a.principal, hostFilter: a.host, operation: a.operation, permissionType: a.permissionType }));
    const res = await client.request(Apis.DeleteAcls, { filters });
    for (const r of res.filterResults) {
      if (r.errorCode !== ErrorCode.NONE) throw new KafkaApiError(r.errorCode, r.errorMessage);
      const failed = r.matchingAcls.find((m) => m.errorCode !== ErrorCode.NONE);
      if (failed) throw new KafkaApiError(failed.errorCode, failed.errorMessage);
    }
  }
  await listAcls(client, o);
}

async function confirm(o: ParsedOptions, question: string): Promise<boolean> {
  if (o.has('force')) return true;
  process.stdout.write(`${question}\n`);
  const rl = createInterface({ input: process.stdin });
  const line = await new Promise<string>((resolve) => {
    rl.once('line', resolve);
    rl.once('close', () => resolve(''));
  });
  rl.close();
  return line.trim().toLowerCase() === 'y';
}

async function listAcls(client: ClusterClient, o: ParsedOptions): Promise<void> {
  const filters = resourceFilters(o, false);
  const bindings = new Map<string, [ResourcePattern, AccessControlEntry[]]>();
  const describe = async (f: ResourcePattern | null) => {
    const res = await client.request(Apis.DescribeAcls, {
      resourceTypeFilter: f?.resourceType ?? ANY,
      resourceNameFilter: f?.name ?? null,
      patternTypeFilter: f?.patternType ?? ANY,
      principalFilter: null,
      hostFilter: null,
      operation: ANY,
      permissionType: ANY,
    });
    if (res.errorCode !== ErrorCode.NONE) throw new KafkaApiError(res.errorCode, res.errorMessage);
    for (const r of res.resources) {
      const p = { resourceType: r.resourceType, name: r.resourceName, patternType: r.patternType };
      const entry = bindings.get(patternKey(p)) ?? [p, []];
      entry[1] = dedupe([...entry[1], ...r.acls]);
      bindings.set(patternKey(p), entry);
    }
  };
  if (filters.length === 0) await describe(null);
  else for (const f of filters) await describe(f);
  const listPrincipals = o.all('principal');
  if (listPrincipals.length === 0 && !o.has('principal')) {
    for (const [p, acls] of bindings.values()) process.stdout.write(aclBlock('Current ACLs for resource', p, acls));
    return;
  }
  for (const principal of principals(o, 'principal')) {
    process.stdout.write(`ACLs for principal \`${principal}\`\n`);
    for (const [p, acls] of bindings.values()) {
      const mine = acls.filter((a) => a.principal === principal);
      if (mine.length > 0) process.stdout.write(aclBlock('Current ACLs for resource', p, mine));
    }
  }
}
