// Kafka's quota arithmetic in-process, on fake time: the rate's window (at least samples - 1 whole
// windows), throttle = (rate - bound) / bound * window, the request quota's one-window cap, the
// eight levels of <user, client-id> precedence and the sensor each level shares, and the per-IP
// connection creation rate.

import { ClientQuotaManager, DEFAULT_PART } from '../../src/quotas/client-quota-manager';
import { ConnectionQuotas } from '../../src/quotas/connection-quotas';
import { RateSensor } from '../../src/quotas/rate-sensor';
import { desanitize, sanitize } from '../../src/quotas/sanitizer';
import { javaDouble } from '../../src/quotas/quota-configs';

const window = () => ({ samples: 11, windowMs: 1000 });

test('a fresh sensor measures over samples - 1 whole windows, and the throttle brings the rate back to the bound', () => {
  const sensor = new RateSensor(window);
  // 5000 bytes at t=0: 5000 / 10 s = 500/s, under 1000/s.
  expect(sensor.recordAndThrottle(5000, 1000, 0)).toBe(0);
  // 15000 bytes in the window: 1500/s; (1500 - 1000) / 1000 * 10000 ms = 5000 ms.
  expect(sensor.recordAndThrottle(10000, 1000, 0)).toBe(5000);
  // 2.5 s later: 2500 ms elapsed, 2 whole windows, plus 8 missing ones = 10500 ms; 16000 / 10.5 s = 1523.8/s;
  // (1523.8 - 1000) / 1000 * 10500 = 5500 ms.
  expect(sensor.recordAndThrottle(1000, 1000, 2500)).toBe(5500);
  // After 11 windows every sample has expired: only the new value counts.
  expect(sensor.measure(14000)).toBe(0);
  expect(sensor.recordAndThrottle(100, 1000, 14000)).toBe(0);
});

test('past samples - 1 whole windows the window is the time since the oldest sample', () => {
  const sensor = new RateSensor(window);
  for (let t = 0; t <= 10500; t += 500) sensor.record(100, t);
  // 11 samples started at 0, 1000, ..., 10000: the oldest is 10500 ms old, 10 whole windows.
  expect(sensor.windowSize(10500)).toBe(10500);
  expect(sensor.measure(10500)).toBeCloseTo((22 * 100) / 10.5, 6);
});

test('produce quota of one user: recorded per user, throttled by Kafka formula, sensors shared by its client ids', () => {
  const m = new ClientQuotaManager(window);
  expect(m.enabled).toBe(false);
  expect(m.record('alice', 'app', 1e9, 0)).toBe(0);
  m.setQuota({ name: 'alice' }, undefined, 1000);
  expect(m.metricTags('alice', 'app')).toEqual(['alice', '']);
  expect(m.record('alice', 'app', 8000, 0)).toBe(0);
  // Another client id of alice adds to the same sensor: 16000 / 10 s = 1600/s -> 6000 ms.
  expect(m.record('alice', 'other', 8000, 0)).toBe(6000);
  // bob has no quota.
  expect(m.record('bob', 'app', 1e9, 0)).toBe(0);
});

test('the request quota caps a throttle at one window', () => {
  const m = new ClientQuotaManager(window, () => 1000);
  m.setQuota(undefined, DEFAULT_PART, 50);
  // 2000 percent-seconds at once: 200 %/s over 10 s, (200 - 50) / 50 * 10000 = 30000 ms, capped at 1000.
  expect(m.record('ANONYMOUS', 'app', 2000, 0)).toBe(1000);
});

test('the eight levels of precedence, most specific first', () => {
  const m = new ClientQuotaManager(window);
  const levels: [Parameters<ClientQuotaManager['setQuota']>[0], Parameters<ClientQuotaManager['setQuota']>[1], number][] = [
    [{ name: 'u' }, { name: 'c' }, 1],
    [{ name: 'u' }, DEFAULT_PART, 2],
    [{ name: 'u' }, undefined, 3],
    [DEFAULT_PART, { name: 'c' }, 4],
    [DEFAULT_PART, DEFAULT_PART, 5],
    [DEFAULT_PART, undefined, 6],
    [undefined, { name: 'c' }, 7],
    [undefined, DEFAULT_PART, 8],
  ];
  for (const [u, c, bound] of levels) m.setQuota(u, c, bound);
  const tags: [string, string][] = [['u', 'c'], ['u', 'c'], ['u', ''], ['u', 'c'], ['u', 'c'], ['u', ''], ['', 'c'], ['', 'c']];
  for (let i = 0; i < levels.length; i++) {
    expect([m.quotaOf('u', 'c'), m.metricTags('u', 'c')]).toEqual([levels[i][2], tags[i]]);
    m.setQuota(levels[i][0], levels[i][1], null);
  }
  expect(m.enabled).toBe(false);
});

test('only client-id quotas: a client id without its own quota takes the default client quota', () => {
  const m = new ClientQuotaManager(window);
  m.setQuota(undefined, { name: 'fast' }, 5000);
  m.setQuota(undefined, DEFAULT_PART, 100);
  expect(m.quotaOf('anyone', 'fast')).toBe(5000);
  expect(m.quotaOf('anyone', 'slow')).toBe(100);
  expect(m.metricTags('anyone', 'slow')).toEqual(['', 'slow']);
});

test('unrecording takes a value back', () => {
  const m = new ClientQuotaManager(window);
  m.setQuota(undefined, DEFAULT_PART, 1000);
  expect(m.record('u', 'c', 20000, 0)).toBe(10000);
  m.unrecord('u', 'c', 20000, 0);
  expect(m.record('u', 'c', 5000, 0)).toBe(0);
});

test('connection creation rate per IP: its own rate, else the default, throttled at most one window', () => {
  const q = new ConnectionQuotas(window);
  expect(q.recordConnection('10.0.0.1', 0)).toBe(0);
  q.setRate(null, 1);
  q.setRate('10.0.0.2', 100);
  // 10 connections in a fresh window are 1/s: the 11th is over, (1.1 - 1) / 1 * 10000 = 1000 ms, the cap.
  for (let i = 0; i < 10; i++) expect(q.recordConnection('10.0.0.1', 0)).toBe(0);
  expect(q.recordConnection('10.0.0.1', 0)).toBe(1000);
  for (let i = 0; i < 50; i++) expect(q.recordConnection('10.0.0.2', 0)).toBe(0);
  q.setRate('10.0.0.2', null);
  expect(q.rateOf('10.0.0.2')).toBe(1);
});

test('names are sanitized as Kafka does, and back', () => {
  expect(sanitize('user@example.com')).toBe('user%40example.com');
  expect(sanitize('a b*c/d')).toBe('a%20b%2Ac%2Fd');
  expect(sanitize('::1')).toBe('%3A%3A1');
  expect(sanitize('ü')).toBe('%C3%BC');
  expect(desanitize('a%20b%2Ac%2Fd')).toBe('a b*c/d');
  expect(desanitize('a+b')).toBe('a b');
});

test('doubles are stored as Java prints them', () => {
  expect(javaDouble(100)).toBe('100.0');
  expect(javaDouble(1.5)).toBe('1.5');
  expect(javaDouble(1e7)).toBe('1.0E7');
  expect(javaDouble(12345678.9)).toBe('1.23456789E7');
  expect(javaDouble(0.0001)).toBe('1.0E-4');
});
