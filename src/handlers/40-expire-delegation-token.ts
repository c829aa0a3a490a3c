// ExpireDelegationToken (key 40), v0-2 (flexible from v2).
// Kafka's KafkaApis.handleExpireTokenRequest: as renewal (found by HMAC, owner or renewer only),
// but a negative period removes the token at once (answering now); otherwise an unexpired token's
// expiry becomes now plus the period, capped by its max timestamp. Not allowed over PLAINTEXT,
// anonymous SSL or token-authenticated sessions.

import { Apis, ErrorCode } from '../../protocol';
import { ERROR_TIMESTAMP, allowTokenRequests } from '../auth/tokens/delegation-tokens';
import { handler } from './handler';

export default handler(Apis.ExpireDelegationToken, 0, 2, async (req, ctx) => {
  const result = allowTokenRequests(ctx.session)
    ? await ctx.delegationTokens.expireToken(ctx.session.principal, req.hmac, Number(req.expiryTimePeriodMs))
    : { errorCode: ErrorCode.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED, expiryTimestamp: ERROR_TIMESTAMP };
  return { errorCode: result.errorCode, expiryTimestampMs: BigInt(result.expiryTimestamp), throttleTimeMs: 0 };
});
