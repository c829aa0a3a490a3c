// Subject DNs of real certificates (made by openssl) in the form Java's X500Principal.getName() gives.

import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { subjectDistinguishedName } from '../../../src/auth/tls/distinguished-name';
import { TestCerts, makeTestCerts } from '../../helpers/certs';

let certs: TestCerts;
let dir: string;
beforeAll(() => {
  certs = makeTestCerts();
  dir = mkdtempSync(join(tmpdir(), 'kafka-ts-dn-'));
});
afterAll(() => {
  certs.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const der = (file: string) => new X509Certificate(readFileSync(file)).raw;

function selfSigned(subject: string, ...flags: string[]): Buffer {
  const cert = join(dir, 'c.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'k.pem'), ...flags, '-subj', subject, '-days', '1', '-out', cert], {
    stdio: 'ignore',
  });
  return der(cert);
}

describe('subjectDistinguishedName', () => {
  test('the RDNs last to first', () => {
    expect(subjectDistinguishedName(der(certs.alice.cert))).toBe('CN=alice,OU=eng,O=kafka-ts');
    expect(subjectDistinguishedName(der(certs.broker.cert))).toBe('CN=localhost');
  });

  test("escapes, multi-valued RDNs and attributes without an RFC 2253 keyword as Java's X500Principal does", () => {
    const dn = subjectDistinguishedName(selfSigned('/C=US/ST=Cal;if/O=Acme, Inc./OU=ops+OU=eng/CN= lead #1 /emailAddress=a@b.c', '-multivalue-rdn'));
    expect(dn).toBe('1.2.840.113549.1.9.1=#16056140622e63,CN=\\ lead \\#1\\ ,OU=eng+OU=ops,O=Acme\\, Inc.,ST=Cal\\;if,C=US');
  });

  test('DC and UID keep their keywords; UTF-8 values stay as they are', () => {
    expect(subjectDistinguishedName(selfSigned('/DC=org/DC=example/UID=jdoe/CN=Jörg "J" <x>', '-utf8'))).toBe('CN=Jörg \\"J\\" \\<x\\>,UID=jdoe,DC=example,DC=org');
  });
});
