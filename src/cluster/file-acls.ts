// A standalone broker's ACLs: one file in its first log dir, each resource with its entries in the
// JSON Kafka stores in a /kafka-acl znode. Rewritten whole, atomically, on every change; this
// broker is its only writer.

import { join } from 'node:path';
import { AccessControlEntry, ResourcePattern, distinctEntries, parsePatternType, parseResourceType, patternTypeName, resourceTypeName } from '../auth/acl/acl-binding';
import { AclCache, NO_ACLS } from '../auth/acl/acl-cache';
import { StoredAcls, aclsFromJson, aclsToJson } from '../auth/acl/acl-json';
import { AclStore } from '../auth/acl/acl-store';
import { readLogDirJson, writeLogDirJson } from './log-dir-json';

export const STANDALONE_ACLS_FILE = 'kafka-ts-acls.json';

interface StoredResource extends StoredAcls {
  resourceType: string;
  patternType: string;
  name: string;
}

export class FileAclStore implements AclStore {
  private readonly file: string;
  private cache: AclCache | null = null;

  constructor(logDir: string) {
    this.file = join(logDir, STANDALONE_ACLS_FILE);
  }

  async load(cache: AclCache): Promise<void> {
    this.cache = cache;
    for (const stored of readLogDirJson<StoredResource[]>(this.file) ?? []) {
      const resourceType = parseResourceType(stored.resourceType);
      const patternType = parsePatternType(stored.patternType);
      if (resourceType === undefined || patternType === undefined) throw new Error(`${this.file}: unknown resource ${stored.resourceType}:${stored.patternType}`);
      cache.set({ resourceType, patternType, name: stored.name }, { entries: aclsFromJson(stored), version: 0 });
    }
  }

  async update(pattern: ResourcePattern, change: (current: readonly AccessControlEntry[]) => AccessControlEntry[]): Promise<void> {
    const cache = this.cache!;
    const before = cache.get(pattern);
    const entries = distinctEntries(change(before.entries));
    cache.set(pattern, entries.length > 0 ? { entries, version: before.version + 1 } : NO_ACLS);
    try {
      this.write(cache);
    } catch (err) {
      cache.set(pattern, before);
      throw err;
    }
  }

  async close(): Promise<void> {}

  private write(cache: AclCache): void {
    const resources: StoredResource[] = cache.patterns().map((p) => ({
      resourceType: resourceTypeName(p.resourceType),
      patternType: patternTypeName(p.patternType),
      name: p.name,
      ...aclsToJson(cache.get(p).entries),
    }));
    writeLogDirJson(this.file, resources);
  }
}
