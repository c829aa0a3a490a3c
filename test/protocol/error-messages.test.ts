// Kafka's exception classes and default messages per error code, as its clients report failures.

import { ErrorCode, describeError, errorMessage, exceptionClassName } from '../../protocol';

describe('error messages', () => {
  test("each code has its exception's default message", () => {
    expect(errorMessage(ErrorCode.TOPIC_ALREADY_EXISTS)).toBe('Topic with this name already exists.');
    expect(errorMessage(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)).toBe('This server does not host this topic-partition.');
    expect(errorMessage(ErrorCode.ELECTION_NOT_NEEDED)).toBe('Leader election not needed for topic partition.');
    expect(errorMessage(ErrorCode.NONE)).toBeNull();
  });

  test('every code kafka-ts knows has a class and message', () => {
    for (const code of Object.values(ErrorCode).filter((c) => c !== ErrorCode.NONE)) {
      expect(exceptionClassName(code)).toMatch(/^org\.apache\.kafka\.common\.(errors\.)?[A-Z]\w+$/);
      expect(errorMessage(code)).toMatch(/\.?$/);
    }
  });

  test('classes are qualified as Kafka names them', () => {
    expect(exceptionClassName(ErrorCode.TOPIC_ALREADY_EXISTS)).toBe('org.apache.kafka.common.errors.TopicExistsException');
    expect(exceptionClassName(ErrorCode.INVALID_RECORD)).toBe('org.apache.kafka.common.InvalidRecordException');
  });

  test("an exception prints the broker's message when it sent one, else the default", () => {
    expect(describeError(ErrorCode.TOPIC_ALREADY_EXISTS, "Topic 't' already exists.")).toBe("org.apache.kafka.common.errors.TopicExistsException: Topic 't' already exists.");
    expect(describeError(ErrorCode.OFFSET_OUT_OF_RANGE, null)).toBe(
      'org.apache.kafka.common.errors.OffsetOutOfRangeException: The requested offset is not within the range of offsets maintained by the server.',
    );
  });

  test('a code Kafka 3.9 does not know reads as an unknown server error', () => {
    expect(exceptionClassName(9999)).toBe('org.apache.kafka.common.errors.UnknownServerException');
    expect(errorMessage(9999)).toBe('The server experienced an unexpected error when processing the request.');
  });
});
