// Kafka's ACL model (org.apache.kafka.common.acl and .resource): a binding of a resource pattern to
// an access control entry, filters with Kafka's ANY and MATCH semantics, the names Kafka stores
// them under in ZooKeeper, and the checks CreateAcls makes before storing one.

import { ErrorCode, KafkaError } from '../../../protocol';
import { AclOperation, CLUSTER_NAME, ResourceType } from '../authorizer';

export const PatternType = { UNKNOWN: 0, ANY: 1, MATCH: 2, LITERAL: 3, PREFIXED: 4 } as const;
export type PatternType = (typeof PatternType)[keyof typeof PatternType];

export const PermissionType = { UNKNOWN: 0, ANY: 1, DENY: 2, ALLOW: 3 } as const;
export type PermissionType = (typeof PermissionType)[keyof typeof PermissionType];

/** ResourcePattern.WILDCARD_RESOURCE, AclEntry.WildcardPrincipalString, AclEntry.WildcardHost. */
export const WILDCARD_RESOURCE = '*';
export const WILDCARD_PRINCIPAL = 'User:*';
export const WILDCARD_HOST = '*';

export interface ResourcePattern {
  readonly resourceType: ResourceType;
  readonly name: string;
  readonly patternType: PatternType;
}

export interface AccessControlEntry {
  readonly principal: string;
  readonly host: string;
  readonly operation: AclOperation;
  readonly permissionType: PermissionType;
}

export interface AclBinding {
  readonly pattern: ResourcePattern;
  readonly entry: AccessControlEntry;
}

/** A null name or principal or host matches any. */
export interface ResourcePatternFilter {
  readonly resourceType: ResourceType;
  readonly name: string | null;
  readonly patternType: PatternType;
}

export interface AccessControlEntryFilter {
  readonly principal: string | null;
  readonly host: string | null;
  readonly operation: AclOperation;
  readonly permissionType: PermissionType;
}

export interface AclBindingFilter {
  readonly pattern: ResourcePatternFilter;
  readonly entry: AccessControlEntryFilter;
}

const RESOURCE_TYPE_NAMES: Record<number, string> = {
  [ResourceType.TOPIC]: 'Topic',
  [ResourceType.GROUP]: 'Group',
  [ResourceType.CLUSTER]: 'Cluster',
  [ResourceType.TRANSACTIONAL_ID]: 'TransactionalId',
  [ResourceType.DELEGATION_TOKEN]: 'DelegationToken',
  [ResourceType.USER]: 'User',
};

const OPERATION_NAMES: Record<number, string> = {
  [AclOperation.ALL]: 'All',
  [AclOperation.READ]: 'Read',
  [AclOperation.WRITE]: 'Write',
  [AclOperation.CREATE]: 'Create',
  [AclOperation.DELETE]: 'Delete',
  [AclOperation.ALTER]: 'Alter',
  [AclOperation.DESCRIBE]: 'Describe',
  [AclOperation.CLUSTER_ACTION]: 'ClusterAction',
  [AclOperation.DESCRIBE_CONFIGS]: 'DescribeConfigs',
  [AclOperation.ALTER_CONFIGS]: 'AlterConfigs',
  [AclOperation.IDEMPOTENT_WRITE]: 'IdempotentWrite',
  [AclOperation.CREATE_TOKENS]: 'CreateTokens',
  [AclOperation.DESCRIBE_TOKENS]: 'DescribeTokens',
};

const PERMISSION_NAMES: Record<number, string> = { [PermissionType.ALLOW]: 'Allow', [PermissionType.DENY]: 'Deny' };
const PATTERN_TYPE_NAMES: Record<number, string> = { [PatternType.LITERAL]: 'LITERAL', [PatternType.PREFIXED]: 'PREFIXED' };

/** Every resource type ACLs can name (AclEntry.ResourceTypes), each with a node under /kafka-acl. */
export const ACL_RESOURCE_TYPES: readonly ResourceType[] = Object.keys(RESOURCE_TYPE_NAMES).map(Number) as ResourceType[];

/** SecurityUtils.resourceTypeName: "Topic", "TransactionalId". */
export const resourceTypeName = (type: ResourceType): string => RESOURCE_TYPE_NAMES[type] ?? 'Unknown';
/** SecurityUtils.operationName: "Read", "DescribeConfigs". */
export const operationName = (op: AclOperation): string => OPERATION_NAMES[op] ?? 'Unknown';
export const permissionName = (p: PermissionType): string => PERMISSION_NAMES[p] ?? 'Unknown';
/** PatternType.name: "LITERAL", "PREFIXED". */
export const patternTypeName = (p: PatternType): string => PATTERN_TYPE_NAMES[p] ?? 'UNKNOWN';

/** Java enum names as Kafka's fromString takes them ("TOPIC", "TRANSACTIONAL_ID", "Topic"): case and underscores ignored. */
function parseName(names: Record<number, string>, text: string): number | undefined {
  const wanted = text.replace(/_/g, '').toLowerCase();
  for (const [code, name] of Object.entries(names)) if (name.toLowerCase() === wanted) return Number(code);
  return undefined;
}

export const parseResourceType = (text: string): ResourceType | undefined => parseName(RESOURCE_TYPE_NAMES, text) as ResourceType | undefined;
export const parseOperation = (text: string): AclOperation | undefined => parseName(OPERATION_NAMES, text) as AclOperation | undefined;
export const parsePermission = (text: string): PermissionType | undefined => parseName(PERMISSION_NAMES, text) as PermissionType | undefined;
export const parsePatternType = (text: string): PatternType | undefined => parseName(PATTERN_TYPE_NAMES, text) as PatternType | undefined;

/** The Java enum name Kafka's legacy change notifications write: "TOPIC", "TRANSACTIONAL_ID". */
export const resourceTypeEnumName = (type: ResourceType): string => resourceTypeName(type).replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();

/** "Topic:LITERAL:foo", as Kafka's authorizer log names a resource. */
export const patternText = (p: ResourcePattern): string => `${resourceTypeName(p.resourceType)}:${patternTypeName(p.patternType)}:${p.name}`;

/** A key that identifies a pattern (type, pattern type, name). */
export const patternKey = (p: ResourcePattern): string => `${p.resourceType}:${p.patternType}:${p.name}`;
/** A key that identifies an entry within a pattern. */
export const entryKey = (e: AccessControlEntry): string => `${e.permissionType}:${e.operation}:${e.host}:${e.principal}`;

/** The entries once each, as Kafka keeps them in a set. */
export function distinctEntries(entries: readonly AccessControlEntry[]): AccessControlEntry[] {
  const seen = new Map<string, AccessControlEntry>();
  for (const entry of entries) seen.set(entryKey(entry), entry);
  return [...seen.values()];
}

/** Equal as sets. */
export function sameEntries(a: readonly AccessControlEntry[], b: readonly AccessControlEntry[]): boolean {
  const keys = new Set(a.map(entryKey));
  return a.length === b.length && b.every((e) => keys.has(entryKey(e)));
}

/** ResourcePatternFilter.matches. */
export function patternMatches(filter: ResourcePatternFilter, pattern: ResourcePattern): boolean {
  if (filter.resourceType !== ResourceType.ANY && filter.resourceType !== pattern.resourceType) return false;
  if (filter.patternType !== PatternType.ANY && filter.patternType !== PatternType.MATCH && filter.patternType !== pattern.patternType) return false;
  if (filter.name === null) return true;
  if (filter.patternType === PatternType.ANY || filter.patternType === pattern.patternType) return filter.name === pattern.name;
  // MATCH: the patterns that would apply to a resource of this name.
  if (pattern.patternType === PatternType.LITERAL) return filter.name === pattern.name || pattern.name === WILDCARD_RESOURCE;
  return filter.name.startsWith(pattern.name);
}

/** AccessControlEntryFilter.matches. */
export function entryMatches(filter: AccessControlEntryFilter, entry: AccessControlEntry): boolean {
  if (filter.principal !== null && filter.principal !== entry.principal) return false;
  if (filter.host !== null && filter.host !== entry.host) return false;
  if (filter.operation !== AclOperation.ANY && filter.operation !== entry.operation) return false;
  return filter.permissionType === PermissionType.ANY || filter.permissionType === entry.permissionType;
}

export const bindingMatches = (filter: AclBindingFilter, binding: AclBinding): boolean =>
  patternMatches(filter.pattern, binding.pattern) && entryMatches(filter.entry, binding.entry);

/**
 * The patterns a filter can only mean (ResourcePatternFilter.matchesAtMostOne and the authorizer's
 * filterToResources): a type, a name and LITERAL, PREFIXED or ANY. Empty for wider filters.
 */
export function patternsOfFilter(filter: ResourcePatternFilter): ResourcePattern[] {
  const { resourceType, name, patternType } = filter;
  if (resourceType === ResourceType.ANY || resourceType === ResourceType.UNKNOWN || name === null) return [];
  if (patternType === PatternType.LITERAL || patternType === PatternType.PREFIXED) return [{ resourceType, name, patternType }];
  if (patternType === PatternType.ANY) {
    return [
      { resourceType, name, patternType: PatternType.LITERAL },
      { resourceType, name, patternType: PatternType.PREFIXED },
    ];
  }
  return [];
}

/** Codes out of range decode to UNKNOWN, as Kafka's fromCode does. */
const isKnown = (code: number, highest: number): boolean => code > 0 && code <= highest;

/** Whether a filter or binding has an UNKNOWN element, which Kafka refuses when it parses the request. */
export function hasUnknownElement(pattern: { resourceType: number; patternType: number }, entry: { operation: number; permissionType: number }): boolean {
  return (
    !isKnown(pattern.resourceType, ResourceType.USER) ||
    !isKnown(pattern.patternType, PatternType.PREFIXED) ||
    !isKnown(entry.operation, AclOperation.DESCRIBE_TOKENS) ||
    !isKnown(entry.permissionType, PermissionType.ALLOW)
  );
}

/**
 * What Kafka's ResourcePattern and AccessControlEntry constructors refuse in a binding (an
 * IllegalArgumentException, which fails the whole CreateAcls request), null when nothing.
 */
export function illegalBinding({ pattern, entry }: AclBinding): string | null {
  if (pattern.patternType === PatternType.MATCH || pattern.patternType === PatternType.ANY) return `patternType must not be ${pattern.patternType === PatternType.MATCH ? 'MATCH' : 'ANY'}`;
  if (pattern.resourceType === ResourceType.ANY) return 'resourceType must not be ANY';
  if (entry.operation === AclOperation.ANY) return 'operation must not be ANY';
  if (entry.permissionType === PermissionType.ANY) return 'permissionType must not be ANY';
  return null;
}

/** SecurityUtils.parseKafkaPrincipal takes "Type:name" (split at the first colon). */
export const isValidPrincipal = (principal: string): boolean => principal.includes(':');

/**
 * The checks a specific binding passes before it is stored, in Kafka's order and with its errors:
 * AclApis' (the cluster's one name, no empty name), the authorizer's ("/" cannot be in a znode
 * name: "Failed to create ACL"), then the principal AclEntry parses, whose failure Kafka reports
 * as an unknown server error.
 */
export function validateBinding({ pattern, entry }: AclBinding): void {
  if (pattern.resourceType === ResourceType.CLUSTER && pattern.name !== CLUSTER_NAME) {
    throw new KafkaError(ErrorCode.INVALID_REQUEST, `The only valid name for the CLUSTER resource is ${CLUSTER_NAME}`);
  }
  if (pattern.name === '') throw new KafkaError(ErrorCode.INVALID_REQUEST, 'Invalid empty resource name');
  if (pattern.name.includes('/')) throw new KafkaError(ErrorCode.INVALID_REQUEST, 'Failed to create ACL');
  if (!isValidPrincipal(entry.principal)) {
    throw new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, `expected a string in format principalType:principalName but got ${entry.principal}`);
  }
}
