// ZkClient against a real ZooKeeper server: data operations, multi, watches, chroot, and the
// session lifecycle (reconnection, expiry and a new session, connecting while the server is down).

import { once } from 'node:events';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { ZkClient, ZkClientOptions, ZkError, ZkLogger, ZkWatchEvent, ZkWatcher } from '../../src/zookeeper';
import { JuteWriter, OpCode } from '../../src/zookeeper/protocol';
import { startZooKeeper, ZooKeeperServer } from '../helpers/zookeeper-server';

interface Logged {
  lines: string[];
  log: ZkLogger;
  /** Resolves once a line matching `pattern` was logged. */
  logged(pattern: RegExp): Promise<void>;
}

function capturedLog(): Logged {
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const add = (line: string) => {
    lines.push(line);
    for (const w of waiters.filter((w) => w.pattern.test(line))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  return {
    lines,
    log: { info: (m) => add(`info ${m}`), warn: (m) => add(`warn ${m}`) },
    logged: (pattern) =>
      lines.some((l) => pattern.test(l)) ? Promise.resolve() : new Promise((resolve) => waiters.push({ pattern, resolve })),
  };
}

function options(log = capturedLog().log): ZkClientOptions {
  return { sessionTimeoutMs: 2000, connectionTimeoutMs: 1000, log };
}

/** A watcher that records its events, and a promise of the next one. */
function recorder() {
  const events: ZkWatchEvent[] = [];
  let waiting: ((e: ZkWatchEvent) => void) | undefined;
  const watcher: ZkWatcher = (e) => {
    events.push(e);
    waiting?.(e);
    waiting = undefined;
  };
  const next = () => new Promise<ZkWatchEvent>((resolve) => (waiting = resolve));
  return { watcher, events, next };
}

async function listening(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/**
 * A fake server that grants a session, then reads requests without ever answering them:
 * a server that hangs. Records the opcodes it receives.
 */
function silentServer(): { server: Server; opcodes: number[]; sockets: Socket[] } {
  const opcodes: number[] = [];
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    let buffered = Buffer.alloc(0);
    let handshaken = false;
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 4 && buffered.length >= 4 + buffered.readInt32BE(0)) {
        const frame = buffered.subarray(4, 4 + buffered.readInt32BE(0));
        buffered = buffered.subarray(4 + frame.length);
        if (handshaken) opcodes.push(frame.readInt32BE(4));
        else socket.write(new JuteWriter().int(0).int(1500).long(0x1234n).buffer(Buffer.alloc(16)).bool(false).frame());
        handshaken = true;
      }
    });
  });
  return { server, opcodes, sockets };
}

async function expectZkError(p: Promise<unknown>, code: ZkError['code']): Promise<void> {
  await expect(p).rejects.toBeInstanceOf(ZkError);
  await expect(p).rejects.toMatchObject({ code });
}

describe('ZkClient data operations', () => {
  let server: ZooKeeperServer;
  let zk: ZkClient;

  beforeAll(async () => {
    server = await startZooKeeper();
    zk = await ZkClient.connect(server.connect, options());
  });
  afterAll(async () => {
    await zk?.close();
    await server?.stop();
  });

  test('create, get, set and delete with versions', async () => {
    expect(await zk.create('/a', Buffer.from('one'))).toBe('/a');
    const read = await zk.getData('/a');
    expect(read?.data?.toString()).toBe('one');
    expect(read?.stat).toMatchObject({ version: 0, numChildren: 0, ephemeralOwner: 0n });
    expect(read!.stat.czxid).toBeGreaterThan(0n);

    await expectZkError(zk.create('/a', null), 'NODE_EXISTS');
    await expectZkError(zk.setData('/a', Buffer.from('two'), 1), 'BAD_VERSION');
    const stat = await zk.setData('/a', Buffer.from('two'), 0);
    expect(stat.version).toBe(1);
    expect(stat.mtime).toBeGreaterThanOrEqual(stat.ctime);
    expect((await zk.setData('/a', Buffer.from('three'))).version).toBe(2);

    await zk.create('/a/child', null);
    expect((await zk.exists('/a'))?.numChildren).toBe(1);
    expect(await zk.getChildren('/a')).toEqual(['child']);
    expect((await zk.getData('/a/child'))?.data).toBeNull();
    await expectZkError(zk.delete('/a'), 'NOT_EMPTY');
    await expectZkError(zk.delete('/a/child', 5), 'BAD_VERSION');
    await zk.delete('/a/child', 0);
    await zk.delete('/a');

    expect(await zk.getData('/a')).toBeNull();
    expect(await zk.exists('/a')).toBeNull();
    expect(await zk.getChildren('/a')).toBeNull();
    await expectZkError(zk.setData('/a', Buffer.from('x')), 'NO_NODE');
    await expectZkError(zk.delete('/a'), 'NO_NODE');
    await expectZkError(zk.create('/missing/parent/node', null), 'NO_NODE');
  });

  test('createRecursive creates parents; deleteRecursive removes a tree', async () => {
    expect(await zk.createRecursive('/r/s/t', Buffer.from('leaf'))).toBe('/r/s/t');
    expect((await zk.getData('/r/s'))?.data).toBeNull();
    expect((await zk.getData('/r/s/t'))?.data?.toString()).toBe('leaf');
    await expectZkError(zk.createRecursive('/r/s/t', null), 'NODE_EXISTS');
    await zk.create('/r/u', Buffer.alloc(0));
    expect((await zk.getData('/r/u'))?.data).toEqual(Buffer.alloc(0));

    await zk.deleteRecursive('/r');
    expect(await zk.exists('/r')).toBeNull();
    await zk.deleteRecursive('/r');
  });

  test('sequential nodes and ephemeral nodes, which go with their session', async () => {
    await zk.create('/seq', null);
    const first = await zk.create('/seq/n-', null, 'persistent_sequential');
    const second = await zk.create('/seq/n-', null, 'ephemeral_sequential');
    expect(first).toMatch(/^\/seq\/n-\d{10}$/);
    expect(Number(second.slice(-10))).toBe(Number(first.slice(-10)) + 1);

    const other = await ZkClient.connect(server.connect, options());
    expect(other.sessionId).not.toBe(zk.sessionId);
    await other.create('/eph', Buffer.from('mine'), 'ephemeral');
    expect((await zk.exists('/eph'))?.ephemeralOwner).toBe(other.sessionId);
    await expectZkError(other.create('/eph/child', null), 'OTHER');
    await other.close();
    expect(await zk.exists('/eph')).toBeNull();
  });

  test('multi applies every op or none', async () => {
    await zk.create('/m', Buffer.from('v0'));
    // Version 0 is a real condition (the library alone would send it as "any version").
    await zk.multi([
      { type: 'check', path: '/m', version: 0 },
      { type: 'setData', path: '/m', data: Buffer.from('v1'), version: 0 },
    ]);
    await expectZkError(
      zk.multi([
        { type: 'create', path: '/m-new', data: null, mode: 'persistent' },
        { type: 'check', path: '/m', version: 0 },
      ]),
      'BAD_VERSION',
    );
    expect(await zk.exists('/m-new')).toBeNull();
    await expectZkError(
      zk.multi([
        { type: 'create', path: '/m-new', data: null, mode: 'persistent' },
        { type: 'setData', path: '/m', data: Buffer.from('x'), version: 0 },
      ]),
      'BAD_VERSION',
    );
    expect(await zk.exists('/m-new')).toBeNull();

    await zk.multi([
      { type: 'check', path: '/m', version: 1 },
      { type: 'create', path: '/m-new', data: Buffer.from('n'), mode: 'persistent' },
      { type: 'setData', path: '/m', data: Buffer.from('v2'), version: 1 },
      { type: 'create', path: '/m-new/child', data: null, mode: 'ephemeral' },
    ]);
    expect((await zk.getData('/m'))?.data?.toString()).toBe('v2');
    expect((await zk.exists('/m-new/child'))?.ephemeralOwner).toBe(zk.sessionId);

    await zk.multi([
      { type: 'delete', path: '/m-new/child', version: 0 },
      { type: 'delete', path: '/m-new', version: -1 },
    ]);
    expect(await zk.exists('/m-new')).toBeNull();
  });

  test('data, child and existence watches fire once', async () => {
    await zk.create('/w', Buffer.from('a'));
    const data = recorder();
    const children = recorder();
    await zk.getData('/w', data.watcher);
    await zk.getData('/w', data.watcher);
    await zk.getChildren('/w', children.watcher);

    const changed = data.next();
    await zk.setData('/w', Buffer.from('b'));
    expect(await changed).toEqual({ type: 'changed', path: '/w' });
    const child = children.next();
    await zk.create('/w/c', null);
    expect(await child).toEqual({ type: 'child', path: '/w' });

    // Changes after the watches fired notify nobody: notifications arrive in order, so once a
    // later watch has fired, an extra call of the first ones would have been seen.
    await zk.setData('/w', Buffer.from('c'));
    await zk.create('/w/d', null);
    const later = recorder();
    await zk.exists('/w', later.watcher);
    const laterChanged = later.next();
    await zk.setData('/w', Buffer.from('d'));
    await laterChanged;
    expect(data.events).toHaveLength(1);
    expect(children.events).toHaveLength(1);

    const creation = recorder();
    expect(await zk.getData('/w-later', creation.watcher)).toBeNull();
    const created = creation.next();
    await zk.create('/w-later', null);
    expect(await created).toEqual({ type: 'created', path: '/w-later' });

    const deletion = recorder();
    expect(await zk.exists('/w-later', deletion.watcher)).not.toBeNull();
    const deleted = deletion.next();
    await zk.delete('/w-later');
    expect(await deleted).toEqual({ type: 'deleted', path: '/w-later' });
  });

  test('a chroot is created when missing, and paths are relative to it', async () => {
    const chrooted = await ZkClient.connect(`${server.connect}/kafka/cluster-1`, options());
    try {
      expect(await zk.exists('/kafka/cluster-1')).not.toBeNull();
      expect(await chrooted.getChildren('/')).toEqual([]);

      const watch = recorder();
      expect(await chrooted.getChildren('/brokers', watch.watcher)).toBeNull();
      const created = watch.next();
      await chrooted.create('/brokers', null);
      expect(await created).toEqual({ type: 'created', path: '/brokers' });
      expect(await zk.getChildren('/kafka/cluster-1')).toEqual(['brokers']);

      const seq = await chrooted.create('/brokers/b-', Buffer.from('x'), 'ephemeral_sequential');
      expect(seq).toMatch(/^\/brokers\/b-\d{10}$/);
      expect((await zk.getData(`/kafka/cluster-1${seq}`))?.data?.toString()).toBe('x');
      await chrooted.multi([{ type: 'create', path: '/topics', data: null, mode: 'persistent' }]);
      expect(await zk.exists('/kafka/cluster-1/topics')).not.toBeNull();
      expect((await chrooted.getChildren('/'))?.sort()).toEqual(['brokers', 'topics']);
    } finally {
      await chrooted.close();
    }
    // Connecting again finds the chroot in place.
    const again = await ZkClient.connect(`${server.connect}/kafka/cluster-1`, options());
    expect((await again.getChildren('/'))?.sort()).toEqual(['brokers', 'topics']);
    await again.close();
  });

  test('operations after close fail with CONNECTION_LOSS', async () => {
    const closed = await ZkClient.connect(server.connect, options());
    await closed.close();
    await expectZkError(closed.exists('/'), 'CONNECTION_LOSS');
  });
});

describe('ZkClient sessions', () => {
  let server: ZooKeeperServer;

  beforeEach(async () => {
    server = await startZooKeeper();
  });
  afterEach(async () => {
    await server?.stop();
  });

  test('reconnects after a server restart and keeps its session, ephemerals and watches', async () => {
    const zk = await ZkClient.connect(server.connect, options());
    try {
      const session = zk.sessionId;
      await zk.create('/eph', null, 'ephemeral');
      const watch = recorder();
      await zk.getData('/eph', watch.watcher);

      const disconnected = once(zk, 'disconnected');
      const reconnected = once(zk, 'connected');
      await server.restart();
      await disconnected;
      await reconnected;

      expect(zk.sessionId).toBe(session);
      expect((await zk.exists('/eph'))?.ephemeralOwner).toBe(session);
      const changed = watch.next();
      await zk.setData('/eph', Buffer.from('after restart'));
      expect(await changed).toEqual({ type: 'changed', path: '/eph' });
    } finally {
      await zk.close();
    }
  });

  test('operations wait for a reconnection, and fail with CONNECTION_LOSS when none comes in time', async () => {
    const impatient = await ZkClient.connect(server.connect, { ...options(), connectionTimeoutMs: 200 });
    const patient = await ZkClient.connect(server.connect, { ...options(), connectionTimeoutMs: 30_000 });
    try {
      const disconnected = [once(impatient, 'disconnected'), once(patient, 'disconnected')];
      await server.kill();
      await Promise.all(disconnected);
      await expectZkError(impatient.exists('/'), 'CONNECTION_LOSS');

      const pending = patient.create('/later', null);
      await server.restart();
      expect(await pending).toBe('/later');
    } finally {
      await impatient.close();
      await patient.close();
    }
  });

  test('after its session expires, the client establishes a new one', async () => {
    const { log, logged } = capturedLog();
    const zk = await ZkClient.connect(server.connect, options(log));
    try {
      const oldSession = zk.sessionId;
      await zk.create('/eph', null, 'ephemeral');
      const watch = recorder();
      await zk.getData('/eph', watch.watcher);

      const events: string[] = [];
      for (const e of ['connected', 'disconnected', 'expired', 'session'] as const) zk.on(e, () => events.push(e));
      const session = once(zk, 'session');
      await server.expireSessions();
      await session;

      expect(events.slice(-3)).toEqual(['expired', 'connected', 'session']);
      expect(zk.sessionId).not.toBe(oldSession);
      expect(await zk.exists('/eph')).toBeNull();
      await zk.create('/eph', null, 'ephemeral');
      expect((await zk.exists('/eph'))?.ephemeralOwner).toBe(zk.sessionId);
      // The old session's watch went with it (the deletion of its ephemeral is not reported).
      expect(watch.events).toEqual([]);
      await logged(/^warn .*expired/);
    } finally {
      await zk.close();
    }
  });

  test('connect retries while the server is down and succeeds once it starts', async () => {
    await server.kill();
    const { log, logged } = capturedLog();
    const connecting = ZkClient.connect(`${server.connect}/chroot`, { ...options(log), connectionTimeoutMs: 300 });
    await logged(/^warn .*attempt 2 /);

    await server.restart();
    const zk = await connecting;
    try {
      expect(await zk.getChildren('/')).toEqual([]);
    } finally {
      await zk.close();
    }
  });

  test('connect finds the live server among several', async () => {
    const closed = createServer();
    const closedPort = await listening(closed);
    closed.close();
    const zk = await ZkClient.connect(`127.0.0.1:${closedPort},${server.connect}/multi-host`, options());
    expect(await zk.getChildren('/')).toEqual([]);
    await zk.close();
  });

  test('a server that stops answering is pinged, then left once silent for 2/3 of the session timeout', async () => {
    const silent = silentServer();
    const port = await listening(silent.server);
    const zk = await ZkClient.connect(`127.0.0.1:${port}`, options());
    try {
      expect(zk.sessionId).toBe(0x1234n);
      await once(zk, 'disconnected');
      expect(silent.opcodes).toContain(OpCode.ping);
    } finally {
      silent.server.close();
      for (const socket of silent.sockets) socket.destroy();
      await zk.close();
    }
  });

  test('connect gives up when its signal aborts', async () => {
    await server.kill();
    const abort = new AbortController();
    const connecting = ZkClient.connect(server.connect, options(), abort.signal);
    abort.abort(new Error('shutting down'));
    await expect(connecting).rejects.toThrow('shutting down');
  });
});
