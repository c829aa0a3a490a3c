// SSL listeners on a real broker process, next to a PLAINTEXT one: kafkajs and kcat produce and
// consume over TLS (PKCS12 and PEM keystores); mutual TLS with ssl.client.auth=required refuses
// clients without a trusted certificate and maps a client's DN to its principal (seen in the
// broker's debug line on the handshake); garbage on the SSL port closes that connection only.

import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { Kafka, KafkaConfig, logLevel } from 'kafkajs';
import { KafkaConnection } from '../../src/client/kafka-connection';
import { clientTlsOptions } from '../../src/auth/tls/ssl-config';
import { Apis } from '../../protocol';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { STORE_PASSWORD, TestCerts, makeTestCerts } from '../helpers/certs';
import { fetchAll } from '../helpers/kafkajs-fetch';
import { waitFor } from '../helpers/wait';

let certs: TestCerts;
beforeAll(() => (certs = makeTestCerts()));
afterAll(() => certs.cleanup());

const LISTENERS = 'PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0';
const BASE_PROPS = { listeners: LISTENERS, 'group.initial.rebalance.delay.ms': 0 };

function kafka(port: number, ssl: KafkaConfig['ssl']): Kafka {
  return new Kafka({ clientId: 'tls-test', brokers: [`127.0.0.1:${port}`], ssl, logLevel: logLevel.NOTHING, retry: { retries: 1 }, connectionTimeout: 5000 });
}

async function produce(k: Kafka, topic: string, values: string[]): Promise<void> {
  const producer = k.producer();
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: values.map((value, i) => ({ key: `k${i}`, value })) });
  } finally {
    await producer.disconnect();
  }
}

async function createTopic(k: Kafka, topic: string): Promise<void> {
  const admin = k.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

describe('an SSL listener with a PKCS12 keystore', () => {
  let broker: BrokerProcess;
  let sslPort: number;
  const ca = () => [readFileSync(certs.caCert, 'utf8')];

  beforeAll(async () => {
    broker = await startBroker({
      props: { ...BASE_PROPS, 'ssl.keystore.type': 'PKCS12', 'ssl.keystore.location': certs.broker.p12, 'ssl.keystore.password': STORE_PASSWORD },
      env: { KAFKA_TS_DEBUG: '1' },
    });
    await waitFor(() => broker.listenerPorts().length === 2, 'both listeners bound');
    sslPort = broker.listenerPorts()[1];
  });
  afterAll(() => cleanup(broker));

  test('kafkajs produces and consumes in a group over TLS', async () => {
    const k = kafka(sslPort, { ca: ca() });
    await createTopic(k, 'tls-kafkajs');
    const values = Array.from({ length: 100 }, (_, i) => `value-${i}`);
    await produce(k, 'tls-kafkajs', values);
    const consumer = k.consumer({ groupId: 'tls-group' });
    const seen: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: 'tls-kafkajs', fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) });
      await waitFor(() => seen.length >= values.length, 'all records consumed');
    } finally {
      await consumer.disconnect();
    }
    expect(seen).toEqual(values);
    expect(broker.output()).toMatch(/SSL handshake completed with \/127\.0\.0\.1 on listener SSL, principal User:ANONYMOUS/);
  });

  test('the plaintext listener reads what went in over TLS', async () => {
    const messages = await fetchAll(kafka(broker.listenerPorts()[0], undefined), 'tls-kafkajs');
    expect(messages).toHaveLength(100);
  });

  test('kcat produces and consumes over TLS', async () => {
    const kcat = (args: string[], input = ''): Promise<string> =>
      new Promise((res, rej) => {
        const child = execFile(
          'kcat',
          ['-b', `127.0.0.1:${sslPort}`, '-X', 'security.protocol=ssl', '-X', `ssl.ca.location=${certs.caCert}`, ...args],
          { timeout: 60_000 },
          (err, stdout, stderr) => (err ? rej(new Error(`kcat: ${err.message}\n${stderr}`)) : res(stdout)),
        );
        child.stdin!.end(input);
      });
    const lines = Array.from({ length: 50 }, (_, i) => `line-${i}`);
    await kcat(['-P', '-t', 'tls-kcat'], lines.join('\n') + '\n');
    const out = await kcat(['-C', '-t', 'tls-kcat', '-o', 'beginning', '-e', '-q']);
    expect(out.trim().split('\n')).toEqual(lines);
  });

  test("the project's client connects with clientTlsOptions, checking the host name", async () => {
    const tls = clientTlsOptions(new Map([['ssl.truststore.type', 'PEM'], ['ssl.truststore.location', certs.caCert]]), 'SSL');
    const conn = await KafkaConnection.connect('127.0.0.1', sslPort, { clientId: 'tls-client', tls, timeoutMs: 5000 });
    try {
      const res = await conn.request(Apis.ApiVersions, 3, { clientSoftwareName: 'kafka-ts', clientSoftwareVersion: '1' }, 5000);
      expect(res.errorCode).toBe(0);
    } finally {
      conn.close();
    }
    const untrusted = clientTlsOptions(new Map(), 'SSL');
    await expect(KafkaConnection.connect('127.0.0.1', sslPort, { clientId: 'tls-client', tls: untrusted, timeoutMs: 5000 })).rejects.toThrow(/certificate/);
  });

  test('garbage on the SSL port closes that connection with a log line; the broker carries on', async () => {
    const socket = connect({ host: '127.0.0.1', port: sslPort });
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    await new Promise((r) => socket.once('connect', r));
    socket.write(Buffer.from('\x00\x00\x00\x10this is not a TLS record at all\r\n'));
    await new Promise((r) => socket.once('close', r));
    await waitFor(() => /Failed authentication with \/127\.0\.0\.1 on listener SSL \(SSL handshake failed: /.test(broker.output()), 'the log line');
    await produce(kafka(sslPort, { ca: ca() }), 'tls-kafkajs', ['after-garbage']);
    expect(await fetchAll(kafka(sslPort, { ca: ca() }), 'tls-kafkajs')).toHaveLength(101);
  });
});

describe('mutual TLS: a PEM keystore and ssl.client.auth=required on the listener', () => {
  let broker: BrokerProcess;
  let sslPort: number;
  const ca = () => [readFileSync(certs.caCert, 'utf8')];

  beforeAll(async () => {
    broker = await startBroker({
      props: {
        ...BASE_PROPS,
        'listener.name.ssl.ssl.keystore.type': 'PEM',
        'listener.name.ssl.ssl.keystore.location': certs.broker.keyAndChain,
        'listener.name.ssl.ssl.truststore.type': 'PEM',
        'listener.name.ssl.ssl.truststore.location': certs.caCert,
        'listener.name.ssl.ssl.client.auth': 'required',
        'ssl.principal.mapping.rules': 'RULE:^CN=([^,]*),OU=eng,.*$/$1/U,DEFAULT',
      },
      env: { KAFKA_TS_DEBUG: '1' },
    });
    await waitFor(() => broker.listenerPorts().length === 2, 'both listeners bound');
    sslPort = broker.listenerPorts()[1];
  });
  afterAll(() => cleanup(broker));

  test('a client with a trusted certificate is served, its principal mapped from its DN', async () => {
    const k = kafka(sslPort, { ca: ca(), cert: readFileSync(certs.alice.cert, 'utf8'), key: readFileSync(certs.alice.key, 'utf8') });
    await createTopic(k, 'mtls');
    await produce(k, 'mtls', ['a', 'b']);
    expect((await fetchAll(k, 'mtls')).map((m) => m.value!.toString())).toEqual(['a', 'b']);
    expect(broker.output()).toMatch(/SSL handshake completed with \/127\.0\.0\.1 on listener SSL, principal User:ALICE/);
  });

  test('a client without a certificate is refused', async () => {
    await expect(produce(kafka(sslPort, { ca: ca() }), 'mtls', ['refused'])).rejects.toThrow();
    await waitFor(() => /Failed authentication with \/127\.0\.0\.1 on listener SSL \(SSL handshake failed: no client certificate/.test(broker.output()), 'the log line');
  });

  test('a client whose certificate another CA signed is refused', async () => {
    const k = kafka(sslPort, { ca: ca(), cert: readFileSync(certs.mallory.cert, 'utf8'), key: readFileSync(certs.mallory.key, 'utf8') });
    await expect(produce(k, 'mtls', ['refused'])).rejects.toThrow();
    await waitFor(() => /on listener SSL \(SSL handshake failed: client certificate not trusted: /.test(broker.output()), 'the log line');
    expect(broker.output()).not.toMatch(/principal User:CN=mallory/);
  });

  test('kcat with its client certificate', async () => {
    const out = await new Promise<string>((res, rej) =>
      execFile(
        'kcat',
        [
          '-b', `127.0.0.1:${sslPort}`, '-X', 'security.protocol=ssl', '-X', `ssl.ca.location=${certs.caCert}`,
          '-X', `ssl.certificate.location=${certs.alice.cert}`, '-X', `ssl.key.location=${certs.alice.key}`,
          '-C', '-t', 'mtls', '-o', 'beginning', '-e', '-q',
        ],
        { timeout: 60_000 },
        (err, stdout, stderr) => (err ? rej(new Error(`kcat: ${err.message}\n${stderr}`)) : res(stdout)),
      ),
    );
    expect(out.trim().split('\n')).toEqual(['a', 'b']);
  });
});

test('a bad keystore password stops the broker, naming the listener and the key', async () => {
  const starting = startBroker({
    props: { ...BASE_PROPS, 'ssl.keystore.type': 'PKCS12', 'ssl.keystore.location': certs.broker.p12, 'ssl.keystore.password': 'wrong' },
  });
  await expect(starting).rejects.toThrow(/Listener SSL: Failed to load SSL keystore .*broker\.p12 \(ssl\.keystore\.location\) of type PKCS12: wrong password \(ssl\.keystore\.password\)/);
  await expect(starting).rejects.not.toThrow(/Awaiting socket connections/);
});
