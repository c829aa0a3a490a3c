// An in-memory ZooKeeper ensemble: one znode tree shared by the sessions of one process, so that
// several brokers run ZooKeeper-mode cluster logic (registration, controller election, watches)
// without a ZooKeeper server. Its sessions behave as ZkClient does: the same errors, one-shot
// watches delivered asynchronously, ephemeral nodes that go with their session, and a new session,
// announced by 'expired' then 'connected' and 'session', after an expiry.

import { EventEmitter } from 'node:events';
import type { CreateMode, ZkLogger, ZkOp, ZkStat, ZkWatcher, ZkWatchEvent, ZooKeeperSession } from './client';
import { isZkError, ZkError } from './errors';
import { invalidPath, OpResult, parentOf, TransactionFailure, ZnodeTree } from './znode-tree';

type SessionEvent = 'connected' | 'disconnected' | 'expired' | 'session';

/** How the ensemble tells a client that its session ended without it closing. */
interface SessionOwner {
  expired(): void;
  crashed(): void;
}

/** The server's side of a session: its id and the watches it set, by path. */
interface ServerSession {
  id: bigint;
  owner: SessionOwner;
  /** Set by getData and exists, on existing nodes and missing ones alike, as the server keeps them. */
  dataWatches: Map<string, Set<ZkWatcher>>;
  /** Set by getChildren on existing nodes. */
  childWatches: Map<string, Set<ZkWatcher>>;
}

/** The tree and the open sessions: what InMemoryEnsemble and its clients share. */
class EnsembleServer {
  readonly tree = new ZnodeTree();
  private readonly sessions = new Map<bigint, ServerSession>();
  /** Like ZooKeeper's first session id: the time, shifted, so ids of separate runs differ. */
  private nextSessionId = BigInt.asUintN(56, BigInt(Date.now()) << 16n);

  begin(owner: SessionOwner): ServerSession {
    const session: ServerSession = { id: ++this.nextSessionId, owner, dataWatches: new Map(), childWatches: new Map() };
    this.sessions.set(session.id, session);
    return session;
  }

  session(id: bigint): ServerSession {
    const session = this.sessions.get(id);
    if (!session) throw new Error(`no open session ${hex(id)} in this in-memory ZooKeeper ensemble`);
    return session;
  }

  watch(session: ServerSession, kind: 'data' | 'child', path: string, watcher: ZkWatcher): void {
    const byPath = kind === 'data' ? session.dataWatches : session.childWatches;
    const watchers = byPath.get(path) ?? new Set();
    watchers.add(watcher);
    byPath.set(path, watchers);
  }

  write(session: ServerSession, ops: readonly ZkOp[]): OpResult[] {
    const { results, events } = this.tree.transact(ops, session.id);
    this.notify(events);
    return results;
  }

  /** Its watches go first: a session does not hear of its own ephemerals' deletion. */
  end(session: ServerSession): void {
    this.sessions.delete(session.id);
    this.notify(this.tree.endSession(session.id));
  }

  /** Fires, once each, the watchers an event triggers, as ZooKeeper's server and Java client do. */
  private notify(events: ZkWatchEvent[]): void {
    for (const event of events) {
      for (const session of this.sessions.values()) {
        const fire = new Set<ZkWatcher>();
        if (event.type !== 'child') take(session.dataWatches, event.path, fire);
        if (event.type !== 'created' && event.type !== 'changed') take(session.childWatches, event.path, fire);
        for (const watcher of fire) queueMicrotask(() => watcher({ ...event }));
      }
    }
  }
}

function take(byPath: Map<string, Set<ZkWatcher>>, path: string, into: Set<ZkWatcher>): void {
  for (const watcher of byPath.get(path) ?? []) into.add(watcher);
  byPath.delete(path);
}

function hex(sessionId: bigint): string {
  return `0x${BigInt.asUintN(64, sessionId).toString(16)}`;
}

/**
 * A client of an in-memory ensemble, always connected. After close() or a crash its calls fail
 * with CONNECTION_LOSS; after an expiry it goes on with a new session, as ZkClient does.
 */
export class InMemorySession extends EventEmitter implements ZooKeeperSession {
  private session: ServerSession;
  private state: 'open' | 'closed' | 'crashed' = 'open';

  /** Use InMemoryEnsemble.openSession. */
  constructor(
    private readonly server: EnsembleServer,
    private readonly log?: ZkLogger,
  ) {
    super();
    this.session = this.begin();
    log?.info(`Connected to an in-memory ZooKeeper ensemble, session ${hex(this.sessionId)}`);
  }

  get sessionId(): bigint {
    return this.session.id;
  }

  async create(path: string, data: Buffer | null, mode: CreateMode = 'persistent'): Promise<string> {
    return this.writeOne({ type: 'create', path, data, mode }).path;
  }

  /** Creates missing parents (persistent, null data); NODE_EXISTS if `path` exists. */
  async createRecursive(path: string, data: Buffer | null, mode: CreateMode = 'persistent'): Promise<string> {
    try {
      return this.writeOne({ type: 'create', path, data, mode }).path;
    } catch (err) {
      if (!isZkError(err, 'NO_NODE')) throw err;
    }
    try {
      await this.createRecursive(parentOf(path), null, 'persistent');
    } catch (err) {
      if (!isZkError(err, 'NODE_EXISTS')) throw err;
    }
    return this.writeOne({ type: 'create', path, data, mode }).path;
  }

  /** Null if there is no node; a watch is then still set, for its creation, like exists(). */
  async getData(path: string, watch?: ZkWatcher): Promise<{ data: Buffer | null; stat: ZkStat } | null> {
    const session = this.reading(`getData ${path}`, path);
    const node = this.server.tree.read(path);
    if (watch) this.server.watch(session, 'data', path, watch);
    return node;
  }

  /** Null if there is no node; a watch is then still set, for its creation ('created' event). */
  async getChildren(path: string, watch?: ZkWatcher): Promise<string[] | null> {
    const session = this.reading(`getChildren ${path}`, path);
    const children = this.server.tree.children(path);
    if (watch) this.server.watch(session, children ? 'child' : 'data', path, watch);
    return children;
  }

  async exists(path: string, watch?: ZkWatcher): Promise<ZkStat | null> {
    const session = this.reading(`exists ${path}`, path);
    const stat = this.server.tree.stat(path);
    if (watch) this.server.watch(session, 'data', path, watch);
    return stat;
  }

  async setData(path: string, data: Buffer, version = -1): Promise<ZkStat> {
    return this.writeOne({ type: 'setData', path, data, version }).stat!;
  }

  async delete(path: string, version = -1): Promise<void> {
    this.writeOne({ type: 'delete', path, version });
  }

  /** Deletes the node and everything under it (one delete each); no error if it does not exist. */
  async deleteRecursive(path: string): Promise<void> {
    this.reading(`deleteRecursive ${path}`, path);
    for (const node of this.server.tree.subtree(path)) this.writeOne({ type: 'delete', path: node, version: -1 });
  }

  /** Runs every op or none; a failure is the first failing op's error. */
  async multi(ops: ZkOp[]): Promise<void> {
    const session = this.live('multi');
    try {
      this.server.write(session, ops);
    } catch (err) {
      if (!(err instanceof TransactionFailure)) throw err;
      const op = ops[err.index];
      throw new ZkError(err.code, `multi op ${err.index} (${op.type} ${op.path})${err.reason ? `: ${err.reason}` : ''}`);
    }
  }

  /**
   * 'expired' (the session ended: its ephemerals and watches are gone), then 'connected' and
   * 'session' (a NEW session: owners re-create ephemerals and re-set watches). 'disconnected'
   * never comes: the ensemble is in the process.
   */
  override on(event: SessionEvent, fn: () => void): this {
    return super.on(event, fn);
  }

  override off(event: SessionEvent, fn: () => void): this {
    return super.off(event, fn);
  }

  /** Ends the session, so its ephemeral nodes go at once; later calls fail with CONNECTION_LOSS. */
  async close(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'closed';
    this.server.end(this.session);
  }

  private begin(): ServerSession {
    return this.server.begin({
      expired: () => this.onExpired(),
      crashed: () => {
        this.state = 'crashed';
      },
    });
  }

  /** Like ZkClient: a new session at once, announced after the 'expired' event. */
  private onExpired(): void {
    if (this.state !== 'open') return;
    this.log?.warn(`ZooKeeper session ${hex(this.sessionId)} expired; establishing a new session`);
    this.session = this.begin();
    setImmediate(() => {
      if (this.state !== 'open') return;
      this.emit('expired');
      setImmediate(() => {
        if (this.state !== 'open') return;
        this.log?.info(`Connected to an in-memory ZooKeeper ensemble, session ${hex(this.sessionId)}`);
        this.emit('connected');
        this.emit('session');
      });
    });
  }

  private live(what: string): ServerSession {
    if (this.state !== 'open') throw new ZkError('CONNECTION_LOSS', `${what}: client ${this.state}`);
    return this.session;
  }

  private reading(what: string, path: string): ServerSession {
    const session = this.live(what);
    const invalid = invalidPath(path);
    if (invalid) throw new ZkError('OTHER', invalid);
    return session;
  }

  /** One op as its own transaction, failing as ZkClient does: "<CODE>: <op> <path>". */
  private writeOne(op: ZkOp): OpResult {
    const session = this.live(`${op.type} ${op.path}`);
    try {
      return this.server.write(session, [op])[0];
    } catch (err) {
      if (!(err instanceof TransactionFailure)) throw err;
      throw new ZkError(err.code, `${op.type} ${op.path}${err.reason ? `: ${err.reason}` : ''}`);
    }
  }
}

/**
 * Znodes shared by the brokers of one process. Each openSession() is a client with its own
 * session; expire() and crash() end a session as ZooKeeper's session expiry does.
 */
export class InMemoryEnsemble {
  private readonly server = new EnsembleServer();

  openSession(log?: ZkLogger): InMemorySession {
    return new InMemorySession(this.server, log);
  }

  /**
   * Expires a session: its ephemeral nodes are deleted (firing others' watches), its watches
   * dropped; its client emits 'expired', then 'connected' and 'session' with a new sessionId.
   */
  expire(sessionId: bigint): void {
    const session = this.server.session(sessionId);
    this.server.end(session);
    session.owner.expired();
  }

  /**
   * Ends a session as when its process dies: expired at once, and its client dead (calls fail
   * with CONNECTION_LOSS, no events, no new session).
   */
  crash(sessionId: bigint): void {
    const session = this.server.session(sessionId);
    session.owner.crashed();
    this.server.end(session);
  }
}
