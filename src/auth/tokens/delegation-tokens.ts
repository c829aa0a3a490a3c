// What the delegation token handlers ask of the broker (Kafka's DelegationTokenManager as KafkaApis
// uses it), and KafkaApis.allowTokenRequests: which connections may ask at all.

import type { Session } from '../../server/session';
import { ANONYMOUS } from '../../server/session';
import type { Principal, TokenInformation } from './token-information';

export interface CreatedToken {
  errorCode: number;
  issueTimestamp: number;
  expiryTimestamp: number;
  maxTimestamp: number;
  tokenId: string;
  hmac: Buffer;
}

export interface TokenExpiry {
  errorCode: number;
  /** The token's new expiry, -1 on error (DelegationTokenManager.ErrorTimestamp). */
  expiryTimestamp: number;
}

export interface DescribedToken {
  info: TokenInformation;
  hmac: Buffer;
}

export interface DelegationTokens {
  /** delegation.token.secret.key (or the deprecated master key) is set and not empty. */
  readonly enabled: boolean;
  createToken(owner: Principal, requester: Principal, renewers: Principal[], maxLifetimeMs: number): Promise<CreatedToken>;
  renewToken(who: Principal, hmac: Buffer, renewPeriodMs: number): Promise<TokenExpiry>;
  /** A negative period expires the token now. */
  expireToken(who: Principal, hmac: Buffer, expiryPeriodMs: number): Promise<TokenExpiry>;
  /** The tokens the filter keeps, with their HMACs. */
  tokens(filter: (token: TokenInformation) => boolean): DescribedToken[];
}

export const ERROR_TIMESTAMP = -1;

export const FAILED_CREATE: Omit<CreatedToken, 'errorCode'> = {
  issueTimestamp: ERROR_TIMESTAMP,
  expiryTimestamp: ERROR_TIMESTAMP,
  maxTimestamp: ERROR_TIMESTAMP,
  tokenId: '',
  hmac: Buffer.alloc(0),
};

/**
 * KafkaApis.allowTokenRequests: never over a token-authenticated session, nor PLAINTEXT, nor SSL
 * without a client certificate (an ANONYMOUS principal); SASL and authenticated SSL may.
 */
export function allowTokenRequests(session: Session): boolean {
  if (session.tokenAuthenticated) return false;
  if (session.securityProtocol === 'PLAINTEXT') return false;
  return !(session.securityProtocol === 'SSL' && session.principal === ANONYMOUS);
}
