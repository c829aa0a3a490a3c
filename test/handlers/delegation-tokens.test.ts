// CreateDelegationToken, RenewDelegationToken, ExpireDelegationToken and DescribeDelegationToken
// (keys 38-41) in-process on the real token manager over fake time: Kafka's connection rule, the
// CREATE_TOKENS check for another owner, renewer types, describe visibility, each version's fields.

import { Apis, ErrorCode } from '../../protocol';
import { ALLOW_ALL, AclOperation, Authorizing, ResourceType } from '../../src/auth/authorizer';
import createHandler from '../../src/handlers/38-create-delegation-token';
import renewHandler from '../../src/handlers/39-renew-delegation-token';
import expireHandler from '../../src/handlers/40-expire-delegation-token';
import describeHandler from '../../src/handlers/41-describe-delegation-token';
import type { RequestContext } from '../../src/handlers/handler';
import { newSession, Session } from '../../src/server/session';
import type { SecurityProtocol } from '../../src/config';
import { TestBroker, call, testBroker } from './fake-context';

const KEY = { 'delegation.token.secret.key': 'secret' };

function session(principal: string, protocol: SecurityProtocol = 'SASL_PLAINTEXT', tokenAuthenticated = false): Session {
  return { ...newSession('SASL', protocol, '127.0.0.1', 50000), principal, tokenAuthenticated };
}

/** An authorizer that allows only the listed "principal op type name" actions. */
function allowing(...allowed: string[]): Authorizing & { asked: string[] } {
  const asked: string[] = [];
  return {
    ...ALLOW_ALL,
    enabled: true,
    asked,
    authorize: (who, op, type, name) => {
      const action = `${who.principal} ${op} ${type} ${name}`;
      asked.push(action);
      return allowed.includes(action);
    },
  };
}

describe('delegation token handlers', () => {
  let b: TestBroker;
  afterEach(() => b?.close());

  const as = (s: Session, version: number, authorizer?: Authorizing): RequestContext => ({ ...b.ctx(version), session: s, ...(authorizer ? { authorizer } : {}) });
  const create = (ctx: RequestContext, body: Record<string, unknown> = {}) =>
    call<typeof Apis.CreateDelegationToken>(createHandler, ctx, { renewers: [], maxLifetimeMs: -1n, ...body });

  it('creates a token for the session principal, with requester fields from v3', async () => {
    b = await testBroker({}, KEY);
    const now = b.clock.now();
    const v3 = await create(as(session('User:alice'), 3), { renewers: [{ principalType: 'User', principalName: 'bob' }] });
    expect(v3).toMatchObject({
      errorCode: ErrorCode.NONE,
      principalType: 'User',
      principalName: 'alice',
      tokenRequesterPrincipalType: 'User',
      tokenRequesterPrincipalName: 'alice',
      issueTimestampMs: BigInt(now),
      expiryTimestampMs: BigInt(now + 86_400_000),
      maxTimestampMs: BigInt(now + 604_800_000),
      throttleTimeMs: 0,
    });
    expect(v3!.tokenId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(v3!.hmac).toHaveLength(64);
    const v0 = await create(as(session('User:alice'), 0), { maxLifetimeMs: 1000n });
    expect(v0).toMatchObject({ errorCode: ErrorCode.NONE, principalName: 'alice', maxTimestampMs: BigInt(now + 1000) });
    expect(v0!.tokenRequesterPrincipalName).toBe('');
  });

  it('refuses token requests over PLAINTEXT, anonymous SSL and token-authenticated sessions', async () => {
    b = await testBroker({}, KEY);
    const refused = [session('User:ANONYMOUS', 'PLAINTEXT'), session('User:ANONYMOUS', 'SSL'), session('User:alice', 'SASL_SSL', true)];
    for (const s of refused) {
      expect(await create(as(s, 3))).toMatchObject({ errorCode: ErrorCode.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED, principalName: s.principal.slice(5), tokenId: '', issueTimestampMs: -1n, expiryTimestampMs: -1n, maxTimestampMs: -1n });
      expect(await call<typeof Apis.RenewDelegationToken>(renewHandler, as(s, 2), { hmac: Buffer.from('x'), renewPeriodMs: 1n })).toEqual({ errorCode: ErrorCode.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED, expiryTimestampMs: -1n, throttleTimeMs: 0 });
      expect(await call<typeof Apis.ExpireDelegationToken>(expireHandler, as(s, 2), { hmac: Buffer.from('x'), expiryTimePeriodMs: 1n })).toEqual({ errorCode: ErrorCode.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED, expiryTimestampMs: -1n, throttleTimeMs: 0 });
      expect(await call<typeof Apis.DescribeDelegationToken>(describeHandler, as(s, 3), { owners: null })).toEqual({ errorCode: ErrorCode.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED, tokens: [], throttleTimeMs: 0 });
    }
    // SSL with a client certificate's principal may.
    expect(await create(as(session('User:CN=alice', 'SSL'), 3))).toMatchObject({ errorCode: ErrorCode.NONE, principalName: 'CN=alice' });
  });

  it('answers DELEGATION_TOKEN_AUTH_DISABLED without a secret key', async () => {
    b = await testBroker();
    expect(await create(as(session('User:alice'), 1))).toMatchObject({ errorCode: ErrorCode.DELEGATION_TOKEN_AUTH_DISABLED, principalName: 'alice', tokenId: '', maxTimestampMs: -1n });
    expect(await call<typeof Apis.DescribeDelegationToken>(describeHandler, as(session('User:alice'), 1), { owners: null })).toMatchObject({ errorCode: ErrorCode.DELEGATION_TOKEN_AUTH_DISABLED, tokens: [] });
    expect(await call<typeof Apis.RenewDelegationToken>(renewHandler, as(session('User:alice'), 1), { hmac: Buffer.from('x'), renewPeriodMs: 1n })).toMatchObject({ errorCode: ErrorCode.DELEGATION_TOKEN_AUTH_DISABLED, expiryTimestampMs: -1n });
  });

  it('creates for another owner (v3) only with CREATE_TOKENS on that user; renewers must be users', async () => {
    b = await testBroker({}, KEY);
    const other = { ownerPrincipalType: 'User', ownerPrincipalName: 'bob' };
    const denied = allowing();
    expect(await create(as(session('User:admin'), 3, denied), other)).toMatchObject({
      errorCode: ErrorCode.DELEGATION_TOKEN_AUTHORIZATION_FAILED,
      principalName: 'bob',
      tokenRequesterPrincipalName: 'admin',
    });
    expect(denied.asked).toEqual([`User:admin ${AclOperation.CREATE_TOKENS} ${ResourceType.USER} User:bob`]);
    const allowed = allowing(`User:admin ${AclOperation.CREATE_TOKENS} ${ResourceType.USER} User:bob`);
    expect(await create(as(session('User:admin'), 3, allowed), other)).toMatchObject({ errorCode: ErrorCode.NONE, principalName: 'bob', tokenRequesterPrincipalName: 'admin' });
    // For oneself no ACL is asked.
    const none = allowing();
    expect(await create(as(session('User:admin'), 3, none), { ownerPrincipalType: 'User', ownerPrincipalName: 'admin' })).toMatchObject({ errorCode: ErrorCode.NONE });
    expect(none.asked).toEqual([]);
    expect(await create(as(session('User:alice'), 3), { renewers: [{ principalType: 'Group', principalName: 'ops' }] })).toMatchObject({ errorCode: ErrorCode.INVALID_PRINCIPAL_TYPE, tokenId: '' });
  });

  it('renews and expires by HMAC for the owner and renewers', async () => {
    b = await testBroker({}, KEY);
    const { hmac } = (await create(as(session('User:alice'), 2), { renewers: [{ principalType: 'User', principalName: 'bob' }] }))!;
    const renew = (who: string, period: bigint) => call<typeof Apis.RenewDelegationToken>(renewHandler, as(session(who), 2), { hmac, renewPeriodMs: period });
    const expire = (who: string, period: bigint) => call<typeof Apis.ExpireDelegationToken>(expireHandler, as(session(who), 1), { hmac, expiryTimePeriodMs: period });
    expect(await renew('User:carol', 1000n)).toEqual({ errorCode: ErrorCode.DELEGATION_TOKEN_OWNER_MISMATCH, expiryTimestampMs: -1n, throttleTimeMs: 0 });
    b.clock.advance(5000);
    expect(await renew('User:bob', 1000n)).toEqual({ errorCode: ErrorCode.NONE, expiryTimestampMs: BigInt(b.clock.now() + 1000), throttleTimeMs: 0 });
    expect(await expire('User:alice', 500n)).toEqual({ errorCode: ErrorCode.NONE, expiryTimestampMs: BigInt(b.clock.now() + 500), throttleTimeMs: 0 });
    b.clock.advance(501);
    expect(await renew('User:alice', 1000n)).toMatchObject({ errorCode: ErrorCode.DELEGATION_TOKEN_EXPIRED, expiryTimestampMs: -1n });
    expect(await expire('User:alice', -1n)).toEqual({ errorCode: ErrorCode.NONE, expiryTimestampMs: BigInt(b.clock.now()), throttleTimeMs: 0 });
    expect(await expire('User:alice', -1n)).toMatchObject({ errorCode: ErrorCode.DELEGATION_TOKEN_NOT_FOUND, expiryTimestampMs: -1n });
  });

  it('describes the tokens a principal may see, filtered by owners', async () => {
    b = await testBroker({}, KEY);
    const alices = (await create(as(session('User:alice'), 3), { renewers: [{ principalType: 'User', principalName: 'bob' }] }))!;
    const carols = (await create(as(session('User:admin'), 3, allowing(`User:admin ${AclOperation.CREATE_TOKENS} ${ResourceType.USER} User:carol`)), { ownerPrincipalType: 'User', ownerPrincipalName: 'carol' }))!;
    const describe = async (who: string, owners: { principalType: string; principalName: string }[] | null, version = 3, authorizer: Authorizing = allowing()) =>
      (await call<typeof Apis.DescribeDelegationToken>(describeHandler, as(session(who), version, authorizer), { owners }))!;
    const ids = async (...args: Parameters<typeof describe>) => (await describe(...args)).tokens.map((t) => t.tokenId).sort();

    expect(await ids('User:alice', null)).toEqual([alices.tokenId]);
    expect(await ids('User:bob', null)).toEqual([alices.tokenId]);
    // The requester of carol's token sees it, carol too.
    expect(await ids('User:admin', null)).toEqual([carols.tokenId]);
    expect(await ids('User:carol', null)).toEqual([carols.tokenId]);
    expect(await ids('User:dave', null)).toEqual([]);
    expect(await ids('User:dave', null, 3, allowing(`User:dave ${AclOperation.DESCRIBE} ${ResourceType.DELEGATION_TOKEN} ${alices.tokenId}`))).toEqual([alices.tokenId]);
    expect(await ids('User:dave', null, 3, allowing(`User:dave ${AclOperation.DESCRIBE_TOKENS} ${ResourceType.USER} User:carol`))).toEqual([carols.tokenId]);
    // An owners filter keeps tokens those principals own, requested or renew; an empty one none.
    expect(await ids('User:dave', [{ principalType: 'User', principalName: 'bob' }], 3, ALLOW_ALL)).toEqual([alices.tokenId]);
    expect(await ids('User:dave', [{ principalType: 'User', principalName: 'admin' }], 3, ALLOW_ALL)).toEqual([carols.tokenId]);
    expect(await ids('User:dave', [], 3, ALLOW_ALL)).toEqual([]);

    const v3 = (await describe('User:carol', null)).tokens[0];
    expect(v3).toEqual({
      principalType: 'User',
      principalName: 'carol',
      tokenRequesterPrincipalType: 'User',
      tokenRequesterPrincipalName: 'admin',
      issueTimestamp: carols.issueTimestampMs,
      expiryTimestamp: carols.expiryTimestampMs,
      maxTimestamp: carols.maxTimestampMs,
      tokenId: carols.tokenId,
      hmac: carols.hmac,
      renewers: [],
    });
    const v2 = (await describe('User:alice', null, 2)).tokens[0];
    expect(v2).toMatchObject({ principalName: 'alice', tokenRequesterPrincipalName: '', renewers: [{ principalType: 'User', principalName: 'bob' }], hmac: alices.hmac });
  });
});
