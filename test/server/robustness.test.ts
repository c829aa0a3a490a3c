// Malformed input never stops the broker: each case closes (only) the offending connection, and
// a healthy client on another connection keeps being served throughout.

import { Apis, ErrorCode, Reader, codecFor, readResponseHeader } from '../../protocol';
import { KafkaConnection } from '../../src/client/kafka-connection';
import { requestFrame } from '../../src/client/request-frames';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { TEST_CLIENT_ID, connectClient } from '../helpers/test-client';

let broker: BrokerProcess;
let healthy: KafkaConnection;

beforeAll(async () => {
  broker = await startBroker({ props: { 'socket.request.max.bytes': 1024 * 1024 } });
  healthy = await connectClient(broker.port);
});

afterAll(async () => {
  healthy.close();
  await cleanup(broker);
});

afterEach(async () => {
  // The broker still answers a well-formed request on another connection.
  const res = await healthy.request(Apis.Metadata, 12, { topics: [] });
  expect(res.brokers).toHaveLength(1);
});

async function expectClosed(bytes: Buffer, why: RegExp): Promise<void> {
  const c = await connectClient(broker.port);
  c.sendRaw(bytes);
  await c.closed;
  expect(broker.output()).toMatch(why);
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

test('a frame larger than socket.request.max.bytes closes the connection before allocating it', async () => {
  await expectClosed(int32(0x7fffffff), /frame size 2147483647 outside/);
});

test('a negative frame size closes the connection', async () => {
  await expectClosed(int32(-5), /frame size -5 outside/);
});

test('an unknown API key closes the connection', async () => {
  const body = Buffer.from('7fff0000000000010000', 'hex');
  await expectClosed(Buffer.concat([int32(body.length), body]), /unknown or unsupported API key 32767/);
});

test('an unsupported version of another API closes the connection', async () => {
  const body = Buffer.from('0003006300000001ffff', 'hex');
  await expectClosed(Buffer.concat([int32(body.length), body]), /Metadata v99 is not supported/);
});

test('an unparseable body closes the connection', async () => {
  // Metadata v1 whose topics array claims a billion entries.
  const body = Buffer.from('0003000100000007ffff3b9aca00', 'hex');
  await expectClosed(Buffer.concat([int32(body.length), body]), /malformed Metadata v1 request/);
});

test('a frame cut short by the peer hanging up is dropped quietly', async () => {
  const c = await connectClient(broker.port);
  c.sendRaw(Buffer.concat([int32(100), Buffer.alloc(10)]));
  c.close();
  await c.closed;
});

test('ApiVersions newer than supported is answered with v0, UNSUPPORTED_VERSION and the full list', async () => {
  const c = await connectClient(broker.port);
  const frame = requestFrame(Apis.ApiVersions, 3, {}, 1, TEST_CLIENT_ID);
  frame.writeInt16BE(99, 6); // api version field of the header
  const response = c.nextFrame();
  c.sendRaw(frame);
  const r = new Reader(await response);
  readResponseHeader(r, 0);
  const body = codecFor(Apis.ApiVersions, 0).response.decode(r);
  expect(body.errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION);
  expect(body.apiKeys.find((k: { apiKey: number }) => k.apiKey === 18)).toEqual({ apiKey: 18, minVersion: 0, maxVersion: 4 });
  c.close();
});

test('pipelined requests are answered in order', async () => {
  const c = await connectClient(broker.port);
  const frames = [];
  for (let i = 0; i < 50; i++) {
    frames.push(requestFrame(i % 2 ? Apis.Metadata : Apis.ApiVersions, i % 2 ? 1 : 2, {}, 1000 + i, TEST_CLIENT_ID));
  }
  const responses = frames.map(() => c.nextFrame());
  c.sendRaw(Buffer.concat(frames));
  const ids = (await Promise.all(responses)).map((f) => f.readInt32BE(0));
  expect(ids).toEqual(frames.map((_, i) => 1000 + i));
  c.close();
});
