// A failed write to __consumer_offsets as offset commits and group metadata writes report it.
import { ErrorCode } from '../../protocol/errors';
import { commitErrorOf, storeGroupErrorOf } from '../../src/groups/append-errors';

test('offset commits map append errors as GroupMetadataManager.maybeConvertOffsetCommitError', () => {
  expect(commitErrorOf(ErrorCode.NONE)).toBe(ErrorCode.NONE);
  expect(commitErrorOf(ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND)).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  expect(commitErrorOf(ErrorCode.NOT_LEADER_OR_FOLLOWER)).toBe(ErrorCode.NOT_COORDINATOR);
  expect(commitErrorOf(ErrorCode.RECORD_LIST_TOO_LARGE)).toBe(ErrorCode.INVALID_COMMIT_OFFSET_SIZE);
  expect(commitErrorOf(ErrorCode.REQUEST_TIMED_OUT)).toBe(ErrorCode.REQUEST_TIMED_OUT);
});

test('group metadata writes map append errors as GroupMetadataManager.storeGroup', () => {
  expect(storeGroupErrorOf(ErrorCode.NONE)).toBe(ErrorCode.NONE);
  expect(storeGroupErrorOf(ErrorCode.NOT_ENOUGH_REPLICAS)).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  expect(storeGroupErrorOf(ErrorCode.KAFKA_STORAGE_ERROR)).toBe(ErrorCode.NOT_COORDINATOR);
  expect(storeGroupErrorOf(ErrorCode.REQUEST_TIMED_OUT)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  expect(storeGroupErrorOf(ErrorCode.MESSAGE_TOO_LARGE)).toBe(ErrorCode.UNKNOWN_SERVER_ERROR);
});
