// ACLs end to end on a real standalone broker with kafkajs's admin client: with the AclAuthorizer
// and User:ANONYMOUS as super user, ACLs are created, described and deleted, and they survive a
// restart (the log dir's file); without an authorizer DescribeAcls answers SECURITY_DISABLED.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Admin, Kafka, ResourcePatternTypes, logLevel } from 'kafkajs';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';

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
