// CreateDelegationToken (key 38), v0-3 (flexible from v2).
// Kafka's KafkaApis.handleCreateTokenRequest: the owner is the session's principal unless v3 names
// another (which needs CREATE_TOKENS on USER:<owner>, else DELEGATION_TOKEN_AUTHORIZATION_FAILED);
// refused with DELEGATION_TOKEN_REQUEST_NOT_ALLOWED over PLAINTEXT, SSL without a client
// certificate and token-authenticated sessions; renewers must be of type User
// (INVALID_PRINCIPAL_TYPE). The token's max lifetime is the request's, capped by
// delegation.token.max.lifetime.ms (which applies when it is not positive). Errors answer with the
// owner and requester, timestamps -1, an empty id and HMAC; the requester fields exist from v3.

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation, ResourceType } from '../auth/authorizer';
import { CreatedToken, FAILED_CREATE, allowTokenRequests } from '../auth/tokens/delegation-tokens';
import { USER_TYPE, parsePrincipal, principal } from '../auth/tokens/token-information';
import { handler } from './handler';

export default handler(Apis.CreateDelegationToken, 0, 3, async (req, ctx) => {
  const requester = ctx.session.principal;
  const owner = req.ownerPrincipalName ? principal(req.ownerPrincipalType ?? '', req.ownerPrincipalName) : requester;
  const respond = (result: CreatedToken) => {
    const o = parsePrincipal(owner);
    const r = parsePrincipal(requester);
    return {
      errorCode: result.errorCode,
      principalType: o.type,
      principalName: o.name,
      tokenRequesterPrincipalType: r.type,
      tokenRequesterPrincipalName: r.name,
      issueTimestampMs: BigInt(result.issueTimestamp),
      expiryTimestampMs: BigInt(result.expiryTimestamp),
      maxTimestampMs: BigInt(result.maxTimestamp),
      tokenId: result.tokenId,
      hmac: result.hmac,
      throttleTimeMs: 0,
    };
  };
  const failed = (errorCode: number) => respond({ errorCode, ...FAILED_CREATE });

  if (!allowTokenRequests(ctx.session)) return failed(ErrorCode.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED);
  // A requester may always create tokens for itself.
  if (owner !== requester && !ctx.authorizer.authorize(ctx.session, AclOperation.CREATE_TOKENS, ResourceType.USER, owner)) {
    return failed(ErrorCode.DELEGATION_TOKEN_AUTHORIZATION_FAILED);
  }
  if (req.renewers.some((r) => r.principalType !== USER_TYPE)) return failed(ErrorCode.INVALID_PRINCIPAL_TYPE);
  const renewers = req.renewers.map((r) => principal(r.principalType, r.principalName));
  return respond(await ctx.delegationTokens.createToken(owner, requester, renewers, Number(req.maxLifetimeMs)));
});
