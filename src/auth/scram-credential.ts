// A SCRAM credential (RFC 5802) as Kafka stores it: salt, StoredKey, ServerKey and the iteration
// count, never the password. Kafka's ScramFormatter and ScramCredentialUtils: the znode form is
// `salt=<b64>,stored_key=<b64>,server_key=<b64>,iterations=<n>`.

import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

export type ScramMechanism = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';
export const SCRAM_MECHANISMS: readonly ScramMechanism[] = ['SCRAM-SHA-256', 'SCRAM-SHA-512'];

/** The wire codes of DescribeUserScramCredentials and AlterUserScramCredentials (Kafka's ScramMechanism.type). */
export const SCRAM_MECHANISM_CODES: Readonly<Record<ScramMechanism, number>> = { 'SCRAM-SHA-256': 1, 'SCRAM-SHA-512': 2 };

/** Kafka's ScramMechanism minIterations; the maximum is 16384. */
export const MIN_ITERATIONS = 4096;
export const MAX_ITERATIONS = 16384;

export interface ScramCredential {
  salt: Buffer;
  storedKey: Buffer;
  serverKey: Buffer;
  iterations: number;
}

export function hashName(mechanism: ScramMechanism): 'sha256' | 'sha512' {
  return mechanism === 'SCRAM-SHA-256' ? 'sha256' : 'sha512';
}

export function saltedPassword(mechanism: ScramMechanism, password: Buffer | string, salt: Buffer, iterations: number): Buffer {
  const hash = hashName(mechanism);
  return pbkdf2Sync(password, salt, iterations, createHash(hash).digest().length, hash);
}

/** An AlterUserScramCredentials upsertion for a password, salted here with a fresh 32-byte salt as Kafka's admin client salts it. */
export function scramUpsertion(name: string, mechanism: ScramMechanism, password: string, iterations: number) {
  const salt = randomBytes(32);
  return { name, mechanism: SCRAM_MECHANISM_CODES[mechanism], iterations, salt, saltedPassword: saltedPassword(mechanism, password, salt, iterations) };
}

/** The credential of a salted password (as AlterUserScramCredentials sends it) and its salt. */
export function credentialFromSaltedPassword(mechanism: ScramMechanism, salted: Buffer, salt: Buffer, iterations: number): ScramCredential {
  const hash = hashName(mechanism);
  const clientKey = createHmac(hash, salted).update('Client Key').digest();
  return {
    salt,
    storedKey: createHash(hash).update(clientKey).digest(),
    serverKey: createHmac(hash, salted).update('Server Key').digest(),
    iterations,
  };
}

/** Kafka's ScramFormatter.generateCredential: a fresh random salt. */
export function generateCredential(mechanism: ScramMechanism, password: string, iterations = MIN_ITERATIONS): ScramCredential {
  const salt = randomBytes(32);
  return credentialFromSaltedPassword(mechanism, saltedPassword(mechanism, password, salt, iterations), salt, iterations);
}

/** Kafka's ScramCredentialUtils.credentialToString. */
export function formatCredential(c: ScramCredential): string {
  return `salt=${c.salt.toString('base64')},stored_key=${c.storedKey.toString('base64')},server_key=${c.serverKey.toString('base64')},iterations=${c.iterations}`;
}

/** Kafka's ScramCredentialUtils.credentialFromString; undefined when malformed. */
export function parseCredential(text: string): ScramCredential | undefined {
  const fields = new Map<string, string>();
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const salt = fields.get('salt');
  const storedKey = fields.get('stored_key');
  const serverKey = fields.get('server_key');
  const iterations = Number(fields.get('iterations'));
  if (fields.size !== 4 || salt === undefined || storedKey === undefined || serverKey === undefined || !Number.isInteger(iterations)) return undefined;
  return { salt: Buffer.from(salt, 'base64'), storedKey: Buffer.from(storedKey, 'base64'), serverKey: Buffer.from(serverKey, 'base64'), iterations };
}

/** Where a SCRAM server finds the credential of a user, or of a delegation token (`tokenauth`). */
export interface ScramCredentialSource {
  credential(username: string, mechanism: ScramMechanism): ScramCredential | undefined;
}

export interface TokenCredentialSource {
  /**
   * The credential whose password is the token's HMAC, the principal the token stands for
   * ("User:alice") and when the token expires (ms since the epoch: it bounds the SASL session's
   * lifetime); undefined for an unknown or expired token.
   */
  tokenCredential(tokenId: string, mechanism: ScramMechanism): { credential: ScramCredential; owner: string; expiryTimestampMs: number } | undefined;
}
