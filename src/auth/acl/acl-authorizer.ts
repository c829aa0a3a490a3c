// Kafka 3.9's AclAuthorizer (kafka.security.authorizer.AclAuthorizer) over the broker's ACL cache:
// super users may do anything; otherwise a request is allowed when no DENY entry matches and an
// ALLOW entry does (DESCRIBE implied by READ, WRITE, DELETE and ALTER; DESCRIBE_CONFIGS by
// ALTER_CONFIGS; ALL implies every operation), or, with allow.everyone.if.no.acl.found, when no
// entry applies to the resource at all. Entries match by principal (or User:*), host (or *) and
// operation (or ALL); resources by literal name, the type's wildcard `*` and every prefix.
// Denials are logged as Kafka's authorizer logger logs them, at INFO.

import type { Logger } from '../../logger';
import { AclOperation, Authorizing, RequestIdentity, ResourceType, SUPPORTED_OPERATIONS, supportedOperationBits } from '../authorizer';
import {
  AccessControlEntry,
  PatternType,
  PermissionType,
  WILDCARD_HOST,
  WILDCARD_PRINCIPAL,
  WILDCARD_RESOURCE,
  operationName,
  patternText,
} from './acl-binding';
import { AclCache } from './acl-cache';

export interface AclAuthorizerOptions {
  /** super.users: principals allowed everything. */
  superUsers: ReadonlySet<string>;
  /** allow.everyone.if.no.acl.found. */
  allowEveryoneIfNoAclFound: boolean;
}

/** Operations an ALLOW of another operation also grants (AclAuthorizer.authorizeAction). */
const IMPLIED_BY: Partial<Record<AclOperation, AclOperation[]>> = {
  [AclOperation.DESCRIBE]: [AclOperation.DESCRIBE, AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER],
  [AclOperation.DESCRIBE_CONFIGS]: [AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS],
};

export class AclAuthorizer implements Authorizing {
  readonly enabled = true;

  constructor(
    private readonly cache: AclCache,
    private readonly options: AclAuthorizerOptions,
    /** Kafka's kafka.authorizer.logger. */
    private readonly log: Logger,
  ) {}

  authorize(who: RequestIdentity, operation: AclOperation, type: ResourceType, name: string, logIfDenied = true): boolean {
    const allowed = this.isSuperUser(who.principal) || this.aclsAllow(who, operation, type, name);
    if (!allowed && logIfDenied) this.logDenied(who, operation, patternText({ resourceType: type, name, patternType: PatternType.LITERAL }));
    return allowed;
  }

  authorizedOperations(who: RequestIdentity, type: ResourceType, name: string): number {
    if (this.isSuperUser(who.principal)) return supportedOperationBits(type);
    let bits = 0;
    for (const op of SUPPORTED_OPERATIONS[type] ?? []) if (this.aclsAllow(who, op, type, name)) bits |= 1 << op;
    return bits;
  }

  /**
   * Kafka's AclAuthorizer.authorizeByResourceType (KIP-679): allowed when some resource of the type
   * may be acted on. A literal DENY on `*` denies all; with allow.everyone.if.no.acl.found anything
   * else is allowed; otherwise an ALLOW counts unless a DENY covers it: a literal ALLOW by a DENY of
   * the same name or of a prefix of it, a prefixed ALLOW by a DENY of a prefix of it.
   */
  authorizeByResourceType(who: RequestIdentity, operation: AclOperation, type: ResourceType): boolean {
    if (this.isSuperUser(who.principal)) return true;
    const host = hostOf(who);
    const names = (permission: PermissionType, patternType: PatternType) => this.matchingNames(who.principal, host, operation, permission, type, patternType);
    const denyLiterals = names(PermissionType.DENY, PatternType.LITERAL);
    const allowed = ((): boolean => {
      if (denyLiterals.some((set) => set.has(WILDCARD_RESOURCE))) return false;
      if (this.options.allowEveryoneIfNoAclFound) return true;
      const denyPrefixes = names(PermissionType.DENY, PatternType.PREFIXED);
      const allowLiterals = names(PermissionType.ALLOW, PatternType.LITERAL);
      const allowPrefixes = names(PermissionType.ALLOW, PatternType.PREFIXED);
      const deniedByPrefix = (name: string) => {
        for (let length = 0; length <= name.length; length++) {
          const start = name.slice(0, length);
          if (denyPrefixes.some((set) => set.has(start))) return true;
        }
        return false;
      };
      const anyOf = (sets: ReadonlySet<string>[], ok: (name: string) => boolean) => sets.some((set) => [...set].some(ok));
      return (
        anyOf(allowPrefixes, (prefix) => !deniedByPrefix(prefix)) ||
        anyOf(allowLiterals, (literal) => literal === WILDCARD_RESOURCE || (!denyLiterals.some((set) => set.has(literal)) && !deniedByPrefix(literal)))
      );
    })();
    if (!allowed) this.logDenied(who, operation, patternText({ resourceType: type, name: 'NONE', patternType: PatternType.UNKNOWN }));
    return allowed;
  }

  isSuperUser(principal: string): boolean {
    return this.options.superUsers.has(principal);
  }

  private aclsAllow(who: RequestIdentity, operation: AclOperation, type: ResourceType, name: string): boolean {
    const entries = this.cache.matching(type, name);
    if (entries.length === 0) return this.options.allowEveryoneIfNoAclFound;
    const host = hostOf(who);
    const applies = (e: AccessControlEntry) => (e.principal === who.principal || e.principal === WILDCARD_PRINCIPAL) && (e.host === WILDCARD_HOST || e.host === host);
    if (entries.some((e) => e.permissionType === PermissionType.DENY && applies(e) && (e.operation === operation || e.operation === AclOperation.ALL))) return false;
    const granting = IMPLIED_BY[operation] ?? [operation];
    return entries.some((e) => e.permissionType === PermissionType.ALLOW && applies(e) && (e.operation === AclOperation.ALL || granting.includes(e.operation)));
  }

  /** The sets of resource names whose patterns carry an entry for this principal (or User:*), host (or *) and operation (or ALL). */
  private matchingNames(principal: string, host: string, operation: AclOperation, permissionType: PermissionType, type: ResourceType, patternType: PatternType): ReadonlySet<string>[] {
    const found: ReadonlySet<string>[] = [];
    const principals = principal === WILDCARD_PRINCIPAL ? [principal] : [principal, WILDCARD_PRINCIPAL];
    const hosts = host === WILDCARD_HOST ? [host] : [host, WILDCARD_HOST];
    const operations = operation === AclOperation.ALL ? [operation] : [operation, AclOperation.ALL];
    for (const p of principals) {
      for (const h of hosts) {
        for (const o of operations) {
          const names = this.cache.namesWith({ principal: p, host: h, operation: o, permissionType }, type, patternType);
          if (names) found.push(names);
        }
      }
    }
    return found;
  }

  /** "Principal = User:bob is Denied Operation = Read from host = 127.0.0.1 on resource = Topic:LITERAL:foo ...", AclAuthorizer.logAuditMessage. */
  private logDenied(who: RequestIdentity, operation: AclOperation, resource: string): void {
    this.log.info(`Principal = ${who.principal} is Denied Operation = ${operationName(operation)} from host = ${hostOf(who)} on resource = ${resource} with resourceRefCount = 1`);
  }
}

/**
 * The client's address as Kafka's InetAddress.getHostAddress gives it, which ACL hosts are compared
 * with: without the session's leading slash, IPv6 in Java's full form ("0:0:0:0:0:0:0:1").
 */
export function hostOf(who: RequestIdentity): string {
  const address = who.clientHost.startsWith('/') ? who.clientHost.slice(1) : who.clientHost;
  return address.includes(':') ? javaIpv6(address) : address;
}

function javaIpv6(address: string): string {
  const [head, tail] = address.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const parts = tail === undefined ? groups(head) : [...groups(head), ...Array(8 - groups(head).length - groups(tail).length).fill('0'), ...groups(tail)];
  return parts.map((p) => p.toLowerCase().replace(/^0+(?=.)/, '')).join(':');
}
