// The console's message browser over HTTP against a real broker: pages forwards and backwards
// across partitions with cursors, each filter mode (and the header filter), each decoding, the
// budget cut, read_committed hiding an aborted transaction, produce and the live tail, and the
// 400s of bad input.

import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { ClusterClient } from '../../src/client/cluster-client';
import { ConsoleServer } from '../../src/console/console-server';
import { writeTransaction } from '../tools/clients-transaction';
import { call, get, produceAll } from './console-helpers';

let broker: BrokerProcess;
let server: ConsoleServer;
let tiny: ConsoleServer;
let base: string;
const BASE_TIME = 1_700_000_000_000;
const COUNT = 30;

beforeAll(async () => {
  broker = await startBroker({ waitForStarted: true });
  server = await ConsoleServer.start({ host: '127.0.0.1', port: 0 }, { bootstrapServers: broker.bootstrap });
  tiny = await ConsoleServer.start({ host: '127.0.0.1', port: 0 }, { bootstrapServers: broker.bootstrap, budget: { timeMs: 2000, bytes: 1 } });
  base = server.url;
  expect((await call(base, 'POST', '/api/topics', { name: 'paged', partitions: 3, replicationFactor: 1 })).status).toBe(201);
  expect((await call(base, 'POST', '/api/topics', { name: 'txn', partitions: 1, replicationFactor: 1 })).status).toBe(201);
  await produceAll(
    broker.bootstrap,
    Array.from({ length: COUNT }, (_, i) => ({
      topic: 'paged',
      partition: i % 3,
      key: Buffer.from(`k${i}`),
      value: Buffer.from(JSON.stringify({ n: i, tags: [i % 2 === 0 ? 'even' : 'odd'], inner: { x: i } })),
      headers: [{ key: 'h', value: Buffer.from(`v${i % 2}`) }],
      timestamp: BASE_TIME + i,
    })),
  );
});

afterAll(async () => {
  await server?.close();
  await tiny?.close();
  await cleanup(broker);
});

const ns = (body: { records: { value: string }[] }) => body.records.map((r) => (JSON.parse(r.value) as { n: number }).n);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const messages = (query: string, at = base) => get(at, `/api/topics/paged/messages?${query}`);

test('pages forwards from the earliest records across partitions, merged by timestamp, and back', async () => {
  const first = await messages('start=earliest&limit=10');
  expect(first.status).toBe(200);
  expect(ns(first.body)).toEqual(range(0, 10));
  expect(first.body.prev).toBeNull();
  expect(first.body.records[0]).toMatchObject({ partition: 0, offset: 0, timestamp: BASE_TIME, timestampType: 'CreateTime', key: 'k0', keySize: 2, compression: 'none', headers: [{ key: 'h', value: 'v0' }] });
  const second = await messages(`cursor=${first.body.next}&direction=next&limit=10`);
  expect(ns(second.body)).toEqual(range(10, 20));
  const third = await messages(`cursor=${second.body.next}&direction=next&limit=10`);
  expect(ns(third.body)).toEqual(range(20, 30));
  expect(third.body.next).toBeNull();
  const back = await messages(`cursor=${third.body.prev}&direction=prev&limit=10`);
  expect(ns(back.body)).toEqual(range(10, 20));
  expect(back.body.budget).toEqual({ cut: false });
});

test('starts at the last page by default and pages backwards to the first', async () => {
  const last = await messages('limit=10');
  expect(ns(last.body)).toEqual(range(20, 30));
  expect(last.body.next).toBeNull();
  const middle = await messages(`cursor=${last.body.prev}&limit=10`);
  expect(ns(middle.body)).toEqual(range(10, 20));
  const first = await messages(`cursor=${middle.body.prev}&limit=10`);
  expect(ns(first.body)).toEqual(range(0, 10));
  expect(first.body.prev).toBeNull();
  const forward = await messages(`cursor=${first.body.next}&limit=10`);
  expect(ns(forward.body)).toEqual(range(10, 20));
});

test('reads chosen partitions from an offset or a timestamp', async () => {
  expect(ns((await messages('partitions=1&start=earliest&limit=500')).body)).toEqual(range(0, COUNT).filter((i) => i % 3 === 1));
  expect(ns((await messages('partitions=0&start=offset:5&limit=3')).body)).toEqual([15, 18, 21]);
  expect(ns((await messages(`start=timestamp:${BASE_TIME + 25}&limit=50`)).body)).toEqual(range(25, 30));
});

test('filters on key, value and headers by substring, regex and JSON path', async () => {
  const match = async (q: string) => ns((await messages(`start=earliest&limit=500&${q}`)).body);
  expect(await match('filter=k1&filterOn=key')).toEqual([1, ...range(10, 20)]);
  expect(await match(`filter=${encodeURIComponent('^k2\\d$')}&filterOn=key&filterMode=regex`)).toEqual(range(20, 30));
  expect(await match(`filter=${encodeURIComponent('$.inner.x == 4')}&filterMode=jsonpath`)).toEqual([4]);
  expect(await match(`filter=${encodeURIComponent('$..x == 7')}&filterMode=jsonpath`)).toEqual([7]);
  expect(await match(`filter=${encodeURIComponent('$.tags[0] == "odd"')}&filterMode=jsonpath`)).toEqual(range(0, COUNT).filter((i) => i % 2 === 1));
  expect(await match('filter=v1&filterOn=header&headerKey=h')).toEqual(range(0, COUNT).filter((i) => i % 2 === 1));
  expect(await match('filterOn=header&headerKey=missing')).toEqual([]);
  const few = await messages('start=earliest&limit=2&filter=k2&filterOn=key');
  expect(ns(few.body)).toEqual([2, 20]);
  expect(ns((await messages(`cursor=${few.body.next}&limit=50&filter=k2&filterOn=key`)).body)).toEqual(range(21, 30));
});

test('decodes keys, values and headers as text, JSON, hex or base64', async () => {
  const one = async (decode: string) => (await messages(`partitions=0&start=earliest&limit=1&decode=${decode}`)).body.records[0];
  expect(await one('hex')).toMatchObject({ key: Buffer.from('k0').toString('hex'), headers: [{ key: 'h', value: Buffer.from('v0').toString('hex') }] });
  expect((await one('base64')).key).toBe(Buffer.from('k0').toString('base64'));
  expect((await one('json')).value).toBe(JSON.stringify({ n: 0, tags: ['even'], inner: { x: 0 } }, null, 2));
  expect((await one('text')).value).toBe(JSON.stringify({ n: 0, tags: ['even'], inner: { x: 0 } }));
});

test('a call over its byte budget stops, says so, and its cursor resumes', async () => {
  const cut = await messages('start=earliest&limit=50', tiny.url);
  expect(cut.status).toBe(200);
  expect(cut.body.budget).toEqual({ cut: true, reason: 'bytes' });
  expect(cut.body.records.length).toBeLessThan(COUNT);
  expect(cut.body.next).not.toBeNull();
  const rest = await messages(`cursor=${cut.body.next}&limit=50`);
  expect([...ns(cut.body), ...ns(rest.body)].sort((a, b) => a - b)).toEqual(range(0, COUNT));
});

test('a call over its time budget stops and says so', async () => {
  const stopped = await ConsoleServer.start({ host: '127.0.0.1', port: 0 }, { bootstrapServers: broker.bootstrap, budget: { timeMs: 0, bytes: 16 * 1024 * 1024 } });
  try {
    const cut = await messages('start=earliest&limit=50', stopped.url);
    expect(cut.body).toMatchObject({ records: [], budget: { cut: true, reason: 'time' }, prev: null });
    expect(ns((await messages(`cursor=${cut.body.next}&limit=50`)).body)).toEqual(range(0, COUNT));
  } finally {
    await stopped.close();
  }
});

test('read_committed hides an aborted transaction; control batches never show', async () => {
  const client = await ClusterClient.connect({ bootstrapServers: broker.bootstrap });
  try {
    await writeTransaction(client, 'console-commit', 'txn', ['c1'], true);
    await writeTransaction(client, 'console-abort', 'txn', ['a1', 'a2'], false);
  } finally {
    client.close();
  }
  const values = async (isolation: string) => (await get(base, `/api/topics/txn/messages?start=earliest&isolation=${isolation}`)).body.records.map((r: { value: string }) => r.value);
  expect(await values('read_committed')).toEqual(['c1']);
  expect(await values('read_uncommitted')).toEqual(['c1', 'a1', 'a2']);
  expect((await get(base, '/api/topics/txn/messages?isolation=read_committed')).body.records.map((r: { value: string }) => r.value)).toEqual(['c1']);
});

test('bad input is a 400 saying what is wrong; an unknown topic a 404', async () => {
  const bad = async (q: string) => {
    const a = await messages(q);
    expect(a.status).toBe(400);
    return a.body.error as string;
  };
  expect(await bad('start=offset:abc')).toMatch(/Invalid offset "abc"/);
  expect(await bad('start=yesterday')).toMatch(/Invalid start/);
  expect(await bad('filter=(&filterMode=regex')).toMatch(/Invalid regex \(/);
  expect(await bad('filter=inner.x&filterMode=jsonpath')).toMatch(/Invalid JSON path inner.x/);
  expect(await bad('limit=0')).toMatch(/limit must be a whole number from 1 to 500/);
  expect(await bad('cursor=nonsense')).toMatch(/Invalid cursor/);
  expect(await bad('decode=rot13')).toMatch(/Unknown decode/);
  expect((await get(base, '/api/topics/nope/messages')).status).toBe(404);
  const huge = await call(base, 'POST', '/api/topics/paged/produce', { value: 'x'.repeat(1024 * 1024 + 1) });
  expect(huge.status).toBe(400);
  expect(huge.body.error).toMatch(/too large/);
});

test('produces a record that the browser then shows, and the live tail streams new records', async () => {
  const sent = await call(base, 'POST', '/api/topics/paged/produce', { partition: 2, key: 'pk', value: 'pv', headers: [{ key: 'a', value: 'b' }] });
  expect(sent.status).toBe(200);
  expect(sent.body).toEqual({ partition: 2, offset: COUNT / 3 });
  const last = await messages('partitions=2&limit=1');
  expect(last.body.records).toEqual([expect.objectContaining({ partition: 2, offset: COUNT / 3, key: 'pk', value: 'pv', headers: [{ key: 'a', value: 'b' }] })]);

  const abort = new AbortController();
  const res = await fetch(new URL('/api/topics/paged/tail?partitions=1', base), { signal: abort.signal });
  expect(res.headers.get('content-type')).toBe('text/event-stream');
  const reader = res.body!.getReader();
  let text = '';
  text += new TextDecoder().decode((await reader.read()).value);
  await call(base, 'POST', '/api/topics/paged/produce', { partition: 1, key: null, value: 'tailed' });
  while (!text.includes('"tailed"')) text += new TextDecoder().decode((await reader.read()).value);
  abort.abort();
  const event = /event: record\ndata: (.*)\n\n/.exec(text);
  expect(JSON.parse(event![1])).toMatchObject({ partition: 1, key: null, value: 'tailed' });
});
