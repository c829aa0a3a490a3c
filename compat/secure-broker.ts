// The secured standalone broker of the security rows, next to the plain one: listeners PLAINTEXT
// (the suite's own setup connection, a super user), SSL, MTLS (SSL requiring a client certificate),
// SASL_PLAINTEXT and SASL_SSL with PLAIN and SCRAM, and Kafka's ACL authorizer. PLAIN users come
// from the listeners' JAAS configs, SCRAM users are made through AlterUserScramCredentials, and
// each client's ACL topic gets a LITERAL ACL allowing only User:test, through CreateAcls: all as
// an operator of Kafka would do it.

import { randomBytes } from 'node:crypto';
import { Apis, ErrorCode } from '../protocol';
import { AclOperation, ResourceType } from '../src/auth/authorizer';
import { SCRAM_MECHANISM_CODES, ScramMechanism, MIN_ITERATIONS, saltedPassword } from '../src/auth/scram-credential';
import { KafkaConnection } from '../src/client/kafka-connection';
import { BrokerProcess, cleanup, startBroker } from '../test/helpers/broker-process';
import { makeTestCerts, STORE_PASSWORD, TestCerts } from '../test/helpers/certs';
import { connectClient } from '../test/helpers/test-client';
import { waitFor } from '../test/helpers/wait';
import { Account, Security } from './lib/security';

/** In the order of `listeners`, which is the order of the broker's bound ports. */
const LISTENERS = ['PLAINTEXT', 'SSL', 'MTLS', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
const SASL_LISTENERS = ['sasl_plaintext', 'sasl_ssl'];

const PLAIN: Account = { user: 'test', password: 'testtest' };
const MALLORY: Account = { user: 'mallory', password: 'mallory-secret' };
const SCRAM: Record<ScramMechanism, Account> = {
  'SCRAM-SHA-256': { user: 'scram256', password: 'scram256-secret' },
  'SCRAM-SHA-512': { user: 'scram512', password: 'scram512-secret' },
};

/** Kafka's wire codes of a pattern type and a permission (PatternType.LITERAL, AclPermissionType.ALLOW). */
const LITERAL = 3;
const ALLOW = 3;

export interface SecureBroker {
  /** Everything but the ACL topic, which prepareAclTopic makes per client run. */
  security: Omit<Security, 'aclTopic'>;
  /** Creates `topic` and the ACL allowing only User:test on it. */
  prepareAclTopic(topic: string): Promise<void>;
  stop(): Promise<void>;
  output(): string;
}

function props(certs: TestCerts): Record<string, string> {
  const plainJaas = `org.apache.kafka.common.security.plain.PlainLoginModule required username="${PLAIN.user}" password="${PLAIN.password}" user_${PLAIN.user}="${PLAIN.password}" user_${MALLORY.user}="${MALLORY.password}";`;
  const scramJaas = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  const sasl = Object.fromEntries(SASL_LISTENERS.flatMap((l) => [
    [`listener.name.${l}.plain.sasl.jaas.config`, plainJaas],
    [`listener.name.${l}.scram-sha-256.sasl.jaas.config`, scramJaas],
    [`listener.name.${l}.scram-sha-512.sasl.jaas.config`, scramJaas],
  ]));
  return {
    listeners: LISTENERS.map((l) => `${l}://127.0.0.1:0`).join(','),
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,SSL:SSL,MTLS:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL',
    'inter.broker.listener.name': 'PLAINTEXT',
    'ssl.keystore.type': 'PKCS12',
    'ssl.keystore.location': certs.broker.p12,
    'ssl.keystore.password': STORE_PASSWORD,
    'ssl.truststore.type': 'PKCS12',
    'ssl.truststore.location': certs.trustP12,
    'ssl.truststore.password': STORE_PASSWORD,
    'listener.name.mtls.ssl.client.auth': 'required',
    'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
    ...sasl,
    'authorizer.class.name': 'kafka.security.authorizer.AclAuthorizer',
    'allow.everyone.if.no.acl.found': 'true',
    // The suite's setup connection comes in on PLAINTEXT, unauthenticated.
    'super.users': 'User:ANONYMOUS',
    'offsets.topic.replication.factor': '1',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'group.initial.rebalance.delay.ms': '0',
    'auto.create.topics.enable': 'true',
  };
}

/** Fails with the broker's error code and message unless it is NONE. */
function ok(what: string, r: { errorCode: number; errorMessage?: string | null }): void {
  if (r.errorCode !== ErrorCode.NONE) throw new Error(`${what}: error ${r.errorCode} ${r.errorMessage ?? ''}`);
}

/** AlterUserScramCredentials for both SCRAM users, then waits until DescribeUserScramCredentials lists them. */
async function createScramUsers(c: KafkaConnection): Promise<void> {
  const upsertions = Object.entries(SCRAM).map(([mechanism, a]) => {
    const salt = randomBytes(32);
    const m = mechanism as ScramMechanism;
    return { name: a.user, mechanism: SCRAM_MECHANISM_CODES[m], iterations: MIN_ITERATIONS, salt, saltedPassword: saltedPassword(m, a.password, salt, MIN_ITERATIONS) };
  });
  const altered = await c.request(Apis.AlterUserScramCredentials, 0, { deletions: [], upsertions });
  for (const r of altered.results) ok(`AlterUserScramCredentials for ${r.user}`, r);
  const users = Object.values(SCRAM).map((a) => ({ name: a.user }));
  await waitFor(async () => {
    const described = await c.request(Apis.DescribeUserScramCredentials, 0, { users });
    return described.results.every((r) => r.errorCode === ErrorCode.NONE && r.credentialInfos.length === 1);
  }, 'the SCRAM users to be described');
}

export async function startSecureBroker(): Promise<SecureBroker> {
  const certs = makeTestCerts();
  let proc: BrokerProcess | undefined;
  let setup: KafkaConnection | undefined;
  const stop = async () => {
    setup?.close();
    await cleanup(proc);
    certs.cleanup();
  };
  try {
    proc = await startBroker({ props: props(certs), waitForStarted: true });
    const ports = proc.listenerPorts();
    if (ports.length !== LISTENERS.length) throw new Error(`the secured broker bound ${ports.length} listeners, not ${LISTENERS.length}:\n${proc.output().slice(-2000)}`);
    const at = (l: (typeof LISTENERS)[number]) => `127.0.0.1:${ports[LISTENERS.indexOf(l)]}`;
    const c = (setup = await connectClient(proc.port));
    await createScramUsers(c);
    const started = proc;
    return {
      security: {
        ssl: at('SSL'),
        mtls: at('MTLS'),
        saslPlaintext: at('SASL_PLAINTEXT'),
        saslSsl: at('SASL_SSL'),
        caFile: certs.caCert,
        clientCertFile: certs.alice.cert,
        clientKeyFile: certs.alice.key,
        plain: PLAIN,
        mallory: MALLORY,
        scram256: SCRAM['SCRAM-SHA-256'],
        scram512: SCRAM['SCRAM-SHA-512'],
      },
      prepareAclTopic: async (topic) => {
        const created = await c.request(Apis.CreateTopics, 7, { topics: [{ name: topic, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 10_000, validateOnly: false });
        for (const t of created.topics) ok(`CreateTopics ${t.name}`, t);
        const acls = await c.request(Apis.CreateAcls, 3, {
          creations: [{ resourceType: ResourceType.TOPIC, resourceName: topic, resourcePatternType: LITERAL, principal: `User:${PLAIN.user}`, host: '*', operation: AclOperation.ALL, permissionType: ALLOW }],
        });
        for (const r of acls.results) ok(`CreateAcls on ${topic}`, r);
      },
      stop,
      output: () => started.output(),
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
