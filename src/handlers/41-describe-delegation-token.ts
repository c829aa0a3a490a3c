// DescribeDelegationToken (key 41), v0-3 (flexible from v2).
// Kafka's KafkaApis.handleDescribeTokensRequest: null owners means every token, an empty list none;
// a token named by an owner filter (as its owner, requester or renewer) is shown to its owner,
// requester and renewers, and to whoever may DESCRIBE the DELEGATION_TOKEN resource of its id or
// DESCRIBE_TOKENS on USER:<owner>. Requester fields from v3. DELEGATION_TOKEN_REQUEST_NOT_ALLOWED
// over PLAINTEXT, anonymous SSL and token-authenticated sessions, then
// DELEGATION_TOKEN_AUTH_DISABLED without a secret key, with no tokens.

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation, ResourceType } from '../auth/authorizer';
import { allowTokenRequests } from '../auth/tokens/delegation-tokens';
import { TokenInformation, ownerOrRenewer, parsePrincipal, principal } from '../auth/tokens/token-information';
import { handler } from './handler';

export default handler(Apis.DescribeDelegationToken, 0, 3, (req, ctx) => {
  const respond = (errorCode: number, tokens: ReturnType<typeof describe>[]) => ({ errorCode, tokens, throttleTimeMs: 0 });
  if (!allowTokenRequests(ctx.session)) return respond(ErrorCode.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED, []);
  if (!ctx.delegationTokens.enabled) return respond(ErrorCode.DELEGATION_TOKEN_AUTH_DISABLED, []);
  if (req.owners !== null && req.owners.length === 0) return respond(ErrorCode.NONE, []);

  const requester = ctx.session.principal;
  const owners = req.owners?.map((o) => principal(o.principalType, o.principalName)) ?? null;
  const eligible = (token: TokenInformation) => {
    if (owners !== null && !owners.some((o) => ownerOrRenewer(token, o))) return false;
    if (ownerOrRenewer(token, requester)) return true;
    return (
      ctx.authorizer.authorize(ctx.session, AclOperation.DESCRIBE, ResourceType.DELEGATION_TOKEN, token.tokenId) ||
      ctx.authorizer.authorize(ctx.session, AclOperation.DESCRIBE_TOKENS, ResourceType.USER, token.owner)
    );
  };
  return respond(ErrorCode.NONE, ctx.delegationTokens.tokens(eligible).map(({ info, hmac }) => describe(info, hmac)));
});

function describe(info: TokenInformation, hmac: Buffer) {
  const owner = parsePrincipal(info.owner);
  const requester = parsePrincipal(info.tokenRequester);
  return {
    principalType: owner.type,
    principalName: owner.name,
    tokenRequesterPrincipalType: requester.type,
    tokenRequesterPrincipalName: requester.name,
    issueTimestamp: BigInt(info.issueTimestamp),
    expiryTimestamp: BigInt(info.expiryTimestamp),
    maxTimestamp: BigInt(info.maxTimestamp),
    tokenId: info.tokenId,
    hmac,
    renewers: info.renewers.map((r) => {
      const p = parsePrincipal(r);
      return { principalType: p.type, principalName: p.name };
    }),
  };
}
