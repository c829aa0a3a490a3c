// A secured Kafka 3.9 ZooKeeper-mode broker's setup, moved to kafka-ts unchanged: the example
// config/server-sasl-ssl.properties (Kafka's keys only, JAAS entries continued over lines as Kafka's
// documentation writes them) with only its host-specific lines replaced, and ZooKeeper prepared
// before the start exactly as Kafka's tools leave it: kafka-configs.sh --zookeeper's SCRAM
// credential in /config/users plus its /config/changes notification, kafka-acls.sh's ACL znodes plus
// theirs. The broker starts warning about no key, the inter-broker user logs in with the stored
// credential, PLAIN and SCRAM clients on SASL_SSL and a certificate client on SSL (mapped by
// ssl.principal.mapping.rules) get what the ACLs give them, an ACL written while it runs takes
// effect, and the same setup starts with PKCS12 keystores in place of JKS ones.

import { execFile } from 'node:child_process';
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, KafkaConfig, SASLOptions, logLevel } from 'kafkajs';
import { createLogger } from '../../src/logger';
import { ZkClient } from '../../src/zookeeper';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { STORE_PASSWORD, TestCerts, makeTestCerts } from '../helpers/certs';
import { fetchAll } from '../helpers/kafkajs-fetch';
import { waitFor } from '../helpers/wait';
import { ZooKeeperServer, startZooKeeper } from '../helpers/zookeeper-server';

const run = promisify(execFile);
const EXAMPLE = resolve(__dirname, '../../../config/server-sasl-ssl.properties');
const ADMIN: SASLOptions = { mechanism: 'scram-sha-512', username: 'admin', password: 'admin-secret' };
const ALICE: SASLOptions = { mechanism: 'plain', username: 'alice', password: 'alice-secret' };
/** kafkajs's message for error code 29, TOPIC_AUTHORIZATION_FAILED (its producer drops the code when it gives up). */
const TOPIC_AUTHORIZATION_FAILED = 'Not authorized to access topics: [Topic authorization failed]';

let certs: TestCerts;
let zk: ZooKeeperServer;
let tools: ZkClient;
let connect: string;
let logDir: string;
let broker: BrokerProcess;
let saslPort: number;
let sslPort: number;

// ---- What Kafka 3.9's tools write to ZooKeeper ----

const json = (value: object): Buffer => Buffer.from(JSON.stringify(value));

/**
 * ScramCredentialUtils.credentialToString of ScramFormatter.generateCredential: the salt is a random
 * 130-bit number in base 36, as ASCII (secureRandomBytes), the keys per RFC 5802.
 */
function scramCredential(password: string, iterations: number): string {
  const salt = Buffer.from((BigInt(`0x${randomBytes(17).toString('hex')}`) & ((1n << 130n) - 1n)).toString(36));
  const salted = pbkdf2Sync(password, salt, iterations, 64, 'sha512');
  const hmac = (text: string) => createHmac('sha512', salted).update(text).digest();
  const storedKey = createHash('sha512').update(hmac('Client Key')).digest();
  return `salt=${salt.toString('base64')},stored_key=${storedKey.toString('base64')},server_key=${hmac('Server Key').toString('base64')},iterations=${iterations}`;
}

/** kafka-configs.sh --zookeeper ... --alter --add-config 'SCRAM-SHA-512=[password=...]' --entity-type users --entity-name <user>. */
async function kafkaConfigsAddScram(user: string, password: string): Promise<void> {
  await tools.createRecursive(`/config/users/${user}`, json({ version: 1, config: { 'SCRAM-SHA-512': scramCredential(password, 4096) } }));
  await tools.createRecursive('/config/changes/config_change_', json({ version: 2, entity_path: `users/${user}` }), 'persistent_sequential');
}

const ACL_RESOURCE_TYPES = ['Topic', 'Group', 'Cluster', 'TransactionalId', 'DelegationToken', 'User'];

/** AclAuthorizer.configure in kafka-acls.sh: KafkaZkClient.createAclPaths. */
async function kafkaAclsCreatePaths(): Promise<void> {
  for (const root of ['/kafka-acl', '/kafka-acl-extended/prefixed']) {
    for (const type of ACL_RESOURCE_TYPES) await createIfMissing(`${root}/${type}`);
  }
  await createIfMissing('/kafka-acl-changes');
  await createIfMissing('/kafka-acl-extended-changes');
}

async function createIfMissing(path: string): Promise<void> {
  if (!(await tools.exists(path))) await tools.createRecursive(path, null);
}

/**
 * kafka-acls.sh --add --allow-principal <principal> --operation <op>... on one resource: the
 * resource's entries merged into its znode, then the change notification (literal: "TOPIC:name";
 * prefixed: ExtendedAclChangeStore's JSON).
 */
async function kafkaAclsAdd(type: string, name: string, principal: string, operations: string[], prefixed = false): Promise<void> {
  const path = `${prefixed ? '/kafka-acl-extended/prefixed' : '/kafka-acl'}/${type}/${name}`;
  const node = await tools.getData(path);
  const acls: object[] = node?.data ? (JSON.parse(node.data.toString()) as { acls: object[] }).acls : [];
  for (const operation of operations) acls.push({ principal, permissionType: 'Allow', operation, host: '*' });
  if (node) await tools.setData(path, json({ version: 1, acls }), node.stat.version);
  else await tools.create(path, json({ version: 1, acls }));
  const enumName = type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
  if (prefixed) {
    await tools.create('/kafka-acl-extended-changes/acl_changes_', json({ version: 1, resourceType: enumName, name, patternType: 'PREFIXED' }), 'persistent_sequential');
  } else {
    await tools.create('/kafka-acl-changes/acl_changes_', Buffer.from(`${enumName}:${name}`), 'persistent_sequential');
  }
}

// ---- The broker, from the example file ----

/** The example with its host-specific lines replaced; every other line as shipped. */
function serverProperties(keystore: string, truststore: string): string {
  const local: Record<string, string> = {
    listeners: 'SASL_SSL://127.0.0.1:0,SSL://127.0.0.1:0',
    'advertised.listeners': 'SASL_SSL://127.0.0.1:0,SSL://127.0.0.1:0',
    'ssl.keystore.location': keystore,
    'ssl.keystore.password': STORE_PASSWORD,
    'ssl.key.password': STORE_PASSWORD,
    'ssl.truststore.location': truststore,
    'ssl.truststore.password': STORE_PASSWORD,
    'log.dirs': join(logDir, 'data'),
    'zookeeper.connect': connect,
  };
  let text = readFileSync(EXAMPLE, 'utf8');
  for (const [key, value] of Object.entries(local)) {
    const line = new RegExp(`^${key.replace(/\./g, '\\.')}=.*$`, 'm');
    if (!line.test(text)) throw new Error(`${key} is not in ${EXAMPLE}`);
    text = text.replace(line, `${key}=${value}`);
  }
  return text;
}

async function startSecured(keystore: string, truststore: string): Promise<void> {
  broker = await startBroker({ logDir, waitForStarted: true, serverProperties: serverProperties(keystore, truststore) });
  [saslPort, sslPort] = broker.listenerPorts();
}

function saslClient(sasl: SASLOptions, retries = 0): Kafka {
  const ssl = { ca: [readFileSync(certs.caCert, 'utf8')] };
  return new Kafka({ clientId: 'secured-config', brokers: [`127.0.0.1:${saslPort}`], ssl, sasl, logLevel: logLevel.NOTHING, retry: { retries, initialRetryTime: 100 }, connectionTimeout: 5000 });
}

function sslClient(ssl: KafkaConfig['ssl']): Kafka {
  return new Kafka({ clientId: 'secured-config-mtls', brokers: [`127.0.0.1:${sslPort}`], ssl, logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 5000 });
}

const aliceCertificate = () => ({ ca: [readFileSync(certs.caCert, 'utf8')], cert: readFileSync(certs.alice.cert, 'utf8'), key: readFileSync(certs.alice.key, 'utf8') });

async function produce(kafka: Kafka, topic: string, values: string[]): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, messages: values.map((value) => ({ value })) });
  } finally {
    await producer.disconnect();
  }
}

const values = async (kafka: Kafka, topic: string) => (await fetchAll(kafka, topic)).map((m) => m.value?.toString());
/** The authorizer's denials of User:alice on a resource ("Topic:LITERAL:audit") so far. */
const denials = (resource: string) => broker.output().split('\n').filter((l) => l.includes('Principal = User:alice is Denied') && l.includes(`on resource = ${resource} `)).length;

beforeAll(async () => {
  certs = makeTestCerts();
  logDir = mkdtempSync(join(tmpdir(), 'kafka-ts-secured-config-'));
  zk = await startZooKeeper();
  connect = `${zk.connect}/kafka`;
  tools = await ZkClient.connect(connect, { sessionTimeoutMs: 10_000, connectionTimeoutMs: 10_000, log: createLogger('tools', () => undefined) });

  await kafkaConfigsAddScram('admin', 'admin-secret');
  await kafkaAclsCreatePaths();
  await kafkaAclsAdd('Topic', 'orders', 'User:alice', ['Write', 'Describe', 'Create']); // --producer --topic orders
  await kafkaAclsAdd('Topic', 'orders', 'User:alice', ['Read']);
  await kafkaAclsAdd('Group', 'orders-', 'User:alice', ['Read'], true); // --group orders- --resource-pattern-type prefixed

  await startSecured(certs.brokerJks, certs.trustJks);
}, 120_000);

afterAll(async () => {
  await cleanup(broker);
  await tools?.close();
  await zk?.stop();
  certs?.cleanup();
});

test('the example config starts the broker without warning about any key', () => {
  expect(broker.output()).not.toMatch(/unknown config key/);
  expect(broker.output()).not.toMatch(/\bWARN\b/);
  expect(broker.output()).not.toMatch(/Failed authentication/);
});

test('admin logs in with SCRAM-SHA-512 over SASL_SSL with the credential kafka-configs.sh stored, and as a super user creates topics', async () => {
  const admin = saslClient(ADMIN).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: ['orders', 'payments', 'audit'].map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })), waitForLeaders: true });
    expect((await admin.listTopics()).sort()).toEqual(expect.arrayContaining(['audit', 'orders', 'payments']));
  } finally {
    await admin.disconnect();
  }
  // The controller reaches this broker only over SASL_SSL, logged in as admin with the same credential.
  expect(broker.output()).toMatch(/Handling LeaderAndIsr request correlationId \d+ from controller 0/);
});

test('alice with PLAIN produces to and reads the topic the ACLs give her, and consumes in a group of the prefixed ACL', async () => {
  const alice = saslClient(ALICE, 5);
  await produce(alice, 'orders', ['o1', 'o2']);
  expect(await values(alice, 'orders')).toEqual(['o1', 'o2']);

  const consumer = alice.consumer({ groupId: 'orders-app' });
  const seen: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: 'orders', fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) });
    await waitFor(() => seen.length === 2, 'alice to consume orders in group orders-app');
  } finally {
    await consumer.disconnect();
  }
  expect(seen).toEqual(['o1', 'o2']);

  const admin = alice.admin();
  await admin.connect();
  try {
    const [committed] = await admin.fetchOffsets({ groupId: 'orders-app', topics: ['orders'] });
    expect(committed.partitions).toEqual([expect.objectContaining({ partition: 0, offset: '2' })]);
    // FindCoordinator is refused (GROUP_AUTHORIZATION_FAILED), which kafkajs reports as no coordinator.
    await expect(admin.fetchOffsets({ groupId: 'billing', topics: ['orders'] })).rejects.toThrow();
    await waitFor(() => denials('Group:LITERAL:billing') > 0, 'the denial of group billing in the broker log');
  } finally {
    await admin.disconnect();
  }
});

test('alice is refused a topic no ACL gives her: TOPIC_AUTHORIZATION_FAILED, logged by the authorizer', async () => {
  await expect(produce(saslClient(ALICE), 'audit', ['no'])).rejects.toThrow(TOPIC_AUTHORIZATION_FAILED);
  await waitFor(() => denials('Topic:LITERAL:audit') > 0, 'the denial in the broker log');
});

test('a certificate client on the SSL listener is User:alice by the mapping rule, and the ACLs apply to it', async () => {
  const mtls = sslClient(aliceCertificate());
  await produce(mtls, 'orders', ['o3']);
  expect(await values(mtls, 'orders')).toEqual(['o1', 'o2', 'o3']);

  const before = denials('Topic:LITERAL:audit');
  await expect(produce(mtls, 'audit', ['no'])).rejects.toThrow(TOPIC_AUTHORIZATION_FAILED);
  await waitFor(() => denials('Topic:LITERAL:audit') > before, 'the denial of User:alice in the broker log');
});

test('kcat (librdkafka) reads as admin with SCRAM-SHA-512 over SASL_SSL', async () => {
  const { stdout } = await run('kcat', [
    '-b', `127.0.0.1:${saslPort}`, '-X', 'security.protocol=SASL_SSL', '-X', 'sasl.mechanisms=SCRAM-SHA-512',
    '-X', 'sasl.username=admin', '-X', 'sasl.password=admin-secret', '-X', `ssl.ca.location=${certs.caCert}`,
    '-C', '-t', 'orders', '-o', 'beginning', '-e', '-q',
  ], { timeout: 30_000 });
  expect(stdout.trim().split('\n')).toEqual(['o1', 'o2', 'o3']);
});

test('the SSL listener refuses a client without a certificate', async () => {
  await expect(produce(sslClient({ ca: [readFileSync(certs.caCert, 'utf8')] }), 'orders', ['no'])).rejects.toThrow();
  expect(await values(saslClient(ADMIN), 'orders')).toEqual(['o1', 'o2', 'o3']);
});

test('an ACL kafka-acls.sh adds while the broker runs takes effect', async () => {
  await expect(produce(saslClient(ALICE), 'payments', ['early'])).rejects.toThrow(TOPIC_AUTHORIZATION_FAILED);
  await kafkaAclsAdd('Topic', 'payments', 'User:alice', ['Write', 'Describe']);
  await waitFor(async () => produce(saslClient(ALICE), 'payments', ['p1']).then(() => true, () => false), 'alice to write payments');
  expect(await values(saslClient(ADMIN), 'payments')).toEqual(['p1']);
});

test('a SCRAM user kafka-configs.sh adds while the broker runs can log in', async () => {
  await kafkaConfigsAddScram('bob', 'bob-secret');
  const bob: SASLOptions = { mechanism: 'scram-sha-512', username: 'bob', password: 'bob-secret' };
  await waitFor(async () => {
    const admin = saslClient(bob).admin();
    return admin.connect().then(() => admin.disconnect().then(() => true), () => false);
  }, 'bob to log in');
  await expect(produce(saslClient(bob), 'orders', ['no'])).rejects.toThrow(TOPIC_AUTHORIZATION_FAILED);
});

test('the same config with PKCS12 keystores and the keystore type left unset', async () => {
  expect(await broker.stop()).toBe(0);
  await startSecured(certs.broker.p12, certs.trustP12);
  expect(broker.output()).not.toMatch(/unknown config key|\bWARN\b/);
  expect(await values(saslClient(ADMIN, 5), 'orders')).toEqual(['o1', 'o2', 'o3']);
  expect(await values(sslClient(aliceCertificate()), 'orders')).toEqual(['o1', 'o2', 'o3']);
});
