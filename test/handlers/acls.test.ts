// DescribeAcls (29), CreateAcls (30), DeleteAcls (31) on fake services: SECURITY_DISABLED without
// an authorizer, the cluster permission each needs, per-creation errors, filters per version, and
// deletions per filter, over the real authorizer and the standalone file store.

import { Apis, ErrorCode } from '../../protocol';
import { PatternType, PermissionType } from '../../src/auth/acl/acl-binding';
import { Acls, startAcls } from '../../src/auth/acl/acls';
import { AclOperation, ResourceType } from '../../src/auth/authorizer';
import { FileAclStore } from '../../src/cluster/file-acls';
import describeAcls from '../../src/handlers/29-describe-acls';
import createAcls from '../../src/handlers/30-create-acls';
import deleteAcls from '../../src/handlers/31-delete-acls';
import { makeTempDir, removeDir } from '../log/helpers';
import { CapturingLogger, TestBroker, call, testBroker } from './fake-context';

const { TOPIC, GROUP, CLUSTER } = ResourceType;
const { LITERAL, PREFIXED, ANY, MATCH } = PatternType;
const { ALLOW, DENY } = PermissionType;
const { READ, WRITE, ALTER, DESCRIBE } = AclOperation;

const creation = (resourceName: string, principal: string, operation: number = READ, resourcePatternType: number = LITERAL, resourceType: number = TOPIC, permissionType: number = ALLOW) => ({
  resourceType,
  resourceName,
  resourcePatternType,
  principal,
  host: '*',
  operation,
  permissionType,
});
const anyFilter = { resourceTypeFilter: ResourceType.ANY, resourceNameFilter: null, patternTypeFilter: ANY, principalFilter: null, hostFilter: null, operation: AclOperation.ANY, permissionType: PermissionType.ANY };

describe('ACL APIs without an authorizer', () => {
  let broker: TestBroker;
  beforeEach(async () => (broker = await testBroker()));
  afterEach(() => broker.close());

  it('answer SECURITY_DISABLED with Kafka messages', async () => {
    const described = await call<typeof Apis.DescribeAcls>(describeAcls, broker.ctx(1), anyFilter);
    expect(described).toMatchObject({ errorCode: ErrorCode.SECURITY_DISABLED, errorMessage: 'No Authorizer is configured on the broker', resources: [] });
    const created = await call<typeof Apis.CreateAcls>(createAcls, broker.ctx(2), { creations: [creation('foo', 'User:alice'), creation('bar', 'User:bob')] });
    expect(created!.results).toEqual([
      { errorCode: ErrorCode.SECURITY_DISABLED, errorMessage: 'No Authorizer is configured.' },
      { errorCode: ErrorCode.SECURITY_DISABLED, errorMessage: 'No Authorizer is configured.' },
    ]);
    const deleted = await call<typeof Apis.DeleteAcls>(deleteAcls, broker.ctx(3), { filters: [anyFilter] });
    expect(deleted!.filterResults).toEqual([{ errorCode: ErrorCode.SECURITY_DISABLED, errorMessage: 'No Authorizer is configured.', matchingAcls: [] }]);
  });
});

describe('ACL APIs with the AclAuthorizer', () => {
  let dir: string;
  let acls: Acls;
  let broker: TestBroker;
  let authorizerLog: CapturingLogger;

  async function start(superUsers: string[]) {
    dir = makeTempDir();
    authorizerLog = new CapturingLogger();
    acls = await startAcls({ superUsers: new Set(superUsers), allowEveryoneIfNoAclFound: false }, new FileAclStore(dir), authorizerLog);
    broker = await testBroker({ authorizer: acls.authorizer, acls: acls.admin });
  }
  afterEach(async () => {
    await broker.close();
    await acls.close();
    removeDir(dir);
  });

  it('creates with per-creation errors, describes grouped by resource, deletes per filter', async () => {
    await start(['User:ANONYMOUS']);
    const created = await call<typeof Apis.CreateAcls>(createAcls, broker.ctx(3), {
      creations: [
        creation('foo', 'User:alice'),
        creation('foo', 'User:bob', WRITE),
        creation('team-', 'User:alice', READ, PREFIXED),
        creation('g', 'User:*', READ, LITERAL, GROUP, DENY),
        creation('other', 'User:alice', READ, LITERAL, CLUSTER),
        creation('', 'User:alice'),
        creation('a/b', 'User:alice'),
        creation('x', 'alice'),
      ],
    });
    expect(created!.results).toEqual([
      { errorCode: ErrorCode.NONE, errorMessage: null },
      { errorCode: ErrorCode.NONE, errorMessage: null },
      { errorCode: ErrorCode.NONE, errorMessage: null },
      { errorCode: ErrorCode.NONE, errorMessage: null },
      { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'The only valid name for the CLUSTER resource is kafka-cluster' },
      { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Invalid empty resource name' },
      { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Failed to create ACL' },
      { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: null },
    ]);

    const all = await call<typeof Apis.DescribeAcls>(describeAcls, broker.ctx(3), anyFilter);
    expect(all!.errorCode).toBe(ErrorCode.NONE);
    const foo = all!.resources.find((r) => r.resourceName === 'foo')!;
    expect(foo).toMatchObject({ resourceType: TOPIC, patternType: LITERAL });
    expect(foo.acls).toEqual(
      expect.arrayContaining([
        { principal: 'User:alice', host: '*', operation: READ, permissionType: ALLOW },
        { principal: 'User:bob', host: '*', operation: WRITE, permissionType: ALLOW },
      ]),
    );
    expect(all!.resources.map((r) => `${r.resourceType}:${r.patternType}:${r.resourceName}`).sort()).toEqual([`${TOPIC}:${LITERAL}:foo`, `${TOPIC}:${PREFIXED}:team-`, `${GROUP}:${LITERAL}:g`].sort());

    // v0 knows literal patterns only: its filter is LITERAL.
    const v0 = await call<typeof Apis.DescribeAcls>(describeAcls, broker.ctx(0), { ...anyFilter, resourceTypeFilter: TOPIC });
    expect(v0!.resources.map((r) => r.resourceName)).toEqual(['foo']);
    const match = await call<typeof Apis.DescribeAcls>(describeAcls, broker.ctx(1), { ...anyFilter, resourceTypeFilter: TOPIC, resourceNameFilter: 'team-x', patternTypeFilter: MATCH });
    expect(match!.resources.map((r) => r.resourceName)).toEqual(['team-']);
    const unknown = await call<typeof Apis.DescribeAcls>(describeAcls, broker.ctx(1), { ...anyFilter, operation: AclOperation.UNKNOWN });
    expect(unknown).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'DescribeAclsRequest contains UNKNOWN elements', resources: [] });

    // The ACLs take effect at once.
    expect(acls.authorizer.authorize({ principal: 'User:alice', clientHost: '/127.0.0.1' }, READ, TOPIC, 'team-1')).toBe(true);

    const refused = await call<typeof Apis.DeleteAcls>(deleteAcls, broker.ctx(2), { filters: [anyFilter, { ...anyFilter, operation: AclOperation.UNKNOWN }] });
    const invalid = { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Filters contain UNKNOWN elements', matchingAcls: [] };
    expect(refused!.filterResults).toEqual([invalid, invalid]);

    const deleted = await call<typeof Apis.DeleteAcls>(deleteAcls, broker.ctx(2), {
      filters: [
        { ...anyFilter, resourceTypeFilter: TOPIC, principalFilter: 'User:alice' },
        { ...anyFilter, resourceTypeFilter: TOPIC, resourceNameFilter: 'none' },
        { ...anyFilter, resourceTypeFilter: TOPIC },
      ],
    });
    const [byAlice, none, rest] = deleted!.filterResults;
    expect(byAlice.errorCode).toBe(ErrorCode.NONE);
    expect(byAlice.matchingAcls.map((a) => `${a.resourceName}:${a.principal}:${a.patternType}`).sort()).toEqual([`foo:User:alice:${LITERAL}`, `team-:User:alice:${PREFIXED}`]);
    expect(byAlice.matchingAcls.every((a) => a.errorCode === ErrorCode.NONE && a.errorMessage === null && a.host === '*')).toBe(true);
    expect(none).toEqual({ errorCode: ErrorCode.NONE, errorMessage: null, matchingAcls: [] });
    expect(rest.matchingAcls.map((a) => `${a.resourceName}:${a.principal}`)).toEqual(['foo:User:bob']);
    const left = await call<typeof Apis.DescribeAcls>(describeAcls, broker.ctx(3), anyFilter);
    expect(left!.resources.map((r) => r.resourceName)).toEqual(['g']);
  });

  it('fails the whole request on an UNKNOWN element, or on one Kafka cannot build', async () => {
    await start(['User:ANONYMOUS']);
    const unknown = await call<typeof Apis.CreateAcls>(createAcls, broker.ctx(3), { creations: [creation('foo', 'User:alice'), creation('x', 'User:alice', AclOperation.UNKNOWN)] });
    expect(unknown!.results).toEqual([
      { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'CreatableAcls contain unknown elements' },
      { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'CreatableAcls contain unknown elements' },
    ]);
    const illegal = await call<typeof Apis.CreateAcls>(createAcls, broker.ctx(3), { creations: [creation('foo', 'User:alice'), creation('x', 'User:alice', READ, MATCH)] });
    expect(illegal!.results).toEqual([
      { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: null },
      { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: null },
    ]);
    expect(broker.log.lines).toContainEqual({ level: 'WARN', message: 'CreateAcls failed: patternType must not be MATCH' });
    expect(acls.admin.describe({ pattern: { resourceType: ResourceType.ANY, name: null, patternType: ANY }, entry: { principal: null, host: null, operation: AclOperation.ANY, permissionType: PermissionType.ANY } })).toEqual([]);
  });

  it('v0 creates literal patterns', async () => {
    await start(['User:ANONYMOUS']);
    const created = await call<typeof Apis.CreateAcls>(createAcls, broker.ctx(0), { creations: [creation('foo', 'User:alice')] });
    expect(created!.results).toEqual([{ errorCode: ErrorCode.NONE, errorMessage: null }]);
    const described = await call<typeof Apis.DescribeAcls>(describeAcls, broker.ctx(3), anyFilter);
    expect(described!.resources).toEqual([{ resourceType: TOPIC, resourceName: 'foo', patternType: LITERAL, acls: [{ principal: 'User:alice', host: '*', operation: READ, permissionType: ALLOW }] }]);
  });

  it('need DESCRIBE (describe) and ALTER (create, delete) on the cluster', async () => {
    await start([]);
    const described = await call<typeof Apis.DescribeAcls>(describeAcls, broker.ctx(3), anyFilter);
    expect(described).toMatchObject({ errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, resources: [] });
    const created = await call<typeof Apis.CreateAcls>(createAcls, broker.ctx(3), { creations: [creation('foo', 'User:ANONYMOUS', ALTER, LITERAL, CLUSTER)] });
    expect(created!.results[0].errorCode).toBe(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    const deleted = await call<typeof Apis.DeleteAcls>(deleteAcls, broker.ctx(3), { filters: [anyFilter] });
    expect(deleted!.filterResults[0].errorCode).toBe(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    expect(authorizerLog.lines.map((l) => l.message)).toContain('Principal = User:ANONYMOUS is Denied Operation = Alter from host = 127.0.0.1 on resource = Cluster:LITERAL:kafka-cluster with resourceRefCount = 1');

    // DESCRIBE is implied by ALTER: an ALTER grant opens all three.
    await acls.admin.create([
      { pattern: { resourceType: CLUSTER, name: 'kafka-cluster', patternType: LITERAL }, entry: { principal: 'User:ANONYMOUS', host: '127.0.0.1', operation: ALTER, permissionType: ALLOW } },
    ]);
    const allowed = await call<typeof Apis.DescribeAcls>(describeAcls, broker.ctx(3), { ...anyFilter, operation: DESCRIBE });
    expect(allowed).toMatchObject({ errorCode: ErrorCode.NONE, resources: [] });
    const again = await call<typeof Apis.DescribeAcls>(describeAcls, broker.ctx(3), anyFilter);
    expect(again!.resources).toHaveLength(1);
  });
});
