// Kafka's AclAuthorizer decisions (after AclAuthorizerTest and BaseAuthorizerTest): literal,
// wildcard and prefixed resources, DENY over ALLOW, super users, allow.everyone.if.no.acl.found
// both ways, principal and host wildcards, implied operations, authorizedOperations and
// authorizeByResourceType (KIP-679), and the denial log line.

import { AclAuthorizer } from '../../../src/auth/acl/acl-authorizer';
import { AccessControlEntry, PatternType, PermissionType, ResourcePattern } from '../../../src/auth/acl/acl-binding';
import { AclCache } from '../../../src/auth/acl/acl-cache';
import { AclOperation, ResourceType, supportedOperationBits } from '../../../src/auth/authorizer';
import { CapturingLogger } from '../../handlers/fake-context';

const { READ, WRITE, DESCRIBE, ALL, ALTER, DELETE, CREATE, ALTER_CONFIGS, DESCRIBE_CONFIGS, IDEMPOTENT_WRITE } = AclOperation;
const { ALLOW, DENY } = PermissionType;
const { TOPIC, GROUP, CLUSTER, TRANSACTIONAL_ID } = ResourceType;

const alice = { principal: 'User:alice', clientHost: '/192.168.1.1' };
const bob = { principal: 'User:bob', clientHost: '/192.168.1.2' };
const admin = { principal: 'User:admin', clientHost: '/10.0.0.1' };

const literal = (name: string, resourceType: ResourceType = TOPIC): ResourcePattern => ({ resourceType, name, patternType: PatternType.LITERAL });
const prefixed = (name: string, resourceType: ResourceType = TOPIC): ResourcePattern => ({ resourceType, name, patternType: PatternType.PREFIXED });
const ace = (principal: string, operation: AclOperation, permissionType: PermissionType = ALLOW, host = '*'): AccessControlEntry => ({ principal, host, operation, permissionType });

function setup(options: { superUsers?: string[]; allowEveryone?: boolean } = {}) {
  const cache = new AclCache();
  const log = new CapturingLogger();
  const authorizer = new AclAuthorizer(cache, { superUsers: new Set(options.superUsers ?? []), allowEveryoneIfNoAclFound: options.allowEveryone ?? false }, log);
  const add = (pattern: ResourcePattern, ...entries: AccessControlEntry[]) => cache.set(pattern, { entries: [...cache.get(pattern).entries, ...entries], version: 0 });
  const remove = (pattern: ResourcePattern, ...entries: AccessControlEntry[]) =>
    cache.set(pattern, { entries: cache.get(pattern).entries.filter((e) => !entries.some((r) => JSON.stringify(r) === JSON.stringify(e))), version: 0 });
  return { cache, log, authorizer, add, remove };
}

describe('AclAuthorizer.authorize', () => {
  it('allows by literal ACL only the principal, host and operation named', () => {
    const { authorizer, add } = setup();
    add(literal('foo'), ace('User:alice', READ, ALLOW, '192.168.1.1'), ace('User:bob', WRITE));
    expect(authorizer.authorize(alice, READ, TOPIC, 'foo')).toBe(true);
    expect(authorizer.authorize({ ...alice, clientHost: '/192.168.1.9' }, READ, TOPIC, 'foo')).toBe(false);
    expect(authorizer.authorize(alice, WRITE, TOPIC, 'foo')).toBe(false);
    expect(authorizer.authorize(bob, WRITE, TOPIC, 'foo')).toBe(true);
    expect(authorizer.authorize(bob, READ, TOPIC, 'foo')).toBe(false);
    expect(authorizer.authorize(alice, READ, TOPIC, 'bar')).toBe(false);
    expect(authorizer.authorize(alice, READ, GROUP, 'foo')).toBe(false);
  });

  it('DENY takes precedence over ALLOW, also through wildcards and prefixes', () => {
    const { authorizer, add } = setup();
    add(literal('foo'), ace('User:*', ALL), ace('User:alice', READ, DENY, '192.168.1.1'));
    expect(authorizer.authorize(alice, READ, TOPIC, 'foo')).toBe(false);
    expect(authorizer.authorize(alice, WRITE, TOPIC, 'foo')).toBe(true);
    expect(authorizer.authorize(bob, READ, TOPIC, 'foo')).toBe(true);
    add(prefixed('fo'), ace('User:bob', ALL, DENY));
    expect(authorizer.authorize(bob, READ, TOPIC, 'foo')).toBe(false);
    add(literal('*'), ace('User:*', WRITE, DENY));
    expect(authorizer.authorize(alice, WRITE, TOPIC, 'foo')).toBe(false);
  });

  it('applies the wildcard resource, the User:* principal and the * host', () => {
    const { authorizer, add } = setup();
    add(literal('*'), ace('User:*', READ));
    expect(authorizer.authorize(alice, READ, TOPIC, 'anything')).toBe(true);
    expect(authorizer.authorize(bob, READ, TOPIC, '*')).toBe(true);
    expect(authorizer.authorize(bob, WRITE, TOPIC, 'anything')).toBe(false);
    expect(authorizer.authorize(bob, READ, GROUP, 'anything')).toBe(false);
  });

  it('applies prefixed ACLs to every name they start', () => {
    const { authorizer, add } = setup();
    add(prefixed('team-a.'), ace('User:alice', WRITE));
    add(prefixed('team-'), ace('User:bob', READ));
    expect(authorizer.authorize(alice, WRITE, TOPIC, 'team-a.orders')).toBe(true);
    expect(authorizer.authorize(alice, WRITE, TOPIC, 'team-a.')).toBe(true);
    expect(authorizer.authorize(alice, WRITE, TOPIC, 'team-b.orders')).toBe(false);
    expect(authorizer.authorize(alice, WRITE, TOPIC, 'team-a')).toBe(false);
    expect(authorizer.authorize(bob, READ, TOPIC, 'team-a.orders')).toBe(true);
    expect(authorizer.authorize(bob, READ, TOPIC, 'tea')).toBe(false);
  });

  it('lets super users do anything, even against DENY', () => {
    const { authorizer, add } = setup({ superUsers: ['User:admin', 'User:ops'] });
    add(literal('*'), ace('User:*', ALL, DENY));
    expect(authorizer.authorize(admin, WRITE, TOPIC, 'foo')).toBe(true);
    expect(authorizer.authorize(admin, ALTER, CLUSTER, 'kafka-cluster')).toBe(true);
    expect(authorizer.authorize(alice, WRITE, TOPIC, 'foo')).toBe(false);
    expect(authorizer.authorizedOperations(admin, GROUP, 'g')).toBe(supportedOperationBits(GROUP));
  });

  it('without ACLs denies, unless allow.everyone.if.no.acl.found; any ACL on the resource then decides', () => {
    const closed = setup();
    expect(closed.authorizer.authorize(alice, READ, TOPIC, 'foo')).toBe(false);
    const open = setup({ allowEveryone: true });
    expect(open.authorizer.authorize(alice, READ, TOPIC, 'foo')).toBe(true);
    open.add(literal('foo'), ace('User:bob', READ));
    expect(open.authorizer.authorize(alice, READ, TOPIC, 'foo')).toBe(false);
    expect(open.authorizer.authorize(bob, READ, TOPIC, 'foo')).toBe(true);
    expect(open.authorizer.authorize(alice, READ, TOPIC, 'other')).toBe(true);
  });

  it('implies DESCRIBE from READ, WRITE, DELETE and ALTER, DESCRIBE_CONFIGS from ALTER_CONFIGS, everything from ALL', () => {
    const { authorizer, add } = setup();
    for (const [name, op] of [['r', READ], ['w', WRITE], ['d', DELETE], ['a', ALTER]] as const) {
      add(literal(name), ace('User:alice', op));
      expect(authorizer.authorize(alice, DESCRIBE, TOPIC, name)).toBe(true);
    }
    add(literal('c'), ace('User:alice', CREATE));
    expect(authorizer.authorize(alice, DESCRIBE, TOPIC, 'c')).toBe(false);
    expect(authorizer.authorize(alice, READ, TOPIC, 'w')).toBe(false);
    add(literal('ac'), ace('User:alice', ALTER_CONFIGS));
    expect(authorizer.authorize(alice, DESCRIBE_CONFIGS, TOPIC, 'ac')).toBe(true);
    expect(authorizer.authorize(alice, DESCRIBE, TOPIC, 'ac')).toBe(false);
    add(literal('all'), ace('User:alice', ALL));
    for (const op of [READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS]) expect(authorizer.authorize(alice, op, TOPIC, 'all')).toBe(true);
    // A DENY of READ does not deny DESCRIBE implied by WRITE.
    add(literal('w'), ace('User:alice', READ, DENY));
    expect(authorizer.authorize(alice, DESCRIBE, TOPIC, 'w')).toBe(true);
  });

  it("matches hosts as Kafka's getHostAddress writes them, IPv6 in full", () => {
    const { authorizer, add } = setup();
    add(literal('v6'), ace('User:alice', READ, ALLOW, '0:0:0:0:0:0:0:1'), ace('User:alice', WRITE, ALLOW, 'fe80:0:0:0:0:0:0:1a'));
    expect(authorizer.authorize({ principal: 'User:alice', clientHost: '/::1' }, READ, TOPIC, 'v6')).toBe(true);
    expect(authorizer.authorize({ principal: 'User:alice', clientHost: '/FE80::001A' }, WRITE, TOPIC, 'v6')).toBe(true);
    expect(authorizer.authorize({ principal: 'User:alice', clientHost: '/::2' }, READ, TOPIC, 'v6')).toBe(false);
  });

  it('reports the operations allowed as a bit set', () => {
    const { authorizer, add } = setup();
    add(literal('g', GROUP), ace('User:alice', READ));
    expect(authorizer.authorizedOperations(alice, GROUP, 'g')).toBe((1 << READ) | (1 << DESCRIBE));
    expect(authorizer.authorizedOperations(bob, GROUP, 'g')).toBe(0);
  });

  it('logs a denial at INFO as Kafka does, and nothing when asked not to', () => {
    const { authorizer, log } = setup();
    authorizer.authorize(bob, READ, TOPIC, 'foo');
    authorizer.authorize(bob, WRITE, TOPIC, 'quiet', false);
    expect(log.lines).toEqual([
      { level: 'INFO', message: 'Principal = User:bob is Denied Operation = Read from host = 192.168.1.2 on resource = Topic:LITERAL:foo with resourceRefCount = 1' },
    ]);
  });

  it('follows every change of the cache at once', () => {
    const { authorizer, add, remove } = setup();
    add(prefixed('x'), ace('User:alice', READ));
    expect(authorizer.authorize(alice, READ, TOPIC, 'xyz')).toBe(true);
    remove(prefixed('x'), ace('User:alice', READ));
    expect(authorizer.authorize(alice, READ, TOPIC, 'xyz')).toBe(false);
  });
});

describe('AclAuthorizer.authorizeByResourceType', () => {
  const byType = (a: AclAuthorizer, who = alice, op: AclOperation = IDEMPOTENT_WRITE, type: ResourceType = TOPIC) => a.authorizeByResourceType(who, op, type);

  it('allows with any ALLOW of the operation on a resource of the type', () => {
    const { authorizer, add } = setup();
    expect(byType(authorizer, alice, WRITE)).toBe(false);
    add(literal('foo'), ace('User:alice', WRITE));
    expect(byType(authorizer, alice, WRITE)).toBe(true);
    expect(byType(authorizer, alice, READ)).toBe(false);
    expect(byType(authorizer, bob, WRITE)).toBe(false);
    expect(byType(authorizer, alice, WRITE, TRANSACTIONAL_ID)).toBe(false);
    add(prefixed('t', TRANSACTIONAL_ID), ace('User:*', ALL, ALLOW, '192.168.1.2'));
    expect(byType(authorizer, bob, WRITE, TRANSACTIONAL_ID)).toBe(true);
    expect(byType(authorizer, alice, WRITE, TRANSACTIONAL_ID)).toBe(false);
  });

  it('is denied by a literal DENY on *, even with allow.everyone.if.no.acl.found', () => {
    const { authorizer, add } = setup({ allowEveryone: true });
    expect(byType(authorizer, alice, WRITE)).toBe(true);
    add(literal('*'), ace('User:alice', WRITE, DENY));
    add(literal('foo'), ace('User:alice', WRITE));
    expect(byType(authorizer, alice, WRITE)).toBe(false);
  });

  it('lets a DENY dominate the ALLOWs it covers, and only those', () => {
    const { authorizer, add, remove } = setup();
    add(literal('abc'), ace('User:alice', WRITE));
    add(literal('abc'), ace('User:alice', WRITE, DENY));
    expect(byType(authorizer, alice, WRITE)).toBe(false);
    // A deny on another literal name leaves this allow.
    remove(literal('abc'), ace('User:alice', WRITE, DENY));
    add(literal('xyz'), ace('User:alice', WRITE, DENY));
    expect(byType(authorizer, alice, WRITE)).toBe(true);
    // A prefixed deny covering the literal dominates it.
    add(prefixed('ab'), ace('User:alice', WRITE, DENY));
    expect(byType(authorizer, alice, WRITE)).toBe(false);
    // A prefixed allow longer than the prefixed deny is dominated too; a shorter one is not.
    add(prefixed('abcd'), ace('User:alice', WRITE));
    expect(byType(authorizer, alice, WRITE)).toBe(false);
    add(prefixed('a'), ace('User:alice', WRITE));
    expect(byType(authorizer, alice, WRITE)).toBe(true);
    // The wildcard literal allow is never dominated by other denies.
    const other = setup();
    other.add(literal('*'), ace('User:alice', WRITE));
    other.add(prefixed('a'), ace('User:alice', WRITE, DENY));
    expect(byType(other.authorizer, alice, WRITE)).toBe(true);
  });

  it('counts User:*, host * and ALL entries, and super users always', () => {
    const { authorizer, add } = setup({ superUsers: ['User:admin'] });
    add(literal('foo'), ace('User:*', ALL, ALLOW, '192.168.1.1'));
    expect(byType(authorizer, alice, WRITE)).toBe(true);
    expect(byType(authorizer, bob, WRITE)).toBe(false);
    expect(byType(authorizer, admin, WRITE)).toBe(true);
  });
});
