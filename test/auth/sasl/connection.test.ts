// A SASL listener's connection in-process, over real loopback sockets and fake time: a failed
// authentication is answered only once connection.failed.authentication.delay.ms has passed, then
// the connection closes; frames are bounded by sasl.server.max.receive.size until authentication
// completes, and by socket.request.max.bytes after.

import { Server, Socket, connect, createServer } from 'node:net';
import { Apis, ErrorCode, MessageInput, Reader, codecFor, readResponseHeader } from '../../../protocol';
import { SaslAuthenticator } from '../../../src/auth/sasl/authenticator';
import { saslListenerSettings } from '../../../src/auth/sasl/listener-sasl';
import { NO_TOKENS } from '../../../src/auth/sasl/scram-server';
import { requestFrame } from '../../../src/client/request-frames';
import { Connection } from '../../../src/server/connection';
import { Dispatcher } from '../../../src/server/dispatcher';
import { newSession } from '../../../src/server/session';
import { CapturingLogger, settleUntil } from '../../handlers/fake-context';
import { FakeClock } from '../../helpers/fake-clock';

let server: Server;
const clock = new FakeClock();
const log = new CapturingLogger();
const sockets: Socket[] = [];

beforeAll(async () => {
  const props = new Map([
    ['sasl.enabled.mechanisms', 'PLAIN'],
    ['sasl.server.max.receive.size', '1000'],
    ['listener.name.sasl_plaintext.plain.sasl.jaas.config', 'org.apache.kafka.common.security.plain.PlainLoginModule required user_alice="pw";'],
  ]);
  const listener = { name: 'SASL_PLAINTEXT', host: '127.0.0.1', port: 0, securityProtocol: 'SASL_PLAINTEXT' as const };
  const settings = saslListenerSettings(props, listener, { users: { credential: () => undefined }, tokens: NO_TOKENS }, () => undefined);
  server = createServer((socket) => {
    const session = newSession(listener.name, 'SASL_PLAINTEXT', socket.remoteAddress, socket.remotePort);
    // A dispatcher without handlers: a request that reaches it closes the connection as an unknown API.
    new Connection(socket, new Dispatcher([], {} as never), session, 1 << 20, log, () => undefined, new SaslAuthenticator(settings, session, clock));
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
});

afterAll(() => {
  for (const s of sockets) s.destroy();
  server.close();
});

interface Client {
  socket: Socket;
  received: Buffer[];
  readonly closed: boolean;
}

async function open(): Promise<Client> {
  const socket = connect((server.address() as { port: number }).port, '127.0.0.1');
  sockets.push(socket);
  const client = { socket, received: [] as Buffer[], closed: false };
  socket.on('data', (d) => client.received.push(d));
  socket.on('close', () => (client.closed = true));
  socket.on('error', () => undefined);
  await new Promise<void>((res) => socket.once('connect', res));
  return client;
}

function send<S extends typeof Apis.SaslHandshake | typeof Apis.SaslAuthenticate>(client: Client, spec: S, version: number, body: MessageInput<S['request']>): void {
  client.socket.write(requestFrame(spec, version, body, 1, 't'));
}

/** A frame of `size` bytes of an API nobody serves here. */
function bigFrame(size: number): Buffer {
  const frame = Buffer.alloc(4 + size);
  frame.writeInt32BE(size, 0);
  frame.writeInt16BE(999, 4);
  return frame;
}

test('a wrong password is answered after the failure delay, then the connection closes', async () => {
  const client = await open();
  send(client, Apis.SaslHandshake, 1, { mechanism: 'PLAIN' });
  await settleUntil(() => client.received.length > 0, 'the handshake response');
  client.received.length = 0;
  send(client, Apis.SaslAuthenticate, 1, { authBytes: Buffer.from('\u0000alice\u0000wrong') });
  await settleUntil(() => log.lines.some((l) => l.message.includes('Failed authentication')), 'the failure log line');
  expect(log.lines.at(-1)).toMatchObject({ level: 'INFO', message: expect.stringContaining('(Authentication failed: Invalid username or password)') });
  // The answer waits for the fake clock, which has not moved.
  expect([client.received.length, client.closed]).toEqual([0, false]);
  clock.advance(100);
  await settleUntil(() => client.closed, 'the close');
  const r = new Reader(Buffer.concat(client.received).subarray(4));
  readResponseHeader(r, 0);
  const answer = codecFor(Apis.SaslAuthenticate, 1).response.decode(r);
  expect(answer).toMatchObject({ errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED, errorMessage: 'Authentication failed: Invalid username or password' });
});

test('before authentication a frame over sasl.server.max.receive.size closes the connection as soon as its size is read', async () => {
  const client = await open();
  client.socket.write(bigFrame(5000).subarray(0, 8));
  await settleUntil(() => client.closed, 'the close');
  expect(log.lines.at(-1)).toMatchObject({ level: 'WARN', message: expect.stringContaining('frame size 5000 outside 1..1000 (sasl.server.max.receive.size)') });
});

test('once authenticated, frames up to socket.request.max.bytes are read', async () => {
  const client = await open();
  send(client, Apis.SaslHandshake, 1, { mechanism: 'PLAIN' });
  send(client, Apis.SaslAuthenticate, 1, { authBytes: Buffer.from('\u0000alice\u0000pw') });
  await settleUntil(() => {
    const all = Buffer.concat(client.received);
    return all.length >= 4 && all.length >= 4 + all.readInt32BE(0) + 4;
  }, 'both responses');
  client.socket.write(bigFrame(5000));
  await settleUntil(() => client.closed, 'the close');
  // The frame was read whole and reached the dispatcher, which serves no API 999.
  expect(log.lines.at(-1)).toMatchObject({ level: 'WARN', message: expect.stringContaining('unknown or unsupported API key 999') });
});
