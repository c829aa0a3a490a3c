// The ACL matrix, in-process through the real handlers and the real AclAuthorizer: for every
// resource type and supported operation, the APIs needing exactly that permission, asked by a
// principal allowed (directly and by every operation implying it), one denied (ALLOW User:* and a
// DENY for them: DENY wins), one no ACL names (on a resource without ACLs, and with ACLs for
// others), and a super user, with allow.everyone.if.no.acl.found false and true. Every refusal gets
// the exact error code in Kafka's place, and nothing happens. Then literal, prefixed and wildcard
// patterns and host-specific ACLs for Produce and Fetch, and Metadata's auto-creation rule.

import { Apis, ErrorCode } from '../../protocol';
import { PatternType } from '../../src/auth/acl/acl-binding';
import { AclOperation as Op, CLUSTER_NAME, ResourceType as Type, SUPPORTED_OPERATIONS } from '../../src/auth/authorizer';
import metadata from '../../src/handlers/03-metadata';
import { call } from '../handlers/fake-context';
import { Acl, MatrixBroker, SUPER_USER, allow, deny, matrixBroker } from './acl-matrix-harness';
import { CELLS, Cell, observeFetch, observeProduce, seedTopic } from './acl-matrix-cells';

const typeName = (type: Type) => Object.keys(Type).find((k) => Type[k as keyof typeof Type] === type)!;
const opName = (op: Op) => Object.keys(Op).find((k) => Op[k as keyof typeof Op] === op)!;

/** ALL, the operation itself, and those implying it (AclAuthorizer: DESCRIBE by READ/WRITE/DELETE/ALTER, DESCRIBE_CONFIGS by ALTER_CONFIGS), where the type supports them. */
function grantingOps(type: Type, op: Op): Op[] {
  const implying = op === Op.DESCRIBE ? [Op.READ, Op.WRITE, Op.DELETE, Op.ALTER] : op === Op.DESCRIBE_CONFIGS ? [Op.ALTER_CONFIGS] : [];
  return [op, Op.ALL, ...implying.filter((o) => SUPPORTED_OPERATIONS[type].includes(o))];
}

interface Scenario {
  name: string;
  principal: string;
  /** ACLs on the cell's resource. */
  acls: (type: Type, op: Op, resource: string) => Acl[];
  /** Whether the prerequisite ACLs stay when they name the cell's resource (not where it must have none). */
  keepPrereqsOnResource: boolean;
  allowed: (allowEveryone: boolean) => boolean;
}

function scenarios(cell: Cell): Scenario[] {
  return [
    ...grantingOps(cell.type, cell.op).map(
      (granted): Scenario => ({
        name: `User:allowed with ALLOW ${opName(granted)}`,
        principal: 'User:allowed',
        acls: (type, _op, resource) => [allow('User:allowed', granted, type, resource)],
        keepPrereqsOnResource: true,
        allowed: () => true,
      }),
    ),
    {
      name: 'User:denied with ALLOW User:* and DENY',
      principal: 'User:denied',
      acls: (type, op, resource) => [allow('User:*', op, type, resource), deny('User:denied', op, type, resource)],
      keepPrereqsOnResource: true,
      allowed: () => false,
    },
    {
      name: 'User:nobody, the resource without ACLs',
      principal: 'User:nobody',
      acls: () => [],
      keepPrereqsOnResource: false,
      allowed: (allowEveryone) => allowEveryone,
    },
    {
      name: 'User:nobody, the resource with ACLs for others',
      principal: 'User:nobody',
      acls: (type, op, resource) => [allow('User:allowed', op, type, resource)],
      keepPrereqsOnResource: true,
      allowed: () => false,
    },
    {
      name: 'super user despite DENY User:* ALL',
      principal: SUPER_USER,
      acls: (type, _op, resource) => [deny('User:*', Op.ALL, type, resource)],
      keepPrereqsOnResource: true,
      allowed: () => true,
    },
  ];
}

/**
 * KIP-679: an idempotent producer is also allowed with WRITE on any topic, and with
 * allow.everyone.if.no.acl.found Kafka's authorizeByResourceType grants that unless a literal `*`
 * DENY stops it: so everyone gets a producer id there.
 */
function expectedAllowed(cell: Cell, scenario: Scenario, allowEveryone: boolean): boolean {
  if (cell.op === Op.IDEMPOTENT_WRITE && allowEveryone) return true;
  return scenario.allowed(allowEveryone);
}

/** Every other resource type carries an ACL for someone else, so allow.everyone.if.no.acl.found plays only on the cell's resource. */
const othersOnEveryOtherType = (type: Type): Acl[] =>
  [Type.TOPIC, Type.GROUP, Type.CLUSTER, Type.TRANSACTIONAL_ID, Type.DELEGATION_TOKEN, Type.USER].filter((t) => t !== type).map((t) => allow('User:other', Op.ALL, t, '*'));

const rows = [false, true].flatMap((allowEveryone) =>
  CELLS.flatMap((cell) =>
    scenarios(cell).map((scenario) => {
      const allowed = expectedAllowed(cell, scenario, allowEveryone);
      return {
        title: `allow.everyone.if.no.acl.found=${allowEveryone} ${typeName(cell.type)} ${opName(cell.op)} via ${cell.api}: ${scenario.name} is ${allowed ? 'allowed' : 'refused'}`,
        allowEveryone,
        cell,
        scenario,
        allowed,
      };
    }),
  ),
);

describe('ACL matrix', () => {
  let m: MatrixBroker;
  afterEach(() => m.close());

  test.each(rows)('$title', async ({ allowEveryone, cell, scenario, allowed }) => {
    m = await matrixBroker(allowEveryone);
    seedTopic(m);
    const resource = (await cell.setup?.(m)) || cell.resource;
    const onResource = (acl: Acl) => acl.type === cell.type && acl.name === resource;
    const prereqs = (cell.prereqs ?? []).filter((acl) => scenario.keepPrereqsOnResource || !onResource(acl));
    m.install([...othersOnEveryOtherType(cell.type), ...prereqs, ...scenario.acls(cell.type, cell.op, resource)]);
    const seen = await cell.observe(m, (version) => m.as(scenario.principal, version), resource);
    expect(seen).toEqual(allowed ? { code: cell.ok ?? ErrorCode.NONE, happened: true } : { code: cell.refusal, happened: false });
  });
});

describe('patterns and hosts for Produce and Fetch', () => {
  const TOPIC = 'team-data';
  const WHO = 'User:alice';
  const both = (pattern: Partial<Acl>): Acl[] => [allow(WHO, Op.WRITE, Type.TOPIC, pattern.name ?? TOPIC, pattern), allow(WHO, Op.READ, Type.TOPIC, pattern.name ?? TOPIC, pattern)];
  const denyBoth = (pattern: Partial<Acl>): Acl[] => [deny(WHO, Op.WRITE, Type.TOPIC, pattern.name ?? TOPIC, pattern), deny(WHO, Op.READ, Type.TOPIC, pattern.name ?? TOPIC, pattern)];
  /** `unmatched`: no ACL applies to the topic, so allow.everyone.if.no.acl.found decides. */
  const cases: { name: string; acls: Acl[]; host?: string; allowed: boolean; unmatched?: boolean }[] = [
    { name: 'a literal ALLOW on the topic', acls: both({}), allowed: true },
    { name: 'a literal ALLOW on another topic only', acls: both({ name: 'team-dat' }), allowed: false, unmatched: true },
    { name: 'a prefixed ALLOW on a prefix of the name', acls: both({ name: 'team-', pattern: PatternType.PREFIXED }), allowed: true },
    { name: 'a prefixed ALLOW on another prefix', acls: both({ name: 'other-', pattern: PatternType.PREFIXED }), allowed: false, unmatched: true },
    { name: 'a literal ALLOW named like a prefix (no prefix match)', acls: both({ name: 'team-' }), allowed: false, unmatched: true },
    { name: 'the wildcard resource *', acls: both({ name: '*' }), allowed: true },
    { name: 'a prefixed DENY over a literal ALLOW', acls: [...both({}), ...denyBoth({ name: 'team', pattern: PatternType.PREFIXED })], allowed: false },
    { name: 'a wildcard DENY over a literal ALLOW', acls: [...both({}), ...denyBoth({ name: '*' })], allowed: false },
    { name: 'an ALLOW for host 127.0.0.1, asked from there', acls: both({ host: '127.0.0.1' }), allowed: true },
    { name: 'an ALLOW for host 127.0.0.1, asked from another host', acls: both({ host: '127.0.0.1' }), host: '10.0.0.2', allowed: false },
    { name: 'a DENY for another host leaves the ALLOW', acls: [...both({}), ...denyBoth({ host: '10.0.0.2' })], allowed: true },
    { name: 'a DENY for the client\'s host', acls: [...both({}), ...denyBoth({ host: '10.0.0.2' })], host: '10.0.0.2', allowed: false },
    { name: 'an ALLOW for host ::1 in Java\'s form, asked from ::1', acls: both({ host: '0:0:0:0:0:0:0:1' }), host: '::1', allowed: true },
    { name: 'a DENY for User:* over the principal\'s own ALLOW', acls: [...both({}), deny('User:*', Op.ALL, Type.TOPIC, TOPIC)], allowed: false },
  ];
  let m: MatrixBroker;
  afterEach(() => m.close());

  const rows = cases.flatMap((c) => [false, true].map((allowEveryone) => ({ ...c, allowEveryone, allowed: c.allowed || (allowEveryone && !!c.unmatched) })));
  test.each(rows.map((row) => ({ ...row, outcome: row.allowed ? 'allowed' : 'refused' })))(
    'allow.everyone.if.no.acl.found=$allowEveryone: $name: Produce and Fetch $outcome',
    async ({ acls, host, allowed, allowEveryone }) => {
      m = await matrixBroker(allowEveryone);
      seedTopic(m, TOPIC);
      m.install(acls);
      const expected = allowed ? { code: ErrorCode.NONE, happened: true } : { code: ErrorCode.TOPIC_AUTHORIZATION_FAILED, happened: false };
      expect(await observeProduce(m, m.as(WHO, 9, host), TOPIC)).toEqual(expected);
      expect(await observeFetch(m.as(WHO, 12, host), TOPIC)).toEqual(expected);
    },
  );
});

test('every operation each resource type supports has a cell', () => {
  const covered = new Set(CELLS.map((cell) => `${typeName(cell.type)} ${opName(cell.op)}`));
  const supported = Object.entries(SUPPORTED_OPERATIONS).flatMap(([type, ops]) => ops.map((op) => `${typeName(Number(type) as Type)} ${opName(op)}`));
  expect(supported.filter((pair) => !covered.has(pair))).toEqual([]);
});

describe('Metadata never auto-creates a topic the principal may not both describe and create', () => {
  let m: MatrixBroker;
  afterEach(() => m.close());
  const WHO = 'User:alice';
  const cases: { name: string; acls: Acl[]; allowAutoTopicCreation: boolean; code: number; created: boolean }[] = [
    { name: 'CREATE without DESCRIBE', acls: [allow(WHO, Op.CREATE, Type.TOPIC, 'fresh')], allowAutoTopicCreation: true, code: ErrorCode.TOPIC_AUTHORIZATION_FAILED, created: false },
    { name: 'DESCRIBE without CREATE', acls: [allow(WHO, Op.DESCRIBE, Type.TOPIC, 'fresh')], allowAutoTopicCreation: true, code: ErrorCode.TOPIC_AUTHORIZATION_FAILED, created: false },
    {
      name: 'DESCRIBE and CREATE, auto-creation not asked for',
      acls: [allow(WHO, Op.DESCRIBE, Type.TOPIC, 'fresh'), allow(WHO, Op.CREATE, Type.TOPIC, 'fresh')],
      allowAutoTopicCreation: false,
      code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      created: false,
    },
    {
      name: 'DESCRIBE on the topic and CREATE on the cluster',
      acls: [allow(WHO, Op.DESCRIBE, Type.TOPIC, 'fresh'), allow(WHO, Op.CREATE, Type.CLUSTER, CLUSTER_NAME)],
      allowAutoTopicCreation: true,
      code: ErrorCode.LEADER_NOT_AVAILABLE,
      created: true,
    },
  ];
  test.each(cases)('$name: $code, created $created', async ({ acls, allowAutoTopicCreation, code, created }) => {
    m = await matrixBroker(false);
    m.install([...acls, allow('User:other', Op.ALL, Type.CLUSTER, CLUSTER_NAME)]);
    const res = await call<typeof Apis.Metadata>(metadata, m.as(WHO, 12), { topics: [{ name: 'fresh' }], allowAutoTopicCreation });
    expect(res!.topics.map((t) => [t.name, t.errorCode])).toEqual([['fresh', code]]);
    expect(m.b.metadata.topics.get('fresh') !== undefined).toBe(created);
  });
});
