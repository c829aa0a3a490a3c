// How the group coordinator reports a failed write to __consumer_offsets: the log append's error,
// mapped as Kafka's GroupMetadataManager maps it for offset commits and for group metadata.
import { ErrorCode } from '../../protocol/errors';
import { coordinatorWriteErrorOf } from '../coordinator/write-errors';

/** Offset commits (GroupMetadataManager.maybeConvertOffsetCommitError). */
export function commitErrorOf(code: number): number {
  switch (code) {
    case ErrorCode.MESSAGE_TOO_LARGE:
    case ErrorCode.RECORD_LIST_TOO_LARGE:
    case ErrorCode.INVALID_FETCH_SIZE:
      return ErrorCode.INVALID_COMMIT_OFFSET_SIZE;
    default:
      return coordinatorWriteErrorOf(code);
  }
}

/** Group metadata (GroupMetadataManager.storeGroup): as commits, but a write that timed out means "rebalance again". */
export function storeGroupErrorOf(code: number): number {
  switch (code) {
    case ErrorCode.REQUEST_TIMED_OUT:
      return ErrorCode.REBALANCE_IN_PROGRESS;
    case ErrorCode.MESSAGE_TOO_LARGE:
    case ErrorCode.RECORD_LIST_TOO_LARGE:
    case ErrorCode.INVALID_FETCH_SIZE:
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    default:
      return commitErrorOf(code);
  }
}
