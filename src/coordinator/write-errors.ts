// What a failed write to an internal topic tells a client of its coordinator, in the cases Kafka's
// group and transaction coordinators map alike: the partition is missing or short of in-sync
// replicas (COORDINATOR_NOT_AVAILABLE: try again), or this broker no longer leads it
// (NOT_COORDINATOR: find the coordinator again). Other codes pass through.
import { ErrorCode } from '../../protocol/errors';

export function coordinatorWriteErrorOf(code: number): number {
  switch (code) {
    case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
    case ErrorCode.NOT_ENOUGH_REPLICAS:
    case ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND:
      return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    case ErrorCode.NOT_LEADER_OR_FOLLOWER:
    case ErrorCode.KAFKA_STORAGE_ERROR:
      return ErrorCode.NOT_COORDINATOR;
    default:
      return code;
  }
}
