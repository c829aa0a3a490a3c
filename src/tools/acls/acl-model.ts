// The ACL vocabulary of Kafka's AclCommand: resource, pattern, operation and permission codes with
// the names Kafka prints, the operations each resource type supports, and the toString forms of
// ResourcePattern and AccessControlEntry that its output is made of.

export const RESOURCE_TYPES = ['UNKNOWN', 'ANY', 'TOPIC', 'GROUP', 'CLUSTER', 'TRANSACTIONAL_ID', 'DELEGATION_TOKEN', 'USER'];
export const PATTERN_TYPES = ['UNKNOWN', 'ANY', 'MATCH', 'LITERAL', 'PREFIXED'];
export const OPERATIONS = [
  'UNKNOWN',
  'ANY',
  'ALL',
  'READ',
  'WRITE',
  'CREATE',
  'DELETE',
  'ALTER',
  'DESCRIBE',
  'CLUSTER_ACTION',
  'DESCRIBE_CONFIGS',
  'ALTER_CONFIGS',
  'IDEMPOTENT_WRITE',
  'CREATE_TOKENS',
  'DESCRIBE_TOKENS',
];
export const PERMISSION_TYPES = ['UNKNOWN', 'ANY', 'DENY', 'ALLOW'];

export const code = (names: readonly string[], name: string): number => names.indexOf(name);

export const TOPIC = code(RESOURCE_TYPES, 'TOPIC');
export const GROUP = code(RESOURCE_TYPES, 'GROUP');
export const CLUSTER = code(RESOURCE_TYPES, 'CLUSTER');
export const TRANSACTIONAL_ID = code(RESOURCE_TYPES, 'TRANSACTIONAL_ID');
export const DELEGATION_TOKEN = code(RESOURCE_TYPES, 'DELEGATION_TOKEN');
export const USER = code(RESOURCE_TYPES, 'USER');
export const LITERAL = code(PATTERN_TYPES, 'LITERAL');
export const ANY = 1;

/** Kafka's operation names for the command line: "Read", "DescribeConfigs". */
export const operationName = (op: number): string =>
  OPERATIONS[op]
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

/** SecurityUtils.operation: "Read", "read", "DESCRIBE_CONFIGS", "DescribeConfigs"; UNKNOWN (0) otherwise. */
export function parseOperation(text: string): number {
  const wanted = text.trim().replace(/_/g, '').toLowerCase();
  const i = OPERATIONS.findIndex((o) => o.replace(/_/g, '').toLowerCase() === wanted);
  return i < 0 ? 0 : i;
}

/** AclEntry.supportedOperations, ALL added as AclCommand adds it. */
export const SUPPORTED_OPERATIONS: Record<number, string[]> = {
  [TOPIC]: ['READ', 'WRITE', 'CREATE', 'DESCRIBE', 'DELETE', 'ALTER', 'DESCRIBE_CONFIGS', 'ALTER_CONFIGS', 'ALL'],
  [GROUP]: ['READ', 'DESCRIBE', 'DELETE', 'ALL'],
  [CLUSTER]: ['CREATE', 'CLUSTER_ACTION', 'DESCRIBE_CONFIGS', 'ALTER_CONFIGS', 'IDEMPOTENT_WRITE', 'ALTER', 'DESCRIBE', 'ALL'],
  [TRANSACTIONAL_ID]: ['DESCRIBE', 'WRITE', 'ALL'],
  [DELEGATION_TOKEN]: ['DESCRIBE', 'ALL'],
  [USER]: ['CREATE_TOKENS', 'DESCRIBE_TOKENS', 'ALL'],
};

export interface ResourcePattern {
  resourceType: number;
  name: string;
  patternType: number;
}

export interface AccessControlEntry {
  principal: string;
  host: string;
  operation: number;
  permissionType: number;
}

export const patternKey = (p: ResourcePattern): string => `${p.resourceType}\u0000${p.patternType}\u0000${p.name}`;
export const entryKey = (e: AccessControlEntry): string => `${e.principal}\u0000${e.host}\u0000${e.operation}\u0000${e.permissionType}`;

/** ResourcePattern.toString (ResourcePatternFilter prints alike). */
export const patternText = (p: ResourcePattern): string =>
  `ResourcePattern(resourceType=${RESOURCE_TYPES[p.resourceType]}, name=${p.name}, patternType=${PATTERN_TYPES[p.patternType]})`;

/** AccessControlEntry.toString. */
export const entryText = (e: AccessControlEntry): string =>
  `(principal=${e.principal}, host=${e.host}, operation=${OPERATIONS[e.operation]}, permissionType=${PERMISSION_TYPES[e.permissionType]})`;

/** "Adding ACLs for resource `...`: \n \t(...)\n\t(...) \n" and the like, as AclCommand's println prints them. */
export const aclBlock = (heading: string, p: ResourcePattern, entries: readonly AccessControlEntry[]): string =>
  `${heading} \`${patternText(p)}\`: \n ${entries.map((e) => `\t${entryText(e)}`).join('\n')} \n\n`;
