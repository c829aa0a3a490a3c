// The server side of SASL for one connection: Kafka's SaslServerAuthenticator state machine, fed
// every frame of a SASL listener's connection.
//  - Before authentication only ApiVersions (once, before the handshake; the dispatcher answers it),
//    SaslHandshake and then the mechanism's tokens are accepted; any other request closes the
//    connection. SaslHandshake v0 makes the following frames raw SASL tokens (answered as
//    size-prefixed raw tokens); v1 makes them SaslAuthenticate requests (v0-2).
//  - A failed authentication is answered (SASL_AUTHENTICATION_FAILED with Kafka's message, or
//    UNSUPPORTED_SASL_MECHANISM, ILLEGAL_SASL_STATE) after `connection.failed.authentication.delay.ms`,
//    then the connection is closed; the connection reads nothing more meanwhile.
//  - Once authenticated the session's principal is User:<name> (a token's owner for tokenauth) and
//    frames go to the dispatcher, except (KIP-368) a SaslHandshake while the session has a lifetime:
//    it starts a re-authentication with the same mechanism and principal; and once the lifetime is
//    over, any other request closes the connection.

import {
  API_BY_KEY,
  API_VERSIONS_KEY,
  Apis,
  ApiSpec,
  ErrorCode,
  Reader,
  RequestHeader,
  Writer,
  codecFor,
  errorResponse,
  inRange,
  readRequestHeader,
  responseHeaderVersion,
  writeResponseHeader,
} from '../../../protocol';
import type { Clock } from '../../clock';
import type { Session } from '../../server/session';
import type { SaslListenerSettings } from './listener-sasl';
import { SaslAuthenticationException, SaslException, SaslServer } from './sasl-server';

/** What the connection does with a frame the authenticator took. */
export type AuthStep =
  /** Write this response (in request order) and read on. */
  | { kind: 'respond'; response: Buffer[] }
  /** An authentication failure: log `reason`, read nothing more, write `response` (if any) after `delayMs`, close. */
  | { kind: 'fail'; response: Buffer[] | null; reason: string; delayMs: number }
  /** Not a SASL exchange at all: log `reason` and close now. */
  | { kind: 'close'; reason: string };

type State = 'initial' | 'handshake-or-versions' | 'handshake' | 'authenticate' | 'complete' | 'failed' | 'reauth-bad-mechanism';

/** Kafka's KafkaChannel: a client may not start re-authenticating more often than once a second. */
const MIN_REAUTH_INTERVAL_MS = 1000;

const SASL_HANDSHAKE_KEY = Apis.SaslHandshake.apiKey;
const SASL_AUTHENTICATE_KEY = Apis.SaslAuthenticate.apiKey;

/** Kafka's ApiKeys name of an API ("SASL_AUTHENTICATE"), as its messages spell it. */
function apiKeyName(apiKey: number): string {
  const spec = API_BY_KEY.get(apiKey);
  return spec ? spec.name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase() : String(apiKey);
}

class AuthenticationFailure extends Error {
  constructor(
    message: string,
    readonly response: Buffer[] | null,
  ) {
    super(message);
  }
}

class ConnectionFailure extends Error {}

export class SaslAuthenticator {
  private state: State = 'initial';
  private server: SaslServer | null = null;
  private mechanism: string | null = null;
  /** SaslHandshake v1+: tokens come in SaslAuthenticate requests. */
  private kafkaHeaders = false;
  /** When the authenticated session ends (ms since the epoch); null: it does not. */
  private sessionExpiryMs: number | null = null;
  private lastReauthStartMs = 0;
  /** While re-authenticating: the mechanism and principal it must keep. */
  private previous: { mechanism: string; principal: string } | null = null;

  constructor(
    private readonly settings: SaslListenerSettings,
    private readonly session: Session,
    readonly clock: Clock,
  ) {}

  get authenticated(): boolean {
    return this.state === 'complete';
  }

  /** sasl.server.max.receive.size: the largest frame before the first authentication completes. */
  get maxReceiveSize(): number {
    return this.settings.maxReceiveSize;
  }

  /** Takes a frame of this connection; null when it is an ordinary request for the dispatcher. */
  receive(frame: Buffer): AuthStep | null {
    if (this.state === 'complete') return this.authenticatedFrame(frame);
    if (frame.length > this.settings.maxReceiveSize) {
      return this.failed(new AuthenticationFailure('Failing SASL authentication due to invalid receive size', null));
    }
    try {
      switch (this.state) {
        case 'authenticate':
          return this.token(frame);
        case 'reauth-bad-mechanism':
          throw new AuthenticationFailure(
            `SASL mechanism '${this.mechanism}' requested by client is not supported for re-authentication of mechanism '${this.previous!.mechanism}'`,
            null,
          );
        case 'failed':
          throw new ConnectionFailure('Authentication already failed');
        default:
          return this.kafkaRequest(frame);
      }
    } catch (err) {
      if (err instanceof AuthenticationFailure) return this.failed(err);
      this.state = 'failed';
      if (err instanceof ConnectionFailure) return { kind: 'close', reason: err.message };
      throw err;
    }
  }

  private failed(err: AuthenticationFailure): AuthStep {
    this.state = 'failed';
    const what = this.previous ? 're-authentication' : 'authentication';
    return { kind: 'fail', response: err.response, reason: `Failed ${what} with ${this.session.remote} (${err.message})`, delayMs: this.settings.failedAuthenticationDelayMs };
  }

  /** KafkaChannel.maybeBeginServerReauthentication and the Processor's expired-session check. */
  private authenticatedFrame(frame: Buffer): AuthStep | null {
    if (this.sessionExpiryMs === null || frame.length < 2) return null;
    const now = this.clock.now();
    if (frame.readInt16BE(0) === SASL_HANDSHAKE_KEY && (this.lastReauthStartMs === 0 || now - this.lastReauthStartMs >= MIN_REAUTH_INTERVAL_MS)) {
      this.lastReauthStartMs = now;
      this.previous = { mechanism: this.mechanism!, principal: this.session.principal };
      this.server = null;
      this.state = 'handshake';
      return this.receive(frame);
    }
    if (now > this.sessionExpiryMs) {
      this.state = 'failed';
      return { kind: 'close', reason: 'Disconnecting expired channel: its authenticated session ended and was not re-authenticated' };
    }
    return null;
  }

  /** handleKafkaRequest: ApiVersions or SaslHandshake, nothing else. */
  private kafkaRequest(frame: Buffer): AuthStep | null {
    const initial = this.state === 'initial';
    const { header, spec } = parseHeader(frame, () => invalidRequest(initial, 'Error parsing request header'));
    if (header.apiKey !== API_VERSIONS_KEY && header.apiKey !== SASL_HANDSHAKE_KEY) {
      throw new ConnectionFailure(invalidRequest(initial, `Unexpected Kafka request of type ${apiKeyName(header.apiKey)} during SASL handshake.`));
    }
    if (this.state === 'initial') this.state = 'handshake-or-versions';
    if (header.apiKey === API_VERSIONS_KEY) {
      if (this.state !== 'handshake-or-versions') throw new ConnectionFailure(`Unexpected ApiVersions request received during SASL authentication state ${this.state}`);
      // A version the broker does not serve is answered UNSUPPORTED_VERSION, and the client may ask again.
      if (inRange(spec.validVersions, header.apiVersion)) this.state = 'handshake';
      return null;
    }
    const request = decode(spec, frame, header);
    return this.handshake(header, request.mechanism as string);
  }

  private handshake(header: RequestHeader, mechanism: string): AuthStep {
    if (header.apiVersion >= 1) this.kafkaHeaders = true;
    const mechanisms = [...this.settings.mechanisms];
    if (!mechanisms.includes(mechanism)) {
      const response = encodeResponse(Apis.SaslHandshake, header, { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms });
      throw new AuthenticationFailure(`Unsupported SASL mechanism ${mechanism}`, response);
    }
    const response = encodeResponse(Apis.SaslHandshake, header, { errorCode: ErrorCode.NONE, mechanisms });
    this.mechanism = mechanism;
    if (this.previous && this.previous.mechanism !== mechanism) {
      this.state = 'reauth-bad-mechanism';
    } else {
      this.server = this.settings.newServer(mechanism);
      this.state = 'authenticate';
    }
    return { kind: 'respond', response };
  }

  /** handleSaslToken: a raw token (handshake v0) or a SaslAuthenticate request (v1). */
  private token(frame: Buffer): AuthStep {
    if (!this.kafkaHeaders) {
      const challenge = this.evaluate(frame, null);
      return { kind: 'respond', response: [sizePrefixed(challenge)] };
    }
    const { header, spec } = parseHeader(frame, (err) => `Invalid request during SASL authentication: ${err.message}`);
    if (header.apiKey !== SASL_AUTHENTICATE_KEY) {
      const message = `Unexpected Kafka request of type ${apiKeyName(header.apiKey)} during SASL authentication.`;
      const request = inRange(spec.validVersions, header.apiVersion) ? decode(spec, frame, header) : null;
      const response = request ? encodeResponse(spec, header, errorResponse(spec, header.apiVersion, request, ErrorCode.ILLEGAL_SASL_STATE, message)) : null;
      throw new AuthenticationFailure(message, response);
    }
    const request = decode(spec, frame, header);
    const challenge = this.evaluate(request.authBytes as Buffer, header);
    const sessionLifetimeMs = this.server!.complete ? this.completed() : 0;
    return { kind: 'respond', response: encodeResponse(spec, header, { errorCode: ErrorCode.NONE, errorMessage: null, authBytes: challenge, sessionLifetimeMs: BigInt(sessionLifetimeMs) }) };
  }

  /** One step of the mechanism; failures answered as Kafka answers them (SaslAuthenticate only). */
  private evaluate(token: Buffer, header: RequestHeader | null): Buffer {
    const server = this.server!;
    const failure = (message: string) =>
      new AuthenticationFailure(
        message,
        header && encodeResponse(Apis.SaslAuthenticate, header, { errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED, errorMessage: message, authBytes: Buffer.alloc(0) }),
      );
    let challenge: Buffer;
    try {
      challenge = server.evaluate(token);
      if (server.complete && this.previous) this.ensurePrincipalUnchanged(server);
    } catch (err) {
      if (err instanceof SaslAuthenticationException) throw failure(err.message);
      if (err instanceof SaslException) {
        // Neither the client nor the log learns why (whether the user exists; the messages may hold a proof).
        const generic = `Authentication failed during ${this.previous ? 're-authentication' : 'authentication'} due to invalid credentials with SASL mechanism ${server.mechanism}`;
        throw failure(generic);
      }
      throw err;
    }
    if (server.complete && !this.kafkaHeaders) this.completed();
    return challenge;
  }

  private ensurePrincipalUnchanged(server: SaslServer): void {
    const principal = principalOf(server);
    const before = this.previous!.principal;
    if (principal !== before) {
      const dotted = (p: string) => p.replace(':', '.');
      throw new SaslAuthenticationException(`Cannot change principals during re-authentication from ${dotted(before)}: ${dotted(principal)}`);
    }
  }

  /** The exchange is over: the session takes the principal; the session lifetime as Kafka computes it. */
  private completed(): number {
    const server = this.server!;
    this.session.principal = principalOf(server);
    this.session.tokenAuthenticated = server.tokenAuthenticated;
    const now = this.clock.now();
    const maxReauthMs = this.settings.reauthMs(server.mechanism);
    const expiry = server.credentialExpiryMs;
    let lifetimeMs = 0;
    this.sessionExpiryMs = null;
    if (expiry !== null || maxReauthMs > 0) {
      if (expiry === null) lifetimeMs = maxReauthMs;
      else if (maxReauthMs <= 0) lifetimeMs = Math.max(0, expiry - now);
      else lifetimeMs = Math.max(0, Math.min(expiry - now, maxReauthMs));
      this.sessionExpiryMs = now + lifetimeMs;
    }
    this.previous = null;
    this.server = null;
    this.state = 'complete';
    return lifetimeMs;
  }
}

/** Kafka's DefaultKafkaPrincipalBuilder for SASL: User:<authorization id>; a token's owner is a principal already. */
function principalOf(server: SaslServer): string {
  return server.tokenAuthenticated ? server.authorizationId : `User:${server.authorizationId}`;
}

function invalidRequest(initial: boolean, message: string): string {
  // The first request may come from a client speaking the wrong security protocol.
  return initial
    ? `Invalid request, potential reasons: kafka client configured with the wrong security protocol, it does not support KIP-43 or it is not a kafka client. (${message})`
    : message;
}

function decode(spec: ApiSpec, frame: Buffer, header: RequestHeader): any {
  if (!inRange(spec.validVersions, header.apiVersion)) throw new ConnectionFailure(`Version ${header.apiVersion} is not supported for apiKey ${apiKeyName(header.apiKey)}`);
  try {
    const r = new Reader(frame);
    readRequestHeader(r);
    return codecFor(spec, header.apiVersion).request.decode(r);
  } catch (err) {
    throw new ConnectionFailure(`Malformed ${spec.name} v${header.apiVersion} request during SASL authentication: ${(err as Error).message}`);
  }
}

function encodeResponse(spec: ApiSpec, header: RequestHeader, body: unknown): Buffer[] {
  const w = new Writer(128);
  w.int32(0);
  writeResponseHeader(w, header.correlationId, responseHeaderVersion(header.apiKey, header.apiVersion));
  codecFor(spec, header.apiVersion).response.encode(w, body as any);
  const size = w.size - 4;
  const chunks = w.finish();
  chunks[0].writeInt32BE(size, 0);
  return chunks;
}

function sizePrefixed(token: Buffer): Buffer {
  const out = Buffer.allocUnsafe(4 + token.length);
  out.writeInt32BE(token.length, 0);
  token.copy(out, 4);
  return out;
}

/** A request's header and its API; a header that cannot be read, or an unknown API, fails the connection with `message`. */
function parseHeader(frame: Buffer, message: (err: Error) => string): { header: RequestHeader; spec: ApiSpec } {
  try {
    const header = readRequestHeader(new Reader(frame));
    const spec = API_BY_KEY.get(header.apiKey);
    if (!spec) throw new RangeError(`unknown API key ${header.apiKey}`);
    return { header, spec };
  } catch (err) {
    throw new ConnectionFailure(message(err as Error));
  }
}
