// A client connection to a Kafka broker: what the broker's replica fetchers, controller and
// controlled shutdown use to reach other brokers, and what the tests and the bench drive brokers
// with. Requests may be pipelined; a broker answers a connection's requests in the order it
// received them, so responses are matched to requests in that order and their correlation ids
// checked. A socket error, the peer closing, a response that does not fit or a request timeout
// fails every request in flight and closes the connection, as Kafka's NetworkClient disconnects;
// the caller opens a new one. With `tls` the connection is TLS, over the same TCP socket.

import { Socket, connect, isIP } from 'node:net';
import { ConnectionOptions, connect as tlsConnect } from 'node:tls';
import { API_VERSIONS_KEY, ApiSpec, FrameReader, Message, MessageInput, Reader, codecFor, readResponseHeader, responseHeaderVersion } from '../../protocol';
import { Clock, Timer, realClock } from '../clock';
import { RequestHeaders, encodeRequestBody, requestName } from './request-frames';

/** Any int32 frame size: a broker is trusted with the size of its responses unless told otherwise. */
const ANY_FRAME_SIZE = 0x7fffffff;

export interface ConnectOptions {
  clientId: string;
  /** Gives up connecting after this long; no limit when absent. */
  timeoutMs?: number;
  /** Gives up connecting, or closes the connection, when aborted. */
  signal?: AbortSignal;
  /** Largest response frame accepted; larger ones fail the connection. */
  maxFrameBytes?: number;
  /** Time for the connect and request timeouts. */
  clock?: Clock;
  /** Connects with TLS with these options (a broker's: clientTlsOptions); the host name goes as SNI. */
  tls?: ConnectionOptions;
}

interface Pending {
  /** The response's must match; null for a frame taken as it is (nextFrame). */
  correlationId: number | null;
  deliver: (frame: Buffer) => void;
  reject: (err: Error) => void;
  timer: Timer | null;
}

export class KafkaConnection {
  /** Requests awaiting a response, oldest first from `pendingHead`. */
  private readonly pending: (Pending | undefined)[] = [];
  private pendingHead = 0;
  private readonly frames: FrameReader;
  private readonly headers: RequestHeaders;
  private readonly clock: Clock;
  private nextCorrelationId = 0;
  private corked = false;
  private failure: Error | null = null;
  /** Resolves once the socket is closed, by either side. */
  readonly closed: Promise<void>;

  private constructor(
    private readonly socket: Socket,
    /** "host:port", for error messages. */
    readonly peer: string,
    options: ConnectOptions,
  ) {
    this.frames = new FrameReader(options.maxFrameBytes ?? ANY_FRAME_SIZE);
    this.headers = new RequestHeaders(options.clientId);
    this.clock = options.clock ?? realClock;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk) => this.received(chunk));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error(`connection to ${this.peer} closed by the peer`)));
  }

  static connect(host: string, port: number, options: ConnectOptions): Promise<KafkaConnection> {
    const peer = `${host}:${port}`;
    return new Promise((resolve, reject) => {
      const tcp = connect({ host, port, noDelay: true, signal: options.signal });
      const socket = options.tls ? tlsConnect({ ...options.tls, socket: tcp, host, servername: isIP(host) ? undefined : host }) : tcp;
      const timeoutMs = options.timeoutMs;
      const timer =
        timeoutMs === undefined
          ? null
          : (options.clock ?? realClock).setTimeout(() => socket.destroy(new Error(`connecting to ${peer} timed out after ${timeoutMs} ms`)), timeoutMs);
      const failed = (err: Error) => {
        timer?.cancel();
        reject(err);
      };
      socket.once('error', failed);
      socket.once(options.tls ? 'secureConnect' : 'connect', () => {
        timer?.cancel();
        socket.off('error', failed);
        resolve(new KafkaConnection(socket, peer, options));
      });
    });
  }

  /** False once the connection failed or was closed. */
  get isOpen(): boolean {
    return this.failure === null;
  }

  /** Encodes, sends and decodes one request. A timeout fails the connection. */
  async request<S extends ApiSpec>(spec: S, version: number, body: MessageInput<S['request']>, timeoutMs?: number): Promise<Message<S['response']>> {
    const encoded = encodeRequestBody(spec, version, body);
    return decodeResponse(spec, version, await this.send(spec.apiKey, version, encoded, timeoutMs));
  }

  /** Sends a request that gets no response (Produce with acks=0). */
  requestWithoutResponse<S extends ApiSpec>(spec: S, version: number, body: MessageInput<S['request']>): void {
    this.write(spec.apiKey, version, encodeRequestBody(spec, version, body));
  }

  /**
   * Sends a body encoded beforehand (the bench encodes its load once); resolves with a reader
   * positioned after the response header.
   */
  send(apiKey: number, apiVersion: number, body: Buffer | readonly Buffer[], timeoutMs?: number): Promise<Reader> {
    if (this.failure) return Promise.reject(this.failure);
    const correlationId = this.write(apiKey, apiVersion, body);
    const headerVersion = responseHeaderVersion(apiKey, apiVersion);
    return new Promise((resolve, reject) => {
      const deliver = (frame: Buffer) => {
        const r = new Reader(frame);
        readResponseHeader(r, headerVersion);
        resolve(r);
      };
      this.expect(correlationId, deliver, reject, timeoutMs, () => requestName(apiKey, apiVersion));
    });
  }

  /** Sends bytes as they are: whole frames, part of one or garbage. */
  sendRaw(bytes: Buffer): void {
    if (this.failure) throw this.failure;
    this.cork();
    this.socket.write(bytes);
  }

  /** The next response frame as it arrives (correlation id first, no size prefix), whatever it answers. */
  nextFrame(timeoutMs?: number): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.expect(null, resolve, reject, timeoutMs, () => 'response frame'));
  }

  /** Sends what was written so far, fails the requests in flight and closes the socket. */
  close(): void {
    this.fail(new Error(`connection to ${this.peer} closed`));
  }

  private write(apiKey: number, apiVersion: number, body: Buffer | readonly Buffer[]): number {
    if (this.failure) throw this.failure;
    const correlationId = this.nextCorrelationId;
    this.nextCorrelationId = (correlationId + 1) & 0x7fffffff;
    const single = Buffer.isBuffer(body);
    let bodyBytes = 0;
    if (single) bodyBytes = body.length;
    else for (const c of body) bodyBytes += c.length;
    this.cork();
    this.socket.write(this.headers.frameStart(apiKey, apiVersion, correlationId, bodyBytes));
    if (single) this.socket.write(body);
    else for (const c of body) this.socket.write(c);
    return correlationId;
  }

  /** Everything written in one tick leaves in one writev. */
  private cork(): void {
    if (this.corked) return;
    this.corked = true;
    this.socket.cork();
    process.nextTick(() => this.uncork());
  }

  private uncork(): void {
    if (!this.corked) return;
    this.corked = false;
    this.socket.uncork();
  }

  private expect(
    correlationId: number | null,
    deliver: (frame: Buffer) => void,
    reject: (err: Error) => void,
    timeoutMs: number | undefined,
    what: () => string,
  ): void {
    const timer =
      timeoutMs === undefined ? null : this.clock.setTimeout(() => this.fail(new Error(`${what()} to ${this.peer} timed out after ${timeoutMs} ms`)), timeoutMs);
    this.pending.push({ correlationId, deliver, reject, timer });
  }

  private oldestPending(): Pending | undefined {
    if (this.pendingHead === this.pending.length) return undefined;
    const p = this.pending[this.pendingHead];
    this.pending[this.pendingHead++] = undefined;
    // Drops the answered prefix now and then rather than shifting the array per response.
    if (this.pendingHead === this.pending.length || (this.pendingHead > 1024 && this.pendingHead * 2 > this.pending.length)) {
      this.pending.splice(0, this.pendingHead);
      this.pendingHead = 0;
    }
    return p;
  }

  private received(chunk: Buffer): void {
    try {
      for (const frame of this.frames.push(chunk)) this.answer(frame);
    } catch (err) {
      this.fail(err as Error);
    }
  }

  private answer(frame: Buffer): void {
    // Left in place until it fits, so that a failure rejects it with the rest.
    const p = this.pending[this.pendingHead];
    if (!p) throw new Error(`a response from ${this.peer} to no request`);
    if (p.correlationId !== null) {
      const correlationId = frame.length >= 4 ? frame.readInt32BE(0) : null;
      if (correlationId !== p.correlationId) throw new Error(`expected correlation id ${p.correlationId} from ${this.peer}, got ${correlationId}`);
    }
    this.oldestPending();
    p.timer?.cancel();
    try {
      p.deliver(frame);
    } catch (err) {
      p.reject(err as Error);
    }
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.uncork();
    this.socket.destroy();
    for (let p = this.oldestPending(); p; p = this.oldestPending()) {
      p.timer?.cancel();
      p.reject(err);
    }
  }
}

/**
 * A broker refusing a too-new ApiVersions answers in v0's format (KIP-511), whatever version was
 * asked; others answer the error in the version asked. As Kafka's ApiVersionsResponse.parse does,
 * an answer that does not read at the version asked is read again as v0.
 */
function decodeResponse<S extends ApiSpec>(spec: S, version: number, r: Reader): Message<S['response']> {
  const start = r.pos;
  try {
    return codecFor(spec, version).response.decode(r);
  } catch (err) {
    if (spec.apiKey !== API_VERSIONS_KEY || version === 0 || !(err instanceof RangeError)) throw err;
    r.pos = start;
    return codecFor(spec, 0).response.decode(r);
  }
}
