// The ZooKeeper client: a promise API with chroot handling, operations that wait for a
// reconnection, and a new session established by itself after expiry.
//
// It speaks ZooKeeper's wire protocol itself (protocol.ts, session.ts) rather than use an npm
// client. npm `zookeeper` (the official C client's binding) binds no multi operation, which
// conditional writes need (check a version and write, in one transaction). node-zookeeper-client
// has multi, but sends an expected version of 0 as -1 (any version), and has no timeout once a TCP
// connection is up: a server that accepts but never answers (hung, or another process on the
// port) stalls it for good.

import { EventEmitter } from 'node:events';
import { isZkError, serverError, ZkError } from './errors';
import {
  createFlags,
  ErrorCode,
  EventType,
  JuteReader,
  JuteWriter,
  MultiOp,
  OpCode,
  readMultiError,
  Stat,
  writeCreate,
  writeMulti,
  writePathVersion,
  writePathWatch,
  writeSetData,
} from './protocol';
import { HostPort, SessionWatcher, WatchRequest, ZkSession } from './session';

export type CreateMode = 'persistent' | 'ephemeral' | 'persistent_sequential' | 'ephemeral_sequential';

export interface ZkStat {
  version: number;
  czxid: bigint;
  /** The transaction that last changed the node: one multi's writes share it. */
  mzxid: bigint;
  ctime: number;
  mtime: number;
  ephemeralOwner: bigint;
  numChildren: number;
}

export type ZkOp =
  | { type: 'create'; path: string; data: Buffer | null; mode: CreateMode }
  | { type: 'setData'; path: string; data: Buffer; version: number }
  | { type: 'delete'; path: string; version: number }
  | { type: 'check'; path: string; version: number };

export interface ZkWatchEvent {
  type: 'created' | 'deleted' | 'changed' | 'child';
  path: string;
}

export type ZkWatcher = (e: ZkWatchEvent) => void;

/** Where the client reports its connection life: connections, reconnections, failed attempts, expiry. */
export interface ZkLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface ZkClientOptions {
  sessionTimeoutMs: number;
  /** How long an operation waits for a connection before failing with CONNECTION_LOSS. */
  connectionTimeoutMs: number;
  log: ZkLogger;
}

/**
 * What users of a ZooKeeper session call: `ZkClient` over the network, or a session of an in-memory
 * ensemble shared by the brokers of one process.
 */
export interface ZooKeeperSession {
  readonly sessionId: bigint;
  create(path: string, data: Buffer | null, mode?: CreateMode): Promise<string>;
  createRecursive(path: string, data: Buffer | null, mode?: CreateMode): Promise<string>;
  getData(path: string, watch?: ZkWatcher): Promise<{ data: Buffer | null; stat: ZkStat } | null>;
  getChildren(path: string, watch?: ZkWatcher): Promise<string[] | null>;
  exists(path: string, watch?: ZkWatcher): Promise<ZkStat | null>;
  setData(path: string, data: Buffer, version?: number): Promise<ZkStat>;
  delete(path: string, version?: number): Promise<void>;
  deleteRecursive(path: string): Promise<void>;
  multi(ops: ZkOp[]): Promise<void>;
  on(event: 'connected' | 'disconnected' | 'expired' | 'session', fn: () => void): this;
  off(event: 'connected' | 'disconnected' | 'expired' | 'session', fn: () => void): this;
  close(): Promise<void>;
}

const CREATE_FLAGS: Record<CreateMode, number> = {
  persistent: createFlags(false, false),
  ephemeral: createFlags(true, false),
  persistent_sequential: createFlags(false, true),
  ephemeral_sequential: createFlags(true, true),
};

const WATCH_EVENT_TYPES = new Map<number, ZkWatchEvent['type']>([
  [EventType.created, 'created'],
  [EventType.deleted, 'deleted'],
  [EventType.dataChanged, 'changed'],
  [EventType.childrenChanged, 'child'],
]);

/**
 * Operations issued while disconnected wait up to connectionTimeoutMs for a connection (of the same
 * session, or of the new one established after an expiry), then fail with CONNECTION_LOSS.
 * Operations in flight when the connection drops fail with CONNECTION_LOSS: their outcome is
 * unknown, so callers retry or re-read. SESSION_EXPIRED does not reach callers: an expiry is
 * learnt on reconnection, with nothing in flight.
 */
export class ZkClient extends EventEmitter implements ZooKeeperSession {
  private session: ZkSession;
  private closed = false;
  private readonly stateChanged = new EventEmitter();
  /** One session watcher per caller watcher, so that a path watched twice by it fires once. */
  private readonly sessionWatchers = new WeakMap<ZkWatcher, SessionWatcher>();

  private constructor(
    private readonly hosts: HostPort[],
    private readonly chroot: string,
    private readonly opts: ZkClientOptions,
  ) {
    super();
    this.session = this.newSession(false);
  }

  /**
   * Parses "h1:p1,h2:p2/chroot"; connects, retrying with one log line per attempt until connected
   * (forever unless `signal` aborts, which rejects with the signal's reason); creates the chroot
   * path if missing (with its parents), so that a fresh ensemble needs no setup.
   */
  static async connect(connectString: string, opts: ZkClientOptions, signal?: AbortSignal): Promise<ZkClient> {
    const { hosts, chroot } = parseConnectString(connectString);
    const client = new ZkClient(hosts, chroot, opts);
    try {
      await client.untilConnected(signal);
      if (chroot) await client.createChroot(signal);
    } catch (err) {
      await client.close();
      throw err;
    }
    return client;
  }

  get sessionId(): bigint {
    return this.session.sessionId;
  }

  async create(path: string, data: Buffer | null, mode: CreateMode = 'persistent'): Promise<string> {
    return this.toRelative(await this.createAbsolute(this.toAbsolute(path), data, mode));
  }

  /** Creates missing parents (persistent, null data); NODE_EXISTS if `path` exists. */
  async createRecursive(path: string, data: Buffer | null, mode: CreateMode = 'persistent'): Promise<string> {
    return this.toRelative(await this.createRecursiveAbsolute(this.toAbsolute(path), data, mode));
  }

  /** Null if there is no node; a watch is then still set, for its creation, like exists(). */
  async getData(path: string, watch?: ZkWatcher): Promise<{ data: Buffer | null; stat: ZkStat } | null> {
    const abs = this.toAbsolute(path);
    for (;;) {
      try {
        return await this.call(
          OpCode.getData,
          `getData ${abs}`,
          (w) => writePathWatch(w, abs, !!watch),
          (r) => ({ data: r.buffer(), stat: toStat(r.stat()) }),
          watch && this.watchRequest(abs, watch, (err) => (err === ErrorCode.ok ? 'data' : undefined)),
        );
      } catch (err) {
        if (!isZkError(err, 'NO_NODE')) throw err;
      }
      // Watch for creation; if the node appeared meanwhile, read it again.
      if (!watch || (await this.exists(path, watch)) === null) return null;
    }
  }

  /** Null if there is no node; a watch is then still set, for its creation ('created' event). */
  async getChildren(path: string, watch?: ZkWatcher): Promise<string[] | null> {
    const abs = this.toAbsolute(path);
    for (;;) {
      try {
        return await this.call(
          OpCode.getChildren,
          `getChildren ${abs}`,
          (w) => writePathWatch(w, abs, !!watch),
          (r) => r.strings(),
          watch && this.watchRequest(abs, watch, (err) => (err === ErrorCode.ok ? 'child' : undefined)),
        );
      } catch (err) {
        if (!isZkError(err, 'NO_NODE')) throw err;
      }
      if (!watch || (await this.exists(path, watch)) === null) return null;
    }
  }

  async exists(path: string, watch?: ZkWatcher): Promise<ZkStat | null> {
    const abs = this.toAbsolute(path);
    try {
      return await this.call(
        OpCode.exists,
        `exists ${abs}`,
        (w) => writePathWatch(w, abs, !!watch),
        (r) => toStat(r.stat()),
        watch &&
          this.watchRequest(abs, watch, (err) =>
            err === ErrorCode.ok ? 'data' : err === ErrorCode.noNode ? 'exist' : undefined,
          ),
      );
    } catch (err) {
      if (isZkError(err, 'NO_NODE')) return null;
      throw err;
    }
  }

  async setData(path: string, data: Buffer, version = -1): Promise<ZkStat> {
    const abs = this.toAbsolute(path);
    return this.call(
      OpCode.setData,
      `setData ${abs}`,
      (w) => writeSetData(w, abs, data, version),
      (r) => toStat(r.stat()),
    );
  }

  async delete(path: string, version = -1): Promise<void> {
    const abs = this.toAbsolute(path);
    await this.call(OpCode.delete, `delete ${abs}`, (w) => writePathVersion(w, abs, version), () => undefined);
  }

  /** Deletes the node and everything under it; no error if it does not exist. */
  async deleteRecursive(path: string): Promise<void> {
    for (;;) {
      for (const child of (await this.getChildren(path)) ?? []) {
        await this.deleteRecursive(path === '/' ? `/${child}` : `${path}/${child}`);
      }
      if (path === '/') return;
      try {
        return await this.delete(path);
      } catch (err) {
        if (isZkError(err, 'NO_NODE')) return;
        // A child was created meanwhile: delete it too.
        if (!isZkError(err, 'NOT_EMPTY')) throw err;
      }
    }
  }

  /** Runs every op or none; a failure is the first failing op's error. */
  async multi(ops: ZkOp[]): Promise<void> {
    const wire: MultiOp[] = ops.map((op) => {
      const path = this.toAbsolute(op.path);
      switch (op.type) {
        case 'create':
          return { op: OpCode.create, path, data: op.data, flags: CREATE_FLAGS[op.mode] };
        case 'setData':
          return { op: OpCode.setData, path, data: op.data, version: op.version };
        case 'delete':
          return { op: OpCode.delete, path, version: op.version };
        case 'check':
          return { op: OpCode.check, path, version: op.version };
      }
    });
    const failed = await this.call(OpCode.multi, 'multi', (w) => writeMulti(w, wire), readMultiError);
    if (failed) {
      const op = ops[failed.index];
      throw serverError(failed.err, `multi op ${failed.index} (${op.type} ${this.toAbsolute(op.path)})`);
    }
  }

  /**
   * 'connected' (first and every reconnection), 'disconnected', 'expired' (session lost:
   * ephemerals and watches are gone), 'session' (a NEW session was established after expiry,
   * emitted after its 'connected' — owners re-create ephemerals and re-set watches).
   */
  override on(event: 'connected' | 'disconnected' | 'expired' | 'session', fn: () => void): this {
    return super.on(event, fn);
  }

  /** Closes the session, so its ephemeral nodes go at once; waiting operations fail with CONNECTION_LOSS. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stateChanged.emit('change');
    await this.session.close();
  }

  // ---- sessions ----

  /** A session that connects by itself; `replacing` an expired one, it announces itself with 'session'. */
  private newSession(replacing: boolean): ZkSession {
    const session = new ZkSession(this.hosts, this.opts.sessionTimeoutMs);
    const hosts = this.hosts.map((h) => `${h.host}:${h.port}`).join(',');
    let attempts = 0;
    let connectedBefore = false;
    session.on('attemptFailed', (server: string, reason: string) => {
      attempts++;
      this.opts.log.warn(`ZooKeeper connection attempt ${attempts} to ${server} failed (${reason}); retrying`);
    });
    session.on('connected', () => {
      this.opts.log.info(
        connectedBefore
          ? `Reconnected to ZooKeeper, session ${hex(session.sessionId)}`
          : `Connected to ZooKeeper at ${hosts}${this.chroot}, session ${hex(session.sessionId)} ` +
              `(timeout ${session.timeoutMs} ms)`,
      );
      const isNew = !connectedBefore;
      connectedBefore = true;
      attempts = 0;
      this.stateChanged.emit('change');
      this.emit('connected');
      if (isNew && replacing) this.emit('session');
    });
    session.on('disconnected', (reason: string) => {
      this.opts.log.warn(`Disconnected from ZooKeeper, session ${hex(session.sessionId)} (${reason}); reconnecting`);
      this.stateChanged.emit('change');
      this.emit('disconnected');
    });
    session.on('expired', () => this.onExpired(session));
    session.start();
    return session;
  }

  private onExpired(expired: ZkSession): void {
    if (this.closed) return;
    this.opts.log.warn(`ZooKeeper session ${hex(expired.sessionId)} expired; establishing a new session`);
    this.session = this.newSession(true);
    this.stateChanged.emit('change');
    this.emit('expired');
  }

  /** Resolves once the current session is connected; rejects if the client closes or `signal` aborts. */
  private untilConnected(signal?: AbortSignal, timeoutMs?: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.closed) finish(new ZkError('CONNECTION_LOSS', 'client closed'));
        else if (signal?.aborted) finish(signal.reason);
        else if (this.session.state === 'connected') finish();
      };
      const finish = (err?: unknown) => {
        clearTimeout(timer);
        this.stateChanged.off('change', check);
        signal?.removeEventListener('abort', check);
        if (err === undefined) resolve();
        else reject(err);
      };
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(
              () => finish(new ZkError('CONNECTION_LOSS', `not connected to ZooKeeper within ${timeoutMs} ms`)),
              timeoutMs,
            );
      this.stateChanged.on('change', check);
      signal?.addEventListener('abort', check);
      check();
    });
  }

  private async createChroot(signal?: AbortSignal): Promise<void> {
    for (;;) {
      try {
        await this.createRecursiveAbsolute(this.chroot, null, 'persistent');
        this.opts.log.info(`Created chroot path ${this.chroot} in ZooKeeper`);
        return;
      } catch (err) {
        if (isZkError(err, 'NODE_EXISTS')) return;
        if (!isZkError(err, 'CONNECTION_LOSS')) throw err;
        signal?.throwIfAborted();
        this.opts.log.warn(`Could not create chroot path ${this.chroot} (${(err as Error).message}); retrying`);
      }
    }
  }

  // ---- requests ----

  /** Sends a request once connected, waiting up to connectionTimeoutMs for a connection. */
  private async call<T>(
    op: number,
    what: string,
    write: (w: JuteWriter) => void,
    read: (r: JuteReader) => T,
    watch?: WatchRequest,
  ): Promise<T> {
    if (this.closed) throw new ZkError('CONNECTION_LOSS', `${what}: client closed`);
    if (this.session.state !== 'connected') await this.untilConnected(undefined, this.opts.connectionTimeoutMs);
    return this.session.request(op, what, write, read, watch);
  }

  private async createAbsolute(abs: string, data: Buffer | null, mode: CreateMode): Promise<string> {
    return this.call(
      OpCode.create,
      `create ${abs}`,
      (w) => writeCreate(w, abs, data, CREATE_FLAGS[mode]),
      (r) => r.string(),
    );
  }

  private async createRecursiveAbsolute(abs: string, data: Buffer | null, mode: CreateMode): Promise<string> {
    try {
      return await this.createAbsolute(abs, data, mode);
    } catch (err) {
      if (!isZkError(err, 'NO_NODE')) throw err;
    }
    const parent = abs.slice(0, abs.lastIndexOf('/'));
    try {
      await this.createRecursiveAbsolute(parent, null, 'persistent');
    } catch (err) {
      if (!isZkError(err, 'NODE_EXISTS')) throw err;
    }
    return this.createAbsolute(abs, data, mode);
  }

  // ---- paths and watches ----

  private toAbsolute(path: string): string {
    if (!path.startsWith('/') || (path.length > 1 && path.endsWith('/')) || path.includes('//')) {
      throw new ZkError('OTHER', `invalid path "${path}"`);
    }
    return path === '/' ? this.chroot || '/' : this.chroot + path;
  }

  private toRelative(abs: string): string {
    if (!this.chroot) return abs;
    return abs === this.chroot ? '/' : abs.slice(this.chroot.length);
  }

  private watchRequest(abs: string, watch: ZkWatcher, kind: WatchRequest['kind']): WatchRequest {
    let watcher = this.sessionWatchers.get(watch);
    if (!watcher) {
      watcher = (event) => {
        const type = WATCH_EVENT_TYPES.get(event.type);
        if (type) watch({ type, path: this.toRelative(event.path) });
      };
      this.sessionWatchers.set(watch, watcher);
    }
    return { path: abs, watcher, kind };
  }
}

function parseConnectString(connectString: string): { hosts: HostPort[]; chroot: string } {
  const slash = connectString.indexOf('/');
  const hostList = slash < 0 ? connectString : connectString.slice(0, slash);
  const chroot = slash < 0 ? '' : connectString.slice(slash).replace(/\/+$/, '');
  const hosts = hostList.split(',').map((entry) => {
    const m = /^\[?([^\]\s]+?)\]?:(\d+)$/.exec(entry.trim());
    return m ? { host: m[1], port: Number(m[2]) } : undefined;
  });
  if (!hostList || hosts.some((h) => !h)) {
    throw new ZkError('OTHER', `invalid ZooKeeper connect string "${connectString}": expected host:port[,host:port...][/chroot]`);
  }
  return { hosts: hosts as HostPort[], chroot };
}

function toStat(s: Stat): ZkStat {
  return {
    version: s.version,
    czxid: s.czxid,
    mzxid: s.mzxid,
    ctime: Number(s.ctime),
    mtime: Number(s.mtime),
    ephemeralOwner: s.ephemeralOwner,
    numChildren: s.numChildren,
  };
}

function hex(sessionId: bigint): string {
  return `0x${BigInt.asUintN(64, sessionId).toString(16)}`;
}
