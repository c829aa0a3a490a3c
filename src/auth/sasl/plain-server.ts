// SASL/PLAIN (RFC 4616) as Kafka's PlainSaslServer with PlainServerCallbackHandler: the message is
// `[authzid] NUL authcid NUL passwd`, split into exactly three tokens as Kafka splits it; users and
// passwords are the `user_<name>="<password>"` options of the PlainLoginModule JAAS entry, compared
// in constant time. An authzid, if given, must be the username.

import { timingSafeEqual } from 'node:crypto';
import type { JaasEntry } from './jaas';
import { SaslAuthenticationException, SaslException, SaslServer } from './sasl-server';

export const PLAIN_LOGIN_MODULE = 'org.apache.kafka.common.security.plain.PlainLoginModule';

export class PlainSaslServer implements SaslServer {
  readonly mechanism = 'PLAIN';
  readonly tokenAuthenticated = false;
  readonly credentialExpiryMs = null;
  private user: string | null = null;

  constructor(private readonly jaas: JaasEntry) {}

  get complete(): boolean {
    return this.user !== null;
  }

  get authorizationId(): string {
    if (this.user === null) throw new Error('Authentication exchange has not completed');
    return this.user;
  }

  evaluate(token: Buffer): Buffer {
    const [authzid, username, password] = splitThree(token.toString('utf8'));
    if (username === '') throw new SaslException('Authentication failed: username not specified');
    if (password === '') throw new SaslException('Authentication failed: password not specified');
    if (!this.authenticate(username, password)) throw new SaslAuthenticationException('Authentication failed: Invalid username or password');
    if (authzid !== '' && authzid !== username) {
      throw new SaslAuthenticationException('Authentication failed: Client requested an authorization id that is different from username');
    }
    this.user = username;
    return Buffer.alloc(0);
  }

  private authenticate(username: string, password: string): boolean {
    if (this.jaas.loginModule !== PLAIN_LOGIN_MODULE) return false;
    const expected = this.jaas.options.get(`user_${username}`);
    if (expected === undefined) return false;
    const a = Buffer.from(expected, 'utf8');
    const b = Buffer.from(password, 'utf8');
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

/** PlainSaslServer.split: up to three NUL-separated tokens, missing ones empty, anything after a third NUL dropped. */
function splitThree(s: string): [string, string, string] {
  const out: [string, string, string] = ['', '', ''];
  let start = 0;
  for (let i = 0; i < 3; i++) {
    const end = s.indexOf('\u0000', start);
    if (end < 0) {
      out[i] = s.slice(start);
      break;
    }
    out[i] = s.slice(start, end);
    start = end + 1;
  }
  return out;
}
