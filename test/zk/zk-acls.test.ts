// ACLs in a real ZooKeeper, as Kafka 3.9's AclAuthorizer keeps them: the paths made at startup,
// each resource's znode and JSON, the change notifications, other brokers following every change,
// znodes written the way Kafka's own tools write them picked up, and conditional writes that read
// again after another writer. Each test has its own chroot; waits are on conditions.

import { AclAdmin } from '../../src/auth/acl/acl-admin';
import { AclBinding, PatternType, PermissionType } from '../../src/auth/acl/acl-binding';
import { AclCache } from '../../src/auth/acl/acl-cache';
import { AclOperation, ResourceType } from '../../src/auth/authorizer';
import { realClock } from '../../src/clock';
import { createLogger } from '../../src/logger';
import { ZkClient } from '../../src/zookeeper';
import { ZkAclStore, decodeAclChange, encodeAclChange } from '../../src/zk/zk-acls';
import { useZooKeeperChroots } from '../helpers/zookeeper-server';
import { waitFor } from '../helpers/wait';

const zk = useZooKeeperChroots('acls');
let raw: ZkClient;
const stores: ZkAclStore[] = [];

const quiet = () => createLogger('test', () => undefined);

beforeEach(async () => {
  raw = await zk.session();
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

/** One broker's ACLs: its own session, store, cache and administration. */
async function broker() {
  const store = new ZkAclStore(await zk.session(), realClock, quiet());
  stores.push(store);
  const cache = new AclCache();
  await store.load(cache);
  return { cache, admin: new AclAdmin(cache, store) };
}

const binding = (name: string, principal: string, operation: AclOperation = AclOperation.READ, patternType: PatternType = PatternType.LITERAL, resourceType: ResourceType = ResourceType.TOPIC): AclBinding => ({
  pattern: { resourceType, name, patternType },
  entry: { principal, host: '*', operation, permissionType: PermissionType.ALLOW },
});
const json = async (path: string) => JSON.parse((await raw.getData(path))!.data!.toString());
const children = async (path: string) => ((await raw.getChildren(path)) ?? []).sort();
const principals = (cache: AclCache, type: ResourceType, name: string) => cache.matching(type, name).map((e) => e.principal).sort();

describe('ZkAclStore', () => {
  it("creates Kafka's ACL paths at startup", async () => {
    await broker();
    const types = ['Cluster', 'DelegationToken', 'Group', 'Topic', 'TransactionalId', 'User'];
    expect(await children('/kafka-acl')).toEqual(types);
    expect(await children('/kafka-acl-extended')).toEqual(['prefixed']);
    expect(await children('/kafka-acl-extended/prefixed')).toEqual(types);
    expect(await raw.exists('/kafka-acl-changes')).not.toBeNull();
    expect(await raw.exists('/kafka-acl-extended-changes')).not.toBeNull();
  });

  it("writes Kafka's znodes, JSON and change notifications, and other brokers follow", async () => {
    const a = await broker();
    const b = await broker();
    expect(await a.admin.create([binding('foo', 'User:alice'), binding('foo', 'User:bob', AclOperation.WRITE), binding('team-', 'User:carol', AclOperation.DESCRIBE_CONFIGS, PatternType.PREFIXED)])).toEqual([null, null, null]);

    const foo = await json('/kafka-acl/Topic/foo');
    expect(foo.version).toBe(1);
    expect(foo.acls).toEqual(
      expect.arrayContaining([
        { principal: 'User:alice', permissionType: 'Allow', operation: 'Read', host: '*' },
        { principal: 'User:bob', permissionType: 'Allow', operation: 'Write', host: '*' },
      ]),
    );
    expect(Object.keys(foo.acls[0])).toEqual(['principal', 'permissionType', 'operation', 'host']);
    expect(await json('/kafka-acl-extended/prefixed/Topic/team-')).toEqual({
      version: 1,
      acls: [{ principal: 'User:carol', permissionType: 'Allow', operation: 'DescribeConfigs', host: '*' }],
    });
    expect(await children('/kafka-acl-changes')).toEqual(['acl_changes_0000000000']);
    expect((await raw.getData('/kafka-acl-changes/acl_changes_0000000000'))!.data!.toString()).toBe('TOPIC:foo');
    expect(await children('/kafka-acl-extended-changes')).toEqual(['acl_changes_0000000000']);
    expect(await json('/kafka-acl-extended-changes/acl_changes_0000000000')).toEqual({ version: 1, resourceType: 'TOPIC', name: 'team-', patternType: 'PREFIXED' });

    await waitFor(() => principals(b.cache, ResourceType.TOPIC, 'team-foo').length === 1, 'broker b sees the prefixed ACL');
    await waitFor(() => principals(b.cache, ResourceType.TOPIC, 'foo').length === 2, 'broker b sees the literal ACLs');

    // Deleting every entry removes the znode; b follows.
    const deleted = await b.admin.delete([{ pattern: { resourceType: ResourceType.TOPIC, name: 'foo', patternType: PatternType.LITERAL }, entry: { principal: null, host: null, operation: AclOperation.ANY, permissionType: PermissionType.ANY } }]);
    expect(deleted[0]).toHaveLength(2);
    expect(await raw.exists('/kafka-acl/Topic/foo')).toBeNull();
    await waitFor(() => principals(a.cache, ResourceType.TOPIC, 'foo').length === 0, 'broker a sees the deletion');
  });

  it("picks up ACLs written as Kafka's tools write them, at startup and through notifications", async () => {
    await raw.create('/kafka-acl', null);
    await raw.create('/kafka-acl/Group', null);
    await raw.create('/kafka-acl/Group/app', Buffer.from('{"version":1,"acls":[{"principal":"User:alice","permissionType":"Allow","operation":"Read","host":"*"}]}'));
    const a = await broker();
    expect(principals(a.cache, ResourceType.GROUP, 'app')).toEqual(['User:alice']);

    await raw.create('/kafka-acl/TransactionalId/tx', Buffer.from('{"version":1,"acls":[{"principal":"User:bob","permissionType":"Deny","operation":"Write","host":"10.0.0.1"}]}'));
    await raw.create('/kafka-acl-changes/acl_changes_', Buffer.from('TRANSACTIONAL_ID:tx'), 'persistent_sequential');
    await waitFor(() => a.cache.matching(ResourceType.TRANSACTIONAL_ID, 'tx').length === 1, 'the literal notification is processed');
    expect(a.cache.matching(ResourceType.TRANSACTIONAL_ID, 'tx')[0]).toEqual({ principal: 'User:bob', host: '10.0.0.1', operation: AclOperation.WRITE, permissionType: PermissionType.DENY });

    await raw.create('/kafka-acl-extended/prefixed/Topic/logs-', Buffer.from('{"version":1,"acls":[{"principal":"User:*","permissionType":"Allow","operation":"All","host":"*"}]}'));
    await raw.create('/kafka-acl-extended-changes/acl_changes_', Buffer.from('{"version":1,"resourceType":"TOPIC","name":"logs-","patternType":"PREFIXED"}'), 'persistent_sequential');
    await waitFor(() => principals(a.cache, ResourceType.TOPIC, 'logs-1').length === 1, 'the extended notification is processed');

    // A removal announced the same way.
    await raw.delete('/kafka-acl/Group/app');
    await raw.create('/kafka-acl-changes/acl_changes_', Buffer.from('GROUP:app'), 'persistent_sequential');
    await waitFor(() => principals(a.cache, ResourceType.GROUP, 'app').length === 0, 'the deletion is processed');
  });

  it('writes conditionally: a node changed behind its back is read again and kept', async () => {
    const a = await broker();
    await a.admin.create([binding('foo', 'User:alice')]);
    // Another writer, without notification: a's cached version is now stale.
    const node = (await raw.getData('/kafka-acl/Topic/foo'))!;
    const changed = JSON.parse(node.data!.toString());
    changed.acls.push({ principal: 'User:zed', permissionType: 'Allow', operation: 'Write', host: '*' });
    await raw.setData('/kafka-acl/Topic/foo', Buffer.from(JSON.stringify(changed)), node.stat.version);
    await a.admin.create([binding('foo', 'User:bob')]);
    const stored = await json('/kafka-acl/Topic/foo');
    expect(stored.acls.map((e: { principal: string }) => e.principal).sort()).toEqual(['User:alice', 'User:bob', 'User:zed']);
    expect(principals(a.cache, ResourceType.TOPIC, 'foo')).toEqual(['User:alice', 'User:bob', 'User:zed']);
  });
});

describe('ACL change notification payloads', () => {
  it('round-trip and read what older Kafka wrote', () => {
    const literal = { resourceType: ResourceType.TRANSACTIONAL_ID, name: 'a:b', patternType: PatternType.LITERAL };
    expect(encodeAclChange(literal).toString()).toBe('TRANSACTIONAL_ID:a:b');
    expect(decodeAclChange(PatternType.LITERAL, encodeAclChange(literal))).toEqual(literal);
    expect(decodeAclChange(PatternType.LITERAL, Buffer.from('Topic:foo'))).toEqual({ resourceType: ResourceType.TOPIC, name: 'foo', patternType: PatternType.LITERAL });
    expect(() => decodeAclChange(PatternType.LITERAL, Buffer.from('nonsense'))).toThrow('ResourceType:ResourceName');
    const prefixed = { resourceType: ResourceType.GROUP, name: 'g', patternType: PatternType.PREFIXED };
    expect(decodeAclChange(PatternType.PREFIXED, encodeAclChange(prefixed))).toEqual(prefixed);
  });
});
