// A minimal Kafka client for tests that need exact control over requests: any (api, version), raw
// frames, pipelining, and observing that a connection was closed.

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

export class RawClient {
  private buffered = Buffer.alloc(0);
  private readonly waiting: ((frame: Buffer) => void)[] = [];
  private nextCorrelation = 1;
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d) => this.onData(d));
    this.closed = new Promise((res) => socket.once('close', () => res()));
    socket.on('error', () => undefined);
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((res, rej) => {
      const s = connect({ host: '127.0.0.1', port }, () => res(new RawClient(s)));
      s.once('error', rej);
    });
  }

  private onData(d: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, d]);
    while (this.buffered.length >= 4) {
      const size = this.buffered.readInt32BE(0);
      if (this.buffered.length < 4 + size) break;
      const frame = this.buffered.subarray(4, 4 + size);
      this.buffered = this.buffered.subarray(4 + size);
      this.waiting.shift()?.(frame);
    }
  }

  /** Sends bytes as they are (a whole frame including its size prefix, or any garbage). */
  sendRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Encodes a request frame without sending it. */
  frame<S extends ApiSpec>(spec: S, version: number, body: MessageInput<S['request']>, correlationId = this.nextCorrelation++): Buffer {
    const w = new Writer();
    w.int32(0);
    writeRequestHeader(w, { apiKey: spec.apiKey, apiVersion: version, correlationId, clientId: 'raw-test' });
    codecFor(spec, version).request.encode(w, body);
    const bytes = w.toBuffer();
    bytes.writeInt32BE(bytes.length - 4, 0);
    return bytes;
  }

  /** Next response frame (without size prefix). */
  nextFrame(): Promise<Buffer> {
    return new Promise((res) => this.waiting.push(res));
  }

  async request<S extends ApiSpec>(spec: S, version: number, body: MessageInput<S['request']>): Promise<Message<S['response']>> {
    const response = this.nextFrame();
    this.sendRaw(this.frame(spec, version, body));
    return decodeResponseFrame(spec, version, await response);
  }

  close(): void {
    this.socket.destroy();
  }
}

export function decodeResponseFrame<S extends ApiSpec>(spec: S, version: number, frame: Buffer): Message<S['response']> & { correlationId: number } {
  const r = new Reader(frame);
  const correlationId = readResponseHeader(r, responseHeaderVersion(spec.apiKey, version));
  return { ...codecFor(spec, version).response.decode(r), correlationId };
}
