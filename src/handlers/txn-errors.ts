// Error codes older transactional clients understand: PRODUCER_FENCED (KIP-588) is answered as
// INVALID_PRODUCER_EPOCH to versions before it, as Kafka's KafkaApis does per API.
import { ErrorCode } from '../../protocol';

/** PRODUCER_FENCED for versions >= `firstFencedVersion`, INVALID_PRODUCER_EPOCH before. */
export function fencedForVersion(errorCode: number, version: number, firstFencedVersion: number): number {
  return errorCode === ErrorCode.PRODUCER_FENCED && version < firstFencedVersion ? ErrorCode.INVALID_PRODUCER_EPOCH : errorCode;
}
