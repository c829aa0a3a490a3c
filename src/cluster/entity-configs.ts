// Dynamic configs of the entities other than topics, keyed by Kafka's entity path as ZooKeeper-mode
// Kafka names them under /config and in its change notifications: "brokers/<default>", "brokers/0",
// "users/alice", "users/alice/clients/app", "clients/app", "ips/127.0.0.1". Brokers read their own
// dynamic configs from here, quotas read users, clients and ips.

/** Kafka's ConfigEntityName.Default: the entity that holds cluster-wide defaults. */
export const DEFAULT_ENTITY = '<default>';

export const brokerEntity = (brokerId: number | null): string => `brokers/${brokerId === null ? DEFAULT_ENTITY : brokerId}`;

export interface EntityConfigView {
  /** The entity's configs; empty when it has none. */
  get(entityPath: string): Readonly<Record<string, string>>;
  /** Paths of every entity with configs whose path starts with `prefix` ("users/", "ips/", "" for all). */
  list(prefix?: string): string[];
}

/** The in-memory copy, which remembers what changed since the last look. */
export class EntityConfigStore implements EntityConfigView {
  private readonly entities = new Map<string, Readonly<Record<string, string>>>();
  private readonly changed = new Set<string>();

  get(entityPath: string): Readonly<Record<string, string>> {
    return this.entities.get(entityPath) ?? {};
  }

  list(prefix = ''): string[] {
    return [...this.entities.keys()].filter((p) => p.startsWith(prefix)).sort();
  }

  /** Replaces the entity's configs (empty removes it); true when something changed. */
  set(entityPath: string, configs: Readonly<Record<string, string>>): boolean {
    if (sameConfigs(this.get(entityPath), configs)) return false;
    if (Object.keys(configs).length === 0) this.entities.delete(entityPath);
    else this.entities.set(entityPath, { ...configs });
    this.changed.add(entityPath);
    return true;
  }

  /** Entities whose configs changed since the last take. */
  takeChanged(): string[] {
    const paths = [...this.changed].sort();
    this.changed.clear();
    return paths;
  }

  all(): Record<string, Readonly<Record<string, string>>> {
    return Object.fromEntries(this.entities);
  }
}

function sameConfigs(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
