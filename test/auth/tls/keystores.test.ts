// Keystores and truststores of every type Kafka takes, made by openssl (and JKS by the test
// helper), loaded as Node's TLS takes them; wrong passwords and missing settings fail naming the key.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { toPem } from 'jks-js';
import { loadKeystore, loadTruststore } from '../../../src/auth/tls/keystores';
import { ListenerConfigs } from '../../../src/auth/listener-configs';
import { STORE_PASSWORD, TestCerts, makeTestCerts } from '../../helpers/certs';

let certs: TestCerts;
beforeAll(() => (certs = makeTestCerts()));
afterAll(() => certs.cleanup());

const settings = (props: Record<string, string>, listener: string | null = 'SSL') => new ListenerConfigs(new Map(Object.entries(props)), listener);

/** The leaf certificate a keystore presents. */
function leafOf(options: { cert?: unknown; pfx?: unknown }): string {
  const ctx = createSecureContext(options as never);
  return new X509Certificate(ctx.context.getCertificate()).subject;
}

describe('keystores', () => {
  test('PKCS12 goes to OpenSSL as it is', () => {
    const ks = loadKeystore(settings({ 'ssl.keystore.type': 'PKCS12', 'ssl.keystore.location': certs.broker.p12, 'ssl.keystore.password': STORE_PASSWORD }))!;
    expect(Buffer.isBuffer(ks.pfx)).toBe(true);
    expect(ks.passphrase).toBe(STORE_PASSWORD);
    expect(leafOf(ks)).toBe('CN=localhost');
  });

  test('a legacy PKCS12 (RC2, 3DES) is read with node-forge', () => {
    const legacy = join(certs.dir, 'legacy.p12');
    execFileSync('openssl', ['pkcs12', '-export', '-legacy', '-inkey', certs.broker.key, '-in', certs.broker.cert, '-passout', `pass:${STORE_PASSWORD}`, '-out', legacy]);
    const ks = loadKeystore(settings({ 'ssl.keystore.type': 'PKCS12', 'ssl.keystore.location': legacy, 'ssl.keystore.password': STORE_PASSWORD }))!;
    expect(ks.pfx).toBeUndefined();
    expect(createPrivateKey(ks.key as string).asymmetricKeyType).toBe('rsa');
    expect(leafOf(ks)).toBe('CN=localhost');
  });

  test('PEM from a file and inline', () => {
    const fromFile = loadKeystore(settings({ 'ssl.keystore.type': 'PEM', 'ssl.keystore.location': certs.alice.keyAndChain }))!;
    expect(leafOf(fromFile)).toContain('CN=alice');
    const inline = loadKeystore(
      settings({ 'ssl.keystore.type': 'PEM', 'ssl.keystore.key': readFileSync(certs.alice.key, 'utf8'), 'ssl.keystore.certificate.chain': readFileSync(certs.alice.cert, 'utf8') }),
    )!;
    expect(leafOf(inline)).toContain('CN=alice');
  });

  test('an encrypted PEM key takes ssl.key.password', () => {
    const encrypted = join(certs.dir, 'alice-encrypted.key');
    execFileSync('openssl', ['pkcs8', '-topk8', '-in', certs.alice.key, '-passout', 'pass:key-secret', '-out', encrypted]);
    const props = { 'ssl.keystore.type': 'PEM', 'ssl.keystore.key': readFileSync(encrypted, 'utf8'), 'ssl.keystore.certificate.chain': readFileSync(certs.alice.cert, 'utf8') };
    expect(leafOf(loadKeystore(settings({ ...props, 'ssl.key.password': 'key-secret' }))!)).toContain('CN=alice');
    expect(() => loadKeystore(settings({ ...props, 'ssl.key.password': 'wrong' }))).toThrow(/Failed to load SSL inline keystore of type PEM/);
    expect(() => loadKeystore(settings(props))).toThrow('Failed to load SSL inline keystore of type PEM: the private key is encrypted, but ssl.key.password is not set');
  });

  test('JKS, as the helper writes it, is read by jks-js', () => {
    const pem = toPem(readFileSync(certs.brokerJks), STORE_PASSWORD);
    expect(Object.keys(pem)).toEqual(['broker']);
    const ks = loadKeystore(settings({ 'ssl.keystore.location': certs.brokerJks, 'ssl.keystore.password': STORE_PASSWORD }))!;
    expect(leafOf(ks)).toBe('CN=localhost');
  });

  test('a wrong password names the store and the key', () => {
    expect(() => loadKeystore(settings({ 'ssl.keystore.type': 'PKCS12', 'ssl.keystore.location': certs.broker.p12, 'listener.name.ssl.ssl.keystore.password': 'nope' }))).toThrow(
      `Failed to load SSL keystore ${certs.broker.p12} (ssl.keystore.location) of type PKCS12: wrong password (listener.name.ssl.ssl.keystore.password)`,
    );
    expect(() => loadKeystore(settings({ 'ssl.keystore.type': 'JKS', 'ssl.keystore.location': certs.brokerJks, 'ssl.keystore.password': 'nope' }))).toThrow(
      'wrong password (ssl.keystore.password)',
    );
    expect(() => loadTruststore(settings({ 'ssl.truststore.type': 'PKCS12', 'ssl.truststore.location': certs.trustP12, 'ssl.truststore.password': 'nope' }))).toThrow(
      `Failed to load SSL truststore ${certs.trustP12} (ssl.truststore.location) of type PKCS12: wrong password (ssl.truststore.password)`,
    );
  });

  test("Kafka's checks on passwords and missing parts", () => {
    expect(() => loadKeystore(settings({ 'ssl.keystore.location': certs.broker.p12 }))).toThrow('SSL key store is specified, but key store password is not specified.');
    expect(() => loadKeystore(settings({ 'ssl.keystore.password': 'x' }))).toThrow('SSL key store is not specified, but key store password is specified.');
    expect(() => loadKeystore(settings({ 'ssl.keystore.type': 'PEM', 'ssl.keystore.location': certs.alice.keyAndChain, 'ssl.keystore.password': 'x' }))).toThrow(
      'SSL key store password cannot be specified with PEM format, only key password may be specified',
    );
    expect(() => loadKeystore(settings({ 'ssl.keystore.type': 'PKCS12', 'ssl.keystore.location': join(certs.dir, 'missing.p12'), 'ssl.keystore.password': 'x' }))).toThrow(
      /missing\.p12 \(ssl\.keystore\.location\)/,
    );
    expect(() => loadKeystore(settings({ 'ssl.keystore.type': 'BKS', 'ssl.keystore.location': certs.broker.p12, 'ssl.keystore.password': 'x' }))).toThrow(/unknown keystore type/);
    expect(loadKeystore(settings({}))).toBeNull();
  });

  test('under type JKS (Kafka\'s default) a PKCS12 file loads, as Java 9+ reads either format under either name', () => {
    const options = loadKeystore(settings({ 'ssl.keystore.location': certs.alice.p12, 'ssl.keystore.password': STORE_PASSWORD }))!;
    expect(options.pfx).toBeDefined();
  });

  test('a file that is neither JKS nor PKCS12 is refused, naming the file and the type', () => {
    expect(() => loadKeystore(settings({ 'ssl.keystore.type': 'JKS', 'ssl.keystore.location': certs.alice.cert, 'ssl.keystore.password': 'x' }))).toThrow(
      /Failed to load SSL keystore .*alice\.crt \(ssl\.keystore\.location\) of type JKS/,
    );
  });
});

describe('truststores', () => {
  const caSubject = () => new X509Certificate(readFileSync(certs.caCert)).subject;

  test('certificate-only PKCS12 via node-forge', () => {
    const ca = loadTruststore(settings({ 'ssl.truststore.type': 'PKCS12', 'ssl.truststore.location': certs.trustP12, 'ssl.truststore.password': STORE_PASSWORD }))!;
    expect(ca.map((c) => new X509Certificate(c).subject)).toEqual([caSubject()]);
  });

  test('JKS, with and without its password', () => {
    for (const password of [{ 'ssl.truststore.password': STORE_PASSWORD }, {}] as Record<string, string>[]) {
      const ca = loadTruststore(settings({ 'ssl.truststore.location': certs.trustJks, ...password }))!;
      expect(ca.map((c) => new X509Certificate(c).subject)).toEqual([caSubject()]);
    }
  });

  test('PEM from a file and inline', () => {
    const file = loadTruststore(settings({ 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': certs.caCert }))!;
    const inline = loadTruststore(settings({ 'ssl.truststore.type': 'PEM', 'ssl.truststore.certificates': readFileSync(certs.caCert, 'utf8') }))!;
    expect(file).toEqual(inline);
    expect(new X509Certificate(file[0]).subject).toBe(caSubject());
    expect(() => loadTruststore(settings({ 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': certs.caCert, 'ssl.truststore.password': 'x' }))).toThrow(
      'SSL trust store password cannot be specified for PEM format.',
    );
  });

  test('none configured', () => {
    expect(loadTruststore(settings({}))).toBeNull();
  });
});
