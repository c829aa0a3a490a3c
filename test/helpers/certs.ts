// Test certificates, made fresh in a temp dir with Debian's openssl: a CA, a broker certificate for
// localhost and 127.0.0.1, client certificates, each as PEM and as PKCS12 keystores, a
// certificate-only PKCS12 truststore, and a JKS keystore and truststore. There may be no keytool
// here, so the JKS files are written below in Sun's format (JavaKeyStore and KeyProtector).

import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asn1 } from 'node-forge';

export const STORE_PASSWORD = 'store-secret';

export interface CertFiles {
  /** Private key (PKCS#8), certificate and chain, as PEM files. */
  key: string;
  cert: string;
  /** Key and certificate chain in one PEM file, as Kafka's PEM keystore location expects. */
  keyAndChain: string;
  /** PKCS12 keystore (openssl pkcs12 -export), password STORE_PASSWORD. */
  p12: string;
}

export interface TestCerts {
  dir: string;
  caCert: string;
  broker: CertFiles;
  /** CN=alice,OU=eng,O=kafka-ts */
  alice: CertFiles;
  /** Signed by a CA the broker does not trust. */
  mallory: CertFiles;
  /** Certificate-only PKCS12 truststore holding the CA. */
  trustP12: string;
  /** JKS keystore (alias broker) and truststore (alias ca), password STORE_PASSWORD. */
  brokerJks: string;
  trustJks: string;
  /** Removes the temp dir. */
  cleanup(): void;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function issue(dir: string, name: string, subject: string, ca: { cert: string; key: string }, extensions: string): CertFiles {
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const cert = join(dir, `${name}.crt`);
  const ext = join(dir, `${name}.ext`);
  writeFileSync(ext, extensions);
  openssl(dir, ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-subj', subject, '-out', csr]);
  openssl(dir, ['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-days', '2', '-sha256', '-extfile', ext, '-out', cert]);
  const keyAndChain = join(dir, `${name}-keystore.pem`);
  writeFileSync(keyAndChain, readFileSync(key, 'utf8') + readFileSync(cert, 'utf8') + readFileSync(ca.cert, 'utf8'));
  const p12 = join(dir, `${name}.p12`);
  openssl(dir, ['pkcs12', '-export', '-inkey', key, '-in', cert, '-certfile', ca.cert, '-name', name, '-passout', `pass:${STORE_PASSWORD}`, '-out', p12]);
  return { key, cert, keyAndChain, p12 };
}

function makeCa(dir: string, name: string): { cert: string; key: string } {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-subj', `/CN=${name}`, '-days', '2', '-out', cert]);
  return { cert, key };
}

export function makeTestCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-ts-certs-'));
  const ca = makeCa(dir, 'test-ca');
  const rogueCa = makeCa(dir, 'rogue-ca');
  const clientExt = 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n';
  const broker = issue(dir, 'broker', '/CN=localhost', ca, 'basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n');
  const alice = issue(dir, 'alice', '/O=kafka-ts/OU=eng/CN=alice', ca, clientExt);
  const mallory = issue(dir, 'mallory', '/CN=mallory', rogueCa, clientExt);
  const trustP12 = join(dir, 'truststore.p12');
  openssl(dir, ['pkcs12', '-export', '-nokeys', '-in', ca.cert, '-passout', `pass:${STORE_PASSWORD}`, '-out', trustP12]);
  const brokerJks = join(dir, 'broker.jks');
  const trustJks = join(dir, 'truststore.jks');
  writeFileSync(brokerJks, jksKeystore('broker', readFileSync(broker.key, 'utf8'), [broker.cert, ca.cert].map(pemToDer), STORE_PASSWORD));
  writeFileSync(trustJks, jksTruststore('ca', pemToDer(ca.cert), STORE_PASSWORD));
  return { dir, caCert: ca.cert, broker, alice, mallory, trustP12, brokerJks, trustJks, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function pemToDer(file: string): Buffer {
  const pem = readFileSync(file, 'utf8');
  const body = /-----BEGIN [^-]+-----([\s\S]*?)-----END/.exec(pem)![1];
  return Buffer.from(body.replace(/\s+/g, ''), 'base64');
}

// ---- JKS (sun.security.provider.JavaKeyStore, version 2) ----

const JKS_MAGIC = 0xfeedfeed;
const KEY_PROTECTOR_OID = '1.3.6.1.4.1.42.2.17.1.1';

/** Java's char[] password as bytes: UTF-16 big-endian. */
function passwordBytes(password: string): Buffer {
  return Buffer.from(password, 'utf16le').swap16();
}

/** Java's DataOutputStream.writeUTF for ASCII text. */
function utf(s: string): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(s.length);
  return Buffer.concat([b, Buffer.from(s, 'latin1')]);
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

function int64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
}

function sha1(...parts: Buffer[]): Buffer {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** Sun's KeyProtector: the PKCS#8 key XORed with a SHA-1 keystream of password and salt, then SHA-1(password + key). */
function protectKey(pkcs8: Buffer, password: string): Buffer {
  const pw = passwordBytes(password);
  const salt = randomBytes(20);
  const stream: Buffer[] = [];
  for (let digest: Buffer = salt, made = 0; made < pkcs8.length; made += 20) {
    digest = sha1(pw, digest);
    stream.push(digest);
  }
  const xor = Buffer.concat(stream);
  const encrypted = Buffer.from(pkcs8.map((b, i) => b ^ xor[i]));
  const info = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(KEY_PROTECTOR_OID).getBytes()),
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''),
    ]),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, Buffer.concat([salt, encrypted, sha1(pw, pkcs8)]).toString('binary')),
  ]);
  return Buffer.from(asn1.toDer(info).getBytes(), 'binary');
}

function certBytes(der: Buffer): Buffer {
  return Buffer.concat([utf('X.509'), int32(der.length), der]);
}

/** The entries, then SHA-1 over the password, "Mighty Aphrodite" and everything before. */
function jksFile(entries: Buffer[], password: string): Buffer {
  const body = Buffer.concat([int32(JKS_MAGIC), int32(2), int32(entries.length), ...entries]);
  return Buffer.concat([body, sha1(passwordBytes(password), Buffer.from('Mighty Aphrodite', 'latin1'), body)]);
}

export function jksKeystore(alias: string, pkcs8Pem: string, chain: Buffer[], password: string): Buffer {
  const pkcs8 = Buffer.from(/-----BEGIN PRIVATE KEY-----([\s\S]*?)-----END/.exec(pkcs8Pem)![1].replace(/\s+/g, ''), 'base64');
  const key = protectKey(pkcs8, password);
  const entry = Buffer.concat([int32(1), utf(alias), int64(Date.now()), int32(key.length), key, int32(chain.length), ...chain.map(certBytes)]);
  return jksFile([entry], password);
}

export function jksTruststore(alias: string, cert: Buffer, password: string): Buffer {
  return jksFile([Buffer.concat([int32(2), utf(alias), int64(Date.now()), certBytes(cert)])], password);
}
