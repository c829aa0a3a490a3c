// Errors of ZooKeeper operations, by the codes callers act on.

import { ErrorCode } from './protocol';

export type ZkErrorCode =
  | 'NODE_EXISTS'
  | 'NO_NODE'
  | 'BAD_VERSION'
  | 'NOT_EMPTY'
  | 'CONNECTION_LOSS'
  | 'SESSION_EXPIRED'
  | 'OTHER';

export class ZkError extends Error {
  constructor(
    readonly code: ZkErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'ZkError';
  }
}

const CODES = new Map<number, ZkErrorCode>([
  [ErrorCode.nodeExists, 'NODE_EXISTS'],
  [ErrorCode.noNode, 'NO_NODE'],
  [ErrorCode.badVersion, 'BAD_VERSION'],
  [ErrorCode.notEmpty, 'NOT_EMPTY'],
  [ErrorCode.connectionLoss, 'CONNECTION_LOSS'],
  [ErrorCode.sessionExpired, 'SESSION_EXPIRED'],
]);

/** The error for a server's error code; codes without a name of their own are OTHER. */
export function serverError(err: number, message: string): ZkError {
  const code = CODES.get(err);
  return new ZkError(code ?? 'OTHER', code ? message : `${message} (ZooKeeper error ${err})`);
}

export function isZkError(err: unknown, code: ZkErrorCode): boolean {
  return err instanceof ZkError && err.code === code;
}
