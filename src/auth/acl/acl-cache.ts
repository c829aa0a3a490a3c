// The ACLs a broker knows, indexed for the questions the authorizer asks on every request: the
// entries of one literal resource (and of its type's wildcard `*`) by (type, name); prefixed
// patterns kept sorted per type, so the prefixes of a name are found by binary search; and, for
// authorizeByResourceType, the names each (entry, type, pattern type) applies to, as Kafka's
// resourceCache. Every change replaces a resource's entries at once: nothing is cached beside them.

import type { ResourceType } from '../authorizer';
import { AccessControlEntry, AclBinding, PatternType, ResourcePattern, distinctEntries, entryKey, patternKey } from './acl-binding';

/** A resource's entries and the version of their store (the znode version; -1: not stored). */
export interface VersionedAcls {
  readonly entries: readonly AccessControlEntry[];
  readonly version: number;
}

export const NO_ACLS: VersionedAcls = { entries: [], version: -1 };

const typeNameKey = (type: ResourceType, name: string): string => `${type}:${name}`;
const typeEntryKey = (entry: AccessControlEntry, type: ResourceType, patternType: PatternType): string => `${type}:${patternType}:${entryKey(entry)}`;

export class AclCache {
  private readonly byPattern = new Map<string, { pattern: ResourcePattern; acls: VersionedAcls }>();
  /** Literal patterns by (type, name). */
  private readonly literal = new Map<string, readonly AccessControlEntry[]>();
  /** Prefixed patterns: per type, the prefixes in ascending order, and their entries. */
  private readonly prefixes = new Map<ResourceType, string[]>();
  private readonly prefixed = new Map<string, readonly AccessControlEntry[]>();
  /** (entry, type, pattern type) → the names of resources with that entry. */
  private readonly namesByEntry = new Map<string, Set<string>>();

  get(pattern: ResourcePattern): VersionedAcls {
    return this.byPattern.get(patternKey(pattern))?.acls ?? NO_ACLS;
  }

  patterns(): ResourcePattern[] {
    return [...this.byPattern.values()].map((v) => v.pattern);
  }

  /** Every binding, resource by resource. */
  *bindings(): Generator<AclBinding> {
    for (const { pattern, acls } of this.byPattern.values()) for (const entry of acls.entries) yield { pattern, entry };
  }

  get size(): number {
    return this.byPattern.size;
  }

  /** Replaces a resource's entries (none: the resource goes). */
  set(pattern: ResourcePattern, acls: VersionedAcls): void {
    const key = patternKey(pattern);
    const before = this.byPattern.get(key)?.acls.entries ?? [];
    const entries = distinctEntries(acls.entries);
    this.reindexNames(pattern, before, entries);
    const byName = typeNameKey(pattern.resourceType, pattern.name);
    const index = pattern.patternType === PatternType.PREFIXED ? this.prefixed : this.literal;
    if (entries.length === 0) {
      this.byPattern.delete(key);
      index.delete(byName);
      if (pattern.patternType === PatternType.PREFIXED) this.removePrefix(pattern.resourceType, pattern.name);
    } else {
      this.byPattern.set(key, { pattern, acls: { entries, version: acls.version } });
      if (pattern.patternType === PatternType.PREFIXED && !index.has(byName)) this.addPrefix(pattern.resourceType, pattern.name);
      index.set(byName, entries);
    }
  }

  /** The entries that apply to a resource: its literal ones, its type's wildcard, and every prefix of its name (AclAuthorizer.matchingAcls). */
  matching(type: ResourceType, name: string): AccessControlEntry[] {
    const found: AccessControlEntry[] = [];
    const wildcard = this.literal.get(typeNameKey(type, '*'));
    if (wildcard) found.push(...wildcard);
    if (name !== '*') {
      const literal = this.literal.get(typeNameKey(type, name));
      if (literal) found.push(...literal);
    }
    const sorted = this.prefixes.get(type);
    if (sorted) for (const prefix of prefixesOf(sorted, name)) found.push(...this.prefixed.get(typeNameKey(type, prefix))!);
    return found;
  }

  /** The names of resources of the type whose pattern carries exactly this entry. */
  namesWith(entry: AccessControlEntry, type: ResourceType, patternType: PatternType): ReadonlySet<string> | undefined {
    return this.namesByEntry.get(typeEntryKey(entry, type, patternType));
  }

  private reindexNames(pattern: ResourcePattern, before: readonly AccessControlEntry[], after: readonly AccessControlEntry[]): void {
    const kept = new Set(after.map(entryKey));
    for (const entry of before) {
      if (kept.has(entryKey(entry))) continue;
      const key = typeEntryKey(entry, pattern.resourceType, pattern.patternType);
      const names = this.namesByEntry.get(key);
      names?.delete(pattern.name);
      if (names?.size === 0) this.namesByEntry.delete(key);
    }
    for (const entry of after) {
      const key = typeEntryKey(entry, pattern.resourceType, pattern.patternType);
      let names = this.namesByEntry.get(key);
      if (!names) this.namesByEntry.set(key, (names = new Set()));
      names.add(pattern.name);
    }
  }

  private addPrefix(type: ResourceType, prefix: string): void {
    let sorted = this.prefixes.get(type);
    if (!sorted) this.prefixes.set(type, (sorted = []));
    sorted.splice(upperBound(sorted, prefix), 0, prefix);
  }

  private removePrefix(type: ResourceType, prefix: string): void {
    const sorted = this.prefixes.get(type);
    if (!sorted) return;
    const at = upperBound(sorted, prefix) - 1;
    if (at >= 0 && sorted[at] === prefix) sorted.splice(at, 1);
    if (sorted.length === 0) this.prefixes.delete(type);
  }
}

/** Index of the first element greater than `value` (code unit order, as Java's String.compareTo). */
function upperBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The elements of `sorted` that are prefixes of `name`. Every prefix sorts at or below the name; an
 * element that is no prefix shares a common start with the name, and only a prefix of that common
 * start can still match: the search jumps there rather than walk every element between.
 */
export function prefixesOf(sorted: readonly string[], name: string): string[] {
  const found: string[] = [];
  let bound = name;
  for (;;) {
    const at = upperBound(sorted, bound) - 1;
    if (at < 0) return found;
    const candidate = sorted[at];
    if (name.startsWith(candidate)) {
      found.push(candidate);
      if (candidate.length === 0) return found;
      // The next prefix is strictly shorter: just below this one.
      bound = candidate.slice(0, -1);
      if (bound === '') return sorted[0] === '' ? [...found, ''] : found;
      continue;
    }
    let common = 0;
    while (common < candidate.length && common < name.length && candidate[common] === name[common]) common++;
    if (common === 0) return found;
    bound = name.slice(0, common);
  }
}
