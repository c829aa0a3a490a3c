// The null sink: a Node TCP server that frames requests like a broker and answers each with a
// canned response, storing nothing. Produce throughput against it is the cost of the transport alone
// (sockets, framing, one event loop), the ceiling for any broker written in Node.
//
// Answers ApiVersions, Metadata (one broker, itself, leading every partition of any topic asked
// for), InitProducerId (always producer 1, epoch 0, for idempotent loads) and Produce (success for
// one partition, whatever was sent). Other requests close the connection.

import { AddressInfo, Socket, createServer } from 'node:net';
import {
  ApiSpec,
  ApiVersions,
  FrameReader,
  InitProducerId,
  Metadata,
  Produce,
  Reader,
  ResponseOf,
  Writer,
  codecFor,
  decodeRequest,
  readRequestHeader,
  responseHeaderVersion,
  writeResponseHeader,
} from '../../protocol';

/** Partitions of every topic in Metadata responses: the most any bench load uses. */
const METADATA_PARTITIONS = 1000;
const SUPPORTED: ApiSpec[] = [Produce, Metadata, ApiVersions, InitProducerId];

function responseFrame<S extends ApiSpec>(spec: S, version: number, body: ResponseOf<S>): Buffer {
  const w = new Writer();
  w.int32(0);
  writeResponseHeader(w, 0, responseHeaderVersion(spec.apiKey, version));
  codecFor(spec, version).response.encode(w, body);
  const frame = w.toBuffer();
  frame.writeInt32BE(frame.length - 4, 0);
  return frame;
}

const canned = new Map<number, Buffer>();

function cannedFrame(spec: ApiSpec, version: number): Buffer {
  const key = (spec.apiKey << 16) | version;
  let frame = canned.get(key);
  if (!frame) {
    frame =
      spec === Produce
        ? responseFrame(Produce, version, {
            responses: [{ name: 'null-sink', partitionResponses: [{ index: 0, errorCode: 0, baseOffset: 0n }] }],
          })
        : spec === InitProducerId
          ? responseFrame(InitProducerId, version, { throttleTimeMs: 0, errorCode: 0, producerId: 1n, producerEpoch: 0 })
          : responseFrame(ApiVersions, version, {
            errorCode: 0,
            apiKeys: SUPPORTED.map((s) => ({ apiKey: s.apiKey, minVersion: s.validVersions.min, maxVersion: s.validVersions.max })),
          });
    canned.set(key, frame);
  }
  return frame;
}

function metadataFrame(socket: Socket, version: number, request: Reader): Buffer {
  const { topics } = decodeRequest(Metadata, version, request);
  const partitions = Array.from({ length: METADATA_PARTITIONS }, (_, p) => ({
    errorCode: 0,
    partitionIndex: p,
    leaderId: 0,
    replicaNodes: [0],
    isrNodes: [0],
  }));
  return responseFrame(Metadata, version, {
    brokers: [{ nodeId: 0, host: socket.localAddress!, port: socket.localPort! }],
    clusterId: 'null-sink',
    controllerId: 0,
    topics: (topics ?? []).map((t) => ({ errorCode: 0, name: t.name, partitions })),
  });
}

function answer(socket: Socket, payload: Buffer): void {
  const r = new Reader(payload);
  const { apiKey, apiVersion, correlationId } = readRequestHeader(r);
  const spec = SUPPORTED.find((s) => s.apiKey === apiKey);
  if (!spec || apiVersion < spec.validVersions.min || apiVersion > spec.validVersions.max) {
    socket.destroy();
    return;
  }
  const frame = spec === Metadata ? metadataFrame(socket, apiVersion, r) : Buffer.from(cannedFrame(spec, apiVersion));
  frame.writeInt32BE(correlationId, 4);
  socket.write(frame);
}

const server = createServer({ noDelay: true }, (socket) => {
  // The same frame splitting as the broker's, so the baseline pays the same transport costs.
  const frames = new FrameReader(Number.MAX_SAFE_INTEGER);
  socket.on('data', (chunk) => {
    for (const payload of frames.push(chunk)) answer(socket, payload);
  });
  socket.on('error', () => socket.destroy());
});
server.listen(0, '127.0.0.1', () => {
  const { address, port } = server.address() as AddressInfo;
  process.stdout.write(`Awaiting socket connections on ${address}:${port}.\n`);
});
process.on('SIGTERM', () => process.exit(0));
