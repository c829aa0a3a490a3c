// The ACL matrix's broker: the real handlers over fake services, behind the real AclAuthorizer on an
// in-memory ACL store. A test installs the ACLs of one scenario, calls one API as one principal and
// reads back what the request did: its error code where Kafka puts it, and whether anything happened.

import { ErrorCode } from '../../protocol';
import { AccessControlEntry, PatternType, PermissionType, ResourcePattern, patternKey } from '../../src/auth/acl/acl-binding';
import { AclCache } from '../../src/auth/acl/acl-cache';
import { Acls, startAcls } from '../../src/auth/acl/acls';
import type { AclStore } from '../../src/auth/acl/acl-store';
import { AclOperation, ResourceType } from '../../src/auth/authorizer';
import type { RequestContext } from '../../src/handlers/handler';
import { newSession } from '../../src/server/session';
import { CapturingLogger, FakeControllerRequests, TestBroker, fakeController, fakeGroups, fakeTransactions, testBroker } from '../handlers/fake-context';

export const SUPER_USER = 'User:admin';

/** One ACL: `principal` is `permission`ed `operation` on the pattern, from `host`. */
export interface Acl {
  type: ResourceType;
  name: string;
  pattern?: PatternType;
  principal: string;
  operation: AclOperation;
  permission?: PermissionType;
  host?: string;
}

export const allow = (principal: string, operation: AclOperation, type: ResourceType, name: string, extra: Partial<Acl> = {}): Acl => ({ principal, operation, type, name, ...extra });
export const deny = (principal: string, operation: AclOperation, type: ResourceType, name: string, extra: Partial<Acl> = {}): Acl => ({ principal, operation, type, name, permission: PermissionType.DENY, ...extra });

/** The store the ACL APIs write through: the cache is the whole of it. */
class MemoryAclStore implements AclStore {
  cache = new AclCache();
  async load(cache: AclCache): Promise<void> {
    this.cache = cache;
  }
  async update(pattern: ResourcePattern, change: (current: readonly AccessControlEntry[]) => AccessControlEntry[]): Promise<void> {
    this.cache.set(pattern, { entries: change(this.cache.get(pattern).entries), version: 0 });
  }
  async close(): Promise<void> {}
}

export interface MatrixBroker {
  b: TestBroker;
  acls: Acls;
  /** What reached the group, transaction and controller fakes. */
  calls: string[];
  controllerRequests: FakeControllerRequests;
  install(acls: readonly Acl[]): void;
  /** A request context for `principal` from `host`, over SASL_PLAINTEXT (delegation token APIs refuse other protocols) on the listener the fake metadata lists. */
  as(principal: string, version: number, host?: string): RequestContext;
  close(): Promise<void>;
}

export async function matrixBroker(allowEveryoneIfNoAclFound: boolean): Promise<MatrixBroker> {
  const b = await testBroker({}, { 'delete.topic.enable': true, 'auto.create.topics.enable': true, 'delegation.token.secret.key': 'matrix-secret' });
  const store = new MemoryAclStore();
  const acls = await startAcls({ superUsers: new Set([SUPER_USER]), allowEveryoneIfNoAclFound }, store, new CapturingLogger());
  b.services.authorizer = acls.authorizer;
  b.services.acls = acls.admin;
  const calls: string[] = [];
  b.services.groups = fakeGroups({
    checkCoordinator: () => ErrorCode.NONE,
    coordinatorFor: async (key) => {
      calls.push(`group coordinator for ${key}`);
      return 1;
    },
    commitOffsets: async (req) => {
      calls.push(`commit ${req.groupId} ${req.topics.map((t) => t.name)}`);
      return req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: ErrorCode.NONE })) }));
    },
    fetchOffsets: (groupId, topics) => {
      calls.push(`fetch offsets ${groupId} ${topics === null ? 'all' : topics.map((t) => t.name)}`);
      const listed = topics ?? [{ name: 't', partitionIndexes: [0] }];
      const partition = (partitionIndex: number) => ({ partitionIndex, committedOffset: 1n, committedLeaderEpoch: -1, metadata: '', errorCode: ErrorCode.NONE });
      return { errorCode: ErrorCode.NONE, topics: listed.map((t) => ({ name: t.name, partitions: t.partitionIndexes.map(partition) })) };
    },
    deleteGroup: (groupId) => {
      calls.push(`delete group ${groupId}`);
      return ErrorCode.NONE;
    },
    deleteOffsets: (groupId, topics) => {
      calls.push(`delete offsets ${groupId} ${topics.map((t) => t.name)}`);
      return { errorCode: ErrorCode.NONE, topics: topics.map((t) => ({ name: t.name, partitions: t.partitions.map((partitionIndex) => ({ partitionIndex, errorCode: ErrorCode.NONE })) })) };
    },
    coordinator: {
      joinGroup: async (req) => {
        calls.push(`join ${req.groupId}`);
        return { errorCode: ErrorCode.NONE, generationId: 1, protocolType: 'consumer', protocolName: 'range', leader: 'm', skipAssignment: false, memberId: 'm', members: [] };
      },
      heartbeat: (req) => {
        calls.push(`heartbeat ${req.groupId}`);
        return ErrorCode.NONE;
      },
      describeGroup: (groupId) => {
        calls.push(`describe group ${groupId}`);
        return { errorCode: ErrorCode.NONE, groupState: 'Empty', protocolType: 'consumer', protocolData: '', members: [] };
      },
      listGroups: () => [{ groupId: 'g', protocolType: 'consumer', groupState: 'Empty' }],
    },
  });
  b.services.transactions = fakeTransactions({
    coordinatorFor: async (id) => {
      calls.push(`txn coordinator for ${id}`);
      return 1;
    },
    initProducerId: async (id) => {
      calls.push(`init producer ${id}`);
      return { errorCode: ErrorCode.NONE, producerId: 9n, producerEpoch: 0 };
    },
    addPartitionsToTxn: async (id, _pid, _epoch, partitions) => {
      calls.push(`add ${partitions.map((p) => `${p.topic}-${p.partition}`)} to ${id}`);
      return ErrorCode.NONE;
    },
    endTxn: async (id) => {
      calls.push(`end txn ${id}`);
      return ErrorCode.NONE;
    },
    describeTransaction: (transactionalId) => {
      calls.push(`describe txn ${transactionalId}`);
      return { errorCode: ErrorCode.NONE, transactionalId, transactionState: 'Ongoing', transactionTimeoutMs: 60_000, transactionStartTimeMs: 5n, producerId: 9n, producerEpoch: 1, topics: [] };
    },
  });
  const controllerRequests = new FakeControllerRequests();
  b.services.controller = fakeController({
    controllerRequests,
    electLeaders: async (_type, wanted) => {
      calls.push('elect');
      return (wanted ?? []).map((tp) => ({ ...tp, errorCode: ErrorCode.NONE, errorMessage: null }));
    },
  });
  return {
    b,
    acls,
    calls,
    controllerRequests,
    install: (list) => installAcls(store.cache, list),
    as: (principal, version, host = '127.0.0.1') => ({ ...b.ctx(version), session: { ...newSession('PLAINTEXT', 'SASL_PLAINTEXT', host, 50000), principal } }),
    close: async () => {
      await b.close();
      await acls.close();
    },
  };
}

/** Adds the ACLs to the cache, resource by resource, as a store's load would. */
function installAcls(cache: AclCache, list: readonly Acl[]): void {
  const byPattern = new Map<string, { pattern: ResourcePattern; entries: AccessControlEntry[] }>();
  for (const acl of list) {
    const pattern: ResourcePattern = { resourceType: acl.type, name: acl.name, patternType: acl.pattern ?? PatternType.LITERAL };
    const key = patternKey(pattern);
    const group = byPattern.get(key) ?? { pattern, entries: [...cache.get(pattern).entries] };
    group.entries.push({ principal: acl.principal, host: acl.host ?? '*', operation: acl.operation, permissionType: acl.permission ?? PermissionType.ALLOW });
    byPattern.set(key, group);
  }
  for (const { pattern, entries } of byPattern.values()) cache.set(pattern, { entries, version: 0 });
}
