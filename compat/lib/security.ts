// What the security rows (ssl, mtls, sasl-plain, sasl-scram, acl-denied) hand a client: one JSON
// object in the environment variable COMPAT_SECURITY, read by lib/harness.py and kafka-go/harness.go
// too. Every bootstrap is a listener of the secured broker (secure-broker.ts) on 127.0.0.1, whose
// certificate names localhost and 127.0.0.1 and is signed by the CA in caFile.

import { errorText } from './harness';

export const SECURITY_ENV = 'COMPAT_SECURITY';

export interface Account {
  user: string;
  password: string;
}

export interface Security {
  /** SSL, no client authentication. */
  ssl: string;
  /** SSL with ssl.client.auth=required: a client without a certificate is refused. */
  mtls: string;
  saslPlaintext: string;
  saslSsl: string;
  /** PEM files: the CA, and a client certificate it signed with its unencrypted key. */
  caFile: string;
  clientCertFile: string;
  clientKeyFile: string;
  /** PLAIN: kafkajs's own suite's user test/testtest, the one the ACL allows. */
  plain: Account;
  /** PLAIN too, with no ACL on aclTopic. */
  mallory: Account;
  scram256: Account;
  scram512: Account;
  /** A topic (holding nothing yet) with a LITERAL ACL allowing User:test every operation, and no other ACL. */
  aclTopic: string;
}

export function readSecurity(): Security {
  const raw = process.env[SECURITY_ENV];
  if (!raw) throw new Error(`the runner gave no secured broker (${SECURITY_ENV})`);
  return JSON.parse(raw) as Security;
}

/** A password the broker must refuse for `account`. */
export const wrongPassword = (a: Account): string => `${a.password}-wrong`;

/** Records each security check produces and reads back; the tag tells the runs of one scenario apart. */
export const SECURE_RECORDS = 5;
export const secureValues = (tag: string): string[] => Array.from({ length: SECURE_RECORDS }, (_, i) => `${tag}-${i}`);

/**
 * How long a refused client may take to say so (mtls without a certificate, a wrong password,
 * mallory on the ACL topic) before the scenario calls the silence a refusal that never came.
 */
export const REFUSAL_WAIT_MS = 15_000;

/** A SASL authentication failure, in the words of the clients of this suite and of Kafka. */
export const AUTHENTICATION_FAILED = /authenticat|Invalid username or password|SASL_AUTHENTICATION_FAILED/i;
/** TOPIC_AUTHORIZATION_FAILED (29), in the words of the clients of this suite and of Kafka. */
export const TOPIC_DENIED = /TOPIC_AUTHORIZATION_FAILED|Topic authorization failed|TopicAuthorizationFailed|Not authorized to access topics/i;

/**
 * Awaits an attempt that must be refused and returns how (the error's text). A success fails the
 * scenario, and so does an error `expected` does not match. With `silence` a refusal may also
 * be an attempt that neither succeeds nor fails within REFUSAL_WAIT_MS (a client that retries
 * a refused connection until its own timeout): that is described, not hidden.
 */
export async function expectRefusal(what: string, attempt: () => Promise<unknown>, expected?: RegExp, silence = false): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const silent = new Promise<'silent'>((resolve) => (timer = setTimeout(() => resolve('silent'), REFUSAL_WAIT_MS)));
  let outcome: 'succeeded' | 'silent' | { error: string };
  try {
    outcome = await Promise.race([attempt().then(() => 'succeeded' as const, (err: unknown) => ({ error: errorText(err) })), silent]);
  } finally {
    clearTimeout(timer);
  }
  if (outcome === 'succeeded') throw new Error(`${what}: succeeded, but should have been refused`);
  if (outcome === 'silent') {
    if (!silence) throw new Error(`${what}: no answer within ${REFUSAL_WAIT_MS / 1000} s, neither a success nor a refusal`);
    return `${what}: no success within ${REFUSAL_WAIT_MS / 1000} s`;
  }
  if (expected && !expected.test(outcome.error)) throw new Error(`${what}: refused, but not as expected (${expected.source}): ${outcome.error}`);
  return `${what}: ${outcome.error.slice(0, 200)}`;
}

/** librdkafka's properties for TLS to the secured broker (node-rdkafka, kcat; lib/harness.py has the twin): the CA, host name verification, the client certificate when asked. */
export function rdkafkaTls(s: Security, clientCertificate = false): Record<string, string> {
  return {
    'security.protocol': 'ssl',
    'ssl.ca.location': s.caFile,
    'ssl.endpoint.identification.algorithm': 'https',
    ...(clientCertificate ? { 'ssl.certificate.location': s.clientCertFile, 'ssl.key.location': s.clientKeyFile } : {}),
  };
}

/** librdkafka's properties for SASL_PLAINTEXT as `a` with `mechanism` (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512). */
export function rdkafkaSaslPlaintext(mechanism: string, a: Account, password = a.password): Record<string, string> {
  return { 'security.protocol': 'sasl_plaintext', 'sasl.mechanisms': mechanism, 'sasl.username': a.user, 'sasl.password': password };
}

/** The same over SASL_SSL. */
export function rdkafkaSasl(s: Security, mechanism: string, a: Account, password = a.password): Record<string, string> {
  return { ...rdkafkaTls(s), ...rdkafkaSaslPlaintext(mechanism, a, password), 'security.protocol': 'sasl_ssl' };
}
