// Kafka's DelegationTokenManager (ZooKeeper flavour): creates, renews, expires and describes
// delegation tokens, keeps every token in memory with the SCRAM credentials a token's HMAC stands
// for (DelegationTokenCache, one credential per mechanism at its minimum iterations, fresh salt),
// and removes expired tokens every delegation.token.expiry.check.interval.ms where `removesExpired`
// says so (the controller in ZooKeeper mode, as KafkaController schedules it; standalone, always).
// Changes are made one at a time, as Kafka's manager holds its lock.

import { ErrorCode } from '../../../protocol';
import type { Clock, Timer } from '../../clock';
import type { Logger } from '../../logger';
import { MIN_ITERATIONS, SCRAM_MECHANISMS, ScramCredential, ScramMechanism, TokenCredentialSource, generateCredential } from '../scram-credential';
import { CreatedToken, DelegationTokens, DescribedToken, ERROR_TIMESTAMP, FAILED_CREATE, TokenExpiry } from './delegation-tokens';
import { Principal, TokenInformation, generateTokenId, isExpired, tokenHmac } from './token-information';
import type { TokenStore } from './token-store';

export interface TokenSettings {
  /** delegation.token.secret.key, else delegation.token.master.key; null or empty disables tokens. */
  secretKey: string | null;
  maxLifetimeMs: number;
  expiryTimeMs: number;
  expiryCheckIntervalMs: number;
}

const DEFAULTS = { maxLifetimeMs: 7 * 24 * 3_600_000, expiryTimeMs: 24 * 3_600_000, expiryCheckIntervalMs: 3_600_000 };

/** The token settings of server.properties (read-only configs, as in Kafka). */
export function tokenSettings(props: ReadonlyMap<string, string>): TokenSettings {
  const long = (key: string, fallback: number) => {
    const raw = props.get(key)?.trim();
    const value = raw === undefined || raw === '' ? fallback : Number(raw);
    if (!Number.isSafeInteger(value)) throw new Error(`Invalid value ${raw} for configuration ${key}: Not a number of type LONG`);
    return value;
  };
  return {
    secretKey: props.get('delegation.token.secret.key') ?? props.get('delegation.token.master.key') ?? null,
    maxLifetimeMs: long('delegation.token.max.lifetime.ms', DEFAULTS.maxLifetimeMs),
    expiryTimeMs: long('delegation.token.expiry.time.ms', DEFAULTS.expiryTimeMs),
    expiryCheckIntervalMs: long('delegation.token.expiry.check.interval.ms', DEFAULTS.expiryCheckIntervalMs),
  };
}

interface CachedToken {
  info: TokenInformation;
  credentials: Map<ScramMechanism, ScramCredential>;
}

export class DelegationTokenManager implements DelegationTokens, TokenCredentialSource {
  readonly enabled: boolean;
  private readonly cache = new Map<string, CachedToken>();
  /** Base64 HMAC to token id (DelegationTokenCache.tokenForHmac). */
  private readonly byHmac = new Map<string, string>();
  private queue: Promise<unknown> = Promise.resolve();
  private timer: Timer | null = null;

  constructor(
    private readonly settings: TokenSettings,
    private readonly store: TokenStore,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly removesExpired: () => boolean = () => true,
  ) {
    this.enabled = !!settings.secretKey;
  }

  /** Loads the stored tokens and starts following changes and removing expired tokens; nothing when disabled. */
  async start(): Promise<void> {
    if (!this.enabled) return;
    const tokens = await this.store.load((tokenId, token) => this.changedElsewhere(tokenId, token));
    this.log.info(`Loading the token cache. Total token count: ${tokens.length}`);
    for (const token of tokens) this.updateCache(token);
    this.timer = this.clock.setInterval(() => {
      if (this.removesExpired()) void this.expireTokens().catch((err) => this.log.warn(`Removing expired delegation tokens failed: ${(err as Error).message}`));
    }, this.settings.expiryCheckIntervalMs);
  }

  close(): void {
    this.timer?.cancel();
    this.timer = null;
    this.store.close();
  }

  createToken(owner: Principal, requester: Principal, renewers: Principal[], maxLifetimeMs: number): Promise<CreatedToken> {
    if (!this.enabled) return Promise.resolve({ errorCode: ErrorCode.DELEGATION_TOKEN_AUTH_DISABLED, ...FAILED_CREATE });
    return this.locked(async () => {
      const tokenId = generateTokenId();
      const issueTimestamp = this.clock.now();
      const maxLifetime = maxLifetimeMs <= 0 ? this.settings.maxLifetimeMs : Math.min(maxLifetimeMs, this.settings.maxLifetimeMs);
      const maxTimestamp = issueTimestamp + maxLifetime;
      const expiryTimestamp = Math.min(maxTimestamp, issueTimestamp + this.settings.expiryTimeMs);
      const info: TokenInformation = { tokenId, owner, tokenRequester: requester, renewers: [...renewers], issueTimestamp, maxTimestamp, expiryTimestamp };
      await this.store.write(info);
      this.updateCache(info);
      this.log.info(`Created a delegation token: ${tokenId} for owner: ${owner}`);
      return { errorCode: ErrorCode.NONE, issueTimestamp, expiryTimestamp, maxTimestamp, tokenId, hmac: this.hmacOf(tokenId) };
    });
  }

  renewToken(who: Principal, hmac: Buffer, renewPeriodMs: number): Promise<TokenExpiry> {
    return this.changeExpiry(who, hmac, async (info, now) => {
      if (isExpired(info, now)) return failed(ErrorCode.DELEGATION_TOKEN_EXPIRED);
      const period = renewPeriodMs < 0 ? this.settings.expiryTimeMs : renewPeriodMs;
      const expiryTimestamp = Math.min(info.maxTimestamp, now + period);
      await this.setExpiry(info, expiryTimestamp);
      this.log.info(`Delegation token renewed for token: ${info.tokenId} for owner: ${info.owner}`);
      return { errorCode: ErrorCode.NONE, expiryTimestamp };
    });
  }

  expireToken(who: Principal, hmac: Buffer, expiryPeriodMs: number): Promise<TokenExpiry> {
    return this.changeExpiry(who, hmac, async (info, now) => {
      if (expiryPeriodMs < 0) {
        await this.removeToken(info.tokenId);
        this.log.info(`Token expired for token: ${info.tokenId} for owner: ${info.owner}`);
        return { errorCode: ErrorCode.NONE, expiryTimestamp: now };
      }
      if (isExpired(info, now)) return failed(ErrorCode.DELEGATION_TOKEN_EXPIRED);
      const expiryTimestamp = Math.min(info.maxTimestamp, now + expiryPeriodMs);
      await this.setExpiry(info, expiryTimestamp);
      this.log.info(`Updated expiry time for token: ${info.tokenId} for owner: ${info.owner}`);
      return { errorCode: ErrorCode.NONE, expiryTimestamp };
    });
  }

  tokens(filter: (token: TokenInformation) => boolean): DescribedToken[] {
    return [...this.cache.values()].filter((c) => filter(c.info)).map((c) => ({ info: c.info, hmac: this.hmacOf(c.info.tokenId) }));
  }

  /** The SCRAM credential for `tokenauth`: the password is the token's base64 HMAC; none once expired. */
  tokenCredential(tokenId: string, mechanism: ScramMechanism): { credential: ScramCredential; owner: string; expiryTimestampMs: number } | undefined {
    const cached = this.cache.get(tokenId);
    if (!cached || isExpired(cached.info, this.clock.now())) return undefined;
    const credential = cached.credentials.get(mechanism);
    return credential && { credential, owner: cached.info.owner, expiryTimestampMs: cached.info.expiryTimestamp };
  }

  /** Removes every token past its expiry or max timestamp (DelegationTokenManager.expireTokens). */
  expireTokens(): Promise<void> {
    return this.locked(async () => {
      for (const { info } of [...this.cache.values()]) {
        if (!isExpired(info, this.clock.now())) continue;
        this.log.info(`Delegation token expired for token: ${info.tokenId} for owner: ${info.owner}`);
        await this.removeToken(info.tokenId);
      }
    });
  }

  /** Renew and expire: Kafka's checks in its order (disabled, unknown HMAC, not owner nor renewer). */
  private changeExpiry(who: Principal, hmac: Buffer, change: (info: TokenInformation, now: number) => Promise<TokenExpiry>): Promise<TokenExpiry> {
    if (!this.enabled) return Promise.resolve(failed(ErrorCode.DELEGATION_TOKEN_AUTH_DISABLED));
    return this.locked(async () => {
      const tokenId = this.byHmac.get(hmac.toString('base64'));
      const cached = tokenId === undefined ? undefined : this.cache.get(tokenId);
      if (!cached) return failed(ErrorCode.DELEGATION_TOKEN_NOT_FOUND);
      const { info } = cached;
      if (info.owner !== who && !info.renewers.includes(who)) return failed(ErrorCode.DELEGATION_TOKEN_OWNER_MISMATCH);
      return change(info, this.clock.now());
    });
  }

  private async setExpiry(info: TokenInformation, expiryTimestamp: number): Promise<void> {
    const renewed = { ...info, expiryTimestamp };
    await this.store.write(renewed);
    this.updateCache(renewed);
  }

  private async removeToken(tokenId: string): Promise<void> {
    await this.store.remove(tokenId);
    this.removeCache(tokenId);
  }

  private changedElsewhere(tokenId: string, token: TokenInformation | undefined): void {
    void this.locked(async () => {
      this.log.info(`Processing Token Notification for tokenId: ${tokenId}`);
      if (token) this.updateCache(token);
      else this.removeCache(tokenId);
    });
  }

  /** Credentials are derived once per token: a renewal (same HMAC) keeps them. */
  private updateCache(info: TokenInformation): void {
    const existing = this.cache.get(info.tokenId);
    if (existing) {
      existing.info = info;
      return;
    }
    const hmac = this.hmacOf(info.tokenId).toString('base64');
    const credentials = new Map(SCRAM_MECHANISMS.map((m) => [m, generateCredential(m, hmac, MIN_ITERATIONS)] as const));
    this.cache.set(info.tokenId, { info, credentials });
    this.byHmac.set(hmac, info.tokenId);
  }

  private removeCache(tokenId: string): void {
    if (!this.cache.delete(tokenId)) return;
    this.byHmac.delete(this.hmacOf(tokenId).toString('base64'));
  }

  private hmacOf(tokenId: string): Buffer {
    return tokenHmac(tokenId, this.settings.secretKey ?? '');
  }

  private locked<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function failed(errorCode: number): TokenExpiry {
  return { errorCode, expiryTimestamp: ERROR_TIMESTAMP };
}
