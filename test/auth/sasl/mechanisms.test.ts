// The PLAIN and SCRAM servers on their own: Kafka's PlainSaslServer parsing and answers, and
// ScramSaslServer against RFC 7677's SCRAM-SHA-256 example, a full exchange with a client written
// from RFC 5802's formulas for both hashes, and delegation-token authentication (tokenauth).

import { parseJaasConfig } from '../../../src/auth/sasl/jaas';
import { PlainSaslServer } from '../../../src/auth/sasl/plain-server';
import { SaslAuthenticationException, SaslException } from '../../../src/auth/sasl/sasl-server';
import { NO_TOKENS, ScramSaslServer } from '../../../src/auth/sasl/scram-server';
import { ScramCredential, ScramCredentialSource, ScramMechanism, TokenCredentialSource, credentialFromSaltedPassword, generateCredential, saltedPassword } from '../../../src/auth/scram-credential';
import { ScramClient } from './scram-client';

describe('PLAIN', () => {
  const [jaas] = parseJaasConfig('org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="a" user_alice="alice-pw" user_bob="";');
  const plain = (text: string) => new PlainSaslServer(jaas).evaluate(Buffer.from(text));

  test('a valid user authenticates, with or without an authzid equal to the username', () => {
    for (const message of ['\u0000alice\u0000alice-pw', 'alice\u0000alice\u0000alice-pw']) {
      const server = new PlainSaslServer(jaas);
      expect(server.evaluate(Buffer.from(message))).toEqual(Buffer.alloc(0));
      expect([server.complete, server.authorizationId]).toEqual([true, 'alice']);
    }
  });

  test.each([
    ['\u0000alice\u0000wrong', SaslAuthenticationException, 'Authentication failed: Invalid username or password'],
    ['\u0000nobody\u0000alice-pw', SaslAuthenticationException, 'Authentication failed: Invalid username or password'],
    ['\u0000bob\u0000x', SaslAuthenticationException, 'Authentication failed: Invalid username or password'],
    ['bob\u0000alice\u0000alice-pw', SaslAuthenticationException, 'Authentication failed: Client requested an authorization id that is different from username'],
    ['\u0000\u0000alice-pw', SaslException, 'Authentication failed: username not specified'],
    ['\u0000alice\u0000', SaslException, 'Authentication failed: password not specified'],
    ['alice', SaslException, 'Authentication failed: username not specified'],
  ])('%j fails', (message, type, text) => {
    expect(() => plain(message)).toThrow(type);
    expect(() => plain(message)).toThrow(text);
  });

  test('anything after a third NUL is dropped, as Kafka splits', () => {
    const server = new PlainSaslServer(jaas);
    server.evaluate(Buffer.from('\u0000alice\u0000alice-pw\u0000trailing'));
    expect(server.authorizationId).toBe('alice');
  });

  test('users come only from the PlainLoginModule entry', () => {
    const [other] = parseJaasConfig('some.OtherModule required user_alice="alice-pw";');
    expect(() => new PlainSaslServer(other).evaluate(Buffer.from('\u0000alice\u0000alice-pw'))).toThrow('Invalid username or password');
  });
});

/** Credentials by user, for one mechanism. */
function users(mechanism: ScramMechanism, byUser: Record<string, ScramCredential>): ScramCredentialSource {
  return { credential: (user, m) => (m === mechanism ? byUser[user] : undefined) };
}

describe('SCRAM', () => {
  test("RFC 7677's SCRAM-SHA-256 example, byte for byte", () => {
    const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
    const credential = credentialFromSaltedPassword('SCRAM-SHA-256', saltedPassword('SCRAM-SHA-256', 'pencil', salt, 4096), salt, 4096);
    const server = new ScramSaslServer('SCRAM-SHA-256', users('SCRAM-SHA-256', { user: credential }), NO_TOKENS, () => '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0');
    expect(server.evaluate(Buffer.from('n,,n=user,r=rOprNGfwEbeRWgbNEkqO')).toString()).toBe(
      'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
    );
    const final = 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=';
    expect(server.evaluate(Buffer.from(final)).toString()).toBe('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
    expect([server.complete, server.authorizationId, server.tokenAuthenticated, server.credentialExpiryMs]).toEqual([true, 'user', false, null]);
  });

  test.each(['SCRAM-SHA-256', 'SCRAM-SHA-512'] as ScramMechanism[])('%s: a full exchange with an RFC 5802 client', (mechanism) => {
    const source = users(mechanism, { 'al,i=ce': generateCredential(mechanism, 'secret', 4096) });
    const server = new ScramSaslServer(mechanism, source, NO_TOKENS);
    const client = new ScramClient(mechanism, 'al,i=ce', 'secret');
    const serverFirst = server.evaluate(client.first());
    expect(serverFirst.toString()).toMatch(/^r=[^,]+,s=[A-Za-z0-9+/=]+,i=4096$/);
    expect(client.verify(server.evaluate(client.final(serverFirst)))).toBe(true);
    expect(server.authorizationId).toBe('al,i=ce');
  });

  test('a wrong password fails at the final message with an invalid proof', () => {
    const server = new ScramSaslServer('SCRAM-SHA-512', users('SCRAM-SHA-512', { alice: generateCredential('SCRAM-SHA-512', 'secret') }), NO_TOKENS);
    const client = new ScramClient('SCRAM-SHA-512', 'alice', 'wrong');
    const first = server.evaluate(client.first());
    expect(() => server.evaluate(client.final(first))).toThrow(new SaslException('Invalid client credentials'));
    expect(server.complete).toBe(false);
  });

  test('an unknown user, or a mechanism without a credential, fails at the first message as in Kafka', () => {
    const source = users('SCRAM-SHA-256', { alice: generateCredential('SCRAM-SHA-256', 'secret') });
    expect(() => new ScramSaslServer('SCRAM-SHA-256', source, NO_TOKENS).evaluate(new ScramClient('SCRAM-SHA-256', 'nobody', 'x').first())).toThrow(
      new SaslException('Authentication failed: Invalid user credentials'),
    );
    expect(() => new ScramSaslServer('SCRAM-SHA-512', source, NO_TOKENS).evaluate(new ScramClient('SCRAM-SHA-512', 'alice', 'x').first())).toThrow(SaslException);
  });

  test.each([
    ['y,,n=alice,r=abc', 'Invalid SCRAM client first message format'],
    ['p=tls-unique,,n=alice,r=abc', 'Invalid SCRAM client first message format'],
    ['n,,n=alice', 'Invalid SCRAM client first message format'],
    ['n,,n=al=ice,r=abc', 'Invalid SCRAM client first message format'],
    ['\u00ff\u00fe', 'Invalid SCRAM client first message format'],
  ])('a malformed client first message %j fails', (message, text) => {
    const server = new ScramSaslServer('SCRAM-SHA-256', users('SCRAM-SHA-256', {}), NO_TOKENS);
    expect(() => server.evaluate(Buffer.from(message))).toThrow(text);
  });

  test('an authzid other than the username is refused with a message for the client', () => {
    const source = users('SCRAM-SHA-256', { alice: generateCredential('SCRAM-SHA-256', 'secret') });
    const client = new ScramClient('SCRAM-SHA-256', 'alice', 'secret', 'nonce', '', 'n,a=bob,');
    expect(() => new ScramSaslServer('SCRAM-SHA-256', source, NO_TOKENS).evaluate(client.first())).toThrow(
      new SaslAuthenticationException('Authentication failed: Client requested an authorization id that is different from username'),
    );
  });

  test("a final message whose nonce only ends with the server's passes, as Kafka 3.9 lets librdkafka's through", () => {
    const source = users('SCRAM-SHA-256', { alice: generateCredential('SCRAM-SHA-256', 'secret') });
    const server = new ScramSaslServer('SCRAM-SHA-256', source, NO_TOKENS);
    const client = new ScramClient('SCRAM-SHA-256', 'alice', 'secret', 'cnonce', '', 'n,,', true);
    const final = client.final(server.evaluate(client.first()));
    expect(final.toString()).toMatch(/^c=biws,r=cnoncecnonce/);
    expect(client.verify(server.evaluate(final))).toBe(true);
  });

  test('a final message with another nonce, a malformed one, or a short proof fails', () => {
    const source = users('SCRAM-SHA-256', { alice: generateCredential('SCRAM-SHA-256', 'secret') });
    for (const final of [(nonce: string) => `c=biws,r=${nonce}x,p=AAAA`, () => 'garbage', (nonce: string) => `c=biws,r=${nonce},p=AAAA`]) {
      const server = new ScramSaslServer('SCRAM-SHA-256', source, NO_TOKENS);
      const nonce = /r=([^,]+)/.exec(server.evaluate(new ScramClient('SCRAM-SHA-256', 'alice', 'secret').first()).toString())![1];
      expect(() => server.evaluate(Buffer.from(final(nonce)))).toThrow(SaslException);
      expect(() => server.evaluate(Buffer.from(final(nonce)))).toThrow('Unexpected challenge in Sasl server state FAILED');
    }
  });

  test('credentials under the minimum iterations are refused', () => {
    const salt = Buffer.from('salt');
    const weak = credentialFromSaltedPassword('SCRAM-SHA-256', saltedPassword('SCRAM-SHA-256', 'pw', salt, 1000), salt, 1000);
    const server = new ScramSaslServer('SCRAM-SHA-256', users('SCRAM-SHA-256', { alice: weak }), NO_TOKENS);
    expect(() => server.evaluate(new ScramClient('SCRAM-SHA-256', 'alice', 'pw').first())).toThrow('Iterations 1000 is less than the minimum 4096 for SCRAM-SHA-256');
  });

  describe('tokenauth', () => {
    const tokenCredential = generateCredential('SCRAM-SHA-256', 'token-hmac');
    const tokens: TokenCredentialSource = {
      tokenCredential: (id, m) => (id === 'token1' && m === 'SCRAM-SHA-256' ? { credential: tokenCredential, owner: 'User:alice', expiryTimestampMs: 5000 } : undefined),
    };
    const noUsers = users('SCRAM-SHA-256', {});

    test('the token id and HMAC authenticate as the token owner, with its expiry', () => {
      const server = new ScramSaslServer('SCRAM-SHA-256', noUsers, tokens);
      const client = new ScramClient('SCRAM-SHA-256', 'token1', 'token-hmac', 'nonce', 'tokenauth=true');
      expect(client.verify(server.evaluate(client.final(server.evaluate(client.first()))))).toBe(true);
      expect([server.authorizationId, server.tokenAuthenticated, server.credentialExpiryMs]).toEqual(['User:alice', true, 5000]);
    });

    test('an unknown token fails; a token id is never looked up as a user', () => {
      const server = new ScramSaslServer('SCRAM-SHA-256', noUsers, tokens);
      expect(() => server.evaluate(new ScramClient('SCRAM-SHA-256', 'token2', 'x', 'nonce', 'tokenauth=true').first())).toThrow(
        'Token Authentication failed: Invalid tokenId : token2',
      );
      const asUser = new ScramSaslServer('SCRAM-SHA-256', noUsers, tokens);
      expect(() => asUser.evaluate(new ScramClient('SCRAM-SHA-256', 'token1', 'token-hmac').first())).toThrow('Invalid user credentials');
    });

    test('without a token source (NO_TOKENS) every tokenauth attempt fails', () => {
      const server = new ScramSaslServer('SCRAM-SHA-256', noUsers, NO_TOKENS);
      expect(() => server.evaluate(new ScramClient('SCRAM-SHA-256', 'token1', 'token-hmac', 'n', 'tokenauth=true').first())).toThrow(SaslException);
    });
  });
});
