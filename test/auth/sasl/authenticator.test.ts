// The per-connection authenticator (Kafka's SaslServerAuthenticator) fed frames in-process, on fake
// time: what it serves before authentication, handshake v0 (raw tokens) and v1 (SaslAuthenticate),
// failures and their delay, the session lifetime, and KIP-368 re-authentication and expiry.

import { ApiSpec, Apis, ErrorCode, MessageInput, Reader, codecFor, readResponseHeader, responseHeaderVersion } from '../../../protocol';
import { requestFrame } from '../../../src/client/request-frames';
import { AuthStep, SaslAuthenticator } from '../../../src/auth/sasl/authenticator';
import { saslListenerSettings } from '../../../src/auth/sasl/listener-sasl';
import { NO_TOKENS } from '../../../src/auth/sasl/scram-server';
import { ScramCredentialSource, TokenCredentialSource, generateCredential } from '../../../src/auth/scram-credential';
import { Listener } from '../../../src/config';
import { newSession } from '../../../src/server/session';
import { FakeClock } from '../../helpers/fake-clock';
import { ScramClient } from './scram-client';

const LISTENER: Listener = { name: 'SASL_PLAINTEXT', host: '127.0.0.1', port: 0, securityProtocol: 'SASL_PLAINTEXT' };
const PLAIN_JAAS = 'org.apache.kafka.common.security.plain.PlainLoginModule required user_alice="alice-pw" user_bob="bob-pw";';
const SCRAM_JAAS = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
const users: ScramCredentialSource = { credential: (u, m) => (u === 'carol' ? CAROL[m] : undefined) };
const CAROL = { 'SCRAM-SHA-256': generateCredential('SCRAM-SHA-256', 'carol-pw'), 'SCRAM-SHA-512': generateCredential('SCRAM-SHA-512', 'carol-pw') };

function setup(extra: Record<string, string> = {}, tokens: TokenCredentialSource = NO_TOKENS) {
  const props = new Map(
    Object.entries({
      'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,GSSAPI',
      'listener.name.sasl_plaintext.plain.sasl.jaas.config': PLAIN_JAAS,
      'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config': SCRAM_JAAS,
      ...extra,
    }),
  );
  const warnings: string[] = [];
  const settings = saslListenerSettings(props, LISTENER, { users, tokens }, (l) => warnings.push(l));
  const clock = new FakeClock();
  const session = newSession(LISTENER.name, 'SASL_PLAINTEXT', '127.0.0.1', 50000);
  return { auth: new SaslAuthenticator(settings, session, clock), session, clock, warnings };
}

let correlation = 0;
function frame<S extends ApiSpec>(spec: S, version: number, body: MessageInput<S['request']>): Buffer {
  // The authenticator is handed frames without their size prefix.
  return requestFrame(spec, version, body, ++correlation, 'test').subarray(4);
}

function response<S extends ApiSpec>(spec: S, version: number, step: AuthStep | null): any {
  if (step?.kind !== 'respond' && step?.kind !== 'fail') throw new Error(`expected a response, got ${JSON.stringify(step)}`);
  const r = new Reader(Buffer.concat(step.response!).subarray(4));
  readResponseHeader(r, responseHeaderVersion(spec.apiKey, version));
  return codecFor(spec, version).response.decode(r);
}

const handshake = (mechanism: string, version = 1) => frame(Apis.SaslHandshake, version, { mechanism });
const authenticate = (bytes: Buffer | string, version = 2) => frame(Apis.SaslAuthenticate, version, { authBytes: Buffer.from(bytes) });

/** PLAIN over handshake v1 and SaslAuthenticate: the final SaslAuthenticate response. */
function plainLogin(auth: SaslAuthenticator, user: string, password: string, version = 2): any {
  expect(response(Apis.SaslHandshake, 1, auth.receive(handshake('PLAIN'))).errorCode).toBe(ErrorCode.NONE);
  return response(Apis.SaslAuthenticate, version, auth.receive(authenticate(`\u0000${user}\u0000${password}`, version)));
}

test('startup: GSSAPI is warned about and left out of the handshake list', () => {
  const { auth, warnings } = setup();
  expect(warnings).toEqual([expect.stringContaining('SASL mechanisms GSSAPI of listener SASL_PLAINTEXT (sasl.enabled.mechanisms) are not supported by this broker')]);
  const step = auth.receive(handshake('GSSAPI'));
  expect(response(Apis.SaslHandshake, 1, step)).toEqual({ errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms: ['PLAIN', 'SCRAM-SHA-256'] });
  expect(step).toMatchObject({ kind: 'fail', reason: 'Failed authentication with 127.0.0.1:50000 (Unsupported SASL mechanism GSSAPI)', delayMs: 100 });
});

test('ApiVersions goes to the dispatcher once, before the handshake; a second one closes', () => {
  const { auth } = setup();
  expect(auth.receive(frame(Apis.ApiVersions, 3, { clientSoftwareName: 'x', clientSoftwareVersion: '1' }))).toBeNull();
  expect(auth.receive(frame(Apis.ApiVersions, 3, { clientSoftwareName: 'x', clientSoftwareVersion: '1' }))).toEqual({
    kind: 'close',
    reason: 'Unexpected ApiVersions request received during SASL authentication state handshake',
  });
});

test('an ApiVersions version the broker does not serve may be followed by another ApiVersions', () => {
  const { auth } = setup();
  const tooNew = frame(Apis.ApiVersions, 3, { clientSoftwareName: 'x', clientSoftwareVersion: '1' });
  tooNew.writeInt16BE(99, 2);
  expect(auth.receive(tooNew)).toBeNull();
  expect(auth.receive(frame(Apis.ApiVersions, 0, {}))).toBeNull();
  expect(response(Apis.SaslHandshake, 1, auth.receive(handshake('PLAIN'))).errorCode).toBe(ErrorCode.NONE);
});

test.each([
  ['the first request', [], 'Invalid request, potential reasons: kafka client configured with the wrong security protocol, it does not support KIP-43 or it is not a kafka client. (Unexpected Kafka request of type METADATA during SASL handshake.)'],
  ['a request after ApiVersions', [frame(Apis.ApiVersions, 0, {})], 'Unexpected Kafka request of type METADATA during SASL handshake.'],
])('a Metadata request as %s closes the connection', (_what, before, reason) => {
  const { auth, session } = setup();
  for (const f of before) auth.receive(f);
  expect(auth.receive(frame(Apis.Metadata, 1, { topics: null }))).toEqual({ kind: 'close', reason });
  expect(session.principal).toBe('User:ANONYMOUS');
});

test('garbage or SaslAuthenticate before the handshake closes the connection', () => {
  expect(setup().auth.receive(Buffer.from([0x60, 0x01]))?.kind).toBe('close');
  expect(setup().auth.receive(authenticate('x'))).toMatchObject({ kind: 'close', reason: expect.stringContaining('Unexpected Kafka request of type SASL_AUTHENTICATE during SASL handshake.') });
});

test.each([0, 1, 2])('PLAIN over handshake v1 and SaslAuthenticate v%i sets the principal', (version) => {
  const { auth, session } = setup();
  const answer = plainLogin(auth, 'alice', 'alice-pw', version);
  expect(answer).toMatchObject({ errorCode: ErrorCode.NONE, errorMessage: null });
  expect([auth.authenticated, session.principal, session.tokenAuthenticated]).toEqual([true, 'User:alice', false]);
  // Authenticated: everything goes to the dispatcher.
  expect(auth.receive(frame(Apis.Metadata, 1, { topics: null }))).toBeNull();
});

test('a wrong PLAIN password: SASL_AUTHENTICATION_FAILED with Kafka\'s message, sent after the failure delay', () => {
  const { auth, session } = setup({ 'connection.failed.authentication.delay.ms': '250' });
  auth.receive(handshake('PLAIN'));
  const step = auth.receive(authenticate('\u0000alice\u0000nope'));
  expect(step).toMatchObject({ kind: 'fail', delayMs: 250, reason: 'Failed authentication with 127.0.0.1:50000 (Authentication failed: Invalid username or password)' });
  expect(response(Apis.SaslAuthenticate, 2, step)).toMatchObject({ errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED, errorMessage: 'Authentication failed: Invalid username or password' });
  expect(session.principal).toBe('User:ANONYMOUS');
  expect(auth.receive(authenticate('\u0000alice\u0000alice-pw'))?.kind).toBe('close');
});

test('SCRAM over handshake v1: unknown user and wrong password get the same answer', () => {
  const answers = ['nobody', 'carol'].map((user) => {
    const { auth } = setup();
    auth.receive(handshake('SCRAM-SHA-256'));
    const client = new ScramClient('SCRAM-SHA-256', user, 'wrong');
    let step = auth.receive(authenticate(client.first()));
    if (step?.kind === 'respond') step = auth.receive(authenticate(client.final(response(Apis.SaslAuthenticate, 2, step).authBytes)));
    return response(Apis.SaslAuthenticate, 2, step);
  });
  const expected = { errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED, errorMessage: 'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256' };
  expect(answers).toEqual([expect.objectContaining(expected), expect.objectContaining(expected)]);
});

test('handshake v0: SCRAM as raw size-prefixed tokens', () => {
  const { auth, session } = setup();
  expect(response(Apis.SaslHandshake, 0, auth.receive(handshake('SCRAM-SHA-256', 0))).errorCode).toBe(ErrorCode.NONE);
  const client = new ScramClient('SCRAM-SHA-256', 'carol', 'carol-pw');
  const raw = (step: AuthStep | null) => {
    if (step?.kind !== 'respond') throw new Error(JSON.stringify(step));
    const out = Buffer.concat(step.response);
    expect(out.readInt32BE(0)).toBe(out.length - 4);
    return out.subarray(4);
  };
  const serverFirst = raw(auth.receive(client.first()));
  expect(client.verify(raw(auth.receive(client.final(serverFirst))))).toBe(true);
  expect(session.principal).toBe('User:carol');
});

test('handshake v0: a wrong raw PLAIN password fails without a Kafka response', () => {
  const { auth } = setup();
  auth.receive(handshake('PLAIN', 0));
  expect(auth.receive(Buffer.from('\u0000alice\u0000nope'))).toMatchObject({ kind: 'fail', response: null });
});

test('during SASL authentication, another request is answered ILLEGAL_SASL_STATE and fails', () => {
  const { auth } = setup();
  auth.receive(handshake('PLAIN'));
  const step = auth.receive(frame(Apis.Metadata, 1, { topics: null }));
  expect(step).toMatchObject({ kind: 'fail', reason: expect.stringContaining('Unexpected Kafka request of type METADATA during SASL authentication.') });
  expect(response(Apis.Metadata, 1, step).topics).toEqual([]);
});

test('tokens over sasl.server.max.receive.size fail authentication', () => {
  const { auth } = setup({ 'sasl.server.max.receive.size': '100' });
  auth.receive(handshake('PLAIN'));
  expect(auth.receive(authenticate('x'.repeat(200)))).toMatchObject({ kind: 'fail', reason: expect.stringContaining('Failing SASL authentication due to invalid receive size') });
});

test('a malformed SaslAuthenticate closes the connection, never throws', () => {
  const { auth } = setup();
  auth.receive(handshake('PLAIN'));
  const truncated = authenticate('abc').subarray(0, 12);
  expect(auth.receive(truncated)?.kind).toBe('close');
});

describe('session lifetime and re-authentication (KIP-368)', () => {
  test('without connections.max.reauth.ms the session has no lifetime and a handshake goes to the dispatcher', () => {
    const { auth, clock } = setup();
    expect(plainLogin(auth, 'alice', 'alice-pw').sessionLifetimeMs).toBe(0n);
    clock.advance(10_000_000);
    expect(auth.receive(frame(Apis.Metadata, 1, { topics: null }))).toBeNull();
    expect(auth.receive(handshake('PLAIN'))).toBeNull();
  });

  test('the lifetime is per mechanism, listener-prefixed first', () => {
    const { auth } = setup({ 'connections.max.reauth.ms': '5000', 'listener.name.sasl_plaintext.plain.connections.max.reauth.ms': '3000' });
    expect(plainLogin(auth, 'alice', 'alice-pw').sessionLifetimeMs).toBe(3000n);
  });

  test('past the lifetime, a request that is not a re-authentication closes the connection', () => {
    const { auth, clock } = setup({ 'connections.max.reauth.ms': '1000' });
    expect(plainLogin(auth, 'alice', 'alice-pw').sessionLifetimeMs).toBe(1000n);
    clock.advance(1000);
    expect(auth.receive(frame(Apis.Metadata, 1, { topics: null }))).toBeNull();
    clock.advance(1);
    expect(auth.receive(frame(Apis.Metadata, 1, { topics: null }))).toMatchObject({ kind: 'close', reason: expect.stringContaining('Disconnecting expired channel') });
  });

  test('re-authenticating with the same principal renews the session', () => {
    const { auth, clock, session } = setup({ 'connections.max.reauth.ms': '1000' });
    plainLogin(auth, 'alice', 'alice-pw');
    clock.advance(900);
    expect(plainLogin(auth, 'alice', 'alice-pw')).toMatchObject({ errorCode: ErrorCode.NONE, sessionLifetimeMs: 1000n });
    clock.advance(900);
    expect(auth.receive(frame(Apis.Metadata, 1, { topics: null }))).toBeNull();
    expect(session.principal).toBe('User:alice');
  });

  test('re-authenticating as another principal fails', () => {
    const { auth, clock } = setup({ 'connections.max.reauth.ms': '1000' });
    plainLogin(auth, 'alice', 'alice-pw');
    clock.advance(1500);
    expect(plainLogin(auth, 'bob', 'bob-pw')).toMatchObject({
      errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED,
      errorMessage: 'Cannot change principals during re-authentication from User.alice: User.bob',
    });
  });

  test('re-authenticating with another mechanism fails', () => {
    const { auth, clock } = setup({ 'connections.max.reauth.ms': '1000' });
    plainLogin(auth, 'alice', 'alice-pw');
    clock.advance(1500);
    expect(response(Apis.SaslHandshake, 1, auth.receive(handshake('SCRAM-SHA-256'))).errorCode).toBe(ErrorCode.NONE);
    expect(auth.receive(authenticate('x'))).toMatchObject({
      kind: 'fail',
      response: null,
      reason: expect.stringContaining("SASL mechanism 'SCRAM-SHA-256' requested by client is not supported for re-authentication of mechanism 'PLAIN'"),
    });
  });

  test('no re-authentication within a second of the last one: the handshake goes to the dispatcher', () => {
    const { auth, clock } = setup({ 'connections.max.reauth.ms': '60000' });
    plainLogin(auth, 'alice', 'alice-pw');
    clock.advance(10);
    plainLogin(auth, 'alice', 'alice-pw');
    clock.advance(500);
    expect(auth.receive(handshake('PLAIN'))).toBeNull();
  });

  test('a delegation token bounds the lifetime by its expiry and authenticates as its owner', () => {
    const credential = generateCredential('SCRAM-SHA-256', 'hmac');
    let expiry = 0;
    const tokens: TokenCredentialSource = { tokenCredential: (id) => (id === 'tok' ? { credential, owner: 'User:owner', expiryTimestampMs: expiry } : undefined) };
    const { auth, clock, session } = setup({ 'connections.max.reauth.ms': '60000' }, tokens);
    expiry = clock.now() + 5000;
    auth.receive(handshake('SCRAM-SHA-256'));
    const client = new ScramClient('SCRAM-SHA-256', 'tok', 'hmac', 'abc', 'tokenauth=true');
    const first = response(Apis.SaslAuthenticate, 2, auth.receive(authenticate(client.first())));
    const final = response(Apis.SaslAuthenticate, 2, auth.receive(authenticate(client.final(first.authBytes))));
    expect(final.sessionLifetimeMs).toBe(5000n);
    expect([session.principal, session.tokenAuthenticated]).toEqual(['User:owner', true]);
  });
});

test('settings: a SASL listener needs a JAAS entry per mechanism and at least one servable mechanism', () => {
  const base = { 'listener.name.sasl_plaintext.plain.sasl.jaas.config': PLAIN_JAAS };
  const settings = (extra: Record<string, string>) => saslListenerSettings(new Map(Object.entries({ ...base, ...extra })), LISTENER, { users, tokens: NO_TOKENS }, () => undefined);
  expect(() => settings({})).toThrow('Listener SASL_PLAINTEXT uses security protocol SASL_PLAINTEXT but enables no SASL mechanism this broker serves (sasl.enabled.mechanisms=GSSAPI)');
  expect(() => settings({ 'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-512' })).toThrow('set listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config');
  expect(settings({ 'sasl.enabled.mechanisms': 'GSSAPI', 'listener.name.sasl_plaintext.sasl.enabled.mechanisms': 'PLAIN' }).mechanisms).toEqual(['PLAIN']);
  expect(() => settings({ 'sasl.enabled.mechanisms': 'PLAIN', 'connections.max.reauth.ms': 'soon' })).toThrow('Invalid value soon for configuration connections.max.reauth.ms');
});
