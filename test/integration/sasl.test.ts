// SASL on a real broker: a SASL_PLAINTEXT listener next to a PLAINTEXT one, PLAIN users from the
// listener's JAAS config, SCRAM users created with AlterUserScramCredentials over the PLAINTEXT
// listener. kafkajs, kafka-python and kcat (librdkafka) with PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512
// produce and consume; a wrong password is refused and logged; a request before authentication closes the
// connection; a SASL listener with nothing it can serve refuses startup. In ZooKeeper mode a credential
// altered through the controller is stored in /config/users and followed by every broker.

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Socket, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, SASLOptions, logLevel } from 'kafkajs';
import { Apis, ErrorCode, MessageInput } from '../../protocol';
import { SCRAM_MECHANISM_CODES, ScramMechanism, saltedPassword } from '../../src/auth/scram-credential';
import { KafkaConnection } from '../../src/client/kafka-connection';
import { requestFrame } from '../../src/client/request-frames';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { fetchAll } from '../helpers/kafkajs-fetch';
import { waitFor } from '../helpers/wait';
import { useZkCluster } from '../helpers/zk-cluster-harness';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const SASL_PY = resolve(__dirname, '../../../test/integration/python/sasl_roundtrip.py');

let broker: BrokerProcess;
let saslPort: number;

const SCRAM_USERS: Record<ScramMechanism, { user: string; password: string }> = {
  'SCRAM-SHA-256': { user: 'carol', password: 'carol-secret' },
  'SCRAM-SHA-512': { user: 'dave', password: 'dave-secret' },
};

const PROPS = {
  listeners: 'PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0',
  'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT',
  'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
  'listener.name.sasl_plaintext.plain.sasl.jaas.config':
    'org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" user_admin="admin-secret" user_alice="alice-secret";',
  'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
  'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
  'num.partitions': 1,
};

beforeAll(async () => {
  broker = await startBroker({ waitForStarted: true, props: PROPS });
  saslPort = broker.listenerPorts()[1];
  const admin = await KafkaConnection.connect('127.0.0.1', broker.port, { clientId: 'scram-admin', timeoutMs: 10_000 });
  try {
    const upsertions = Object.entries(SCRAM_USERS).map(([mechanism, { user, password }]) => upsertion(mechanism as ScramMechanism, user, password));
    const altered = await admin.request(Apis.AlterUserScramCredentials, 0, { deletions: [], upsertions });
    expect(altered.results.map((r) => [r.user, r.errorCode]).sort()).toEqual([['carol', ErrorCode.NONE], ['dave', ErrorCode.NONE]]);
    const described = await admin.request(Apis.DescribeUserScramCredentials, 0, { users: null });
    expect(described.results.map((r) => [r.user, r.credentialInfos.map((c) => c.mechanism)])).toEqual([['carol', [1]], ['dave', [2]]]);
  } finally {
    admin.close();
  }
});

afterAll(async () => {
  await cleanup(broker);
});

function kafka(sasl: SASLOptions, retries = 0, port = saslPort): Kafka {
  return new Kafka({ clientId: 'sasl-test', brokers: [`127.0.0.1:${port}`], sasl, logLevel: logLevel.NOTHING, retry: { retries, initialRetryTime: 50 } });
}

/** An upsertion of a SCRAM credential as an admin client sends it: the salted password and its salt. */
function upsertion(mechanism: ScramMechanism, user: string, password: string) {
  const salt = randomBytes(24);
  return { name: user, mechanism: SCRAM_MECHANISM_CODES[mechanism], iterations: 4096, salt, saltedPassword: saltedPassword(mechanism, password, salt, 4096) };
}

const MECHANISMS: [string, SASLOptions][] = [
  ['PLAIN', { mechanism: 'plain', username: 'alice', password: 'alice-secret' }],
  ['SCRAM-SHA-256', { mechanism: 'scram-sha-256', username: 'carol', password: 'carol-secret' }],
  ['SCRAM-SHA-512', { mechanism: 'scram-sha-512', username: 'dave', password: 'dave-secret' }],
];

test.each(MECHANISMS)('kafkajs with SASL %s produces and fetches', async (name, sasl) => {
  const topic = `kafkajs-${name.toLowerCase()}`;
  // Retries while the auto-created topic gets its leader.
  const client = kafka(sasl, 10);
  const producer = client.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  try {
    await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ value: `m${i}` })) });
  } finally {
    await producer.disconnect();
  }
  const fetched = await fetchAll(client, topic);
  expect(fetched.map((m) => m.value?.toString())).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
});

test.each([
  ['PLAIN', { mechanism: 'plain', username: 'alice', password: 'wrong' }, 'Authentication failed: Invalid username or password'],
  ['SCRAM-SHA-256', { mechanism: 'scram-sha-256', username: 'carol', password: 'wrong' }, 'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256'],
  ['SCRAM-SHA-512', { mechanism: 'scram-sha-512', username: 'nobody', password: 'wrong' }, 'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512'],
] as [string, SASLOptions, string][])('kafkajs with a wrong %s password gets an authentication error, logged by the broker', async (_name, sasl, message) => {
  const producer = kafka(sasl).producer();
  await expect(producer.connect()).rejects.toThrow(message);
  await waitFor(() => broker.output().includes(`(${message}`), 'the failed authentication in the broker log');
});

/** A raw request on the SASL listener, as a client that skipped authentication would send it. */
function rawRequest(socket: Socket, spec: typeof Apis.Metadata, version: number, body: MessageInput<(typeof Apis.Metadata)['request']>): void {
  socket.write(requestFrame(spec, version, body, 1, 'raw'));
}

test('a Metadata request before authentication closes the connection', async () => {
  const socket = connect({ host: '127.0.0.1', port: saslPort });
  const received: Buffer[] = [];
  socket.on('data', (d) => received.push(d));
  const closed = new Promise<void>((res) => socket.on('close', () => res()));
  socket.on('error', () => undefined);
  await new Promise<void>((res) => socket.once('connect', () => res()));
  rawRequest(socket, Apis.Metadata, 1, { topics: null });
  await closed;
  expect(Buffer.concat(received)).toHaveLength(0);
  await waitFor(() => broker.output().includes('Unexpected Kafka request of type METADATA during SASL handshake.'), 'the closed connection in the broker log');
});

test('SaslHandshake on the PLAINTEXT listener is answered ILLEGAL_SASL_STATE', async () => {
  const conn = await KafkaConnection.connect('127.0.0.1', broker.port, { clientId: 'plain', timeoutMs: 10_000 });
  try {
    const response = await conn.request(Apis.SaslHandshake, 1, { mechanism: 'PLAIN' });
    expect(response.errorCode).toBe(ErrorCode.ILLEGAL_SASL_STATE);
  } finally {
    conn.close();
  }
});

test.each([
  ['PLAIN', 'alice', 'alice-secret'],
  ['SCRAM-SHA-256', 'carol', 'carol-secret'],
  ['SCRAM-SHA-512', 'dave', 'dave-secret'],
])('kafka-python with SASL %s produces and consumes', async (mechanism, user, password) => {
  const topic = `python-${mechanism.toLowerCase()}`;
  const { stdout } = await run(PYTHON, [SASL_PY, `127.0.0.1:${saslPort}`, topic, '20', mechanism, user, password], { timeout: 60_000 });
  const result = JSON.parse(stdout);
  expect(result.offsets).toEqual(Array.from({ length: 20 }, (_, i) => i));
  expect(result.values).toEqual(Array.from({ length: 20 }, (_, i) => `v${i}`));
});

test('kafka-python with a wrong SCRAM password cannot connect', async () => {
  const { stdout } = await run(PYTHON, [SASL_PY, `127.0.0.1:${saslPort}`, 'python-refused', '1', 'SCRAM-SHA-256', 'carol', 'wrong'], { timeout: 60_000 });
  expect(JSON.parse(stdout)).toEqual({ error: 'NoBrokersAvailable' });
});

// librdkafka before 2.6.1 repeats the client nonce in its SCRAM final message; Kafka 3.9 accepts it.
test.each([
  ['PLAIN', 'alice', 'alice-secret'],
  ['SCRAM-SHA-256', 'carol', 'carol-secret'],
  ['SCRAM-SHA-512', 'dave', 'dave-secret'],
])('kcat (librdkafka) with SASL %s produces and consumes', async (mechanism, user, password) => {
  const topic = `kcat-${mechanism.toLowerCase()}`;
  const sasl = ['-b', `127.0.0.1:${saslPort}`, '-X', 'security.protocol=SASL_PLAINTEXT', '-X', `sasl.mechanisms=${mechanism}`, '-X', `sasl.username=${user}`, '-X', `sasl.password=${password}`];
  await new Promise<void>((res, rej) => {
    const child = execFile('kcat', [...sasl, '-P', '-t', topic], { timeout: 30_000 }, (err, _out, stderr) => (err ? rej(new Error(`${err.message}\n${stderr}`)) : res()));
    child.stdin!.end('one\ntwo\nthree\n');
  });
  const { stdout } = await run('kcat', [...sasl, '-C', '-t', topic, '-o', 'beginning', '-e', '-q'], { timeout: 30_000 });
  expect(stdout.trim().split('\n')).toEqual(['one', 'two', 'three']);
});

test.each([
  [{ 'sasl.enabled.mechanisms': 'GSSAPI' }, /Listener SECURE uses security protocol SASL_PLAINTEXT but enables no SASL mechanism this broker serves/],
  [{ 'sasl.enabled.mechanisms': 'SCRAM-SHA-256' }, /set listener\.name\.secure\.scram-sha-256\.sasl\.jaas\.config/],
])('a SASL listener it cannot serve refuses startup, naming what is missing (%j)', async (props, message) => {
  const logDir = mkdtempSync(join(tmpdir(), 'kafka-ts-sasl-'));
  try {
    const starting = startBroker({
      logDir,
      props: { listeners: 'PLAINTEXT://127.0.0.1:0,SECURE://127.0.0.1:0', 'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,SECURE:SASL_PLAINTEXT', ...props },
    });
    await expect(starting).rejects.toThrow(message);
    await expect(starting).rejects.not.toThrow(/Awaiting socket connections/);
  } finally {
    rmSync(logDir, { recursive: true, force: true });
  }
});

test('standalone, SCRAM credentials survive a restart (the log dir keeps them)', async () => {
  expect(await broker.stop()).toBe(0);
  broker = await startBroker({ waitForStarted: true, logDir: broker.logDir, props: PROPS });
  saslPort = broker.listenerPorts()[1];
  const producer = kafka({ mechanism: 'scram-sha-512', username: 'dave', password: 'dave-secret' }).producer();
  await producer.connect();
  await producer.disconnect();
});

describe('ZooKeeper mode', () => {
  const h = useZkCluster('sasl', { ...PROPS, 'zookeeper.session.timeout.ms': 6000 });

  test('a credential altered through the controller is stored in /config/users and authenticates on another broker', async () => {
    await h.broker(1);
    await waitFor(async () => (await h.controllerId()) === 1, 'broker 1 to be the controller');
    const other = await h.broker(2);
    const altered = await (await h.client(1)).request(Apis.AlterUserScramCredentials, 0, { deletions: [], upsertions: [upsertion('SCRAM-SHA-256', 'erin', 'erin-secret')] });
    expect(altered.results).toEqual([{ user: 'erin', errorCode: ErrorCode.NONE, errorMessage: null }]);
    const stored = JSON.parse((await h.admin.getData('/config/users/erin'))!.data!.toString());
    expect(stored.config['SCRAM-SHA-256']).toMatch(/^salt=[^,]+,stored_key=[^,]+,server_key=[^,]+,iterations=4096$/);
    // Broker 2 is not the controller: it refuses alterations, and follows the change notification.
    const refused = await (await h.client(2)).request(Apis.AlterUserScramCredentials, 0, { deletions: [{ name: 'erin', mechanism: 1 }], upsertions: [] });
    expect(refused.results[0].errorCode).toBe(ErrorCode.NOT_CONTROLLER);
    const port = other.listenerPorts()[1];
    await waitFor(async () => {
      const producer = kafka({ mechanism: 'scram-sha-256', username: 'erin', password: 'erin-secret' }, 0, port).producer();
      try {
        await producer.connect();
        await producer.disconnect();
        return true;
      } catch {
        return false;
      }
    }, 'broker 2 to authenticate erin');
  }, 60_000);
});
