// The security routes of the console API: ACL bindings (DescribeAcls / CreateAcls / DeleteAcls,
// named as kafka-acls.sh names them; a cluster without an authorizer answers SECURITY_DISABLED,
// which becomes 501) and SCRAM users (DescribeUserScramCredentials / AlterUserScramCredentials,
// the salted password computed here as Kafka's admin client does).

import { Apis, ErrorCode, MessageInput } from '../../protocol';
import { MIN_ITERATIONS, SCRAM_MECHANISMS, SCRAM_MECHANISM_CODES, ScramMechanism, scramUpsertion } from '../auth/scram-credential';
import { ANY, OPERATIONS, PATTERN_TYPES, PERMISSION_TYPES, RESOURCE_TYPES } from '../tools/acls/acl-model';
import { KafkaApiError } from '../tools/kafka-api-error';
import { badRequest } from './api-error';
import { Fields } from './http-io';
import { ApiContext, Route, ok, route } from './routes';

export const securityRoutes: Route[] = [
  route('GET', '/api/acls', listAcls),
  route('POST', '/api/acls', addAcl),
  route('POST', '/api/acls/delete', removeAcl),
  route('GET', '/api/users', listUsers),
  route('POST', '/api/users', addUser),
  route('DELETE', '/api/users/:user', removeUser),
];

interface Binding {
  resourceType: number;
  resourceName: string;
  patternType: number;
  principal: string;
  host: string;
  operation: number;
  permissionType: number;
}

function named(names: readonly string[], what: string, text: string): number {
  const i = names.indexOf(text.toUpperCase());
  if (i < 2) throw badRequest(`Unknown ${what} ${text}: use one of ${names.slice(2).join(', ')}`);
  return i;
}

function bindingOf(f: Fields): Binding {
  const principal = f.string('principal');
  if (!/^[^:]+:.+$/.test(principal)) throw badRequest(`Invalid principal ${principal}: use TYPE:NAME, e.g. User:alice`);
  return {
    resourceType: named(RESOURCE_TYPES, 'resourceType', f.string('resourceType')),
    resourceName: f.string('resourceName'),
    patternType: named(PATTERN_TYPES, 'patternType', f.optionalString('patternType') || 'LITERAL'),
    principal,
    host: f.optionalString('host') || '*',
    operation: named(OPERATIONS, 'operation', f.string('operation')),
    permissionType: named(PERMISSION_TYPES, 'permissionType', f.optionalString('permissionType') || 'ALLOW'),
  };
}

const bindingView = (b: Binding) => ({
  resourceType: RESOURCE_TYPES[b.resourceType] ?? 'UNKNOWN',
  resourceName: b.resourceName,
  patternType: PATTERN_TYPES[b.patternType] ?? 'UNKNOWN',
  principal: b.principal,
  host: b.host,
  operation: OPERATIONS[b.operation] ?? 'UNKNOWN',
  permissionType: PERMISSION_TYPES[b.permissionType] ?? 'UNKNOWN',
});

async function listAcls(ctx: ApiContext) {
  const res = await ctx.client.request(Apis.DescribeAcls, {
    resourceTypeFilter: ANY,
    resourceNameFilter: null,
    patternTypeFilter: ANY,
    principalFilter: null,
    hostFilter: null,
    operation: ANY,
    permissionType: ANY,
  });
  if (res.errorCode !== ErrorCode.NONE) throw new KafkaApiError(res.errorCode, res.errorMessage);
  return ok(
    res.resources.flatMap((r) =>
      r.acls.map((a) => bindingView({ resourceType: r.resourceType, resourceName: r.resourceName, patternType: r.patternType, principal: a.principal, host: a.host, operation: a.operation, permissionType: a.permissionType })),
    ),
  );
}

async function addAcl(ctx: ApiContext) {
  const b = bindingOf(await ctx.body());
  const res = await ctx.client.request(Apis.CreateAcls, { creations: [{ ...b, resourcePatternType: b.patternType }] });
  const failed = res.results.find((r) => r.errorCode !== ErrorCode.NONE);
  if (failed) throw new KafkaApiError(failed.errorCode, failed.errorMessage);
  return ok(bindingView(b), 201);
}

async function removeAcl(ctx: ApiContext) {
  const b = bindingOf(await ctx.body());
  const res = await ctx.client.request(Apis.DeleteAcls, {
    filters: [
      {
        resourceTypeFilter: b.resourceType,
        resourceNameFilter: b.resourceName,
        patternTypeFilter: b.patternType,
        principalFilter: b.principal,
        hostFilter: b.host,
        operation: b.operation,
        permissionType: b.permissionType,
      },
    ],
  });
  let removed = 0;
  for (const r of res.filterResults) {
    if (r.errorCode !== ErrorCode.NONE) throw new KafkaApiError(r.errorCode, r.errorMessage);
    removed += r.matchingAcls.length;
  }
  return ok({ removed });
}

async function listUsers(ctx: ApiContext) {
  const res = await ctx.client.request(Apis.DescribeUserScramCredentials, { users: null });
  if (res.errorCode !== ErrorCode.NONE) throw new KafkaApiError(res.errorCode, res.errorMessage);
  return ok(
    res.results
      .filter((r) => r.errorCode === ErrorCode.NONE)
      .map((r) => ({ user: r.user, credentials: r.credentialInfos.map((c) => ({ mechanism: mechanismName(c.mechanism), iterations: c.iterations })) }))
      .sort((a, b) => a.user.localeCompare(b.user)),
  );
}

function mechanismName(code: number): string {
  return SCRAM_MECHANISMS.find((m) => SCRAM_MECHANISM_CODES[m] === code) ?? 'UNKNOWN';
}

function parseMechanism(text: string | null): ScramMechanism {
  const m = (text || 'SCRAM-SHA-256').toUpperCase();
  if (!(SCRAM_MECHANISMS as readonly string[]).includes(m)) throw badRequest(`Unknown mechanism ${text}: use ${SCRAM_MECHANISMS.join(' or ')}`);
  return m as ScramMechanism;
}

async function alterScram(ctx: ApiContext, body: MessageInput<(typeof Apis.AlterUserScramCredentials)['request']>): Promise<void> {
  const res = await ctx.client.request(Apis.AlterUserScramCredentials, body);
  const failed = res.results.find((r) => r.errorCode !== ErrorCode.NONE);
  if (failed) throw new KafkaApiError(failed.errorCode, failed.errorMessage);
}

async function addUser(ctx: ApiContext) {
  const f = await ctx.body();
  const user = f.string('user');
  const password = f.string('password');
  const mechanism = parseMechanism(f.optionalString('mechanism'));
  const iterations = f.optionalInt('iterations', MIN_ITERATIONS) ?? MIN_ITERATIONS;
  await alterScram(ctx, { deletions: [], upsertions: [scramUpsertion(user, mechanism, password, iterations)] });
  return ok({ user, mechanism, iterations }, 201);
}

async function removeUser(ctx: ApiContext) {
  const user = ctx.params[0];
  const mechanism = parseMechanism(ctx.query.get('mechanism'));
  await alterScram(ctx, { deletions: [{ name: user, mechanism: SCRAM_MECHANISM_CODES[mechanism] }], upsertions: [] });
  return ok({ removed: user, mechanism });
}
