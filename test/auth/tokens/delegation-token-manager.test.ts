// Kafka's DelegationTokenManager rules on fake time: lifetimes capped by config, renew and expire
// by HMAC for owners and renewers only, expired tokens refused and removed by the periodic check,
// the SCRAM credentials of `tokenauth`, and tokens surviving a restart in the log-dir file.

import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '../../../protocol';
import { DelegationTokenManager, TokenSettings, tokenSettings } from '../../../src/auth/tokens/delegation-token-manager';
import { FileTokenStore } from '../../../src/auth/tokens/file-token-store';
import { credentialFromSaltedPassword, saltedPassword } from '../../../src/auth/scram-credential';
import { CapturingLogger, settleUntil } from '../../handlers/fake-context';
import { FakeClock } from '../../helpers/fake-clock';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SETTINGS: TokenSettings = { secretKey: 'secret', maxLifetimeMs: 7 * DAY, expiryTimeMs: DAY, expiryCheckIntervalMs: HOUR };

describe('DelegationTokenManager', () => {
  let dir: string;
  let clock: FakeClock;
  const managers: DelegationTokenManager[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kafka-ts-tokens-'));
    clock = new FakeClock(1_700_000_000_000);
  });
  afterEach(() => {
    for (const m of managers.splice(0)) m.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function manager(settings: Partial<TokenSettings> = {}, removesExpired = () => true): Promise<DelegationTokenManager> {
    const m = new DelegationTokenManager({ ...SETTINGS, ...settings }, new FileTokenStore(dir), clock, new CapturingLogger(), removesExpired);
    await m.start();
    managers.push(m);
    return m;
  }

  it('reads its settings from server.properties, the deprecated master key as fallback', () => {
    expect(tokenSettings(new Map())).toEqual({ secretKey: null, maxLifetimeMs: 604_800_000, expiryTimeMs: 86_400_000, expiryCheckIntervalMs: 3_600_000 });
    expect(tokenSettings(new Map([['delegation.token.master.key', 'old']])).secretKey).toBe('old');
    expect(tokenSettings(new Map([['delegation.token.master.key', 'old'], ['delegation.token.secret.key', 'new']])).secretKey).toBe('new');
    expect(tokenSettings(new Map([['delegation.token.max.lifetime.ms', '5000']])).maxLifetimeMs).toBe(5000);
    expect(() => tokenSettings(new Map([['delegation.token.expiry.time.ms', 'soon']]))).toThrow(/delegation.token.expiry.time.ms/);
  });

  it('answers DELEGATION_TOKEN_AUTH_DISABLED to everything without a secret key', async () => {
    for (const secretKey of [null, '']) {
      const m = await manager({ secretKey });
      expect(m.enabled).toBe(false);
      expect(await m.createToken('User:alice', 'User:alice', [], -1)).toMatchObject({ errorCode: ErrorCode.DELEGATION_TOKEN_AUTH_DISABLED, tokenId: '', issueTimestamp: -1, maxTimestamp: -1, expiryTimestamp: -1 });
      expect(await m.renewToken('User:alice', Buffer.from('x'), 1)).toEqual({ errorCode: ErrorCode.DELEGATION_TOKEN_AUTH_DISABLED, expiryTimestamp: -1 });
      expect(await m.expireToken('User:alice', Buffer.from('x'), 1)).toEqual({ errorCode: ErrorCode.DELEGATION_TOKEN_AUTH_DISABLED, expiryTimestamp: -1 });
      expect(m.tokenCredential('any', 'SCRAM-SHA-256')).toBeUndefined();
    }
  });

  it('creates a token: Kafka-style id, HMAC-SHA512 of the id, lifetimes capped by config', async () => {
    const m = await manager();
    const now = clock.now();
    const created = await m.createToken('User:alice', 'User:admin', ['User:bob'], -1);
    expect(created.errorCode).toBe(ErrorCode.NONE);
    expect(created.tokenId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(created.hmac).toEqual(createHmac('sha512', 'secret').update(created.tokenId).digest());
    expect(created).toMatchObject({ issueTimestamp: now, maxTimestamp: now + 7 * DAY, expiryTimestamp: now + DAY });
    // A shorter max lifetime wins; a longer one is capped; the expiry never passes the max.
    expect(await m.createToken('User:alice', 'User:alice', [], HOUR)).toMatchObject({ maxTimestamp: now + HOUR, expiryTimestamp: now + HOUR });
    expect(await m.createToken('User:alice', 'User:alice', [], 30 * DAY)).toMatchObject({ maxTimestamp: now + 7 * DAY });
    const [token] = m.tokens((t) => t.tokenId === created.tokenId);
    expect(token.info).toEqual({ tokenId: created.tokenId, owner: 'User:alice', tokenRequester: 'User:admin', renewers: ['User:bob'], issueTimestamp: now, maxTimestamp: now + 7 * DAY, expiryTimestamp: now + DAY });
    expect(token.hmac).toEqual(created.hmac);
  });

  it('renews for the owner and renewers only, up to the max timestamp', async () => {
    const m = await manager();
    const { hmac, issueTimestamp } = await m.createToken('User:alice', 'User:admin', ['User:bob'], 2 * DAY);
    expect(await m.renewToken('User:admin', hmac, HOUR)).toEqual({ errorCode: ErrorCode.DELEGATION_TOKEN_OWNER_MISMATCH, expiryTimestamp: -1 });
    expect(await m.renewToken('User:alice', Buffer.from('not a token'), HOUR)).toEqual({ errorCode: ErrorCode.DELEGATION_TOKEN_NOT_FOUND, expiryTimestamp: -1 });
    clock.advance(HOUR);
    expect(await m.renewToken('User:bob', hmac, 3 * HOUR)).toEqual({ errorCode: ErrorCode.NONE, expiryTimestamp: clock.now() + 3 * HOUR });
    // A negative period is the default renewal time; never beyond the max timestamp.
    expect(await m.renewToken('User:alice', hmac, -1)).toEqual({ errorCode: ErrorCode.NONE, expiryTimestamp: clock.now() + DAY });
    expect(await m.renewToken('User:alice', hmac, 10 * DAY)).toEqual({ errorCode: ErrorCode.NONE, expiryTimestamp: issueTimestamp + 2 * DAY });
  });

  it('refuses to renew an expired token', async () => {
    const m = await manager({}, () => false);
    const { hmac } = await m.createToken('User:alice', 'User:alice', [], -1);
    clock.advance(DAY + 1);
    expect(await m.renewToken('User:alice', hmac, HOUR)).toEqual({ errorCode: ErrorCode.DELEGATION_TOKEN_EXPIRED, expiryTimestamp: -1 });
    expect(await m.expireToken('User:alice', hmac, HOUR)).toEqual({ errorCode: ErrorCode.DELEGATION_TOKEN_EXPIRED, expiryTimestamp: -1 });
  });

  it('expires: a negative period removes the token now, a positive one moves its expiry', async () => {
    const m = await manager();
    const a = await m.createToken('User:alice', 'User:alice', ['User:bob'], -1);
    expect(await m.expireToken('User:carol', a.hmac, -1)).toEqual({ errorCode: ErrorCode.DELEGATION_TOKEN_OWNER_MISMATCH, expiryTimestamp: -1 });
    expect(await m.expireToken('User:bob', a.hmac, HOUR)).toEqual({ errorCode: ErrorCode.NONE, expiryTimestamp: clock.now() + HOUR });
    expect(await m.expireToken('User:alice', a.hmac, -1)).toEqual({ errorCode: ErrorCode.NONE, expiryTimestamp: clock.now() });
    expect(m.tokens(() => true)).toEqual([]);
    expect(await m.renewToken('User:alice', a.hmac, HOUR)).toEqual({ errorCode: ErrorCode.DELEGATION_TOKEN_NOT_FOUND, expiryTimestamp: -1 });
  });

  it('removes expired tokens every check interval, only where it is told to', async () => {
    let removes = false;
    const m = await manager({}, () => removes);
    const short = await m.createToken('User:alice', 'User:alice', [], 2 * HOUR);
    const long = await m.createToken('User:alice', 'User:alice', [], -1);
    clock.advance(3 * HOUR);
    expect(m.tokens(() => true)).toHaveLength(2);
    removes = true;
    clock.advance(HOUR);
    await settleUntil(() => m.tokens(() => true).length === 1, 'the expired token removed');
    expect(m.tokens(() => true).map((t) => t.info.tokenId)).toEqual([long.tokenId]);
    expect(m.tokens(() => true).map((t) => t.info.tokenId)).not.toContain(short.tokenId);
  });

  it('derives tokenauth SCRAM credentials from the base64 HMAC, at the minimum iterations', async () => {
    const m = await manager();
    const { tokenId, hmac } = await m.createToken('User:alice', 'User:admin', [], -1);
    const password = hmac.toString('base64');
    for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const) {
      const found = m.tokenCredential(tokenId, mechanism);
      expect(found?.owner).toBe('User:alice');
      const { credential } = found!;
      expect(credential.iterations).toBe(4096);
      expect(credentialFromSaltedPassword(mechanism, saltedPassword(mechanism, password, credential.salt, 4096), credential.salt, 4096)).toEqual(credential);
    }
    expect(m.tokenCredential('unknown', 'SCRAM-SHA-256')).toBeUndefined();
    clock.advance(DAY + 1);
    expect(m.tokenCredential(tokenId, 'SCRAM-SHA-256')).toBeUndefined();
  });

  it('keeps tokens in the log dir across restarts, renewals and removals included', async () => {
    const m = await manager();
    const kept = await m.createToken('User:alice', 'User:alice', ['User:bob'], -1);
    const gone = await m.createToken('User:alice', 'User:alice', [], -1);
    const renewed = await m.renewToken('User:alice', kept.hmac, 2 * HOUR);
    await m.expireToken('User:alice', gone.hmac, -1);
    m.close();
    const again = await manager();
    expect(again.tokens(() => true).map((t) => t.info)).toEqual([
      expect.objectContaining({ tokenId: kept.tokenId, renewers: ['User:bob'], expiryTimestamp: renewed.expiryTimestamp }),
    ]);
    expect(again.tokenCredential(kept.tokenId, 'SCRAM-SHA-512')?.owner).toBe('User:alice');
  });
});
