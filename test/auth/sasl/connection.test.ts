// A SASL listener's connection in-process, over a real loopback socket and fake time: a failed
// authentication is answered only once connection.failed.authentication.delay.ms has passed, then
// the connection closes; nothing sent meanwhile is read.

import { Server, Socket, connect, createServer } from 'node:net';
import { Apis, ErrorCode, Reader, Writer, codecFor, readResponseHeader, writeRequestHeader } from '../../../protocol';
import { SaslAuthenticator } from '../../../src/auth/sasl/authenticator';
import { saslListenerSettings } from '../../../src/auth/sasl/listener-sasl';
import { NO_TOKENS } from '../../../src/auth/sasl/scram-server';
import { Connection } from '../../../src/server/connection';
import { Dispatcher } from '../../../src/server/dispatcher';
import { newSession } from '../../../src/server/session';
import { CapturingLogger, settleUntil } from '../../handlers/fake-context';
import { FakeClock } from '../../helpers/fake-clock';

let server: Server;
let client: Socket;
const clock = new FakeClock();
const log = new CapturingLogger();

beforeAll(async () => {
  const props = new Map([
    ['sasl.enabled.mechanisms', 'PLAIN'],
    ['listener.name.sasl_plaintext.plain.sasl.jaas.config', 'org.apache.kafka.common.security.plain.PlainLoginModule required user_alice="pw";'],
  ]);
  const listener = { name: 'SASL_PLAINTEXT', host: '127.0.0.1', port: 0, securityProtocol: 'SASL_PLAINTEXT' as const };
  const settings = saslListenerSettings(props, listener, { users: { credential: () => undefined }, tokens: NO_TOKENS }, () => undefined);
  server = createServer((socket) => {
    const session = newSession(listener.name, 'SASL_PLAINTEXT', socket.remoteAddress, socket.remotePort);
    // No request reaches the dispatcher in this test.
    new Connection(socket, new Dispatcher([], {} as never), session, 1 << 20, log, () => undefined, new SaslAuthenticator(settings, session, clock));
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  client = connect((server.address() as { port: number }).port, '127.0.0.1');
  await new Promise<void>((res) => client.once('connect', res));
});

afterAll(() => {
  client.destroy();
  server.close();
});

function send(spec: typeof Apis.SaslHandshake | typeof Apis.SaslAuthenticate, version: number, body: object): void {
  const w = new Writer(64);
  w.int32(0);
  writeRequestHeader(w, { apiKey: spec.apiKey, apiVersion: version, correlationId: 1, clientId: 't' });
  codecFor(spec, version).request.encode(w, body as never);
  const size = w.size - 4;
  const chunks = w.finish();
  chunks[0].writeInt32BE(size, 0);
  client.write(Buffer.concat(chunks));
}

test('a wrong password is answered after the failure delay, then the connection closes', async () => {
  const received: Buffer[] = [];
  client.on('data', (d) => received.push(d));
  let closed = false;
  client.on('close', () => (closed = true));
  send(Apis.SaslHandshake, 1, { mechanism: 'PLAIN' });
  await settleUntil(() => received.length > 0, 'the handshake response');
  received.length = 0;
  send(Apis.SaslAuthenticate, 1, { authBytes: Buffer.from('\u0000alice\u0000wrong') });
  await settleUntil(() => log.lines.some((l) => l.message.includes('Failed authentication')), 'the failure log line');
  expect(log.lines.at(-1)).toMatchObject({ level: 'INFO', message: expect.stringContaining('(Authentication failed: Invalid username or password)') });
  // The answer waits for the fake clock, which has not moved.
  expect([received.length, closed]).toEqual([0, false]);
  clock.advance(100);
  await settleUntil(() => closed, 'the close');
  const r = new Reader(Buffer.concat(received).subarray(4));
  readResponseHeader(r, 0);
  const answer = codecFor(Apis.SaslAuthenticate, 1).response.decode(r);
  expect(answer).toMatchObject({ errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED, errorMessage: 'Authentication failed: Invalid username or password' });
});
