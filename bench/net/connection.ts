// A pipelined Kafka client connection for load generation: many requests in flight, responses
// matched in order (Kafka answers a connection's requests in the order it received them). Request
// bodies are encoded once by the caller and sent as they are behind a per-request header.

import { Socket, connect } from 'node:net';
import {
  ApiSpec,
  Message,
  MessageInput,
  Reader,
  Writer,
  codecFor,
  readResponseHeader,
  responseHeaderVersion,
  writeRequestHeader,
} from '../../protocol';
import { FrameReader } from '../../src/server/frame-reader';

const CLIENT_ID = 'kafka-ts-bench';

interface Pending {
  correlationId: number;
  headerVersion: number;
  resolve: (body: Reader) => void;
  reject: (err: Error) => void;
}

/** Request header bytes for one (api, version), with room for the size prefix; patched per request. */
function headerTemplate(apiKey: number, apiVersion: number): Buffer {
  const w = new Writer(64);
  w.int32(0);
  writeRequestHeader(w, { apiKey, apiVersion, correlationId: 0, clientId: CLIENT_ID });
  return w.toBuffer();
}

const CORRELATION_ID_AT = 8;

export class KafkaConnection {
  private readonly pending: Pending[] = [];
  private pendingHead = 0;
  private nextCorrelationId = 1;
  private readonly templates = new Map<number, Buffer>();
  private corked = false;
  private failure: Error | null = null;

  private constructor(private readonly socket: Socket) {
    const frames = new FrameReader(Number.MAX_SAFE_INTEGER);
    socket.on('data', (chunk) => {
      try {
        for (const payload of frames.push(chunk)) this.onResponse(payload);
      } catch (err) {
        this.fail(err as Error);
      }
    });
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  static open(host: string, port: number): Promise<KafkaConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, noDelay: true }, () => {
        socket.off('error', reject);
        resolve(new KafkaConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  /** Sends a pre-encoded body; resolves with a reader positioned after the response header. */
  send(apiKey: number, apiVersion: number, body: Buffer): Promise<Reader> {
    if (this.failure) return Promise.reject(this.failure);
    const correlationId = this.nextCorrelationId++;
    const header = Buffer.from(this.template(apiKey, apiVersion));
    header.writeInt32BE(header.length - 4 + body.length, 0);
    header.writeInt32BE(correlationId, CORRELATION_ID_AT);
    // Everything written in one tick leaves in one writev.
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(header);
    this.socket.write(body);
    return new Promise((resolve, reject) => {
      this.pending.push({ correlationId, headerVersion: responseHeaderVersion(apiKey, apiVersion), resolve, reject });
    });
  }

  /** Encodes, sends and decodes one request: for setup traffic, not the measured load. */
  async request<S extends ApiSpec>(spec: S, version: number, body: MessageInput<S['request']>): Promise<Message<S['response']>> {
    const codec = codecFor(spec, version);
    const w = new Writer();
    codec.request.encode(w, body);
    const reader = await this.send(spec.apiKey, version, w.toBuffer());
    return codec.response.decode(reader);
  }

  close(): void {
    this.socket.destroy();
  }

  private template(apiKey: number, apiVersion: number): Buffer {
    const key = (apiKey << 16) | apiVersion;
    let t = this.templates.get(key);
    if (!t) this.templates.set(key, (t = headerTemplate(apiKey, apiVersion)));
    return t;
  }

  private onResponse(payload: Buffer): void {
    const next = this.pending[this.pendingHead];
    if (!next) throw new Error('response without a request');
    this.pending[this.pendingHead++] = undefined as unknown as Pending;
    if (this.pendingHead > 1024 && this.pendingHead * 2 > this.pending.length) {
      this.pending.splice(0, this.pendingHead);
      this.pendingHead = 0;
    }
    const reader = new Reader(payload);
    const correlationId = readResponseHeader(reader, next.headerVersion);
    if (correlationId !== next.correlationId) {
      throw new Error(`expected correlation id ${next.correlationId}, got ${correlationId}`);
    }
    next.resolve(reader);
  }

  private fail(err: Error): void {
    if (!this.failure) this.failure = err;
    while (this.pendingHead < this.pending.length) this.pending[this.pendingHead++].reject(this.failure);
    this.socket.destroy();
  }
}
