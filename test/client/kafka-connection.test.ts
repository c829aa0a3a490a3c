// The client connection against a scripted broker on 127.0.0.1: pipelined requests get their own
// responses however the bytes are split, correlation ids are checked, and losing the connection,
// a response out of order or a request timeout rejects everything in flight.

import { AddressInfo, Server, Socket, createServer } from 'node:net';
import {
  ApiSpec,
  Apis,
  FrameReader,
  Reader,
  RequestHeader,
  ResponseOf,
  Writer,
  codecFor,
  readRequestHeader,
  responseHeaderVersion,
  writeResponseHeader,
} from '../../protocol';
import { ConnectOptions, KafkaConnection } from '../../src/client/kafka-connection';
import { requestFrame } from '../../src/client/request-frames';
import { FakeClock } from '../helpers/fake-clock';

interface Received {
  header: RequestHeader;
  socket: Socket;
}

/** A broker that hands each request to the test, in arrival order, and sends what the test writes. */
class ScriptedBroker {
  private readonly arrived: Received[] = [];
  private readonly waiting: ((r: Received) => void)[] = [];
  private readonly sockets: Socket[] = [];

  private constructor(private readonly server: Server) {
    server.on('connection', (socket) => {
      this.sockets.push(socket);
      const frames = new FrameReader(1 << 20);
      socket.on('data', (chunk) => {
        for (const frame of frames.push(chunk)) {
          const received = { header: readRequestHeader(new Reader(frame)), socket };
          const waiter = this.waiting.shift();
          if (waiter) waiter(received);
          else this.arrived.push(received);
        }
      });
      socket.on('error', () => undefined);
    });
  }

  static start(): Promise<ScriptedBroker> {
    const server = createServer();
    return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(new ScriptedBroker(server))));
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The next `n` requests received. */
  requests(n: number): Promise<Received[]> {
    return Promise.all(
      Array.from({ length: n }, () => {
        const next = this.arrived.shift();
        return next ? Promise.resolve(next) : new Promise<Received>((resolve) => this.waiting.push(resolve));
      }),
    );
  }

  stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function responseFrame<S extends ApiSpec>(spec: S, version: number, correlationId: number, body: ResponseOf<S>): Buffer {
  const w = new Writer();
  w.int32(0);
  writeResponseHeader(w, correlationId, responseHeaderVersion(spec.apiKey, version));
  codecFor(spec, version).response.encode(w, body);
  const frame = w.toBuffer();
  frame.writeInt32BE(frame.length - 4, 0);
  return frame;
}

function socketClosed(socket: Socket): Promise<void> {
  return socket.closed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve()));
}

let broker: ScriptedBroker;
const connections: KafkaConnection[] = [];

async function connect(options: Partial<ConnectOptions> = {}): Promise<KafkaConnection> {
  const conn = await KafkaConnection.connect('127.0.0.1', broker.port, { clientId: 'client-test', ...options });
  connections.push(conn);
  return conn;
}

beforeEach(async () => {
  broker = await ScriptedBroker.start();
});

afterEach(async () => {
  for (const c of connections.splice(0)) c.close();
  await broker.stop();
});

test('pipelined requests each get their own response, however the bytes are split', async () => {
  const clock = new FakeClock();
  const conn = await connect({ clock });
  const versions = conn.request(Apis.ApiVersions, 3, { clientSoftwareName: 'test', clientSoftwareVersion: '1' }, 5000);
  const metadata = conn.request(Apis.Metadata, 12, { topics: null }, 5000);
  const old = conn.request(Apis.ApiVersions, 0, {}, 5000);
  const [a, b, c] = await broker.requests(3);
  expect([a, b, c].map((r) => [r.header.apiKey, r.header.apiVersion, r.header.clientId])).toEqual([
    [18, 3, 'client-test'],
    [3, 12, 'client-test'],
    [18, 0, 'client-test'],
  ]);
  expect(new Set([a, b, c].map((r) => r.header.correlationId)).size).toBe(3);
  const bytes = Buffer.concat([
    responseFrame(Apis.ApiVersions, 3, a.header.correlationId, { errorCode: 0, apiKeys: [], throttleTimeMs: 11 }),
    responseFrame(Apis.Metadata, 12, b.header.correlationId, { brokers: [], clusterId: 'scripted', controllerId: 7, topics: [] }),
    responseFrame(Apis.ApiVersions, 0, c.header.correlationId, { errorCode: 35, apiKeys: [] }),
  ]);
  for (let i = 0; i < bytes.length; i += 3) a.socket.write(bytes.subarray(i, i + 3));
  expect((await versions).throttleTimeMs).toBe(11);
  expect((await metadata).controllerId).toBe(7);
  expect((await old).errorCode).toBe(35);
  // Answered requests leave no timeout behind.
  expect(clock.liveTimers).toBe(0);
  expect(conn.isOpen).toBe(true);
});

test('a response out of order fails the connection and every request in flight', async () => {
  const conn = await connect();
  const first = conn.request(Apis.ApiVersions, 0, {});
  const second = conn.request(Apis.ApiVersions, 0, {});
  const [a, b] = await broker.requests(2);
  a.socket.write(responseFrame(Apis.ApiVersions, 0, b.header.correlationId, { errorCode: 0, apiKeys: [] }));
  const why = `expected correlation id ${a.header.correlationId} from ${conn.peer}, got ${b.header.correlationId}`;
  await expect(first).rejects.toThrow(why);
  await expect(second).rejects.toThrow(why);
  expect(conn.isOpen).toBe(false);
  await socketClosed(a.socket);
});

test('losing the connection rejects every request in flight, and later ones at once', async () => {
  const conn = await connect();
  const first = conn.request(Apis.ApiVersions, 0, {});
  const second = conn.request(Apis.Metadata, 12, { topics: null });
  const [a] = await broker.requests(2);
  a.socket.destroy();
  await expect(first).rejects.toThrow(`connection to ${conn.peer} closed by the peer`);
  await expect(second).rejects.toThrow(`connection to ${conn.peer} closed by the peer`);
  await conn.closed;
  await expect(conn.request(Apis.ApiVersions, 0, {})).rejects.toThrow('closed by the peer');
});

test('a request timeout fails the connection and every request in flight', async () => {
  const clock = new FakeClock();
  const conn = await connect({ clock });
  const slow = conn.request(Apis.ApiVersions, 0, {}, 1000);
  const patient = conn.request(Apis.ApiVersions, 0, {});
  const [a] = await broker.requests(2);
  clock.advance(999);
  expect(conn.isOpen).toBe(true);
  clock.advance(1);
  expect(conn.isOpen).toBe(false);
  const why = `ApiVersions v0 to ${conn.peer} timed out after 1000 ms`;
  await expect(slow).rejects.toThrow(why);
  await expect(patient).rejects.toThrow(why);
  await socketClosed(a.socket);
});

test('a request without a response is sent, and the next response goes to the next request', async () => {
  const conn = await connect();
  conn.requestWithoutResponse(Apis.Produce, 9, { acks: 0, timeoutMs: 1000, topicData: [] });
  const metadata = conn.request(Apis.Metadata, 12, { topics: null });
  const [produce, meta] = await broker.requests(2);
  expect(produce.header.apiKey).toBe(Apis.Produce.apiKey);
  meta.socket.write(responseFrame(Apis.Metadata, 12, meta.header.correlationId, { brokers: [], clusterId: 'scripted', controllerId: 3, topics: [] }));
  expect((await metadata).controllerId).toBe(3);
});

test('raw bytes go out as they are, and the next frame comes back as it arrived', async () => {
  const conn = await connect();
  const next = conn.nextFrame();
  conn.sendRaw(requestFrame(Apis.ApiVersions, 0, {}, 4242, 'by-hand'));
  const [a] = await broker.requests(1);
  expect(a.header).toEqual({ apiKey: 18, apiVersion: 0, correlationId: 4242, clientId: 'by-hand' });
  a.socket.write(responseFrame(Apis.ApiVersions, 0, 4242, { errorCode: 0, apiKeys: [] }));
  expect((await next).readInt32BE(0)).toBe(4242);
});

test('a response frame over maxFrameBytes fails the connection before it is read', async () => {
  const conn = await connect({ maxFrameBytes: 100 });
  const request = conn.request(Apis.ApiVersions, 0, {});
  const [a] = await broker.requests(1);
  const size = Buffer.alloc(4);
  size.writeInt32BE(101);
  a.socket.write(size);
  await expect(request).rejects.toThrow('frame size 101 outside 1..100');
});

test('connecting to a port nobody listens on fails', async () => {
  const closed = await ScriptedBroker.start();
  const port = closed.port;
  await closed.stop();
  await expect(KafkaConnection.connect('127.0.0.1', port, { clientId: 'client-test' })).rejects.toThrow(/ECONNREFUSED/);
});
