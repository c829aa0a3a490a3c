// An error a broker answered, as the tools report it: Kafka's admin client raises the ApiException
// Errors.java builds for the code, with the broker's message or the class's default, and the tools
// print it as Throwable.toString() does ("org.apache.kafka.common.errors.X: message").

import { describeError, errorMessage } from '../../protocol';

export class KafkaApiError extends Error {
  constructor(
    readonly code: number,
    brokerMessage?: string | null,
  ) {
    super(brokerMessage ?? errorMessage(code) ?? '');
    this.name = 'KafkaApiError';
  }

  /** "<exception class>: <message>". */
  override toString(): string {
    return describeError(this.code, this.message);
  }
}
