// The ACL administration over the standalone file store: creations grouped per resource and
// deduplicated, describe by filter, Kafka's deletion semantics (first matching filter, definite
// filters reaching resources), and everything surviving a reload of the file.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AclAdmin } from '../../../src/auth/acl/acl-admin';
import { AclBinding, AclBindingFilter, PatternType, PermissionType } from '../../../src/auth/acl/acl-binding';
import { AclCache } from '../../../src/auth/acl/acl-cache';
import { AclOperation, ResourceType } from '../../../src/auth/authorizer';
import { FileAclStore, STANDALONE_ACLS_FILE } from '../../../src/cluster/file-acls';
import { makeTempDir, removeDir } from '../../log/helpers';

const binding = (name: string, principal: string, operation: AclOperation = AclOperation.READ, patternType: PatternType = PatternType.LITERAL): AclBinding => ({
  pattern: { resourceType: ResourceType.TOPIC, name, patternType },
  entry: { principal, host: '*', operation, permissionType: PermissionType.ALLOW },
});
const filter = (name: string | null, patternType: PatternType, principal: string | null = null): AclBindingFilter => ({
  pattern: { resourceType: ResourceType.TOPIC, name, patternType },
  entry: { principal, host: null, operation: AclOperation.ANY, permissionType: PermissionType.ANY },
});
const text = (b: AclBinding) => `${b.pattern.patternType === PatternType.LITERAL ? 'L' : 'P'}:${b.pattern.name}:${b.entry.principal}`;

describe('AclAdmin on the file store', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeDir(dir));

  async function open() {
    const cache = new AclCache();
    const store = new FileAclStore(dir);
    await store.load(cache);
    return { cache, admin: new AclAdmin(cache, store) };
  }

  it('creates, describes and deletes, and the file keeps them', async () => {
    const { admin } = await open();
    const results = await admin.create([binding('foo', 'User:alice'), binding('foo', 'User:bob'), binding('foo', 'User:alice'), binding('fo', 'User:carol', AclOperation.WRITE, PatternType.PREFIXED)]);
    expect(results).toEqual([null, null, null, null]);
    expect(admin.describe(filter(null, PatternType.ANY)).map(text).sort()).toEqual(['L:foo:User:alice', 'L:foo:User:bob', 'P:fo:User:carol']);
    expect(admin.describe(filter('foo', PatternType.MATCH)).map(text).sort()).toEqual(['L:foo:User:alice', 'L:foo:User:bob', 'P:fo:User:carol']);
    expect(admin.describe(filter('foo', PatternType.LITERAL, 'User:bob')).map(text)).toEqual(['L:foo:User:bob']);

    const stored = JSON.parse(readFileSync(join(dir, STANDALONE_ACLS_FILE), 'utf8'));
    expect(stored).toContainEqual({ resourceType: 'Topic', patternType: 'PREFIXED', name: 'fo', version: 1, acls: [{ principal: 'User:carol', permissionType: 'Allow', operation: 'Write', host: '*' }] });

    const reopened = await open();
    expect(reopened.admin.describe(filter(null, PatternType.ANY)).map(text).sort()).toEqual(['L:foo:User:alice', 'L:foo:User:bob', 'P:fo:User:carol']);

    // A binding both filters match is reported under the first.
    const deleted = await reopened.admin.delete([filter('foo', PatternType.LITERAL, 'User:alice'), filter(null, PatternType.ANY), filter('zzz', PatternType.ANY)]);
    expect(deleted.map((d) => d.map((x) => text(x.binding)).sort())).toEqual([['L:foo:User:alice'], ['L:foo:User:bob', 'P:fo:User:carol'], []]);
    expect(deleted.flat().every((d) => d.error === null)).toBe(true);
    expect(reopened.cache.size).toBe(0);
    expect((await open()).cache.size).toBe(0);
    expect(existsSync(join(dir, STANDALONE_ACLS_FILE))).toBe(true);
  });
});
