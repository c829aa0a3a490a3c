// Kafka's Java exception class and default message for an error code, as the admin client's
// exceptions print them ("org.apache.kafka.common.errors.GroupNotEmptyException: The group is not
// empty."): the tools quote these in their error lines.

import { ErrorCode, errorName } from '../../../protocol';

const KNOWN = new Map<number, [string, string]>([
  [ErrorCode.GROUP_ID_NOT_FOUND, ['GroupIdNotFoundException', 'The group id does not exist.']],
  [ErrorCode.NON_EMPTY_GROUP, ['GroupNotEmptyException', 'The group is not empty.']],
  [ErrorCode.INVALID_GROUP_ID, ['InvalidGroupIdException', 'The configured groupId is invalid.']],
  [ErrorCode.GROUP_AUTHORIZATION_FAILED, ['GroupAuthorizationException', 'Group authorization failed.']],
  [ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC, ['GroupSubscribedToTopicException', 'The consumer group is actively subscribed to the topic']],
  [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ['UnknownTopicOrPartitionException', 'This server does not host this topic-partition.']],
  [ErrorCode.TOPIC_AUTHORIZATION_FAILED, ['TopicAuthorizationException', 'Topic authorization failed.']],
  [ErrorCode.CLUSTER_AUTHORIZATION_FAILED, ['ClusterAuthorizationException', 'Cluster authorization failed.']],
  [ErrorCode.SECURITY_DISABLED, ['SecurityDisabledException', 'Security features are disabled.']],
  [ErrorCode.INVALID_CONFIG, ['InvalidConfigurationException', 'Configuration is invalid.']],
  [ErrorCode.INVALID_REQUEST, ['InvalidRequestException', 'This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. See the broker logs for more details.']],
  [ErrorCode.COORDINATOR_NOT_AVAILABLE, ['CoordinatorNotAvailableException', 'The coordinator is not available.']],
  [ErrorCode.RESOURCE_NOT_FOUND, ['ResourceNotFoundException', 'A request illegally referred to a resource that does not exist.']],
]);

/** The simple class name of the exception Kafka raises for this code. */
export function exceptionClass(code: number): string {
  const known = KNOWN.get(code);
  if (known) return known[0];
  const pascal = errorName(code)
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
  return `${pascal}Exception`;
}

/** "org.apache.kafka.common.errors.X: message", the message being the broker's or Kafka's default. */
export function exceptionText(code: number, message?: string | null): string {
  const text = message ?? KNOWN.get(code)?.[1] ?? errorName(code);
  return `org.apache.kafka.common.errors.${exceptionClass(code)}: ${text}`;
}

/** An error answered by the broker, carrying its code; the message is Kafka's exception text. */
export class BrokerError extends Error {
  constructor(
    readonly code: number,
    readonly brokerMessage?: string | null,
  ) {
    super(exceptionText(code, brokerMessage));
    this.name = 'BrokerError';
  }
}
