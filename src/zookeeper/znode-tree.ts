// The data of an in-memory ZooKeeper ensemble: znodes by path with ZooKeeper's stats, version
// checks and sequential names, changed by transactions that apply all their ops or none (multi).
// It knows nothing of sessions or watches: a transaction returns the watch events it caused.

import type { ZkOp, ZkStat, ZkWatchEvent } from './client';
import type { ZkErrorCode } from './errors';

interface Znode {
  data: Buffer | null;
  version: number;
  /** Changes to the children so far: a sequential child takes it as its number, as in ZooKeeper. */
  cversion: number;
  czxid: bigint;
  mzxid: bigint;
  ctime: number;
  mtime: number;
  ephemeralOwner: bigint;
  children: Set<string>;
}

/** Op `index` of a transaction failed with `code`; nothing of the transaction was applied. */
export class TransactionFailure extends Error {
  constructor(
    readonly index: number,
    readonly code: ZkErrorCode,
    readonly reason?: string,
  ) {
    super(`op ${index}: ${code}${reason ? ` (${reason})` : ''}`);
    this.name = 'TransactionFailure';
  }
}

/** What an op leaves: the node's path (a sequential node's full name) and its stat (null once deleted). */
export interface OpResult {
  path: string;
  stat: ZkStat | null;
}

interface Txn {
  index: number;
  zxid: bigint;
  now: number;
  sessionId: bigint;
  /** Reverts the ops applied so far, last first, when a later op fails. */
  undo: Array<() => void>;
  events: ZkWatchEvent[];
}

/** Why ZooKeeper would refuse `path`, or undefined if it is a valid absolute path. */
export function invalidPath(path: string): string | undefined {
  if (path === '/') return undefined;
  const names = path.split('/');
  const valid = names[0] === '' && names.slice(1).every((n) => n !== '' && n !== '.' && n !== '..' && !n.includes('\0'));
  return valid ? undefined : `invalid path "${path}"`;
}

export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === 0 ? '/' : path.slice(0, slash);
}

function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function childPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

function statOf(node: Znode): ZkStat {
  return {
    version: node.version,
    czxid: node.czxid,
    mzxid: node.mzxid,
    ctime: node.ctime,
    mtime: node.mtime,
    ephemeralOwner: node.ephemeralOwner,
    numChildren: node.children.size,
  };
}

/** Stored and handed out as copies, as over the wire: callers' buffers never alias the tree's. */
function copy(data: Buffer | null): Buffer | null {
  return data === null ? null : Buffer.from(data);
}

export class ZnodeTree {
  private readonly nodes = new Map<string, Znode>();
  /** One counter for every transaction, as ZooKeeper's zxid: later writes have greater ones. */
  private zxid = 0n;

  constructor() {
    const now = Date.now();
    for (const path of ['/', '/zookeeper']) {
      this.nodes.set(path, { data: null, version: 0, cversion: 0, czxid: 0n, mzxid: 0n, ctime: now, mtime: now, ephemeralOwner: 0n, children: new Set() });
    }
    this.nodes.get('/')!.children.add('zookeeper');
    this.nodes.get('/')!.cversion = 1;
  }

  read(path: string): { data: Buffer | null; stat: ZkStat } | null {
    const node = this.nodes.get(path);
    return node ? { data: copy(node.data), stat: statOf(node) } : null;
  }

  stat(path: string): ZkStat | null {
    const node = this.nodes.get(path);
    return node ? statOf(node) : null;
  }

  children(path: string): string[] | null {
    const node = this.nodes.get(path);
    return node ? [...node.children] : null;
  }

  /** `path` and every node under it, children before their parent; the root itself excluded. */
  subtree(path: string): string[] {
    const node = this.nodes.get(path);
    if (!node) return [];
    const below = [...node.children].flatMap((name) => this.subtree(childPath(path, name)));
    return path === '/' ? below : [...below, path];
  }

  /** Applies every op, under one zxid, or none (throwing the first failure). */
  transact(ops: readonly ZkOp[], sessionId: bigint): { results: OpResult[]; events: ZkWatchEvent[] } {
    const txn: Txn = { index: 0, zxid: ++this.zxid, now: Date.now(), sessionId, undo: [], events: [] };
    const results: OpResult[] = [];
    try {
      for (const op of ops) {
        results.push(this.apply(op, txn));
        txn.index++;
      }
    } catch (err) {
      for (const revert of txn.undo.reverse()) revert();
      throw err;
    }
    return { results, events: txn.events };
  }

  /** Deletes the ephemeral nodes of an ended session, in one transaction as ZooKeeper's closeSession. */
  endSession(sessionId: bigint): ZkWatchEvent[] {
    const ephemerals = [...this.nodes].filter(([, node]) => node.ephemeralOwner === sessionId).map(([path]) => path);
    return this.transact(
      ephemerals.map((path) => ({ type: 'delete', path, version: -1 })),
      sessionId,
    ).events;
  }

  private apply(op: ZkOp, txn: Txn): OpResult {
    const invalid = invalidPath(op.path);
    if (invalid) throw new TransactionFailure(txn.index, 'OTHER', invalid);
    switch (op.type) {
      case 'create':
        return this.create(op.path, op.data, op.mode.startsWith('ephemeral'), op.mode.endsWith('_sequential'), txn);
      case 'setData':
        return this.setData(op.path, op.data, op.version, txn);
      case 'delete':
        return this.delete(op.path, op.version, txn);
      case 'check':
        return { path: op.path, stat: statOf(this.existing(op.path, op.version, txn)) };
    }
  }

  /** The node at `path`, if its version is `version` (-1: any). */
  private existing(path: string, version: number, txn: Txn): Znode {
    const node = this.nodes.get(path);
    if (!node) throw new TransactionFailure(txn.index, 'NO_NODE');
    if (version !== -1 && version !== node.version) throw new TransactionFailure(txn.index, 'BAD_VERSION');
    return node;
  }

  private create(requested: string, data: Buffer | null, ephemeral: boolean, sequential: boolean, txn: Txn): OpResult {
    if (requested === '/') throw new TransactionFailure(txn.index, 'NODE_EXISTS');
    const parentPath = parentOf(requested);
    const parent = this.nodes.get(parentPath);
    if (!parent) throw new TransactionFailure(txn.index, 'NO_NODE');
    const path = sequential ? requested + String(parent.cversion).padStart(10, '0') : requested;
    if (this.nodes.has(path)) throw new TransactionFailure(txn.index, 'NODE_EXISTS');
    if (parent.ephemeralOwner !== 0n) {
      throw new TransactionFailure(txn.index, 'OTHER', `${parentPath} is an ephemeral node, and ephemeral nodes have no children`);
    }
    const node: Znode = {
      data: copy(data),
      version: 0,
      cversion: 0,
      czxid: txn.zxid,
      mzxid: txn.zxid,
      ctime: txn.now,
      mtime: txn.now,
      ephemeralOwner: ephemeral ? txn.sessionId : 0n,
      children: new Set(),
    };
    this.nodes.set(path, node);
    parent.children.add(nameOf(path));
    parent.cversion++;
    txn.undo.push(() => {
      this.nodes.delete(path);
      parent.children.delete(nameOf(path));
      parent.cversion--;
    });
    txn.events.push({ type: 'created', path }, { type: 'child', path: parentPath });
    return { path, stat: statOf(node) };
  }

  private setData(path: string, data: Buffer, version: number, txn: Txn): OpResult {
    const node = this.existing(path, version, txn);
    const before = { data: node.data, version: node.version, mzxid: node.mzxid, mtime: node.mtime };
    Object.assign(node, { data: copy(data), version: node.version + 1, mzxid: txn.zxid, mtime: txn.now });
    txn.undo.push(() => Object.assign(node, before));
    txn.events.push({ type: 'changed', path });
    return { path, stat: statOf(node) };
  }

  private delete(path: string, version: number, txn: Txn): OpResult {
    if (path === '/') throw new TransactionFailure(txn.index, 'OTHER', 'the root cannot be deleted');
    const node = this.existing(path, version, txn);
    if (node.children.size > 0) throw new TransactionFailure(txn.index, 'NOT_EMPTY');
    const parentPath = parentOf(path);
    const parent = this.nodes.get(parentPath)!;
    this.nodes.delete(path);
    parent.children.delete(nameOf(path));
    parent.cversion++;
    txn.undo.push(() => {
      this.nodes.set(path, node);
      parent.children.add(nameOf(path));
      parent.cversion--;
    });
    txn.events.push({ type: 'deleted', path }, { type: 'child', path: parentPath });
    return { path, stat: null };
  }
}
