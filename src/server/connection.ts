// One client connection: frames are parsed as bytes arrive, each request starts at once (so
// pipelined produces append in arrival order), and responses are written strictly in request order.
// A malformed frame or request closes this connection only, with a log line, as does an injected
// drop-connection fault (src/control/request-faults.ts), in its turn. On a SASL listener
// every frame first goes to the connection's authenticator (src/auth/sasl/authenticator.ts), which
// answers the SASL exchange itself and hands the dispatcher only what it may serve.

import { Socket } from 'node:net';
import { FrameError, FrameReader } from '../../protocol';
import type { AuthStep, SaslAuthenticator } from '../auth/sasl/authenticator';
import { InjectedConnectionDrop } from '../control/request-faults';
import { Logger } from '../logger';
import { RequestTiming, requestTiming } from '../metrics/request-stats';
import { Dispatcher, ProtocolViolation } from './dispatcher';
import { Session } from './session';

/** Requests in progress per connection before reading pauses. */
const MAX_IN_FLIGHT = 100;

type Outcome = { chunks: Buffer[] | null; timing?: RequestTiming } | { error: unknown };

export class Connection {
  private readonly frames: FrameReader;
  private tail: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private closed = false;
  private corked = false;
  /** Throttled by a quota: reading waits until the throttle time is over. */
  private muted = false;
  /** An authentication failure or a request outside SASL's rules: the connection is closing. */
  private stopped = false;

  constructor(
    private readonly socket: Socket,
    private readonly dispatcher: Dispatcher,
    private readonly session: Session,
    private readonly maxFrameBytes: number,
    private readonly log: Logger,
    /** Runs before any response is written: what a response acknowledges must have reached the OS. */
    private readonly beforeRespond: () => void,
    /** SASL listeners only; null on others, whose frames all go straight to the dispatcher. */
    private readonly authenticator: SaslAuthenticator | null = null,
  ) {
    // Before authentication a SASL connection's frames are bounded by sasl.server.max.receive.size.
    this.frames = authenticator
      ? new FrameReader(Math.min(maxFrameBytes, authenticator.maxReceiveSize), 'sasl.server.max.receive.size')
      : new FrameReader(maxFrameBytes, 'socket.request.max.bytes');
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (err) => this.log.debug(`connection ${this.session.remote}: ${err.message}`));
    socket.on('close', () => (this.closed = true));
  }

  private onData(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.frames.push(chunk);
    } catch (err) {
      this.fail(err);
      return;
    }
    for (const frame of frames) {
      if (this.authenticator === null) this.start(frame);
      else if (!this.authenticate(frame, this.authenticator)) return;
    }
  }

  private start(frame: Buffer): void {
    const timing = requestTiming(performance.now());
    this.enqueue(
      this.dispatcher.dispatch(frame, this.session, timing).then(
        (chunks) => ({ chunks, timing }),
        (error) => ({ error }),
      ),
    );
  }

  /** A frame on a SASL listener; false once the connection reads no further frame. */
  private authenticate(frame: Buffer, authenticator: SaslAuthenticator): boolean {
    const wasAuthenticated = authenticator.authenticated;
    let step: AuthStep | null;
    try {
      step = authenticator.receive(frame);
    } catch (error) {
      this.enqueue(Promise.resolve({ error }));
      this.stopReading();
      return false;
    }
    // Authenticated: frames up to socket.request.max.bytes from then on.
    if (authenticator.authenticated && !wasAuthenticated) this.frames.setMaxFrameBytes(this.maxFrameBytes, 'socket.request.max.bytes');
    if (step === null) this.start(frame);
    else if (step.kind === 'respond') this.enqueue(Promise.resolve({ chunks: step.response }));
    else if (step.kind === 'close') {
      this.log.warn(`Unexpected error from ${this.session.remote} on ${this.session.listenerName}; closing connection: ${step.reason}`);
      this.tail = this.tail.then(() => this.close());
      this.stopReading();
      return false;
    } else {
      this.log.info(step.reason);
      const { response, delayMs } = step;
      // Kafka's delayed close on authentication failure: the answer, then the close, after the delay.
      this.tail = this.tail.then(
        () =>
          new Promise<void>((resolve) =>
            authenticator.clock.setTimeout(() => {
              if (response && !this.closed) this.write(response);
              this.close();
              resolve();
            }, delayMs),
          ),
      );
      this.stopReading();
      return false;
    }
    return true;
  }

  /** Nothing more is read from this connection: it is about to close. */
  private stopReading(): void {
    this.stopped = true;
    this.socket.pause();
  }

  private enqueue(outcome: Promise<Outcome>): void {
    if (++this.inFlight >= MAX_IN_FLIGHT) this.socket.pause();
    this.tail = this.tail.then(async () => {
      const result = await outcome;
      --this.inFlight;
      if (this.closed) return;
      if ('error' in result) return this.fail(result.error);
      const turn = performance.now();
      if (result.chunks) this.write(result.chunks);
      if (result.timing) this.dispatcher.requestMetrics.responded(result.timing, turn);
      if (this.session.throttleMs > 0) this.mute();
      this.maybeResume();
    });
  }

  /** KIP-219: the response carrying throttle_time_ms is out; no further request is read until the time is over. */
  private mute(): void {
    const ms = this.session.throttleMs;
    this.session.throttleMs = 0;
    this.muted = true;
    this.socket.pause();
    setTimeout(() => {
      this.muted = false;
      this.maybeResume();
    }, ms).unref();
  }

  private maybeResume(): void {
    if (!this.muted && !this.stopped && this.inFlight < MAX_IN_FLIGHT && !this.closed) this.socket.resume();
  }

  /** Responses finished in the same event-loop turn leave in one system call. */
  private write(chunks: Buffer[]): void {
    this.beforeRespond();
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      setImmediate(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    for (const c of chunks) this.socket.write(c);
  }

  private fail(err: unknown): void {
    if (this.closed) return;
    this.closed = true;
    if (err instanceof InjectedConnectionDrop) {
      this.log.info(`Dropping connection from ${this.session.remote} (injected fault): ${err.message}`);
      this.socket.destroy();
      return;
    }
    const expected = err instanceof ProtocolViolation || err instanceof FrameError;
    const message = err instanceof Error ? (expected ? err.message : err.stack ?? err.message) : String(err);
    if (expected) this.log.warn(`Closing connection from ${this.session.remote}: ${message}`);
    else this.log.error(`Closing connection from ${this.session.remote} after an unexpected error: ${message}`);
    this.socket.destroy();
  }

  /** Resolves once every request received so far has been answered. */
  drain(): Promise<void> {
    return this.tail;
  }

  close(): void {
    this.closed = true;
    this.socket.end();
  }

  /** Cuts the connection without a word: what a client sees when the broker's process dies. */
  destroy(): void {
    this.closed = true;
    this.socket.destroy();
  }
}
