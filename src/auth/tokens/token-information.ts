// A delegation token as Kafka's TokenInformation holds it (owner, requester, renewers, issue, max
// and expiry timestamps), its id and HMAC (DelegationTokenManager.createHmac: HmacSHA512 of the
// id's UTF-8 bytes keyed with delegation.token.secret.key), and the JSON ZooKeeper-mode Kafka
// stores under /delegation_token/tokens/<id> (DelegationTokenManagerZk.toJsonCompatibleMap,
// version 3: principals sanitized as Kafka's Sanitizer). No SCRAM credential is stored: every
// broker derives them from the HMAC.

import { createHmac, randomBytes } from 'node:crypto';
import { desanitize, sanitize } from '../../quotas/sanitizer';

/** "User:alice": Kafka's KafkaPrincipal.toString, equal when type and name are. */
export type Principal = string;

export const USER_TYPE = 'User';

export interface TokenInformation {
  tokenId: string;
  owner: Principal;
  tokenRequester: Principal;
  renewers: Principal[];
  issueTimestamp: number;
  maxTimestamp: number;
  expiryTimestamp: number;
}

export const TOKEN_JSON_VERSION = 3;

export function principal(type: string, name: string): Principal {
  return `${type}:${name}`;
}

/** SecurityUtils.parseKafkaPrincipal: type and name around the first ':'. */
export function parsePrincipal(text: Principal): { type: string; name: string } {
  const colon = text.indexOf(':');
  if (colon <= 0) throw new Error(`Invalid principal: ${text}`);
  return { type: text.slice(0, colon), name: text.slice(colon + 1) };
}

/** CoreUtils.generateUuidAsBase64: a random (v4) UUID's 16 bytes, URL-safe base64 without padding. */
export function generateTokenId(): string {
  const bytes = randomBytes(16);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return bytes.toString('base64url');
}

export function tokenHmac(tokenId: string, secretKey: string): Buffer {
  return createHmac('sha512', Buffer.from(secretKey, 'utf8')).update(tokenId, 'utf8').digest();
}

/** TokenInformation.ownerOrRenewer: owner, requester and renewers may see and describe a token. */
export function ownerOrRenewer(token: TokenInformation, who: Principal): boolean {
  return token.owner === who || token.tokenRequester === who || token.renewers.includes(who);
}

export function isExpired(token: TokenInformation, now: number): boolean {
  return token.maxTimestamp < now || token.expiryTimestamp < now;
}

/** The znode's JSON, keys as Kafka names them. */
export function encodeTokenInfo(token: TokenInformation): Buffer {
  return Buffer.from(JSON.stringify(tokenInfoJson(token)));
}

export function tokenInfoJson(token: TokenInformation): Record<string, unknown> {
  return {
    version: TOKEN_JSON_VERSION,
    owner: sanitize(token.owner),
    tokenRequester: sanitize(token.tokenRequester),
    renewers: token.renewers.map(sanitize),
    issueTimestamp: token.issueTimestamp,
    maxTimestamp: token.maxTimestamp,
    expiryTimestamp: token.expiryTimestamp,
    tokenId: token.tokenId,
  };
}

/** DelegationTokenManagerZk.fromBytes: versions 1-3 (the requester is the owner before 3); throws on anything else. */
export function decodeTokenInfo(data: Buffer | string): TokenInformation {
  return tokenInfoFromJson(JSON.parse(typeof data === 'string' ? data : data.toString('utf8')));
}

export function tokenInfoFromJson(js: unknown): TokenInformation {
  if (typeof js !== 'object' || js === null) throw new Error('token info is not a JSON object');
  const o = js as Record<string, unknown>;
  const version = o.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version <= 0 || version > TOKEN_JSON_VERSION) {
    throw new Error(`unsupported token info version ${String(version)}`);
  }
  const owner = principalField(o.owner, 'owner');
  const tokenRequester = version >= 3 ? principalField(o.tokenRequester, 'tokenRequester') : owner;
  if (!Array.isArray(o.renewers)) throw new Error('renewers is not an array');
  const renewers = o.renewers.map((r) => principalField(r, 'renewers'));
  if (typeof o.tokenId !== 'string') throw new Error('tokenId is not a string');
  return {
    tokenId: o.tokenId,
    owner,
    tokenRequester,
    renewers,
    issueTimestamp: longField(o.issueTimestamp, 'issueTimestamp'),
    maxTimestamp: longField(o.maxTimestamp, 'maxTimestamp'),
    expiryTimestamp: longField(o.expiryTimestamp, 'expiryTimestamp'),
  };
}

function principalField(value: unknown, key: string): Principal {
  if (typeof value !== 'string') throw new Error(`${key} is not a string`);
  const text = desanitize(value);
  parsePrincipal(text);
  return text;
}

function longField(value: unknown, key: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new Error(`${key} is not a long`);
  return value;
}
