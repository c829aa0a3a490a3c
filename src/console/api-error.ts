// The errors the console's JSON API answers, and how a failure of the cluster becomes one: a bad
// request 400, a missing login 401, an unknown thing 404, a conflict 409, an API the cluster lacks
// 501 and an unreachable cluster 502, each as {"error": "message"}.

import { ErrorCode, KafkaError, errorName } from '../../protocol';
import { BrokerNotReachableError, UnsupportedApiError } from '../client/cluster-client';
import { KafkaApiError } from '../tools/kafka-api-error';
import { AdminError } from '../tools/transactions/transactions-admin';
import { ThroughputError } from './throughput';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (message: string): ApiError => new ApiError(400, message);
export const notFound = (message: string): ApiError => new ApiError(404, message);

const NOT_FOUND_CODES: readonly number[] = [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.GROUP_ID_NOT_FOUND, ErrorCode.TRANSACTIONAL_ID_NOT_FOUND, ErrorCode.RESOURCE_NOT_FOUND];
const CONFLICT_CODES: readonly number[] = [ErrorCode.TOPIC_ALREADY_EXISTS, ErrorCode.NON_EMPTY_GROUP, ErrorCode.DUPLICATE_RESOURCE];

/** The status and message a failure answers with. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof BrokerNotReachableError) return new ApiError(502, `The cluster is unreachable: ${err.message}`);
  if (err instanceof UnsupportedApiError) return new ApiError(501, err.message);
  if (err instanceof KafkaApiError || err instanceof KafkaError) return fromKafkaCode(err.code, err.message);
  if (err instanceof ThroughputError) return new ApiError(502, err.message);
  if (err instanceof AdminError) return new ApiError(/could not be found|does not host/.test(err.message) ? 404 : 400, err.message);
  const message = err instanceof Error ? err.message : String(err);
  if (/timed? ?out|ECONNREFUSED|ECONNRESET|closed/i.test(message)) return new ApiError(502, `The cluster did not answer: ${message}`);
  return new ApiError(500, message);
}

function fromKafkaCode(code: number, message: string): ApiError {
  const text = message && message !== errorName(code) ? `${errorName(code)}: ${message}` : errorName(code);
  if (code === ErrorCode.SECURITY_DISABLED) return new ApiError(501, `The cluster has no authorizer (${text})`);
  if (code === ErrorCode.UNSUPPORTED_VERSION) return new ApiError(501, text);
  if (NOT_FOUND_CODES.includes(code)) return new ApiError(404, text);
  if (CONFLICT_CODES.includes(code)) return new ApiError(409, text);
  if (errorName(code).endsWith('_AUTHORIZATION_FAILED')) return new ApiError(403, text);
  return new ApiError(400, text);
}
