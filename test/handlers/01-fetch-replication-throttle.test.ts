// Fetch under the leader's replication throttle, in-process on fake time: a follower out of the ISR
// gets no data for a throttled partition while leader.replication.throttled.rate is exceeded, an
// in-sync follower and consumers always do, and only throttled partitions' data is recorded.

import { Apis, MessageInput } from '../../protocol';
import { buildBatch } from '../../protocol/records';
import fetch from '../../src/handlers/01-fetch';
import { TestBroker, addTopic, appendToLog, call, testBroker, topicInfo } from './fake-context';

type FetchBody = MessageInput<typeof Apis.Fetch.request>;

let b: TestBroker;
beforeEach(async () => {
  b = await testBroker();
  // Broker 1 leads; 2 is in the ISR, 3 (being added) is not.
  addTopic(b.metadata, b.logs, topicInfo('t', 2, { 'leader.replication.throttled.replicas': '0:1' }, { replicas: [1, 2, 3], isr: [1, 2] }));
  const value = Buffer.alloc(1000, 1);
  for (const p of [0, 1]) for (let i = 0; i < 4; i++) appendToLog(b.logs.get('t', p)!, buildBatch([{ key: null, value }]));
  b.replicationQuotas.updateRates({ dynamicBroker: { 'leader.replication.throttled.rate': '1500' }, dynamicDefault: {}, static: new Map() });
});
afterEach(() => b.close());

/** Bytes of data per partition a fetch from `replicaId` (-1: a consumer) gets, 1100 bytes at most per partition. */
async function fetched(replicaId: number, extra: Partial<FetchBody> = {}): Promise<number[]> {
  const res = await call<typeof Apis.Fetch>(fetch, b.ctx(12), {
    replicaId,
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes: 1 << 20,
    topics: [{ topic: 't', partitions: [0, 1].map((partition) => ({ partition, fetchOffset: 0n, partitionMaxBytes: 1100 })) }],
    ...extra,
  });
  return res!.responses[0].partitions.map((p) => p.records?.length ?? 0);
}

test('a follower out of the ISR gets no data of a throttled partition once the leader quota is exceeded', async () => {
  const [first] = await fetched(3);
  expect(first).toBeGreaterThan(1000);
  // Only partition 0 is throttled on this broker: its bytes alone are recorded.
  expect(b.replicationQuotas.leader.rate()).toBe(first);
  expect(await fetched(3)).toEqual([first, first]);
  // Over 1500 B/s now: partition 0 stays empty for broker 3, partition 1 is not throttled.
  expect(await fetched(3)).toEqual([0, first]);
  expect(b.replicationQuotas.leader.rate()).toBe(2 * first);
  // The in-sync follower and consumers are never throttled; consumers are not recorded.
  expect(await fetched(2)).toEqual([first, first]);
  expect(await fetched(-1)).toEqual([first, first]);
  expect(b.replicationQuotas.leader.rate()).toBe(3 * first);
  // Once the rate is back under the bound, data flows again.
  b.clock.advance(3000);
  expect(await fetched(3)).toEqual([first, first]);
});

test('removing the rate lifts the throttle at once', async () => {
  await fetched(3);
  await fetched(3);
  expect((await fetched(3))[0]).toBe(0);
  b.replicationQuotas.updateRates({ dynamicBroker: {}, dynamicDefault: {}, static: new Map() });
  expect((await fetched(3))[0]).toBeGreaterThan(1000);
});
