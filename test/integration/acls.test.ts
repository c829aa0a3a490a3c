// ACLs end to end on a real standalone broker with kafkajs's admin client: with the AclAuthorizer
// and User:ANONYMOUS as super user, ACLs are created, described and deleted, and they survive a
// restart (the log dir's file); without an authorizer DescribeAcls answers SECURITY_DISABLED. In
// ZooKeeper mode an ACL created through one broker is Kafka's znode and every broker enforces it.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Admin, Kafka, ResourcePatternTypes, logLevel } from 'kafkajs';
import { Apis, ErrorCode } from '../../protocol';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { waitFor } from '../helpers/wait';
import { useZkCluster } from '../helpers/zk-cluster-harness';

const ACL_PROPS = { 'authorizer.class.name': 'kafka.security.authorizer.AclAuthorizer', 'super.users': 'User:ANONYMOUS' };

async function adminOf(b: BrokerProcess): Promise<Admin> {
  const admin = new Kafka({ clientId: 'kafka-ts-acls', brokers: [b.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 2 } }).admin();
  await admin.connect();
  return admin;
}

const anyAcl = {
  resourceType: AclResourceTypes.ANY,
  resourcePatternType: ResourcePatternTypes.ANY,
  operation: AclOperationTypes.ANY,
  permissionType: AclPermissionTypes.ANY,
};

const summary = (resources: { resourceType: number; resourceName: string; resourcePatternType: number; acls: { principal: string; operation: number }[] }[]) =>
  resources.flatMap((r) => r.acls.map((a) => `${r.resourceType}:${r.resourcePatternType}:${r.resourceName}:${a.principal}:${a.operation}`)).sort();

describe('ACLs on a standalone broker', () => {
  let broker: BrokerProcess | undefined;
  let admin: Admin | undefined;

  afterEach(async () => {
    await admin?.disconnect();
    admin = undefined;
    await cleanup(broker);
    broker = undefined;
  });

  it('creates, describes and deletes ACLs through kafkajs, and keeps them across a restart', async () => {
    broker = await startBroker({ props: ACL_PROPS });
    admin = await adminOf(broker);
    await admin.createAcls({
      acl: [
        { resourceType: AclResourceTypes.TOPIC, resourceName: 'orders', resourcePatternType: ResourcePatternTypes.LITERAL, principal: 'User:alice', host: '*', operation: AclOperationTypes.READ, permissionType: AclPermissionTypes.ALLOW },
        { resourceType: AclResourceTypes.TOPIC, resourceName: 'team-', resourcePatternType: ResourcePatternTypes.PREFIXED, principal: 'User:bob', host: '*', operation: AclOperationTypes.WRITE, permissionType: AclPermissionTypes.ALLOW },
        { resourceType: AclResourceTypes.GROUP, resourceName: 'app', resourcePatternType: ResourcePatternTypes.LITERAL, principal: 'User:alice', host: '*', operation: AclOperationTypes.READ, permissionType: AclPermissionTypes.DENY },
      ],
    });
    const expected = [
      `${AclResourceTypes.GROUP}:${ResourcePatternTypes.LITERAL}:app:User:alice:${AclOperationTypes.READ}`,
      `${AclResourceTypes.TOPIC}:${ResourcePatternTypes.LITERAL}:orders:User:alice:${AclOperationTypes.READ}`,
      `${AclResourceTypes.TOPIC}:${ResourcePatternTypes.PREFIXED}:team-:User:bob:${AclOperationTypes.WRITE}`,
    ].sort();
    expect(summary((await admin.describeAcls(anyAcl)).resources)).toEqual(expected);
    const matching = await admin.describeAcls({ ...anyAcl, resourceType: AclResourceTypes.TOPIC, resourceName: 'team-1', resourcePatternType: ResourcePatternTypes.MATCH });
    expect(matching.resources.map((r) => r.resourceName)).toEqual(['team-']);

    // Restart on the same log dir: the ACLs are still there.
    await admin.disconnect();
    expect(await broker.stop()).toBe(0);
    broker = await startBroker({ logDir: broker.logDir, props: ACL_PROPS });
    admin = await adminOf(broker);
    expect(summary((await admin.describeAcls(anyAcl)).resources)).toEqual(expected);

    const deleted = await admin.deleteAcls({ filters: [{ ...anyAcl, resourceType: AclResourceTypes.TOPIC, principal: 'User:alice' }] });
    expect(deleted.filterResponses[0].errorCode).toBe(0);
    expect(deleted.filterResponses[0].matchingAcls.map((a) => `${a.resourceName}:${a.principal}`)).toEqual(['orders:User:alice']);
    expect(summary((await admin.describeAcls(anyAcl)).resources)).toEqual(expected.filter((e) => !e.includes(':orders:')));
  });

  it('answers DescribeAcls with SECURITY_DISABLED without an authorizer', async () => {
    broker = await startBroker();
    admin = await adminOf(broker);
    await expect(admin.describeAcls(anyAcl)).rejects.toMatchObject({ type: 'SECURITY_DISABLED' });
  });

  it('refuses an authorizer class other than AclAuthorizer at startup, naming it', async () => {
    const cls = 'org.apache.kafka.metadata.authorizer.StandardAuthorizer';
    const logDir = mkdtempSync(join(tmpdir(), 'kafka-ts-acls-'));
    try {
      await expect(startBroker({ logDir, props: { 'authorizer.class.name': cls } })).rejects.toThrow(`Invalid value ${cls} for configuration authorizer.class.name`);
    } finally {
      rmSync(logDir, { recursive: true, force: true });
    }
  });
});

describe('ACLs in a ZooKeeper-mode cluster', () => {
  const h = useZkCluster('acls', ACL_PROPS);

  it("stores ACLs in Kafka's znodes and every broker follows them", async () => {
    await h.broker(1);
    await h.broker(2);
    const via1 = await h.client(1);
    const created = await via1.request(Apis.CreateAcls, 3, {
      creations: [{ resourceType: 2, resourceName: 'orders', resourcePatternType: 4, principal: 'User:alice', host: '*', operation: 3, permissionType: 3 }],
    });
    expect(created.results).toEqual([{ errorCode: ErrorCode.NONE, errorMessage: null }]);
    const node = await h.admin.getData('/kafka-acl-extended/prefixed/Topic/orders');
    expect(JSON.parse(node!.data!.toString())).toEqual({ version: 1, acls: [{ principal: 'User:alice', permissionType: 'Allow', operation: 'Read', host: '*' }] });

    const via2 = await h.client(2);
    const filter = { resourceTypeFilter: 1, resourceNameFilter: null, patternTypeFilter: 1, principalFilter: null, hostFilter: null, operation: 1, permissionType: 1 };
    await waitFor(async () => (await via2.request(Apis.DescribeAcls, 3, filter)).resources.length === 1, 'broker 2 to describe the ACL');
  });
});
