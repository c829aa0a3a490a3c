// The question every handler asks before it acts: may this request's principal, from this host,
// perform this operation on this resource? Kafka's Authorizer interface, in its terms (AclOperation
// and ResourceType codes as on the wire). Without `authorizer.class.name` the answer is always yes.

export const AclOperation = {
  UNKNOWN: 0,
  ANY: 1,
  ALL: 2,
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DELETE: 6,
  ALTER: 7,
  DESCRIBE: 8,
  CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10,
  ALTER_CONFIGS: 11,
  IDEMPOTENT_WRITE: 12,
  CREATE_TOKENS: 13,
  DESCRIBE_TOKENS: 14,
} as const;
export type AclOperation = (typeof AclOperation)[keyof typeof AclOperation];

export const ResourceType = {
  UNKNOWN: 0,
  ANY: 1,
  TOPIC: 2,
  GROUP: 3,
  CLUSTER: 4,
  TRANSACTIONAL_ID: 5,
  DELEGATION_TOKEN: 6,
  USER: 7,
} as const;
export type ResourceType = (typeof ResourceType)[keyof typeof ResourceType];

/** The one cluster resource's name. */
export const CLUSTER_NAME = 'kafka-cluster';

/** Who asks: a session satisfies it. */
export interface RequestIdentity {
  /** "User:alice", Kafka's KafkaPrincipal.toString(). */
  readonly principal: string;
  /** "/127.0.0.1", as sessions report it. */
  readonly clientHost: string;
}

export interface Authorizing {
  /** False when no authorizer is configured: every request is allowed, and the ACL APIs answer SECURITY_DISABLED. */
  readonly enabled: boolean;
  /**
   * Kafka's authorize for one action. A denial is logged (authorizer log) unless `logIfDenied` is
   * false, as for filtering (Metadata's topic list), where Kafka logs nothing.
   */
  authorize(who: RequestIdentity, operation: AclOperation, type: ResourceType, name: string, logIfDenied?: boolean): boolean;
  /** Kafka's authorizeByResourceType: may the principal perform the operation on at least one resource of the type (KIP-679's idempotent producer check). */
  authorizeByResourceType(who: RequestIdentity, operation: AclOperation, type: ResourceType): boolean;
  /** The operations allowed on a resource, as the bit set Metadata, DescribeGroups and DescribeCluster report (1 << AclOperation). */
  authorizedOperations(who: RequestIdentity, type: ResourceType, name: string): number;
}

const bits = (operations: AclOperation[]) => operations.reduce((sum: number, op) => sum | (1 << op), 0);

/** The operations each resource type supports, as Kafka's AclEntry.supportedOperations. */
export const SUPPORTED_OPERATIONS: Readonly<Record<number, AclOperation[]>> = {
  [ResourceType.TOPIC]: [AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS],
  [ResourceType.GROUP]: [AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DELETE],
  [ResourceType.CLUSTER]: [AclOperation.CREATE, AclOperation.CLUSTER_ACTION, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS, AclOperation.IDEMPOTENT_WRITE, AclOperation.ALTER, AclOperation.DESCRIBE],
  [ResourceType.TRANSACTIONAL_ID]: [AclOperation.DESCRIBE, AclOperation.WRITE],
  [ResourceType.DELEGATION_TOKEN]: [AclOperation.DESCRIBE],
  [ResourceType.USER]: [AclOperation.CREATE_TOKENS, AclOperation.DESCRIBE_TOKENS],
};

/** Every operation a resource type supports, as a bit set. */
export function supportedOperationBits(type: ResourceType): number {
  return bits(SUPPORTED_OPERATIONS[type] ?? []);
}

/** No authorizer configured: Kafka's KafkaApis without one allows everything. */
export const ALLOW_ALL: Authorizing = {
  enabled: false,
  authorize: () => true,
  authorizeByResourceType: () => true,
  authorizedOperations: (_who, type) => supportedOperationBits(type),
};
