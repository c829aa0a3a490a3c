// ACLs in ZooKeeper exactly as Kafka 3.9's AclAuthorizer keeps them (ZkAclStore, ZkAclChangeStore):
// literal patterns in /kafka-acl/<ResourceType>/<name>, prefixed ones in
// /kafka-acl-extended/prefixed/<ResourceType>/<name>, each node's JSON the resource's entries. A
// write is conditional on the znode version the broker knows and is read again and retried on
// conflict; a resource left without entries loses its node. Every change is announced by a
// sequential node, /kafka-acl-changes/acl_changes_<seq> ("TOPIC:name") for literal patterns and
// /kafka-acl-extended-changes/acl_changes_<seq> (JSON) for the others; every broker watches both
// and re-reads the resource named, so changes by any broker or Kafka's tools reach all of them.

import { ResourceType } from '../auth/authorizer';
import {
  AccessControlEntry,
  ACL_RESOURCE_TYPES,
  PatternType,
  ResourcePattern,
  distinctEntries,
  parsePatternType,
  patternKey,
  parseResourceType,
  patternTypeName,
  resourceTypeEnumName,
  resourceTypeName,
  sameEntries,
} from '../auth/acl/acl-binding';
import { AclCache, NO_ACLS, VersionedAcls } from '../auth/acl/acl-cache';
import { decodeAcls, encodeAcls } from '../auth/acl/acl-json';
import { AclStore } from '../auth/acl/acl-store';
import { Clock, sleep } from '../clock';
import { Logger } from '../logger';
import { ZooKeeperSession, isZkError } from '../zookeeper';
import { ensurePath } from './cluster-identity';

export const LITERAL_ACL_PATH = '/kafka-acl';
export const EXTENDED_ACL_PATH = '/kafka-acl-extended';
export const LITERAL_ACL_CHANGES = '/kafka-acl-changes';
export const EXTENDED_ACL_CHANGES = '/kafka-acl-extended-changes';
export const ACL_CHANGE_PREFIX = 'acl_changes_';

/** ZkNodeChangeNotificationListener's default: notifications older than this are purged. */
const CHANGE_EXPIRATION_MS = 15 * 60_000;
/** AclAuthorizer.maxUpdateRetries, retryBackoffMs and its jitter. */
const MAX_UPDATE_RETRIES = 10;
const RETRY_BACKOFF_MS = 100;
const RETRY_BACKOFF_JITTER_MS = 50;

interface Store {
  patternType: PatternType;
  aclPath: string;
  changePath: string;
}

/** ZkAclStore.stores: one per specific pattern type. */
const STORES: readonly Store[] = [
  { patternType: PatternType.LITERAL, aclPath: LITERAL_ACL_PATH, changePath: LITERAL_ACL_CHANGES },
  { patternType: PatternType.PREFIXED, aclPath: `${EXTENDED_ACL_PATH}/prefixed`, changePath: EXTENDED_ACL_CHANGES },
];

const storeOf = (patternType: PatternType): Store => STORES.find((s) => s.patternType === patternType)!;

/** ResourceZNode.path. */
export const aclNodePath = (p: ResourcePattern): string => `${storeOf(p.patternType).aclPath}/${resourceTypeName(p.resourceType)}/${p.name}`;

/** The change notification's data: LiteralAclChangeStore's "TOPIC:name", ExtendedAclChangeStore's JSON. */
export function encodeAclChange(p: ResourcePattern): Buffer {
  if (p.patternType === PatternType.LITERAL) return Buffer.from(`${resourceTypeEnumName(p.resourceType)}:${p.name}`);
  return Buffer.from(JSON.stringify({ version: 1, resourceType: resourceTypeEnumName(p.resourceType), name: p.name, patternType: patternTypeName(p.patternType) }));
}

export function decodeAclChange(patternType: PatternType, data: Buffer | null): ResourcePattern {
  const text = (data ?? Buffer.alloc(0)).toString('utf8');
  if (patternType === PatternType.LITERAL) {
    const colon = text.indexOf(':');
    const resourceType = colon > 0 ? parseResourceType(text.slice(0, colon)) : undefined;
    if (resourceType === undefined) throw new Error(`expected a string in format ResourceType:ResourceName but got ${text}`);
    return { resourceType, name: text.slice(colon + 1), patternType: PatternType.LITERAL };
  }
  const event = JSON.parse(text) as { version?: number; resourceType?: string; name?: string; patternType?: string };
  if (typeof event.version === 'number' && event.version > 1) throw new Error(`Acl change event received for unsupported version: ${event.version}`);
  const resourceType = parseResourceType(String(event.resourceType));
  const eventPatternType = parsePatternType(String(event.patternType));
  if (resourceType === undefined || eventPatternType === undefined || typeof event.name !== 'string') throw new Error(`Failed to convert ACL change event to resource: ${text}`);
  return { resourceType, name: event.name, patternType: eventPatternType };
}

/** ResourcePattern.toString, as Kafka's authorizer names a resource in its log lines. */
const resourceText = (p: ResourcePattern): string =>
  `ResourcePattern(resourceType=${resourceTypeEnumName(p.resourceType)}, name=${p.name}, patternType=${patternTypeName(p.patternType)})`;

export class ZkAclStore implements AclStore {
  private cache: AclCache | null = null;
  /** The last notification processed, per change path. */
  private readonly lastChange = new Map<string, number>();
  private readonly processing = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private closed = false;
  private readonly onConnected = (): void => {
    for (const store of STORES) this.followChanges(store);
  };
  private readonly onSession = (): void => void this.loadAll().catch((err) => this.log.warn(`Reading ACLs failed: ${(err as Error).message}`));

  constructor(
    private readonly zk: ZooKeeperSession,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** KafkaZkClient.createAclPaths, then the change listeners, then the cache, as AclAuthorizer.configure. */
  async load(cache: AclCache): Promise<void> {
    this.cache = cache;
    for (const store of STORES) {
      await ensurePath(this.zk, store.aclPath);
      for (const type of ACL_RESOURCE_TYPES) await ensurePath(this.zk, `${store.aclPath}/${resourceTypeName(type)}`);
      await ensurePath(this.zk, store.changePath);
    }
    // Changes already announced are covered by the full read that follows.
    for (const store of STORES) await this.readChanges(store, false);
    await this.loadAll();
    // Watches may be gone after a reconnection, and everything after a new session.
    this.zk.on('connected', this.onConnected);
    this.zk.on('session', this.onSession);
  }

  async update(pattern: ResourcePattern, change: (current: readonly AccessControlEntry[]) => AccessControlEntry[]): Promise<void> {
    const cache = this.cache!;
    const path = aclNodePath(pattern);
    let current = cache.get(pattern).version >= 0 ? cache.get(pattern) : await this.read(pattern);
    for (let retries = 0; ; retries++) {
      const entries = distinctEntries(change(current.entries));
      const version = await this.write(path, current, entries);
      if (version !== null) {
        const changed = !sameEntries(current.entries, entries);
        cache.set(pattern, { entries, version });
        if (changed) {
          this.log.info(`Updated ACLs for ${resourceText(pattern)} with new version ${version}`);
          await this.zk.create(`${storeOf(pattern.patternType).changePath}/${ACL_CHANGE_PREFIX}`, encodeAclChange(pattern), 'persistent_sequential');
        }
        return;
      }
      if (retries >= MAX_UPDATE_RETRIES) throw new Error(`Failed to update ACLs for ${resourceText(pattern)} after trying a maximum of ${MAX_UPDATE_RETRIES} times`);
      await sleep(this.clock, RETRY_BACKOFF_MS + Math.floor(Math.random() * RETRY_BACKOFF_JITTER_MS));
      current = await this.read(pattern);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.zk.off('connected', this.onConnected);
    this.zk.off('session', this.onSession);
    await Promise.all(this.processing.values());
  }

  /** The new znode version, or null when another writer changed the node first. */
  private async write(path: string, current: VersionedAcls, entries: AccessControlEntry[]): Promise<number | null> {
    try {
      if (entries.length > 0 && current.version >= 0) return (await this.zk.setData(path, encodeAcls(entries), current.version)).version;
      if (entries.length > 0) {
        await this.zk.createRecursive(path, encodeAcls(entries));
        return 0;
      }
      if (current.version >= 0) await this.zk.delete(path, current.version);
      return NO_ACLS.version;
    } catch (err) {
      if (isZkError(err, 'BAD_VERSION') || isZkError(err, 'NODE_EXISTS')) return null;
      // Set on a node deleted meanwhile: read again. A delete of a node already gone is done.
      if (isZkError(err, 'NO_NODE')) return entries.length > 0 ? null : NO_ACLS.version;
      throw err;
    }
  }

  /** The resource's entries and znode version; none (version -1) without a node. */
  private async read(pattern: ResourcePattern): Promise<VersionedAcls> {
    const node = await this.zk.getData(aclNodePath(pattern));
    if (!node) return NO_ACLS;
    return { entries: decodeAcls(node.data), version: node.stat.version };
  }

  /** AclAuthorizer.loadAllAcls: every resource of every known type; resources gone since are dropped. */
  private async loadAll(): Promise<void> {
    const cache = this.cache!;
    const seen = new Set<string>();
    for (const store of STORES) {
      for (const typeName of (await this.zk.getChildren(store.aclPath)) ?? []) {
        const resourceType = parseResourceType(typeName);
        if (resourceType === undefined || resourceTypeName(resourceType) !== typeName) {
          this.log.warn(`Ignoring unknown ResourceType: ${typeName}`);
          continue;
        }
        for (const name of (await this.zk.getChildren(`${store.aclPath}/${typeName}`)) ?? []) {
          const pattern = { resourceType, name, patternType: store.patternType };
          seen.add(patternKey(pattern));
          // A node Kafka could not read fails the load, as it fails Kafka's authorizer at startup.
          cache.set(pattern, await this.read(pattern));
        }
      }
    }
    for (const pattern of cache.patterns()) {
      if (!seen.has(patternKey(pattern))) cache.set(pattern, NO_ACLS);
    }
  }

  /** Reads one resource named by a notification into the cache; an unreadable node is logged and leaves the cache as it was. */
  private async refresh(pattern: ResourcePattern): Promise<void> {
    try {
      const acls = await this.read(pattern);
      this.cache!.set(pattern, acls);
    } catch (err) {
      this.log.error(`Ignoring unreadable ACLs of ${resourceText(pattern)}: ${(err as Error).message}`);
    }
  }

  /** Processes the change notifications, one pass at a time per store, once more if the watch fired meanwhile. */
  private followChanges(store: Store): void {
    if (this.closed) return;
    if (this.processing.has(store.changePath)) {
      this.again.add(store.changePath);
      return;
    }
    const run = (async () => {
      do {
        this.again.delete(store.changePath);
        try {
          await this.readChanges(store, true);
        } catch (err) {
          if (!this.closed) this.log.warn(`Processing ACL change notifications in ${store.changePath} failed: ${(err as Error).message}`);
        }
      } while (this.again.has(store.changePath) && !this.closed);
    })().finally(() => this.processing.delete(store.changePath));
    this.processing.set(store.changePath, run);
  }

  /**
   * ZkNodeChangeNotificationListener: the notifications after the last one processed, in sequence
   * order, each re-reading the resource it names; those older than 15 minutes are purged.
   */
  private async readChanges(store: Store, apply: boolean): Promise<void> {
    const children = (await this.zk.getChildren(store.changePath, () => this.followChanges(store))) ?? [];
    const sequenced = children
      .filter((c) => c.startsWith(ACL_CHANGE_PREFIX))
      .map((child) => ({ child, seq: Number(child.slice(ACL_CHANGE_PREFIX.length)) }))
      .sort((a, b) => a.seq - b.seq);
    const last = this.lastChange.get(store.changePath) ?? -1;
    for (const { child, seq } of sequenced) {
      const path = `${store.changePath}/${child}`;
      if (seq > last) {
        this.lastChange.set(store.changePath, seq);
        if (apply) await this.applyChange(store, path);
      }
      const stat = await this.zk.exists(path);
      if (stat && stat.ctime < this.clock.now() - CHANGE_EXPIRATION_MS) await this.zk.delete(path, -1).catch(() => undefined);
    }
  }

  private async applyChange(store: Store, path: string): Promise<void> {
    const node = await this.zk.getData(path);
    if (!node) return;
    let pattern: ResourcePattern;
    try {
      pattern = decodeAclChange(store.patternType, node.data);
    } catch (err) {
      return this.log.warn(`Ignoring ACL change notification ${path}: ${(err as Error).message}`);
    }
    if (pattern.resourceType === ResourceType.UNKNOWN) return;
    await this.refresh(pattern);
    this.log.info(`Processing Acl change notification for ${resourceText(pattern)}, zkVersion : ${this.cache!.get(pattern).version}`);
  }
}
