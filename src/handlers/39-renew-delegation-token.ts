// RenewDelegationToken (key 39), v0-2 (flexible from v2).
// Kafka's KafkaApis.handleRenewTokenRequest: the token is found by its HMAC
// (DELEGATION_TOKEN_NOT_FOUND); only its owner or a renewer may renew it
// (DELEGATION_TOKEN_OWNER_MISMATCH), and not once expired (DELEGATION_TOKEN_EXPIRED). The new
// expiry is now plus the period (delegation.token.expiry.time.ms when negative), capped by the
// token's max timestamp. Not allowed over PLAINTEXT, anonymous SSL or token-authenticated sessions.

import { Apis, ErrorCode } from '../../protocol';
import { ERROR_TIMESTAMP, allowTokenRequests } from '../auth/tokens/delegation-tokens';
import { handler } from './handler';

export default handler(Apis.RenewDelegationToken, 0, 2, async (req, ctx) => {
  const result = allowTokenRequests(ctx.session)
    ? await ctx.delegationTokens.renewToken(ctx.session.principal, req.hmac, Number(req.renewPeriodMs))
    : { errorCode: ErrorCode.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED, expiryTimestamp: ERROR_TIMESTAMP };
  return { errorCode: result.errorCode, expiryTimestampMs: BigInt(result.expiryTimestamp), throttleTimeMs: 0 };
});
