// What Metadata and DescribeCluster report as a client's authorized operations. There is no
// authorizer yet, so a client may do everything a resource supports, as Kafka answers without one.

/** The schema's default: the client did not ask. */
export const NOT_REQUESTED = -2147483648;

const bits = (operations: number[]) => operations.reduce((sum, op) => sum | (1 << op), 0);

/** AclOperation READ 3, WRITE 4, CREATE 5, DELETE 6, ALTER 7, DESCRIBE 8, DESCRIBE_CONFIGS 10, ALTER_CONFIGS 11. */
export const TOPIC_OPERATIONS = bits([3, 4, 5, 6, 7, 8, 10, 11]);
/** CREATE 5, ALTER 7, DESCRIBE 8, CLUSTER_ACTION 9, DESCRIBE_CONFIGS 10, ALTER_CONFIGS 11, IDEMPOTENT_WRITE 12. */
export const CLUSTER_OPERATIONS = bits([5, 7, 8, 9, 10, 11, 12]);
