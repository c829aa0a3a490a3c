// The SCRAM messages (RFC 5802) as Kafka's ScramMessages parses and writes them: only the "n" gs2
// header (no channel binding), an optional authzid, extensions as `,name=value`. Patterns are
// Kafka's, matched against the whole message.

import { randomBytes } from 'node:crypto';
import { SaslException } from './sasl-server';

const VALUE = '[\\x01-\\x2B\\x2D-\\x7F]+';
const PRINTABLE = '[\\x21-\\x2B\\x2D-\\x7E]+';
const SASLNAME = '(?:[\\x01-\\x2B\\x2D-\\x3C\\x3E-\\x7F]|=2C|=3D)+';
const B64 = '[a-zA-Z0-9/+]';
const BASE64 = `(?:${B64}{4})*(?:${B64}{3}=|${B64}{2}==)?`;
const RESERVED = `(?:m=${VALUE},)?`;
const EXTENSIONS = `(?:,[A-Za-z]+=${VALUE})*`;

const CLIENT_FIRST = new RegExp(`^n,(?:a=(?<authzid>${SASLNAME}))?,${RESERVED}n=(?<saslname>${SASLNAME}),r=(?<nonce>${PRINTABLE})(?<extensions>${EXTENSIONS})$`);
const CLIENT_FINAL = new RegExp(`^c=(?<channel>${BASE64}),r=(?<nonce>${PRINTABLE})${EXTENSIONS},p=(?<proof>${BASE64})$`);

export interface ClientFirstMessage {
  authorizationId: string;
  saslName: string;
  nonce: string;
  extensions: Map<string, string>;
  /** client-first-message-bare as Kafka rebuilds it for the signatures. */
  bare: string;
}

export function parseClientFirst(bytes: Buffer): ClientFirstMessage {
  const message = bytes.toString('utf8');
  const m = CLIENT_FIRST.exec(message);
  if (!m?.groups) throw new SaslException(`Invalid SCRAM client first message format: ${message}`);
  const { authzid, saslname, nonce, extensions: ext } = m.groups;
  // Utils.parseMap: "name=value" pairs split at the first '='.
  const extensions = new Map<string, string>();
  for (const pair of ext ? ext.slice(1).split(',') : []) {
    const eq = pair.indexOf('=');
    extensions.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  const extText = [...extensions].map(([k, v]) => `${k}=${v}`).join(',');
  const bare = `n=${saslname},r=${nonce}${extText ? `,${extText}` : ''}`;
  return { authorizationId: authzid ?? '', saslName: saslname, nonce, extensions, bare };
}

export interface ClientFinalMessage {
  channelBinding: Buffer;
  nonce: string;
  proof: Buffer;
  /** client-final-message-without-proof as Kafka rebuilds it. */
  withoutProof: string;
}

export function parseClientFinal(bytes: Buffer): ClientFinalMessage {
  const message = bytes.toString('utf8');
  const m = CLIENT_FINAL.exec(message);
  if (!m?.groups) throw new SaslException(`Invalid SCRAM client final message format: ${message}`);
  const channelBinding = Buffer.from(m.groups.channel, 'base64');
  return {
    channelBinding,
    nonce: m.groups.nonce,
    proof: Buffer.from(m.groups.proof, 'base64'),
    withoutProof: `c=${channelBinding.toString('base64')},r=${m.groups.nonce}`,
  };
}

export function serverFirstMessage(nonce: string, salt: Buffer, iterations: number): string {
  return `r=${nonce},s=${salt.toString('base64')},i=${iterations}`;
}

/** ScramFormatter.username: "=2C" is ',', "=3D" is '='; any other '=' is invalid. */
export function usernameOf(saslName: string): string {
  const name = saslName.replace(/=2C/g, ',');
  if (name.replace(/=3D/g, '').includes('=')) throw new Error(`Invalid username: ${saslName}`);
  return name.replace(/=3D/g, '=');
}

/** ScramFormatter.secureRandomString: 130 random bits in base 36. */
export function secureRandomString(): string {
  const bytes = randomBytes(17);
  bytes[0] &= 0x03;
  return BigInt(`0x${bytes.toString('hex')}`).toString(36);
}
