// The in-memory ensemble's sessions, in process: each operation's semantics and errors as a
// ZooKeeper server gives them, multi atomicity, sequential names, one-shot watches, and the end of
// a session by close, expiry and crash.

import { InMemoryEnsemble, InMemorySession, ZkError, ZkWatchEvent, ZkWatcher } from '../../src/zookeeper';
import { waitFor } from '../helpers/wait';

let ensemble: InMemoryEnsemble;
let zk: InMemorySession;

beforeEach(() => {
  ensemble = new InMemoryEnsemble();
  zk = ensemble.openSession();
});

async function expectZkError(p: Promise<unknown>, code: ZkError['code']): Promise<ZkError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ZkError);
  expect((err as ZkError).code).toBe(code);
  return err as ZkError;
}

/** A watcher that records its events. */
function recorder(): ZkWatcher & { events: ZkWatchEvent[] } {
  const events: ZkWatchEvent[] = [];
  return Object.assign((e: ZkWatchEvent) => void events.push(e), { events });
}

/** Lets queued watch deliveries run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('operations', () => {
  test('the root and /zookeeper exist', async () => {
    expect(await zk.exists('/')).not.toBeNull();
    expect(await zk.getChildren('/')).toEqual(['zookeeper']);
  });

  test('create, getData, setData and delete, with versions', async () => {
    expect(await zk.create('/a', Buffer.from('one'))).toBe('/a');
    const read = await zk.getData('/a');
    expect(read?.data?.toString()).toBe('one');
    expect(read?.stat).toMatchObject({ version: 0, ephemeralOwner: 0n, numChildren: 0 });
    expect(read?.stat.czxid).toBe(read?.stat.mzxid);

    const stat = await zk.setData('/a', Buffer.from('two'), 0);
    expect(stat.version).toBe(1);
    expect(stat.czxid).toBe(read?.stat.czxid);
    expect(stat.mzxid).toBeGreaterThan(read!.stat.mzxid);
    await expectZkError(zk.setData('/a', Buffer.from('three'), 0), 'BAD_VERSION');
    expect((await zk.setData('/a', Buffer.from('any'))).version).toBe(2);

    await zk.create('/a/child', null);
    expect((await zk.exists('/a'))?.numChildren).toBe(1);
    expect((await zk.getData('/a/child'))?.data).toBeNull();
    await expectZkError(zk.delete('/a'), 'NOT_EMPTY');
    await expectZkError(zk.delete('/a/child', 5), 'BAD_VERSION');
    await zk.delete('/a/child', 0);
    await zk.delete('/a');
    expect(await zk.exists('/a')).toBeNull();
    expect(await zk.getData('/a')).toBeNull();
    expect(await zk.getChildren('/a')).toBeNull();
  });

  test('errors: NODE_EXISTS, NO_NODE, invalid paths, the root', async () => {
    await zk.create('/a', null);
    const exists = await expectZkError(zk.create('/a', null), 'NODE_EXISTS');
    expect(exists.message).toBe('NODE_EXISTS: create /a');
    await expectZkError(zk.setData('/missing', Buffer.from('x')), 'NO_NODE');
    await expectZkError(zk.delete('/missing'), 'NO_NODE');
    await expectZkError(zk.create('/missing/parent/node', null), 'NO_NODE');
    await expectZkError(zk.create('relative', null), 'OTHER');
    await expectZkError(zk.getData('/trailing/'), 'OTHER');
    await expectZkError(zk.exists('/a//b'), 'OTHER');
    await expectZkError(zk.create('/', null), 'NODE_EXISTS');
    await expectZkError(zk.delete('/'), 'OTHER');
  });

  test('data is copied in and out', async () => {
    const data = Buffer.from('abc');
    await zk.create('/a', data);
    data.write('x');
    const read = await zk.getData('/a');
    read!.data!.write('y');
    expect((await zk.getData('/a'))?.data?.toString()).toBe('abc');
  });

  test('czxid grows with every creation; ctime and mtime are wall-clock times', async () => {
    const before = Date.now();
    await zk.create('/a', null);
    await zk.create('/b', null);
    const a = (await zk.exists('/a'))!;
    const b = (await zk.exists('/b'))!;
    expect(b.czxid).toBeGreaterThan(a.czxid);
    expect(a.ctime).toBeGreaterThanOrEqual(before);
    expect(a.mtime).toBe(a.ctime);
  });

  test('createRecursive creates parents; deleteRecursive removes a tree', async () => {
    expect(await zk.createRecursive('/r/s/t', Buffer.from('leaf'))).toBe('/r/s/t');
    expect((await zk.getData('/r/s/t'))?.data?.toString()).toBe('leaf');
    expect((await zk.getData('/r/s'))?.data).toBeNull();
    await expectZkError(zk.createRecursive('/r/s/t', null), 'NODE_EXISTS');
    await zk.create('/r/s2', null);
    await zk.deleteRecursive('/r');
    expect(await zk.exists('/r')).toBeNull();
    await zk.deleteRecursive('/r');
  });

  test('sequential nodes: a 10-digit counter per parent, counting every child change', async () => {
    await zk.create('/q', null);
    expect(await zk.create('/q/item-', null, 'persistent_sequential')).toBe('/q/item-0000000000');
    await zk.create('/q/plain', null);
    await zk.delete('/q/plain');
    expect(await zk.create('/q/item-', null, 'persistent_sequential')).toBe('/q/item-0000000003');
    expect(await zk.create('/seq-', null, 'ephemeral_sequential')).toMatch(/^\/seq-\d{10}$/);
    await zk.create('/other', null);
    expect(await zk.create('/other/x', null, 'persistent_sequential')).toBe('/other/x0000000000');
  });

  test('ephemeral nodes carry their session and take no children', async () => {
    const other = ensemble.openSession();
    expect(other.sessionId).not.toBe(zk.sessionId);
    await other.create('/eph', null, 'ephemeral');
    expect((await zk.exists('/eph'))?.ephemeralOwner).toBe(other.sessionId);
    const err = await expectZkError(other.create('/eph/child', null), 'OTHER');
    expect(err.message).toMatch(/ephemeral/);
  });
});

describe('multi', () => {
  test('applies every op under one zxid', async () => {
    await zk.create('/m', Buffer.from('0'));
    await zk.multi([
      { type: 'check', path: '/m', version: 0 },
      { type: 'create', path: '/m/child', data: null, mode: 'ephemeral' },
      { type: 'setData', path: '/m', data: Buffer.from('1'), version: 0 },
      { type: 'create', path: '/m-new', data: null, mode: 'persistent' },
    ]);
    const child = (await zk.exists('/m/child'))!;
    expect(child.ephemeralOwner).toBe(zk.sessionId);
    expect((await zk.getData('/m'))?.stat.mzxid).toBe(child.czxid);
    expect((await zk.exists('/m-new'))?.czxid).toBe(child.czxid);
  });

  test('a failing op leaves nothing applied and names the op', async () => {
    await zk.create('/m', Buffer.from('0'));
    const stat = (await zk.exists('/m'))!;
    const err = await expectZkError(
      zk.multi([
        { type: 'create', path: '/m/a', data: null, mode: 'persistent' },
        { type: 'setData', path: '/m', data: Buffer.from('1'), version: 0 },
        { type: 'delete', path: '/m/a', version: -1 },
        { type: 'create', path: '/m/b', data: null, mode: 'persistent_sequential' },
        { type: 'check', path: '/m', version: 0 },
      ]),
      'BAD_VERSION',
    );
    expect(err.message).toBe('BAD_VERSION: multi op 4 (check /m)');
    expect(await zk.getChildren('/m')).toEqual([]);
    expect(await zk.exists('/m')).toEqual(stat);
    expect((await zk.getData('/m'))?.data?.toString()).toBe('0');
    // The sequence counter was rolled back with the rest.
    expect(await zk.create('/m/b', null, 'persistent_sequential')).toBe('/m/b0000000000');
    await expectZkError(zk.multi([{ type: 'check', path: '/nope', version: -1 }]), 'NO_NODE');
    await expectZkError(
      zk.multi([
        { type: 'delete', path: '/m/b0000000000', version: -1 },
        { type: 'create', path: '/m', data: null, mode: 'persistent' },
      ]),
      'NODE_EXISTS',
    );
    expect(await zk.exists('/m/b0000000000')).not.toBeNull();
  });

  test('a failed multi fires no watches', async () => {
    await zk.create('/m', null);
    const w = recorder();
    await zk.getData('/m', w);
    await expectZkError(
      zk.multi([
        { type: 'setData', path: '/m', data: Buffer.from('1'), version: -1 },
        { type: 'check', path: '/m', version: 7 },
      ]),
      'BAD_VERSION',
    );
    await settle();
    expect(w.events).toEqual([]);
  });
});

describe('watches', () => {
  test('getData watch: changed, then one-shot', async () => {
    await zk.create('/w', null);
    const w = recorder();
    await zk.getData('/w', w);
    await zk.setData('/w', Buffer.from('1'));
    await zk.setData('/w', Buffer.from('2'));
    await settle();
    expect(w.events).toEqual([{ type: 'changed', path: '/w' }]);
  });

  test('exists watch on a missing node fires created; getData on a missing node too', async () => {
    const viaExists = recorder();
    const viaGetData = recorder();
    expect(await zk.exists('/w', viaExists)).toBeNull();
    expect(await zk.getData('/w', viaGetData)).toBeNull();
    await zk.create('/w', null);
    await settle();
    expect(viaExists.events).toEqual([{ type: 'created', path: '/w' }]);
    expect(viaGetData.events).toEqual([{ type: 'created', path: '/w' }]);
  });

  test('child watch: child on add and remove, deleted when the node goes; data watch: deleted', async () => {
    await zk.create('/p', null);
    const children = recorder();
    expect(await zk.getChildren('/p', children)).toEqual([]);
    await zk.create('/p/c', null);
    await settle();
    expect(children.events).toEqual([{ type: 'child', path: '/p' }]);

    await zk.getChildren('/p', children);
    await zk.setData('/p', Buffer.from('x'));
    await zk.delete('/p/c');
    await settle();
    expect(children.events).toEqual([
      { type: 'child', path: '/p' },
      { type: 'child', path: '/p' },
    ]);

    const data = recorder();
    await zk.getChildren('/p', children);
    await zk.exists('/p', data);
    await zk.delete('/p');
    await settle();
    expect(children.events[2]).toEqual({ type: 'deleted', path: '/p' });
    expect(data.events).toEqual([{ type: 'deleted', path: '/p' }]);
  });

  test('getChildren on a missing node watches for its creation', async () => {
    const w = recorder();
    expect(await zk.getChildren('/later', w)).toBeNull();
    await zk.create('/later', null);
    await settle();
    expect(w.events).toEqual([{ type: 'created', path: '/later' }]);
  });

  test('the same watcher set twice on a path, or by getData and getChildren, fires once', async () => {
    await zk.create('/d', null);
    const w = recorder();
    await zk.getData('/d', w);
    await zk.exists('/d', w);
    await zk.getChildren('/d', w);
    await zk.delete('/d');
    await settle();
    expect(w.events).toEqual([{ type: 'deleted', path: '/d' }]);
  });

  test("another session's writes fire this session's watches, in order", async () => {
    const other = ensemble.openSession();
    const w = recorder();
    await zk.exists('/x', w);
    const seen: string[] = [];
    await zk.getChildren('/', () => seen.push('root children'));
    await other.create('/x', null);
    await settle();
    expect(w.events).toEqual([{ type: 'created', path: '/x' }]);
    expect(seen).toEqual(['root children']);
  });

  test('a watcher can set its watch again from its callback', async () => {
    await zk.create('/loop', null);
    const versions: number[] = [];
    const watcher: ZkWatcher = () => {
      void zk.getData('/loop', watcher).then((node) => versions.push(node!.stat.version));
    };
    await zk.getData('/loop', watcher);
    await zk.setData('/loop', Buffer.from('1'));
    await waitFor(() => versions.length === 1, 'the first change');
    await zk.setData('/loop', Buffer.from('2'));
    await waitFor(() => versions.length === 2, 'the second change');
    expect(versions).toEqual([1, 2]);
  });
});

describe('session ends', () => {
  test('close deletes ephemerals, fires watches of others, and later calls fail', async () => {
    const other = ensemble.openSession();
    await other.create('/eph', null, 'ephemeral');
    await other.create('/keep', null);
    const w = recorder();
    await zk.exists('/eph', w);
    const own = recorder();
    await other.exists('/eph', own);
    await other.close();
    await settle();
    expect(await zk.exists('/eph')).toBeNull();
    expect(await zk.exists('/keep')).not.toBeNull();
    expect(w.events).toEqual([{ type: 'deleted', path: '/eph' }]);
    expect(own.events).toEqual([]);
    await expectZkError(other.exists('/'), 'CONNECTION_LOSS');
    await expectZkError(other.create('/z', null), 'CONNECTION_LOSS');
    await other.close();
    expect(() => ensemble.expire(other.sessionId)).toThrow(/no open session/);
  });

  test("expire deletes ephemerals; the client emits 'expired', 'connected', 'session' and goes on with a new session", async () => {
    const other = ensemble.openSession();
    const old = other.sessionId;
    await other.create('/eph', null, 'ephemeral');
    const w = recorder();
    await zk.getData('/eph', w);
    const events: string[] = [];
    for (const e of ['expired', 'connected', 'session', 'disconnected'] as const) other.on(e, () => events.push(e));

    ensemble.expire(old);
    expect(await zk.exists('/eph')).toBeNull();
    await waitFor(() => events.length === 3, "'session'");
    expect(events).toEqual(['expired', 'connected', 'session']);
    expect(w.events).toEqual([{ type: 'deleted', path: '/eph' }]);
    expect(other.sessionId).not.toBe(old);
    await other.create('/eph', null, 'ephemeral');
    expect((await zk.exists('/eph'))?.ephemeralOwner).toBe(other.sessionId);
    expect(() => ensemble.expire(old)).toThrow(/no open session/);
  });

  test("an expired session's watches are gone", async () => {
    await zk.create('/n', null);
    const w = recorder();
    await zk.getData('/n', w);
    ensemble.expire(zk.sessionId);
    await zk.setData('/n', Buffer.from('x'));
    await settle();
    expect(w.events).toEqual([]);
  });

  test('crash deletes ephemerals, fires others’ watches; the dead client has no events nor session', async () => {
    const other = ensemble.openSession();
    await other.create('/eph', null, 'ephemeral');
    const w = recorder();
    await zk.exists('/eph', w);
    const events: string[] = [];
    for (const e of ['expired', 'connected', 'session'] as const) other.on(e, () => events.push(e));
    const id = other.sessionId;

    ensemble.crash(id);
    await waitFor(() => w.events.length === 1, 'the deletion event');
    expect(w.events).toEqual([{ type: 'deleted', path: '/eph' }]);
    await settle();
    await settle();
    expect(events).toEqual([]);
    expect(other.sessionId).toBe(id);
    await expectZkError(other.getData('/'), 'CONNECTION_LOSS');
    expect(() => ensemble.crash(id)).toThrow(/no open session/);
  });

  test('the logger hears of connection and expiry', async () => {
    const lines: string[] = [];
    const logged = ensemble.openSession({ info: (m) => lines.push(m), warn: (m) => lines.push(m) });
    const first = logged.sessionId;
    const session = new Promise<void>((resolve) => logged.on('session', resolve));
    ensemble.expire(first);
    await session;
    expect(lines).toEqual([
      `Connected to an in-memory ZooKeeper ensemble, session 0x${first.toString(16)}`,
      `ZooKeeper session 0x${first.toString(16)} expired; establishing a new session`,
      `Connected to an in-memory ZooKeeper ensemble, session 0x${logged.sessionId.toString(16)}`,
    ]);
  });
});
