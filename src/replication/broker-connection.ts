// A client connection from this broker to another, for a follower's requests to its leader.
// Requests are encoded with the broker's own protocol code, may be pipelined, and are matched to
// responses by correlation id. A socket error, a close or a request timeout fails every request in
// flight and closes the connection; the caller opens a new one.

import { Socket, connect } from 'node:net';
import { ApiSpec, Message, MessageInput, Reader, Writer, codecFor, readResponseHeader, responseHeaderVersion, writeRequestHeader } from '../../protocol';
import { FrameReader } from '../server/frame-reader';

interface Pending {
  decode: (frame: Buffer) => void;
  fail: (err: Error) => void;
}

export class BrokerConnection {
  private readonly pending = new Map<number, Pending>();
  private readonly frames: FrameReader;
  private nextCorrelationId = 0;
  private failure: Error | null = null;

  private constructor(
    private readonly socket: Socket,
    private readonly clientId: string,
    maxFrameBytes: number,
  ) {
    this.frames = new FrameReader(maxFrameBytes);
    socket.on('data', (chunk) => this.received(chunk));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  /** Connects within `timeoutMs`, or until `signal` aborts. */
  static connect(
    host: string,
    port: number,
    opts: { clientId: string; timeoutMs: number; maxFrameBytes: number; signal: AbortSignal },
  ): Promise<BrokerConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, signal: opts.signal });
      socket.setNoDelay(true);
      const timer = setTimeout(() => socket.destroy(new Error(`connecting to ${host}:${port} timed out`)), opts.timeoutMs);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new BrokerConnection(socket, opts.clientId, opts.maxFrameBytes));
      });
    });
  }

  get isOpen(): boolean {
    return this.failure === null;
  }

  request<S extends ApiSpec>(spec: S, version: number, body: MessageInput<S['request']>, timeoutMs: number): Promise<Message<S['response']>> {
    if (this.failure) return Promise.reject(this.failure);
    const correlationId = this.nextCorrelationId++;
    const w = new Writer();
    w.int32(0);
    writeRequestHeader(w, { apiKey: spec.apiKey, apiVersion: version, correlationId, clientId: this.clientId });
    codecFor(spec, version).request.encode(w, body);
    const bytes = w.toBuffer();
    bytes.writeInt32BE(bytes.length - 4, 0);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new Error(`${spec.name} request timed out after ${timeoutMs} ms`)), timeoutMs);
      this.pending.set(correlationId, {
        decode: (frame) => {
          clearTimeout(timer);
          try {
            const r = new Reader(frame);
            readResponseHeader(r, responseHeaderVersion(spec.apiKey, version));
            resolve(codecFor(spec, version).response.decode(r));
          } catch (err) {
            reject(err);
          }
        },
        fail: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
      this.socket.write(bytes);
    });
  }

  close(): void {
    this.fail(new Error('connection closed'));
  }

  private received(chunk: Buffer): void {
    try {
      for (const frame of this.frames.push(chunk)) {
        const correlationId = frame.readInt32BE(0);
        const pending = this.pending.get(correlationId);
        if (!pending) throw new Error(`response with unknown correlation id ${correlationId}`);
        this.pending.delete(correlationId);
        pending.decode(frame);
      }
    } catch (err) {
      this.fail(err as Error);
    }
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.socket.destroy();
    for (const p of this.pending.values()) p.fail(err);
    this.pending.clear();
  }
}
