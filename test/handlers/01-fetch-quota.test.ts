// Fetch under a consumer_byte_rate quota, in-process on fake time: a consumer's fetch reads at most
// the quota window's worth, its response size is recorded, one over the quota is answered empty
// with throttle_time_ms and its bytes taken back, and followers' fetches are exempt.

import { Apis, ErrorCode, MessageInput } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import fetch from '../../src/handlers/01-fetch';
import { TestBroker, addTopic, appendToLog, call, testBroker, topicInfo } from './fake-context';

type FetchBody = MessageInput<typeof Apis.Fetch.request>;

const RATE = 1000;
let b: TestBroker;
beforeEach(async () => {
  b = await testBroker({}, { 'quota.window.num': 11, 'quota.window.size.seconds': 1 });
  addTopic(b.metadata, b.logs, topicInfo('t', 1, {}, { replicas: [1, 2], isr: [1, 2] }));
  for (let i = 0; i < 20; i++) appendToLog(b.logs.get('t', 0)!, buildBatch([{ key: null, value: Buffer.alloc(900, i) }]));
  await b.services.quotas.alter([{ entityType: 'user', entityName: 'ANONYMOUS' }], [{ key: 'consumer_byte_rate', value: RATE }], false);
});
afterEach(() => b.close());

const body = (fetchOffset: bigint, extra: Partial<FetchBody> = {}): FetchBody => ({
  maxWaitMs: 0,
  minBytes: 0,
  maxBytes: 1 << 20,
  topics: [{ topic: 't', partitions: [{ partition: 0, fetchOffset, partitionMaxBytes: 1 << 20 }] }],
  ...extra,
});

test('a consumer reads at most the window, then gets an empty answer with throttle_time_ms and a throttled session (which mutes its channel)', async () => {
  const windowBytes = RATE * 10;
  const first = b.ctx(12);
  const res = (await call<typeof Apis.Fetch>(fetch, first, body(0n)))!;
  const records = res.responses[0].partitions[0].records!;
  expect(records.length).toBeGreaterThan(0);
  expect(records.length).toBeLessThanOrEqual(windowBytes);
  expect(res.throttleTimeMs).toBe(0);

  const second = b.ctx(12);
  const throttled = (await call<typeof Apis.Fetch>(fetch, second, body(5n)))!;
  expect(throttled).toMatchObject({ errorCode: ErrorCode.NONE, responses: [] });
  expect(throttled.throttleTimeMs).toBeGreaterThan(0);
  expect(second.session.throttleMs).toBe(throttled.throttleTimeMs);

  // The throttled bytes were taken back: after the window passes the consumer reads again.
  b.clock.advance(11_000);
  const later = (await call<typeof Apis.Fetch>(fetch, b.ctx(12), body(5n)))!;
  expect(later.responses[0].partitions[0].records!.length).toBeGreaterThan(0);
});

test('followers are exempt from the consumer quota', async () => {
  for (let i = 0; i < 3; i++) {
    const ctx = b.ctx(12);
    const res = (await call<typeof Apis.Fetch>(fetch, ctx, body(0n, { replicaId: 2 })))!;
    expect(res.throttleTimeMs).toBe(0);
    expect(res.responses[0].partitions[0].records!.length).toBeGreaterThan(RATE * 10);
    expect(ctx.session.throttleMs).toBe(0);
  }
});
