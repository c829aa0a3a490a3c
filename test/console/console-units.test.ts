// The console's pure parts, in process: the JSONPath subset, cursors and start positions, the
// Prometheus counters behind throughput; and the server's static files (SPA fallback, the 503 page
// of an unbuilt UI) and its 502 when the cluster is unreachable.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleServer } from '../../src/console/console-server';
import { evaluate, parseJsonPath, parseJsonPathFilter, matchesJsonPath } from '../../src/console/json-path';
import { decodeCursor, encodeCursor, parseStart } from '../../src/console/message-browser';
import { parseCounters } from '../../src/console/throughput';
import { get } from './console-helpers';

test('the JSONPath subset: children, indexes, wildcards, any depth, equality', () => {
  const doc = { a: { b: [{ c: 1 }, { c: 2 }] }, x: { y: { x: 3 } }, 'odd key': true };
  expect(evaluate(parseJsonPath('$.a.b[1].c'), doc)).toEqual([2]);
  expect(evaluate(parseJsonPath('$.a.b[*].c'), doc)).toEqual([1, 2]);
  expect(evaluate(parseJsonPath("$['odd key']"), doc)).toEqual([true]);
  expect(evaluate(parseJsonPath('$..x'), doc)).toEqual([{ y: { x: 3 } }, 3]);
  expect(evaluate(parseJsonPath('$..c'), doc)).toEqual([1, 2]);
  expect(matchesJsonPath(parseJsonPathFilter('$.a.b[0].c == 1'), doc)).toBe(true);
  expect(matchesJsonPath(parseJsonPathFilter('$.a.b[0].c == 2'), doc)).toBe(false);
  expect(matchesJsonPath(parseJsonPathFilter('$.missing'), doc)).toBe(false);
  expect(() => parseJsonPath('a.b')).toThrow('Invalid JSON path a.b: it must start with $');
  expect(() => parseJsonPath('$.a[')).toThrow(/expected \[N\]/);
  expect(() => parseJsonPathFilter('$.a ==')).toThrow(/nothing after ==/);
});

test('cursors round-trip; start positions parse; counters are read per topic', () => {
  const c = { direction: 'prev' as const, offsets: new Map([[0, 5], [2, 7]]) };
  expect(decodeCursor(encodeCursor(c))).toEqual(c);
  expect(() => decodeCursor('e30')).toThrow(/Invalid cursor/);
  expect(parseStart('offset:12')).toEqual({ kind: 'offset', offset: 12 });
  expect(parseStart(null)).toEqual({ kind: 'latest' });
  expect(() => parseStart('offset:-1')).toThrow(/Invalid offset/);
  const scrape = parseCounters(
    ['# HELP x', 'kafka_server_brokertopicmetrics_bytesin_total 300', 'kafka_server_brokertopicmetrics_bytesin_total{topic="t"} 100', 'kafka_server_brokertopicmetrics_bytesout_total{topic="t"} 5e1', 'kafka_server_brokertopicmetrics_messagesin_total 9'].join('\n'),
    1,
  );
  expect(scrape).toEqual({ at: 1, bytesIn: new Map([['', 300], ['t', 100]]), bytesOut: new Map([['t', 50]]) });
});

describe('the server alone', () => {
  let dir: string;
  let server: ConsoleServer;
  let closedPort: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kafka-ts-console-'));
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    server = await ConsoleServer.start({ host: '127.0.0.1', port: 0 }, { bootstrapServers: `127.0.0.1:${closedPort}`, uiDir: join(dir, 'ui') });
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('without a built UI the pages are a 503 saying to run make build', async () => {
    const page = await get(server.url, '/topics');
    expect(page.status).toBe(503);
    expect(page.body).toMatch(/make build/);
  });

  test('serves the built files, and index.html for the UI routes', async () => {
    mkdirSync(join(dir, 'ui', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'ui', 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dir, 'ui', 'assets', 'app.js'), 'console.log(1)');
    const script = await fetch(new URL('/assets/app.js', server.url));
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).toBe('console.log(1)');
    expect((await get(server.url, '/groups/some-group')).body).toBe('<!doctype html><title>console</title>');
    expect((await get(server.url, '/../../etc/passwd')).body).toBe('<!doctype html><title>console</title>');
  });

  test('an unreachable cluster is a 502 naming the address', async () => {
    const res = await get(server.url, '/api/cluster');
    expect(res.status).toBe(502);
    expect(res.body.error).toContain(`127.0.0.1:${closedPort}`);
  });

  test('a port in use stops the start, naming the setting', async () => {
    const port = Number(new URL(server.url).port);
    await expect(ConsoleServer.start({ host: '127.0.0.1', port }, { bootstrapServers: 'x:1', listenSetting: 'kafkats.console.listener' })).rejects.toThrow(
      `Cannot serve the console on 127.0.0.1:${port} (kafkats.console.listener): the address is already in use`,
    );
  });
});
