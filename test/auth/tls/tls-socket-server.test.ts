// TLS listeners of an in-process SocketServer: requests over TLS reach the dispatcher with the
// session's principal already set (SSL: the client certificate's mapped DN; SASL_SSL: left to
// SASL), next to a PLAINTEXT listener; shutdown closes connections still in their handshake.

import { connect } from 'node:net';
import { Apis, RequestOf } from '../../../protocol';
import { clientTlsOptions } from '../../../src/auth/tls/ssl-config';
import { KafkaConnection } from '../../../src/client/kafka-connection';
import { Listener } from '../../../src/config';
import { HANDLERS } from '../../../src/handlers';
import { Dispatcher } from '../../../src/server/dispatcher';
import { Session } from '../../../src/server/session';
import { SocketServer } from '../../../src/server/socket-server';
import { TestBroker, testBroker } from '../../handlers/fake-context';
import { TestCerts, makeTestCerts } from '../../helpers/certs';

const LISTENERS: Listener[] = [
  { name: 'PLAINTEXT', host: '127.0.0.1', port: 0, securityProtocol: 'PLAINTEXT' },
  { name: 'SSL', host: '127.0.0.1', port: 0, securityProtocol: 'SSL' },
  { name: 'SASL_SSL', host: '127.0.0.1', port: 0, securityProtocol: 'SASL_SSL' },
];

let certs: TestCerts;
let b: TestBroker;
let server: SocketServer;
const sessions: Session[] = [];

beforeAll(async () => {
  certs = makeTestCerts();
  b = await testBroker();
  const apiVersions = HANDLERS.find((h) => h.spec === Apis.ApiVersions)!;
  const recording = {
    ...apiVersions,
    handle: (req: RequestOf<typeof Apis.ApiVersions>, ctx: Parameters<typeof apiVersions.handle>[1]) => (sessions.push({ ...ctx.session }), apiVersions.handle(req, ctx)),
  };
  server = new SocketServer(new Dispatcher([...HANDLERS.filter((h) => h !== apiVersions), recording], b.services), 1 << 20, b.log, () => undefined);
  const props = new Map([
    ['ssl.keystore.type', 'PEM'],
    ['ssl.keystore.location', certs.broker.keyAndChain],
    ['ssl.truststore.type', 'PEM'],
    ['ssl.truststore.location', certs.caCert],
    ['ssl.client.auth', 'requested'],
  ]);
  await server.start(LISTENERS, props);
});

afterAll(async () => {
  await server.shutdown();
  await b.close();
  certs.cleanup();
});

const portOf = (name: string) => server.bound.find((l) => l.name === name)!.boundPort;

async function sessionOver(listener: string, tls: boolean): Promise<Session> {
  const options = tls
    ? clientTlsOptions(new Map([['ssl.truststore.type', 'PEM'], ['ssl.truststore.location', certs.caCert], ['ssl.keystore.type', 'PEM'], ['ssl.keystore.location', certs.alice.keyAndChain]]), listener)
    : undefined;
  const conn = await KafkaConnection.connect('127.0.0.1', portOf(listener), { clientId: 'tls-server-test', tls: options, timeoutMs: 5000 });
  try {
    const before = sessions.length;
    const res = await conn.request(Apis.ApiVersions, 3, { clientSoftwareName: 'test', clientSoftwareVersion: '1' }, 5000);
    expect(res.errorCode).toBe(0);
    return sessions[before];
  } finally {
    conn.close();
  }
}

test('an SSL client has its mapped certificate DN as principal before its first request', async () => {
  const session = await sessionOver('SSL', true);
  expect(session.securityProtocol).toBe('SSL');
  expect(session.principal).toBe('User:CN=alice,OU=eng,O=kafka-ts');
  expect(session.clientHost).toBe('/127.0.0.1');
});

test('a SASL_SSL client stays anonymous until SASL says otherwise', async () => {
  const session = await sessionOver('SASL_SSL', true);
  expect(session.securityProtocol).toBe('SASL_SSL');
  expect(session.principal).toBe('User:ANONYMOUS');
});

test('the broker-wide ssl.client.auth is not applied to the SASL_SSL listener, with a warning', () => {
  expect(b.log.lines.filter((l) => l.level === 'WARN').map((l) => l.message)).toEqual([expect.stringMatching(/^Broker configuration 'ssl.client.auth' is applied only to SSL listeners/)]);
});

test('the PLAINTEXT listener next to them is served as before', async () => {
  const session = await sessionOver('PLAINTEXT', false);
  expect(session.principal).toBe('User:ANONYMOUS');
});

test('clients resetting mid-handshake leave the listener serving', async () => {
  for (const hello of [Buffer.alloc(0), Buffer.from('160301', 'hex')]) {
    const socket = connect({ host: '127.0.0.1', port: portOf('SSL') });
    socket.on('error', () => undefined);
    await new Promise((r) => socket.once('connect', r));
    if (hello.length > 0) socket.write(hello);
    socket.resetAndDestroy();
    await new Promise((r) => socket.once('close', r));
  }
  expect((await sessionOver('SSL', true)).principal).toBe('User:CN=alice,OU=eng,O=kafka-ts');
});

test('shutdown closes a connection stalled in its handshake', async () => {
  const stalled = connect({ host: '127.0.0.1', port: portOf('SSL') });
  stalled.on('error', () => undefined);
  await new Promise((r) => stalled.once('connect', r));
  const closed = new Promise((r) => stalled.once('close', r));
  await server.shutdown();
  await closed;
  expect(stalled.destroyed).toBe(true);
});
