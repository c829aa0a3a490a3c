// The HTTP control plane against real brokers on loopback: what curl would do, with fetch.

import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ControlledBroker } from '../../../src/cli/controlled-broker';
import { ControllableClock, realClock } from '../../../src/clock';
import { BrokerConfig, ConfigError, parseConfig } from '../../../src/config';
import { gateSettings } from '../../../src/control/http/gate-settings';
import { ControlServer } from '../../../src/control/http/control-server';
import { SuperUserGate } from '../../../src/control/http/super-user-gate';
import { Kafka, logLevel } from 'kafkajs';
import { startKafka } from '../../../src/embedded/start-kafka';
import { waitFor } from '../../helpers/wait';
import { createLogger } from '../../../src/logger';

interface Running {
  target: ControlledBroker;
  server: ControlServer;
  dir: string;
}

const started: Running[] = [];

afterEach(async () => {
  for (const r of started.splice(0)) {
    await r.server.close();
    await r.target.down('stop');
    rmSync(r.dir, { recursive: true, force: true });
  }
});

function configOf(props: Record<string, string>, dir: string): BrokerConfig {
  return parseConfig(new Map(Object.entries({ 'broker.id': '0', 'log.dirs': dir, listeners: 'PLAINTEXT://127.0.0.1:0', ...props })), () => undefined);
}

async function startControlled(props: Record<string, string> = {}, controllable = true): Promise<Running> {
  const dir = mkdtempSync(path.join(tmpdir(), 'control-plane-'));
  const config = configOf(props, dir);
  const log = createLogger('control-plane-test', () => undefined);
  const target = new ControlledBroker(config, log, realClock, controllable ? new ControllableClock() : null);
  await target.up();
  const gate = new SuperUserGate(gateSettings(config, () => target.broker?.boundListeners ?? []));
  const server = await ControlServer.start({ host: '127.0.0.1', port: 0 }, target, gate, log);
  const running = { target, server, dir };
  started.push(running);
  return running;
}

async function call(server: ControlServer, method: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  const res = await fetch(`${server.url}${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

test('faults are injected, listed and removed over HTTP; bad specs are 400s', async () => {
  const { server } = await startControlled();
  const created = await call(server, 'POST', '/faults', { apiKey: 0, errorCode: 6, topic: 'orders', count: 2 });
  expect(created.status).toBe(201);
  expect(created.json).toMatchObject({ spec: { apiKey: 0, errorCode: 6, topic: 'orders' }, fired: 0, remaining: 2 });
  expect((await call(server, 'GET', '/faults')).json).toHaveLength(1);
  expect((await call(server, 'POST', '/faults', { apiKey: 0, count: -1 })).status).toBe(400);
  expect((await call(server, 'DELETE', `/faults/${created.json.id}`)).status).toBe(200);
  expect((await call(server, 'DELETE', `/faults/${created.json.id}`)).status).toBe(404);
  expect((await call(server, 'GET', '/faults')).json).toEqual([]);
});

test('the clock advances when the broker runs on a controllable one, and not otherwise', async () => {
  const { server, target } = await startControlled();
  const before = target.clock!.now();
  const advanced = await call(server, 'POST', '/clock/advance', { ms: 3_600_000 });
  expect(advanced.status).toBe(200);
  expect(advanced.json.advancedMs).toBe(3_600_000);
  expect(target.clock!.now() - before).toBeGreaterThanOrEqual(3_600_000);
  expect((await call(server, 'POST', '/clock/advance', { ms: -5 })).status).toBe(400);

  const system = await startControlled({}, false);
  const refused = await call(system.server, 'POST', '/clock/advance', { ms: 1000 });
  expect(refused.status).toBe(409);
  expect(refused.json.error).toMatch(/kafkats\.control\.clock=controllable/);
});

test('a broker taken down refuses connections, and comes back up on the same port', async () => {
  const { server, target } = await startControlled();
  const port = target.broker!.boundListeners[0].port;
  expect(await canConnect(port)).toBe(true);

  const down = await call(server, 'POST', '/broker/down', { mode: 'kill' });
  expect(down.json).toMatchObject({ brokerId: 0, running: false });
  expect(await canConnect(port)).toBe(false);
  expect((await call(server, 'POST', '/retention')).status).toBe(409);

  const up = await call(server, 'POST', '/broker/up');
  expect(up.json.running).toBe(true);
  expect(target.broker!.boundListeners[0].port).toBe(port);
  expect(await canConnect(port)).toBe(true);
  expect((await call(server, 'POST', '/broker/down', { mode: 'sideways' })).status).toBe(400);
});

test('unknown paths, wrong methods, bad JSON and requests from web pages are refused', async () => {
  const { server } = await startControlled();
  expect((await call(server, 'GET', '/nothing')).status).toBe(404);
  expect((await call(server, 'PATCH', '/faults')).status).toBe(405);
  const bad = await fetch(`${server.url}/faults`, { method: 'POST', body: '{not json' });
  expect(bad.status).toBe(400);
  expect((await call(server, 'GET', '/', undefined, { Origin: 'http://example.com' })).status).toBe(403);
});

test('the control listener must be a loopback address', () => {
  expect(() => configOf({ 'kafkats.control.listener': '0.0.0.0:9644' }, '/nonexistent')).toThrow(ConfigError);
  expect(() => configOf({ 'kafkats.control.listener': 'example.com:9644' }, '/nonexistent')).toThrow(/loopback/);
  expect(configOf({ 'kafkats.control.listener': 'localhost:0' }, '/nonexistent').controlListener).toBe('localhost:0');
});

describe('with security on', () => {
  const SECURED = {
    listeners: 'SASL_PLAINTEXT://127.0.0.1:0',
    'listener.security.protocol.map': 'SASL_PLAINTEXT:SASL_PLAINTEXT',
    'security.inter.broker.protocol': 'SASL_PLAINTEXT',
    'sasl.mechanism.inter.broker.protocol': 'PLAIN',
    'sasl.enabled.mechanisms': 'PLAIN',
    'listener.name.sasl_plaintext.plain.sasl.jaas.config':
      'org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" user_admin="admin-secret" user_alice="alice-secret";',
    'super.users': 'User:admin',
  };
  const basic = (user: string, password: string) => ({ Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

  test('only a super user with the right password gets in', async () => {
    const { server } = await startControlled(SECURED);
    expect((await call(server, 'GET', '/')).status).toBe(401);
    expect((await call(server, 'GET', '/', undefined, basic('alice', 'alice-secret'))).status).toBe(403);
    expect((await call(server, 'GET', '/', undefined, basic('admin', 'wrong'))).status).toBe(401);
    const ok = await call(server, 'GET', '/', undefined, basic('admin', 'admin-secret'));
    expect(ok.status).toBe(200);
    expect(ok.json.brokerId).toBe(0);
  });

  test('without a SASL listener to check callers against, the control plane refuses everyone', async () => {
    const { server } = await startControlled({ 'authorizer.class.name': 'kafka.security.authorizer.AclAuthorizer', 'super.users': 'User:admin' });
    const refused = await call(server, 'GET', '/', undefined, basic('admin', 'admin-secret'));
    expect(refused.status).toBe(403);
    expect(refused.json.error).toMatch(/no SASL listener/);
  });
});

test('each broker of an embedded cluster serves its own control plane, which takes it down and up', async () => {
  const cluster = await startKafka({ brokers: 2, config: { 'kafkats.control.listener': '127.0.0.1:0' } });
  try {
    const [a, b] = cluster.brokers;
    expect(a.controlUrl).not.toBeNull();
    expect(a.controlUrl).not.toBe(b.controlUrl);
    const status = (await (await fetch(`${b.controlUrl}/`)).json()) as { brokerId: number };
    expect(status.brokerId).toBe(1);

    await fetch(`${b.controlUrl}/broker/down`, { method: 'POST', body: JSON.stringify({ mode: 'kill' }) });
    expect(b.running).toBe(false);
    expect(cluster.bootstrapServers).toBe(a.bootstrapServer);
    await fetch(`${b.controlUrl}/clock/advance`, { method: 'POST', body: JSON.stringify({ ms: 1000 }) });
    expect(cluster.clock.advancedMs).toBe(1000);
    await fetch(`${b.controlUrl}/broker/up`, { method: 'POST' });
    expect(b.running).toBe(true);
    expect(await canConnect(b.port)).toBe(true);
  } finally {
    await cluster.stop();
  }
});

test('the request log is read, filtered and followed live over HTTP', async () => {
  const { server, target } = await startControlled();
  expect((await call(server, 'GET', '/requests?follow=true')).status).toBe(409);
  expect((await call(server, 'PUT', '/requests/size', { size: 100 })).status).toBe(200);
  const bootstrap = `127.0.0.1:${target.broker!.boundListeners[0].port}`;
  const admin = new Kafka({ clientId: 'http-log-reader', brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.listTopics();
    const logged = await call(server, 'GET', '/requests?client=http-log-reader&api=metadata');
    expect(logged.json.length).toBeGreaterThan(0);
    expect(logged.json[0]).toMatchObject({ api: 'Metadata', apiKey: 3, clientId: 'http-log-reader', errorCodes: [] });
    expect((await call(server, 'GET', '/requests?api=NoSuchApi')).status).toBe(400);

    const follow = new AbortController();
    const res = await fetch(`${server.url}/requests?follow=true&client=http-log-reader&api=3&limit=0`, { signal: follow.signal });
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    const reader = res.body!.getReader();
    await admin.listTopics();
    const { value } = await reader.read();
    const line = JSON.parse(Buffer.from(value!).toString('utf8').split('\n')[0]);
    expect(line).toMatchObject({ api: 'Metadata', clientId: 'http-log-reader' });
    follow.abort();
    await reader.cancel().catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
});

test('API versions are capped to a Kafka release and lifted over HTTP', async () => {
  const { server, target } = await startControlled();
  const listed = await call(server, 'GET', '/versions');
  expect(listed.json.release).toBeNull();
  expect(listed.json.releases).toEqual(expect.arrayContaining(['2.0', '2.8', '3.9']));
  expect((await call(server, 'PUT', '/versions', { release: '2.8' })).json).toEqual({ release: '2.8' });
  expect(target.controls.versions.release).toBe('2.8');
  const unknown = await call(server, 'PUT', '/versions', { release: '1.1' });
  expect(unknown.status).toBe(400);
  expect(target.controls.versions.release).toBe('2.8');
  expect((await call(server, 'PUT', '/versions', {})).status).toBe(400);
  expect((await call(server, 'PUT', '/versions', { release: null })).json).toEqual({ release: null });
  expect(target.controls.versions.release).toBeNull();
});

test('leaders move, ISRs shrink, followers lag and logs compact over HTTP', async () => {
  const cluster = await startKafka({ brokers: 3, config: { 'kafkats.control.listener': '127.0.0.1:0' } });
  try {
    await cluster.admin.createTopic('moved', { partitions: 1, replicationFactor: 3 });
    const leader = await cluster.admin.leader('moved', 0);
    const other = (leader + 1) % 3;
    const third = (leader + 2) % 3;
    const url = cluster.brokers[third].controlUrl!;
    const send = async (method: string, route: string, body: unknown) => {
      const res = await fetch(`${url}${route}`, { method, body: JSON.stringify(body) });
      return { status: res.status, json: (await res.json()) as any };
    };

    expect((await send('POST', '/partitions/moved/0/leader', { broker: other })).status).toBe(200);
    expect(await cluster.admin.leader('moved', 0)).toBe(other);
    const refused = await send('POST', '/partitions/moved/0/leader', { broker: 9 });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatch(/ELIGIBLE_LEADERS_NOT_AVAILABLE/);

    // The third broker, as a follower, is held 2 records back, so it stays out once the ISR is shrunk.
    expect((await send('PUT', '/partitions/moved/0/follower-lag', { records: 2 })).status).toBe(200);
    const shrunk = await send('PUT', '/partitions/moved/0/isr', { isr: [other, leader] });
    expect(shrunk.status).toBe(200);
    const isr = cluster.brokers[other].broker!.cluster.topics.get('moved')!.partitions[0].isr;
    expect([...isr].sort()).toEqual([leader, other].sort());
    expect((await send('PUT', '/partitions/moved/0/isr', { isr: 'all' })).status).toBe(400);
    expect((await send('PUT', '/partitions/moved/0/follower-lag', { records: 0 })).status).toBe(200);

    expect((await send('POST', '/compaction', {})).json).toEqual({ logsCleaned: 0 });
  } finally {
    await cluster.stop();
  }
});

test('a standalone broker refuses leader moves with a 409', async () => {
  const { server } = await startControlled();
  const refused = await call(server, 'POST', '/partitions/any/0/leader', { broker: 0 });
  expect(refused.status).toBe(409);
  expect(refused.json.error).toMatch(/standalone/);
});

test('a live request-log follower that does not read is cut off instead of buffered for', async () => {
  const { server, target } = await startControlled();
  target.controls.requestLog.resize(10);
  const socket = connect({ host: '127.0.0.1', port: server.port });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write('GET /requests?follow=true HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  socket.pause(); // never reads what the broker streams
  const log = target.controls.requestLog;
  const followers = () => log.subscriberCount;
  await waitFor(() => followers() === 1, 'the follower to subscribe');
  const entry = { time: 0, apiKey: 3, api: 'Metadata', version: 12, correlationId: 1, clientId: 'x'.repeat(200), principal: 'User:ANONYMOUS', listener: 'PLAINTEXT', remote: '127.0.0.1:1', requestBytes: 10, responseBytes: 10, latencyMs: 1, errorCodes: [] };
  for (let i = 0; i < 200_000 && followers() > 0; i++) {
    log.record({ ...entry, correlationId: i });
    if (i % 1000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  expect(followers()).toBe(0);
  socket.destroy();
});
