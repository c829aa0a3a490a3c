// ZooKeeper's client wire protocol (jute encoding): the records this client sends and receives.
// Every frame is a 4-byte big-endian length followed by the record bytes.

export const OpCode = {
  create: 1,
  delete: 2,
  exists: 3,
  getData: 4,
  setData: 5,
  getChildren: 8,
  ping: 11,
  check: 13,
  multi: 14,
  setWatches: 101,
  closeSession: -11,
  error: -1,
} as const;

/** Reply xids that answer no numbered request. */
export const Xid = { notification: -1, ping: -2, setWatches: -8 } as const;

/** Server error codes (KeeperException.Code) the client acts on. */
export const ErrorCode = {
  ok: 0,
  connectionLoss: -4,
  noNode: -101,
  badVersion: -103,
  nodeExists: -110,
  notEmpty: -111,
  sessionExpired: -112,
} as const;

/** WatchedEvent types of node events (None, for session state changes, is never sent by a server). */
export const EventType = { created: 1, deleted: 2, dataChanged: 3, childrenChanged: 4 } as const;

export interface Stat {
  czxid: bigint;
  mzxid: bigint;
  ctime: bigint;
  mtime: bigint;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: bigint;
  dataLength: number;
  numChildren: number;
  pzxid: bigint;
}

export class JuteWriter {
  private chunks: Buffer[] = [];

  int(v: number): this {
    const b = Buffer.allocUnsafe(4);
    b.writeInt32BE(v);
    return this.push(b);
  }

  long(v: bigint): this {
    const b = Buffer.allocUnsafe(8);
    b.writeBigInt64BE(v);
    return this.push(b);
  }

  bool(v: boolean): this {
    return this.push(Buffer.from([v ? 1 : 0]));
  }

  /** Length-prefixed bytes; null is encoded as length -1. */
  buffer(v: Buffer | null): this {
    if (v === null) return this.int(-1);
    return this.int(v.length).push(v);
  }

  string(v: string): this {
    return this.buffer(Buffer.from(v, 'utf8'));
  }

  strings(v: string[]): this {
    this.int(v.length);
    for (const s of v) this.string(s);
    return this;
  }

  /** The record with its length prefix, ready to send. */
  frame(): Buffer {
    const body = Buffer.concat(this.chunks);
    const len = Buffer.allocUnsafe(4);
    len.writeInt32BE(body.length);
    return Buffer.concat([len, body]);
  }

  private push(b: Buffer): this {
    this.chunks.push(b);
    return this;
  }
}

export class JuteReader {
  private offset = 0;

  constructor(private readonly buf: Buffer) {}

  int(): number {
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  long(): bigint {
    const v = this.buf.readBigInt64BE(this.offset);
    this.offset += 8;
    return v;
  }

  bool(): boolean {
    return this.buf.readUInt8(this.offset++) !== 0;
  }

  buffer(): Buffer | null {
    const len = this.int();
    if (len < 0) return null;
    if (this.offset + len > this.buf.length) throw new RangeError('jute buffer runs past the frame');
    const v = Buffer.from(this.buf.subarray(this.offset, this.offset + len));
    this.offset += len;
    return v;
  }

  string(): string {
    return (this.buffer() ?? Buffer.alloc(0)).toString('utf8');
  }

  strings(): string[] {
    const n = this.int();
    const v: string[] = [];
    for (let i = 0; i < n; i++) v.push(this.string());
    return v;
  }

  stat(): Stat {
    return {
      czxid: this.long(),
      mzxid: this.long(),
      ctime: this.long(),
      mtime: this.long(),
      version: this.int(),
      cversion: this.int(),
      aversion: this.int(),
      ephemeralOwner: this.long(),
      dataLength: this.int(),
      numChildren: this.int(),
      pzxid: this.long(),
    };
  }
}

export interface ConnectRequest {
  lastZxidSeen: bigint;
  timeoutMs: number;
  sessionId: bigint;
  password: Buffer;
}

export function encodeConnectRequest(r: ConnectRequest): Buffer {
  return new JuteWriter()
    .int(0) // protocol version
    .long(r.lastZxidSeen)
    .int(r.timeoutMs)
    .long(r.sessionId)
    .buffer(r.password)
    .bool(false) // not read-only
    .frame();
}

export interface ConnectResponse {
  /** 0 or less: the session expired (or is unknown to the server). */
  timeoutMs: number;
  sessionId: bigint;
  password: Buffer;
}

export function decodeConnectResponse(frame: Buffer): ConnectResponse {
  const r = new JuteReader(frame);
  r.int(); // protocol version
  return { timeoutMs: r.int(), sessionId: r.long(), password: r.buffer() ?? Buffer.alloc(16) };
}

/** A request frame: header (xid, opcode) then the body `write` appends. */
export function encodeRequest(xid: number, op: number, write?: (w: JuteWriter) => void): Buffer {
  const w = new JuteWriter().int(xid).int(op);
  write?.(w);
  return w.frame();
}

export interface ReplyHeader {
  xid: number;
  zxid: bigint;
  err: number;
}

export function decodeReplyHeader(r: JuteReader): ReplyHeader {
  return { xid: r.int(), zxid: r.long(), err: r.int() };
}

/** Create flags: ephemeral and sequential bits. */
export function createFlags(ephemeral: boolean, sequential: boolean): number {
  return (ephemeral ? 1 : 0) | (sequential ? 2 : 0);
}

/** The world:anyone ACL with every permission (OPEN_ACL_UNSAFE), the one ACL this client sets. */
function writeOpenAcl(w: JuteWriter): void {
  w.int(1).int(31).string('world').string('anyone');
}

export function writeCreate(w: JuteWriter, path: string, data: Buffer | null, flags: number): void {
  w.string(path).buffer(data);
  writeOpenAcl(w);
  w.int(flags);
}

export function writePathVersion(w: JuteWriter, path: string, version: number): void {
  w.string(path).int(version);
}

export function writeSetData(w: JuteWriter, path: string, data: Buffer, version: number): void {
  w.string(path).buffer(data).int(version);
}

export function writePathWatch(w: JuteWriter, path: string, watch: boolean): void {
  w.string(path).bool(watch);
}

export type MultiOp =
  | { op: typeof OpCode.create; path: string; data: Buffer | null; flags: number }
  | { op: typeof OpCode.setData; path: string; data: Buffer; version: number }
  | { op: typeof OpCode.delete | typeof OpCode.check; path: string; version: number };

export function writeMulti(w: JuteWriter, ops: MultiOp[]): void {
  for (const o of ops) {
    w.int(o.op).bool(false).int(-1); // MultiHeader: type, done, err
    if (o.op === OpCode.create) writeCreate(w, o.path, o.data, o.flags);
    else if (o.op === OpCode.setData) writeSetData(w, o.path, o.data, o.version);
    else writePathVersion(w, o.path, o.version);
  }
  w.int(-1).bool(true).int(-1);
}

/** The error of a failed multi (its first failing op, with the op's index), or null if it succeeded. */
export function readMultiError(r: JuteReader): { err: number; index: number } | null {
  for (let index = 0; ; index++) {
    const type = r.int();
    const done = r.bool();
    r.int(); // header err: the error result below carries it
    if (done) return null;
    if (type === OpCode.error) {
      const err = r.int();
      // Ops before the failing one report OK, the ones after it RUNTIMEINCONSISTENCY.
      if (err !== ErrorCode.ok) return { err, index };
    } else if (type === OpCode.create) r.string();
    else if (type === OpCode.setData) r.stat();
  }
}

export function encodeSetWatches(
  relativeZxid: bigint,
  watches: { data: string[]; exist: string[]; child: string[] },
): Buffer {
  return encodeRequest(Xid.setWatches, OpCode.setWatches, (w) =>
    w.long(relativeZxid).strings(watches.data).strings(watches.exist).strings(watches.child),
  );
}

export interface WatcherEvent {
  type: number;
  path: string;
}

export function decodeWatcherEvent(r: JuteReader): WatcherEvent {
  const type = r.int();
  r.int(); // keeper state
  return { type, path: r.string() };
}
