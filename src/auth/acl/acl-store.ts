// Where a broker's ACLs are kept: ZooKeeper's /kafka-acl znodes (zk/zk-acls.ts) or, standalone, a
// file in the log dir (cluster/file-acls.ts). A store fills the cache and keeps it in step with
// every change, its own writes and (in ZooKeeper) other brokers' and Kafka's tools'.

import type { AccessControlEntry, ResourcePattern } from './acl-binding';
import type { AclCache } from './acl-cache';

export interface AclStore {
  /** Reads every stored ACL into the cache and starts following changes. */
  load(cache: AclCache): Promise<void>;
  /**
   * Replaces a resource's entries with what `change` makes of the current ones, safely against
   * other writers (ZooKeeper: conditional on the znode version, read again and retried on
   * conflict); no entries left removes the resource. The cache has the result when it resolves.
   */
  update(pattern: ResourcePattern, change: (current: readonly AccessControlEntry[]) => AccessControlEntry[]): Promise<void>;
  close(): Promise<void>;
}
