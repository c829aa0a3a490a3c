// SASL/SCRAM-SHA-256 and SCRAM-SHA-512 (RFC 5802, RFC 7677) as Kafka's ScramSaslServer: the client
// first message names the user (or, with the `tokenauth=true` extension, a delegation token id),
// the server answers with its nonce, the credential's salt and iterations; the client final message
// (whose nonce must end with the server's) proves the password, checked against the stored key in constant time; the server signs. An
// unknown user fails at the first message, as in Kafka; the client sees the same answer as for a
// wrong password.

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { MIN_ITERATIONS, ScramCredential, ScramCredentialSource, ScramMechanism, TokenCredentialSource, hashName } from '../scram-credential';
import { ClientFirstMessage, parseClientFinal, parseClientFirst, secureRandomString, serverFirstMessage, usernameOf } from './scram-messages';
import { SaslAuthenticationException, SaslException, SaslServer } from './sasl-server';

/** ScramLoginModule.TOKEN_AUTH_CONFIG */
export const TOKEN_AUTH = 'tokenauth';

/** No delegation tokens: every tokenauth attempt fails as an unknown token. */
export const NO_TOKENS: TokenCredentialSource = { tokenCredential: () => undefined };

type State = 'first' | 'final' | 'complete' | 'failed';

export class ScramSaslServer implements SaslServer {
  private state: State = 'first';
  private clientFirst: ClientFirstMessage | null = null;
  private serverFirst = '';
  private nonce = '';
  private credential: ScramCredential | null = null;
  private authzId = '';
  private expiry: number | null = null;
  private token = false;

  constructor(
    readonly mechanism: ScramMechanism,
    private readonly users: ScramCredentialSource,
    private readonly tokens: TokenCredentialSource,
    /** The server nonce; random unless a test fixes it. */
    private readonly serverNonce: () => string = secureRandomString,
  ) {}

  get complete(): boolean {
    return this.state === 'complete';
  }

  get authorizationId(): string {
    return this.completed(this.authzId);
  }

  get tokenAuthenticated(): boolean {
    return this.completed(this.token);
  }

  get credentialExpiryMs(): number | null {
    return this.completed(this.expiry);
  }

  private completed<T>(value: T): T {
    if (!this.complete) throw new Error('Authentication exchange has not completed');
    return value;
  }

  evaluate(token: Buffer): Buffer {
    try {
      if (this.state === 'first') return this.first(token);
      if (this.state === 'final') return this.final(token);
      throw new SaslAuthenticationException(`Unexpected challenge in Sasl server state ${this.state.toUpperCase()}`);
    } catch (err) {
      this.state = 'failed';
      this.credential = null;
      this.clientFirst = null;
      throw err;
    }
  }

  private first(token: Buffer): Buffer {
    const clientFirst = parseClientFirst(token);
    let username: string;
    try {
      username = usernameOf(clientFirst.saslName);
    } catch {
      throw new SaslException('Authentication failed: Credentials could not be obtained');
    }
    const tokenAuth = (clientFirst.extensions.get(TOKEN_AUTH) ?? '').toLowerCase() === 'true';
    let credential: ScramCredential | undefined;
    if (tokenAuth) {
      const found = this.tokens.tokenCredential(username, this.mechanism);
      if (!found) throw new SaslException(`Token Authentication failed: Invalid tokenId : ${username}`);
      credential = found.credential;
      this.authzId = found.owner;
      this.expiry = found.expiryTimestampMs;
    } else {
      credential = this.users.credential(username, this.mechanism);
      this.authzId = username;
      this.expiry = null;
    }
    this.token = tokenAuth;
    if (!credential) throw new SaslException('Authentication failed: Invalid user credentials');
    if (clientFirst.authorizationId !== '' && clientFirst.authorizationId !== username) {
      throw new SaslAuthenticationException('Authentication failed: Client requested an authorization id that is different from username');
    }
    if (credential.iterations < MIN_ITERATIONS) {
      throw new SaslException(`Iterations ${credential.iterations} is less than the minimum ${MIN_ITERATIONS} for ${this.mechanism}`);
    }
    this.clientFirst = clientFirst;
    this.credential = credential;
    this.nonce = clientFirst.nonce + this.serverNonce();
    this.serverFirst = serverFirstMessage(this.nonce, credential.salt, credential.iterations);
    this.state = 'final';
    return Buffer.from(this.serverFirst, 'utf8');
  }

  private final(token: Buffer): Buffer {
    const clientFinal = parseClientFinal(token);
    // Kafka 3.9 (since the CVE-2024-56128 fix) asks the nonce to end with the server's: librdkafka
    // before 2.6.1 repeats the client nonce in front of it.
    if (!clientFinal.nonce.endsWith(this.nonce)) throw new SaslException('Invalid client nonce in the final client message.');
    const credential = this.credential!;
    const hash = hashName(this.mechanism);
    const authMessage = `${this.clientFirst!.bare},${this.serverFirst},${clientFinal.withoutProof}`;
    const clientSignature = createHmac(hash, credential.storedKey).update(authMessage).digest();
    if (clientFinal.proof.length !== clientSignature.length) throw new SaslException('Invalid client credentials');
    const clientKey = Buffer.alloc(clientSignature.length);
    for (let i = 0; i < clientKey.length; i++) clientKey[i] = clientSignature[i] ^ clientFinal.proof[i];
    const computedStoredKey = createHash(hash).update(clientKey).digest();
    if (computedStoredKey.length !== credential.storedKey.length || !timingSafeEqual(computedStoredKey, credential.storedKey)) {
      throw new SaslException('Invalid client credentials');
    }
    const serverSignature = createHmac(hash, credential.serverKey).update(authMessage).digest();
    this.credential = null;
    this.clientFirst = null;
    this.state = 'complete';
    return Buffer.from(`v=${serverSignature.toString('base64')}`, 'utf8');
  }
}
