// A certificate's subject as Java's X500Principal.getName() gives it (RFC 2253): the RDNs last to
// first, comma-separated; the RFC 2253 keywords (CN, C, L, ST, O, OU, STREET, DC, UID) by name,
// any other attribute as its OID with the DER value in hex (#...); string values with , = + < > # ;
// " \ escaped, NUL as \00 and leading or trailing spaces escaped, as sun.security.x509.AVA does.
// Kafka's principal mapping rules match this string.

import { asn1 } from 'node-forge';

const RFC2253_KEYWORDS: ReadonlyMap<string, string> = new Map([
  ['2.5.4.3', 'CN'],
  ['2.5.4.6', 'C'],
  ['2.5.4.7', 'L'],
  ['2.5.4.8', 'ST'],
  ['2.5.4.10', 'O'],
  ['2.5.4.11', 'OU'],
  ['2.5.4.9', 'STREET'],
  ['0.9.2342.19200300.100.1.25', 'DC'],
  ['0.9.2342.19200300.100.1.1', 'UID'],
]);

const ESCAPED = ',=+<>#;"\\';

/** Decodes a directory string's bytes as Java's DerValue.getAsString does; null for a non-string type. */
function directoryString(value: asn1.Asn1): string | null {
  const bytes = Buffer.from(value.value as string, 'binary');
  switch (value.type as number) {
    case asn1.Type.UTF8:
      return bytes.toString('utf8');
    case asn1.Type.PRINTABLESTRING:
    case asn1.Type.IA5STRING:
    case 20 /* T61String */:
    case 27 /* GeneralString */:
      return bytes.toString('latin1');
    case asn1.Type.BMPSTRING:
      return Buffer.from(bytes).swap16().toString('utf16le');
    default:
      return null;
  }
}

function escapeValue(s: string): string {
  let escaped = '';
  for (const c of s) {
    if (ESCAPED.includes(c)) escaped += '\\' + c;
    else if (c === '\u0000') escaped += '\\00';
    else escaped += c;
  }
  const lead = escaped.length - escaped.replace(/^[ \r]+/, '').length;
  const trailStart = escaped.replace(/[ \r]+$/, '').length;
  if (lead === 0 && trailStart === escaped.length) return escaped;
  let out = '';
  for (let i = 0; i < escaped.length; i++) out += (i < lead || i >= trailStart ? '\\' : '') + escaped[i];
  return out;
}

function attribute(ava: asn1.Asn1): string {
  const [type, value] = ava.value as asn1.Asn1[];
  const oid = asn1.derToOid(type.value as string);
  const keyword = RFC2253_KEYWORDS.get(oid);
  const text = keyword === undefined ? null : directoryString(value);
  if (keyword === undefined || text === null) {
    return `${keyword ?? oid}=#${Buffer.from(asn1.toDer(value).getBytes(), 'binary').toString('hex')}`;
  }
  return `${keyword}=${escapeValue(text)}`;
}

/** The subject DN of a DER certificate, in RFC 2253 form. */
export function subjectDistinguishedName(der: Buffer): string {
  const cert = asn1.fromDer(der.toString('binary'));
  const tbs = (cert.value as asn1.Asn1[])[0].value as asn1.Asn1[];
  // tbsCertificate: [0] version (optional), serial, signature, issuer, validity, subject.
  const first = tbs[0].tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  const rdns = tbs[first + 4].value as asn1.Asn1[];
  return rdns
    .slice()
    .reverse()
    .map((rdn) => (rdn.value as asn1.Asn1[]).map(attribute).join('+'))
    .join(',');
}
