// Keystores and truststores from Kafka's ssl.keystore.* and ssl.truststore.* settings, as Node's
// TLS takes them. PKCS12 keystores go to OpenSSL as they are (pfx); one OpenSSL 3 cannot decrypt
// without its legacy provider (older keytool files: RC2, 3DES) is read with node-forge instead.
// Certificate-only PKCS12 truststores are read with node-forge, JKS stores with jks-js (both to
// PEM), PEM stores from a file or inline. Errors name the setting and the file.

import { readFileSync } from 'node:fs';
import { SecureContextOptions, createSecureContext } from 'node:tls';
import { asn1, pkcs12, pki } from 'node-forge';
import { toPem as jksToPem } from 'jks-js';
import { ConfigError } from '../../config';
import { ListenerConfigs } from '../listener-configs';

export type KeystoreOptions = Pick<SecureContextOptions, 'pfx' | 'passphrase' | 'key' | 'cert'>;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

function pemBlocks(text: string, label: (l: string) => boolean): string[] {
  return [...text.matchAll(PEM_BLOCK)].filter((m) => label(m[1])).map((m) => m[0]);
}

const isCertificate = (l: string) => l === 'CERTIFICATE';
const isPrivateKey = (l: string) => l.endsWith('PRIVATE KEY');

function readStore(s: ListenerConfigs, what: 'keystore' | 'truststore'): Buffer {
  try {
    return readFileSync(s.get(`ssl.${what}.location`)!);
  } catch (err) {
    throw storeError(s, what, (err as Error).message);
  }
}

function storeError(s: ListenerConfigs, what: 'keystore' | 'truststore', reason: string): ConfigError {
  const location = s.get(`ssl.${what}.location`);
  const type = s.get(`ssl.${what}.type`);
  const where = location === null ? `inline ${what}` : `${what} ${location} (${s.keyOf(`ssl.${what}.location`)})`;
  return new ConfigError(`Failed to load SSL ${where} of type ${type}: ${reason}`);
}

/**
 * Java 9+ reads JKS and PKCS12 files under either type name (keystore.type.compat), so a Kafka
 * config saying JKS (the default) may point at a PKCS12 file: the file's magic number decides.
 */
function isJks(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes.readUInt32BE(0) === 0xfeedfeed;
}

function jksHint(location: string): string {
  return `convert it with: keytool -importkeystore -srcstoretype JKS -srckeystore ${location} -deststoretype PKCS12 -destkeystore ${location.replace(/\.jks$/i, '')}.p12`;
}

/** The key and certificate chain a listener presents; null when no keystore is configured. */
export function loadKeystore(s: ListenerConfigs): KeystoreOptions | null {
  const type = (s.get('ssl.keystore.type') ?? 'JKS').toUpperCase();
  const location = s.get('ssl.keystore.location');
  const password = s.get('ssl.keystore.password');
  const keyPassword = s.get('ssl.key.password');
  const inlineKey = s.get('ssl.keystore.key');
  const inlineChain = s.get('ssl.keystore.certificate.chain');
  if (inlineKey !== null || inlineChain !== null) {
    if (type !== 'PEM') throw storeError(s, 'keystore', `${s.keyOf('ssl.keystore.key')} and ${s.keyOf('ssl.keystore.certificate.chain')} need ${s.keyOf('ssl.keystore.type')}=PEM`);
    if (location !== null) throw storeError(s, 'keystore', `set either ${s.keyOf('ssl.keystore.location')} or the inline ${s.keyOf('ssl.keystore.key')}, not both`);
    if (inlineKey === null || inlineChain === null) throw storeError(s, 'keystore', `both ${s.keyOf('ssl.keystore.key')} and ${s.keyOf('ssl.keystore.certificate.chain')} must be set`);
    return pemKeystore(s, inlineKey, inlineChain, keyPassword);
  }
  if (location === null) {
    if (password !== null) throw storeError(s, 'keystore', 'SSL key store is not specified, but key store password is specified.');
    return null;
  }
  if (type === 'PEM') {
    if (password !== null) throw storeError(s, 'keystore', 'SSL key store password cannot be specified with PEM format, only key password may be specified');
    const text = readStore(s, 'keystore').toString('utf8');
    return pemKeystore(s, text, text, keyPassword);
  }
  if (password === null) throw storeError(s, 'keystore', 'SSL key store is specified, but key store password is not specified.');
  if (type !== 'PKCS12' && type !== 'JKS') throw storeError(s, 'keystore', 'unknown keystore type: supported are JKS, PKCS12 and PEM');
  const bytes = readStore(s, 'keystore');
  return isJks(bytes) ? jksKeystore(s, bytes, password, keyPassword ?? password, location) : pkcs12Keystore(s, bytes, password);
}

function pemKeystore(s: ListenerConfigs, keyText: string, chainText: string, keyPassword: string | null): KeystoreOptions {
  const keys = pemBlocks(keyText, isPrivateKey);
  const chain = pemBlocks(chainText, isCertificate);
  if (keys.length !== 1) throw storeError(s, 'keystore', `expected one PEM private key, found ${keys.length}`);
  if (chain.length === 0) throw storeError(s, 'keystore', 'no PEM certificate found');
  if (keyPassword === null && keys[0].startsWith('-----BEGIN ENCRYPTED PRIVATE KEY-----')) {
    throw storeError(s, 'keystore', `the private key is encrypted, but ${s.keyOf('ssl.key.password')} is not set`);
  }
  const options: KeystoreOptions = { key: keys[0], cert: chain.join('\n'), passphrase: keyPassword ?? undefined };
  return verified(s, options);
}

function pkcs12Keystore(s: ListenerConfigs, bytes: Buffer, password: string): KeystoreOptions {
  try {
    createSecureContext({ pfx: bytes, passphrase: password });
    return { pfx: bytes, passphrase: password };
  } catch (err) {
    const reason = (err as Error).message;
    if (/mac verify failure|invalid password/i.test(reason)) throw storeError(s, 'keystore', `wrong password (${s.keyOf('ssl.keystore.password')})`);
    // OpenSSL 3 without its legacy provider: node-forge still reads RC2 and 3DES protected files.
    const pem = forgePkcs12(s, 'keystore', bytes, password);
    const key = pem.keys[0];
    if (key === undefined) throw storeError(s, 'keystore', `no private key in it (${reason})`);
    return verified(s, { key, cert: pem.certs.join('\n') });
  }
}

function jksKeystore(s: ListenerConfigs, bytes: Buffer, password: string, keyPassword: string, location: string): KeystoreOptions {
  let entries;
  try {
    entries = Object.values(jksToPem(bytes, password, keyPassword));
  } catch (err) {
    const reason = (err as Error).message;
    if (/Password verification failed/.test(reason)) throw storeError(s, 'keystore', `wrong password (${s.keyOf('ssl.keystore.password')})`);
    if (/Cannot recover key/.test(reason)) throw storeError(s, 'keystore', `wrong key password (${s.keyOf('ssl.key.password')})`);
    throw storeError(s, 'keystore', `${reason}; ${jksHint(location)}`);
  }
  const withKey = entries.filter((e) => e.key !== undefined);
  if (withKey.length !== 1) throw storeError(s, 'keystore', `expected one private key entry, found ${withKey.length}`);
  return verified(s, { key: withKey[0].key, cert: withKey[0].cert });
}

/** OpenSSL's own check that the key, its password and the certificate go together. */
function verified(s: ListenerConfigs, options: KeystoreOptions): KeystoreOptions {
  try {
    createSecureContext(options);
  } catch (err) {
    throw storeError(s, 'keystore', (err as Error).message);
  }
  return options;
}

/** The trusted certificates, as PEM; null when no truststore is configured (the system's CAs then apply). */
export function loadTruststore(s: ListenerConfigs): string[] | null {
  const type = (s.get('ssl.truststore.type') ?? 'JKS').toUpperCase();
  const location = s.get('ssl.truststore.location');
  const password = s.get('ssl.truststore.password');
  const inline = s.get('ssl.truststore.certificates');
  if (inline !== null) {
    if (type !== 'PEM') throw storeError(s, 'truststore', `${s.keyOf('ssl.truststore.certificates')} needs ${s.keyOf('ssl.truststore.type')}=PEM`);
    if (location !== null) throw storeError(s, 'truststore', `set either ${s.keyOf('ssl.truststore.location')} or ${s.keyOf('ssl.truststore.certificates')}, not both`);
    return pemTruststore(s, inline);
  }
  if (location === null) {
    if (password !== null) throw storeError(s, 'truststore', 'SSL trust store is not specified, but trust store password is specified.');
    return null;
  }
  const bytes = readStore(s, 'truststore');
  if (type === 'PEM') {
    if (password !== null) throw storeError(s, 'truststore', 'SSL trust store password cannot be specified for PEM format.');
    return pemTruststore(s, bytes.toString('utf8'));
  }
  if (type !== 'PKCS12' && type !== 'JKS') throw storeError(s, 'truststore', 'unknown truststore type: supported are JKS, PKCS12 and PEM');
  if (!isJks(bytes)) return nonEmpty(s, forgePkcs12(s, 'truststore', bytes, password ?? '').certs);
  try {
    // Without a password the file is read unchecked, as Java does.
    const entries = Object.values(jksToPem(bytes, password ?? ''));
    return nonEmpty(s, entries.flatMap((e) => (e.ca !== undefined ? [e.ca] : e.cert !== undefined ? pemBlocks(e.cert, isCertificate) : [])));
  } catch (err) {
    const reason = (err as Error).message;
    if (/Password verification failed/.test(reason)) throw storeError(s, 'truststore', `wrong password (${s.keyOf('ssl.truststore.password')})`);
    throw storeError(s, 'truststore', `${reason}; ${jksHint(location)}`);
  }
}

function pemTruststore(s: ListenerConfigs, text: string): string[] {
  return nonEmpty(s, pemBlocks(text, isCertificate));
}

function nonEmpty(s: ListenerConfigs, certs: string[]): string[] {
  if (certs.length === 0) throw storeError(s, 'truststore', 'no certificate found');
  return certs;
}

/** A PKCS12 file's private keys (PKCS#8 PEM) and certificates (PEM), read with node-forge. */
function forgePkcs12(s: ListenerConfigs, what: 'keystore' | 'truststore', bytes: Buffer, password: string): { keys: string[]; certs: string[] } {
  let p12;
  try {
    p12 = pkcs12.pkcs12FromAsn1(asn1.fromDer(bytes.toString('binary')), false, password);
  } catch (err) {
    const reason = (err as Error).message;
    if (/MAC could not be verified|wrong password/i.test(reason)) throw storeError(s, what, `wrong password (${s.keyOf(`ssl.${what}.password`)})`);
    throw storeError(s, what, reason);
  }
  const certs: string[] = [];
  for (const bag of p12.getBags({ bagType: pki.oids.certBag })[pki.oids.certBag] ?? []) {
    if (bag.cert) certs.push(pki.certificateToPem(bag.cert));
    else if (bag.asn1) certs.push(derToPem('CERTIFICATE', asn1.toDer(bag.asn1).getBytes()));
  }
  const keys: string[] = [];
  for (const type of [pki.oids.pkcs8ShroudedKeyBag, pki.oids.keyBag]) {
    for (const bag of p12.getBags({ bagType: type })[type] ?? []) {
      if (bag.key) keys.push(pki.privateKeyInfoToPem(pki.wrapRsaPrivateKey(pki.privateKeyToAsn1(bag.key))));
      else if (bag.asn1) keys.push(derToPem('PRIVATE KEY', asn1.toDer(bag.asn1).getBytes()));
    }
  }
  return { keys, certs };
}

function derToPem(label: string, binary: string): string {
  const b64 = Buffer.from(binary, 'binary').toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64.replace(/\n$/, '')}\n-----END ${label}-----\n`;
}
