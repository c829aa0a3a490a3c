// The ACL APIs' side of the authorizer (AclAuthorizer.acls, createAcls, deleteAcls): bindings are
// grouped by resource and each resource is rewritten once, one change at a time, as Kafka's
// authorizer does under its lock. DeleteAcls reports each deleted binding under the first filter
// that matched it.

import { ErrorCode, KafkaError } from '../../../protocol';
import {
  AccessControlEntry,
  AclBinding,
  AclBindingFilter,
  ResourcePattern,
  bindingMatches,
  entryMatches,
  patternKey,
  patternMatches,
  patternsOfFilter,
} from './acl-binding';
import { AclCache } from './acl-cache';
import { AclStore } from './acl-store';

export interface AclDeletion {
  binding: AclBinding;
  /** The failure to store the deletion, null when it is done. */
  error: KafkaError | null;
}

/** The `acls` service: what DescribeAcls, CreateAcls and DeleteAcls ask of the broker. */
export interface AclAdministration {
  /** False without an authorizer: the ACL APIs answer SECURITY_DISABLED. */
  readonly enabled: boolean;
  describe(filter: AclBindingFilter): AclBinding[];
  /** Stores valid bindings; per binding, null or the error of its resource's write. */
  create(bindings: readonly AclBinding[]): Promise<(KafkaError | null)[]>;
  /** Per filter, the bindings it deleted. */
  delete(filters: readonly AclBindingFilter[]): Promise<AclDeletion[][]>;
}

const disabled = (): never => {
  throw new KafkaError(ErrorCode.SECURITY_DISABLED, 'No Authorizer is configured on the broker');
};

export const NO_ACL_ADMINISTRATION: AclAdministration = { enabled: false, describe: disabled, create: disabled, delete: disabled };

export class AclAdmin implements AclAdministration {
  readonly enabled = true;
  /** Changes run one after another, as under Kafka's authorizer lock. */
  private changing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly cache: AclCache,
    private readonly store: AclStore,
  ) {}

  describe(filter: AclBindingFilter): AclBinding[] {
    const found: AclBinding[] = [];
    for (const binding of this.cache.bindings()) if (bindingMatches(filter, binding)) found.push(binding);
    return found;
  }

  create(bindings: readonly AclBinding[]): Promise<(KafkaError | null)[]> {
    return this.serially(async () => {
      const results: (KafkaError | null)[] = bindings.map(() => null);
      for (const [, group] of groupByPattern(bindings)) {
        try {
          await this.store.update(group.pattern, (current) => [...current, ...group.indexes.map((i) => bindings[i].entry)]);
        } catch (err) {
          for (const i of group.indexes) results[i] = asKafkaError(err);
        }
      }
      return results;
    });
  }

  delete(filters: readonly AclBindingFilter[]): Promise<AclDeletion[][]> {
    return this.serially(async () => {
      const results: AclDeletion[][] = filters.map(() => []);
      const resources = new Map<string, ResourcePattern>();
      for (const pattern of this.cache.patterns()) resources.set(patternKey(pattern), pattern);
      for (const filter of filters) for (const pattern of patternsOfFilter(filter.pattern)) resources.set(patternKey(pattern), pattern);
      for (const pattern of resources.values()) {
        const matching = filters.map((filter, index) => ({ filter, index })).filter(({ filter }) => patternMatches(filter.pattern, pattern));
        if (matching.length === 0) continue;
        let deleted: { entry: AccessControlEntry; index: number }[] = [];
        const change = (current: readonly AccessControlEntry[]) => {
          deleted = [];
          return current.filter((entry) => {
            const first = matching.find(({ filter }) => entryMatches(filter.entry, entry));
            if (first) deleted.push({ entry, index: first.index });
            return !first;
          });
        };
        let error: KafkaError | null = null;
        try {
          await this.store.update(pattern, change);
        } catch (err) {
          error = asKafkaError(err);
        }
        for (const { entry, index } of deleted) results[index].push({ binding: { pattern, entry }, error });
      }
      return results;
    });
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.changing.then(work, work);
    this.changing = next.catch(() => undefined);
    return next;
  }
}

function groupByPattern(bindings: readonly AclBinding[]): Map<string, { pattern: ResourcePattern; indexes: number[] }> {
  const groups = new Map<string, { pattern: ResourcePattern; indexes: number[] }>();
  bindings.forEach((binding, i) => {
    const key = patternKey(binding.pattern);
    const group = groups.get(key) ?? { pattern: binding.pattern, indexes: [] };
    group.indexes.push(i);
    groups.set(key, group);
  });
  return groups;
}

/** Kafka answers a failed store write as an unknown server error (the authorizer's apiException). */
function asKafkaError(err: unknown): KafkaError {
  return err instanceof KafkaError ? err : new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, (err as Error).message);
}
