// One ZooKeeper session over TCP connections that come and go: tries the servers in turn, resumes
// the session on reconnection (re-setting its watches), pings to keep it alive, and notices a dead
// connection by its silence — as ZooKeeper's Java client does. It ends when it expires or closes.

import { EventEmitter } from 'node:events';
import { createConnection, Socket } from 'node:net';
import { serverError, ZkError } from './errors';
import {
  decodeConnectResponse,
  decodeReplyHeader,
  decodeWatcherEvent,
  encodeConnectRequest,
  encodeRequest,
  encodeSetWatches,
  ErrorCode,
  EventType,
  JuteReader,
  JuteWriter,
  OpCode,
  WatcherEvent,
  Xid,
} from './protocol';

export interface HostPort {
  host: string;
  port: number;
}

export type WatchKind = 'data' | 'exist' | 'child';
export type SessionWatcher = (e: WatcherEvent) => void;

/** A watch to leave if the request's reply has error code `err`: its kind, or none. */
export interface WatchRequest {
  path: string;
  watcher: SessionWatcher;
  kind(err: number): WatchKind | undefined;
}

interface Pending {
  xid: number;
  onReply(err: number, body: JuteReader): void;
  fail(err: ZkError): void;
}

// Pauses between attempts once every server failed: doubling from the first to the last.
const RETRY_BACKOFF_MS = [100, 1000];
// A frame larger than this is taken for a broken stream (ZooKeeper's jute.maxbuffer is 1 MiB).
const MAX_FRAME_BYTES = 64 << 20;
// Java's client splits SetWatches so that no request nears jute.maxbuffer.
const SET_WATCHES_MAX_BYTES = 128 * 1024;

/**
 * Events: 'connected' (session established or resumed), 'disconnected' (reason: string; requests
 * in flight failed with CONNECTION_LOSS, reconnection under way), 'attemptFailed' (server: string,
 * reason: string), 'expired' (the server no longer knows the session; it is over).
 */
export class ZkSession extends EventEmitter {
  state: 'connecting' | 'connected' | 'expired' | 'closed' = 'connecting';
  sessionId = 0n;
  /** As negotiated with the server once connected. */
  timeoutMs: number;
  private password: Buffer = Buffer.alloc(16);
  private lastZxid = 0n;
  private nextXid = 1;
  /** The current connection, being established or established (state 'connected'). */
  private socket: Socket | undefined;
  private pending: Pending[] = [];
  private readonly watches: Record<WatchKind, Map<string, Set<SessionWatcher>>> = {
    data: new Map(),
    exist: new Map(),
    child: new Map(),
  };
  private nextHost = Math.floor(Math.random() * 1e9);

  constructor(
    private readonly hosts: HostPort[],
    private readonly requestedTimeoutMs: number,
  ) {
    super();
    this.timeoutMs = requestedTimeoutMs;
  }

  /** Starts connecting; reconnects after every lost connection until the session expires or closes. */
  start(): void {
    void this.maintain();
  }

  /**
   * Sends a request (failing at once with CONNECTION_LOSS unless connected) and reads its reply
   * body with `read`; a server error rejects with the matching ZkError.
   */
  request<T>(
    op: number,
    what: string,
    write: (w: JuteWriter) => void,
    read: (r: JuteReader) => T,
    watch?: WatchRequest,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.state !== 'connected' || !this.socket) {
        reject(new ZkError(this.state === 'expired' ? 'SESSION_EXPIRED' : 'CONNECTION_LOSS', what));
        return;
      }
      const xid = this.nextXid++;
      const frame = encodeRequest(xid, op, write);
      this.pending.push({
        xid,
        fail: reject,
        onReply: (err, body) => {
          // Registered before any later frame is read, so that no notification slips past it.
          const kind = watch?.kind(err);
          if (watch && kind) this.addWatch(kind, watch.path, watch.watcher);
          if (err !== ErrorCode.ok) return reject(serverError(err, what));
          try {
            resolve(read(body));
          } catch (e) {
            reject(new ZkError('OTHER', `${what}: malformed reply (${String(e)})`));
          }
        },
      });
      this.send(frame);
    });
  }

  /** Closes the session on the server (deleting its ephemeral nodes) if connected, then stops. */
  async close(): Promise<void> {
    const socket = this.socket;
    const wasConnected = this.state === 'connected';
    if (this.state === 'connecting' || this.state === 'connected') this.state = 'closed';
    if (wasConnected && socket) {
      // The server answers, then closes the connection; requests sent before are answered first.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.timeoutMs);
        socket.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        this.pending.push({ xid: this.nextXid, onReply: () => socket.end(), fail: () => undefined });
        this.send(encodeRequest(this.nextXid++, OpCode.closeSession));
      });
    }
    socket?.destroy();
    this.failPending(new ZkError('CONNECTION_LOSS', 'session closed'));
  }

  private async maintain(): Promise<void> {
    let failures = 0;
    while (this.state === 'connecting') {
      const host = this.hosts[this.nextHost++ % this.hosts.length];
      const established = await this.connectOnce(host);
      failures = established ? 0 : failures + 1;
      if (this.state !== 'connecting' || failures === 0 || failures % this.hosts.length !== 0) continue;
      const round = failures / this.hosts.length;
      const pause = Math.min(RETRY_BACKOFF_MS[0] * 2 ** (round - 1), RETRY_BACKOFF_MS[1]);
      await new Promise((resolve) => setTimeout(resolve, pause * (0.5 + Math.random() / 2)));
    }
  }

  /** One connection, from TCP connect to close; true if the session was established on it. */
  private connectOnce(server: HostPort): Promise<boolean> {
    return new Promise((resolve) => {
      const name = `${server.host}:${server.port}`;
      const socket = createConnection({ host: server.host, port: server.port });
      socket.setNoDelay(true);
      this.socket = socket;
      let established = false;
      let failure = 'connection closed';
      let heartbeat: NodeJS.Timeout | undefined;
      let lastReceived = Date.now();
      // As in the Java client: time enough to try every server within one session timeout.
      const handshakeMs = Math.floor(this.timeoutMs / this.hosts.length);
      const handshakeTimer = setTimeout(() => {
        failure = `no session within ${handshakeMs} ms`;
        socket.destroy();
      }, handshakeMs);

      let buffered: Buffer = Buffer.alloc(0);
      const onFrame = (frame: Buffer) => {
        if (established) return this.onFrame(frame);
        clearTimeout(handshakeTimer);
        const response = decodeConnectResponse(frame);
        if (response.timeoutMs <= 0) {
          this.state = 'expired';
          socket.destroy();
          this.emit('expired');
          return;
        }
        established = true;
        this.sessionId = response.sessionId;
        this.password = response.password;
        this.timeoutMs = response.timeoutMs;
        this.state = 'connected';
        this.resendWatches();
        heartbeat = this.startHeartbeat(socket, () => lastReceived);
        this.emit('connected');
      };

      socket.once('connect', () =>
        socket.write(
          encodeConnectRequest({
            lastZxidSeen: this.lastZxid,
            timeoutMs: this.requestedTimeoutMs,
            sessionId: this.sessionId,
            password: this.password,
          }),
        ),
      );
      socket.on('data', (chunk) => {
        lastReceived = Date.now();
        buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
        while (buffered.length >= 4 && !socket.destroyed) {
          const len = buffered.readInt32BE(0);
          if (len < 0 || len > MAX_FRAME_BYTES) {
            failure = `bad frame length ${len}`;
            socket.destroy();
            return;
          }
          if (buffered.length < 4 + len) break;
          const frame = buffered.subarray(4, 4 + len);
          buffered = buffered.subarray(4 + len);
          try {
            onFrame(frame);
          } catch (e) {
            failure = `malformed frame (${String(e)})`;
            socket.destroy();
          }
        }
      });
      socket.on('error', (e) => (failure = e.message));
      socket.once('close', () => {
        clearTimeout(handshakeTimer);
        clearInterval(heartbeat);
        if (this.socket === socket) this.socket = undefined;
        if (established) {
          this.failPending(new ZkError('CONNECTION_LOSS', `connection to ${name} lost`));
          if (this.state === 'connected') {
            this.state = 'connecting';
            this.emit('disconnected', `${name}: ${failure}`);
          }
        } else if (this.state === 'connecting') {
          this.emit('attemptFailed', name, failure);
        }
        resolve(established);
      });
    });
  }

  /** Pings when idle; drops the connection when the server stays silent too long (2/3 of the timeout). */
  private startHeartbeat(socket: Socket, lastReceived: () => number): NodeJS.Timeout {
    const readTimeout = Math.floor((this.timeoutMs * 2) / 3);
    let lastPing = 0;
    return setInterval(
      () => {
        const now = Date.now();
        if (now - lastReceived() > readTimeout) {
          socket.destroy(new Error(`no reply from the server in ${readTimeout} ms`));
        } else if (now - Math.max(lastReceived(), lastPing) >= readTimeout / 2) {
          lastPing = now;
          socket.write(encodeRequest(Xid.ping, OpCode.ping));
        }
      },
      Math.max(10, Math.floor(readTimeout / 4)),
    );
  }

  private onFrame(frame: Buffer): void {
    const r = new JuteReader(frame);
    const header = decodeReplyHeader(r);
    if (header.xid === Xid.notification) return this.dispatch(decodeWatcherEvent(r));
    if (header.xid === Xid.ping || header.xid === Xid.setWatches) return;
    if (header.zxid > 0n) this.lastZxid = header.zxid;
    const pending = this.pending.shift();
    if (!pending || pending.xid !== header.xid) {
      throw new Error(`reply xid ${header.xid}, expected ${pending?.xid ?? 'none'}`);
    }
    pending.onReply(header.err, r);
  }

  private send(frame: Buffer): void {
    this.socket?.write(frame);
  }

  private failPending(err: ZkError): void {
    const pending = this.pending;
    this.pending = [];
    for (const p of pending) p.fail(err);
  }

  private addWatch(kind: WatchKind, path: string, watcher: SessionWatcher): void {
    const byPath = this.watches[kind];
    const set = byPath.get(path) ?? new Set();
    set.add(watcher);
    byPath.set(path, set);
  }

  /** Fires, once each, the watchers an event triggers (as ZooKeeper's Java client materializes them). */
  private dispatch(event: WatcherEvent): void {
    const kinds: WatchKind[] =
      event.type === EventType.childrenChanged
        ? ['child']
        : event.type === EventType.deleted
          ? ['data', 'exist', 'child']
          : ['data', 'exist'];
    const fire = new Set<SessionWatcher>();
    for (const kind of kinds) {
      for (const w of this.watches[kind].get(event.path) ?? []) fire.add(w);
      this.watches[kind].delete(event.path);
    }
    // Called after the current frame, like reply callbacks, so a throwing watcher cannot break the stream.
    for (const w of fire) queueMicrotask(() => w(event));
  }

  /** After a reconnection, tells the server the watches to keep (it fires those whose node changed meanwhile). */
  private resendWatches(): void {
    const lists = { data: [...this.watches.data.keys()], exist: [...this.watches.exist.keys()], child: [...this.watches.child.keys()] };
    while (lists.data.length || lists.exist.length || lists.child.length) {
      const batch = { data: [] as string[], exist: [] as string[], child: [] as string[] };
      let bytes = 0;
      for (const kind of ['data', 'exist', 'child'] as const) {
        while (lists[kind].length && bytes < SET_WATCHES_MAX_BYTES) {
          const path = lists[kind].shift()!;
          batch[kind].push(path);
          bytes += Buffer.byteLength(path) + 4;
        }
      }
      this.send(encodeSetWatches(this.lastZxid, batch));
    }
  }
}
