// The client side of SASL, as Kafka's SaslClientAuthenticator runs it on a freshly opened
// connection: ApiVersions (to learn the SaslAuthenticate versions), SaslHandshake v1 naming the
// mechanism, then the mechanism's exchange in SaslAuthenticate requests. PLAIN sends
// "\0user\0password"; SCRAM-SHA-256/512 is RFC 5802's client (Kafka's ScramSaslClient), with the
// `tokenauth=true` extension when the username is a delegation token id and the password its HMAC.
// The server's signature is verified: a broker that does not know the password is refused too.

import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Apis, ErrorCode } from '../../protocol';
import { MIN_ITERATIONS, SCRAM_MECHANISMS, ScramMechanism, hashName, saltedPassword } from '../auth/scram-credential';
import type { KafkaConnection } from './kafka-connection';

export type SaslMechanism = 'PLAIN' | ScramMechanism;

/** The mechanisms this client can authenticate with. */
export const SASL_CLIENT_MECHANISMS: readonly string[] = ['PLAIN', ...SCRAM_MECHANISMS];

export interface SaslClientOptions {
  mechanism: SaslMechanism;
  username: string;
  password: string;
  /** SCRAM with a delegation token: username is the token id, password its base64 HMAC. */
  tokenAuth?: boolean;
}

/** Highest SaslAuthenticate version this client speaks (v1 adds the session lifetime, v2 is flexible). */
const SASL_AUTHENTICATE_MAX = 2;
const SASL_HANDSHAKE_VERSION = 1;

export class SaslAuthenticationError extends Error {
  constructor(
    message: string,
    /** The broker's error code, or SASL_AUTHENTICATION_FAILED for what this client refused. */
    readonly errorCode: number = ErrorCode.SASL_AUTHENTICATION_FAILED,
  ) {
    super(message);
    this.name = 'SaslAuthenticationError';
  }
}

/**
 * Authenticates a connection just opened (nothing else sent on it yet). Resolves with the session
 * lifetime the broker grants (0: no limit); rejects with a SaslAuthenticationError naming the
 * mechanism and carrying the broker's message. The caller closes the connection on failure.
 */
export async function authenticateSasl(conn: KafkaConnection, options: SaslClientOptions, timeoutMs?: number): Promise<{ sessionLifetimeMs: number }> {
  const { mechanism } = options;
  const versions = await conn.request(Apis.ApiVersions, 0, {}, timeoutMs);
  const authenticate = versions.apiKeys.find((k) => k.apiKey === Apis.SaslAuthenticate.apiKey);
  if (!authenticate || authenticate.maxVersion < 0) throw new SaslAuthenticationError(`SASL ${mechanism}: the broker at ${conn.peer} does not support SaslAuthenticate`, ErrorCode.UNSUPPORTED_VERSION);
  const version = Math.min(SASL_AUTHENTICATE_MAX, authenticate.maxVersion);

  const handshake = await conn.request(Apis.SaslHandshake, SASL_HANDSHAKE_VERSION, { mechanism }, timeoutMs);
  if (handshake.errorCode !== ErrorCode.NONE) {
    const enabled = `enabled mechanisms are [${handshake.mechanisms.join(', ')}]`;
    const message =
      handshake.errorCode === ErrorCode.UNSUPPORTED_SASL_MECHANISM
        ? `Client SASL mechanism '${mechanism}' not enabled in the server, ${enabled}`
        : `SASL ${mechanism} handshake failed with error code ${handshake.errorCode}, ${enabled}`;
    throw new SaslAuthenticationError(message, handshake.errorCode);
  }

  let sessionLifetimeMs = 0;
  const exchange = async (bytes: Buffer): Promise<Buffer> => {
    const response = await conn.request(Apis.SaslAuthenticate, version, { authBytes: bytes }, timeoutMs);
    if (response.errorCode !== ErrorCode.NONE) {
      throw new SaslAuthenticationError(`SASL ${mechanism} authentication failed: ${response.errorMessage ?? `error code ${response.errorCode}`}`, response.errorCode);
    }
    sessionLifetimeMs = Number(response.sessionLifetimeMs);
    return response.authBytes;
  };

  if (mechanism === 'PLAIN') {
    await exchange(plainMessage(options.username, options.password));
  } else {
    const scram = new ScramClient(mechanism, options.username, options.password, options.tokenAuth ?? false);
    const serverFirst = await exchange(Buffer.from(scram.clientFirstMessage()));
    const serverFinal = await exchange(Buffer.from(scram.clientFinalMessage(serverFirst.toString('utf8'))));
    scram.verifyServerFinal(serverFinal.toString('utf8'));
  }
  return { sessionLifetimeMs };
}

/** RFC 4616: no authorization id, as Kafka's PLAIN client sends it. */
export function plainMessage(username: string, password: string): Buffer {
  return Buffer.from(`\0${username}\0${password}`, 'utf8');
}

/** RFC 5802 saslname: '=' and ',' escaped. */
export function saslName(username: string): string {
  return username.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

/** One SCRAM exchange from the client's side: first message, final message, server signature check. */
export class ScramClient {
  private clientFirstBare = '';
  private expectedServerSignature: Buffer | null = null;

  constructor(
    readonly mechanism: ScramMechanism,
    private readonly username: string,
    private readonly password: string,
    private readonly tokenAuth: boolean,
    private readonly nonce: string = randomBytes(24).toString('base64url'),
  ) {}

  clientFirstMessage(): string {
    const extensions = this.tokenAuth ? ',tokenauth=true' : '';
    this.clientFirstBare = `n=${saslName(this.username)},r=${this.nonce}${extensions}`;
    return `n,,${this.clientFirstBare}`;
  }

  /** Checks the server's nonce, salt and iterations, and answers with the proof. */
  clientFinalMessage(serverFirst: string): string {
    const attrs = parseAttributes(serverFirst, this.mechanism);
    const serverNonce = attrs.get('r');
    const salt = attrs.get('s');
    const iterations = Number(attrs.get('i'));
    if (attrs.has('e')) throw new SaslAuthenticationError(`SASL ${this.mechanism} authentication failed: ${attrs.get('e')}`);
    if (serverNonce === undefined || salt === undefined || !Number.isInteger(iterations)) {
      throw new SaslAuthenticationError(`SASL ${this.mechanism}: invalid server first message`);
    }
    if (!serverNonce.startsWith(this.nonce)) {
      throw new SaslAuthenticationError(`SASL ${this.mechanism}: invalid server nonce: does not start with client nonce`);
    }
    if (iterations < MIN_ITERATIONS) {
      throw new SaslAuthenticationError(`SASL ${this.mechanism}: requested iterations ${iterations} is less than the minimum ${MIN_ITERATIONS} for ${this.mechanism}`);
    }
    const hash = hashName(this.mechanism);
    const salted = saltedPassword(this.mechanism, this.password, Buffer.from(salt, 'base64'), iterations);
    const clientKey = createHmac(hash, salted).update('Client Key').digest();
    const storedKey = createHash(hash).update(clientKey).digest();
    const withoutProof = `c=${Buffer.from('n,,').toString('base64')},r=${serverNonce}`;
    const authMessage = `${this.clientFirstBare},${serverFirst},${withoutProof}`;
    const signature = createHmac(hash, storedKey).update(authMessage).digest();
    const proof = Buffer.alloc(clientKey.length);
    for (let i = 0; i < proof.length; i++) proof[i] = clientKey[i] ^ signature[i];
    const serverKey = createHmac(hash, salted).update('Server Key').digest();
    this.expectedServerSignature = createHmac(hash, serverKey).update(authMessage).digest();
    return `${withoutProof},p=${proof.toString('base64')}`;
  }

  verifyServerFinal(serverFinal: string): void {
    const attrs = parseAttributes(serverFinal, this.mechanism);
    if (attrs.has('e')) throw new SaslAuthenticationError(`SASL ${this.mechanism} authentication failed: ${attrs.get('e')}`);
    const v = attrs.get('v');
    const expected = this.expectedServerSignature;
    const received = v === undefined ? null : Buffer.from(v, 'base64');
    if (!expected || !received || received.length !== expected.length || !timingSafeEqual(received, expected)) {
      throw new SaslAuthenticationError(`SASL ${this.mechanism}: invalid server signature in server final message`);
    }
  }
}

/** "k=v,k=v": a value may hold '='; a malformed attribute fails the exchange. */
function parseAttributes(message: string, mechanism: ScramMechanism): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const part of message.split(',')) {
    if (part.length < 2 || part[1] !== '=') throw new SaslAuthenticationError(`SASL ${mechanism}: invalid server message`);
    attrs.set(part[0], part.slice(2));
  }
  return attrs;
}
